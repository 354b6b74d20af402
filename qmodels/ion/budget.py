"""Error budget of the default (calibrated) ion link: what each imperfection costs alone.

Nadlinger et al. report only totals (S = 2.677(6), Q = 1.44(2)%, F = 96.0(1)%). Our split, chosen to be
plausible for the platform and to reproduce the totals:

==========================  ==============  ==============================================
imperfection                default         main effect
==========================  ==============  ==============================================
ion-photon infidelity       F_ip = 99.5%    white noise on every correlator
polarisation drift          0.084 rad rms   flips Z and X correlations (Q and S)
mode mismatch               overlap 0.97    dephasing: X/Y correlations only (S, F)
ion dephasing               33 us / 3 ms    dephasing: X/Y correlations only (S, F)
dark counts                 20 Hz, 100 ns   white noise, false-herald share ~8e-4
readout error               0.2% per ion    every correlator; not in the state fidelity
==========================  ==============  ==============================================
"""

from __future__ import annotations

import math
from dataclasses import replace

from .setup import IonLinkSetup
from .table import ion_table

#: Name -> the fields that switch that imperfection on (taken from the full setup).
IMPERFECTIONS = {
    "ion-photon infidelity": ("ion_photon_fidelity",),
    "polarisation drift": ("polarisation_drift_rad",),
    "mode mismatch": ("mode_overlap",),
    "ion dephasing": ("ion_wait_time_s", "ion_coherence_time_s"),
    "dark counts": ("dark_count_rate_hz", "detection_window_s"),
    "readout error": ("readout_error",),
}


def error_budget(setup: IonLinkSetup | None = None) -> list[dict]:
    """One row per imperfection (alone on an ideal link) plus ``"all"``: ``1 - F``, ``2 sqrt2 - S``, ``Q``.

    Contributions add up to the total only approximately (the channels compose multiplicatively).
    """
    setup = IonLinkSetup() if setup is None else setup
    ideal = setup.ideal()
    rows = []
    for name, fields in IMPERFECTIONS.items():
        alone = replace(ideal, **{f: getattr(setup, f) for f in fields})
        rows.append(_row(name, ion_table(alone)))
    rows.append(_row("all", ion_table(setup)))
    return rows


def _row(name: str, table) -> dict:
    return {"imperfection": name, "infidelity": 1.0 - table.meta["fidelity"],
            "S_loss": 2.0 * math.sqrt(2.0) - table.meta["S"], "Q": table.meta["Q"],
            "S": table.meta["S"], "fidelity": table.meta["fidelity"]}
