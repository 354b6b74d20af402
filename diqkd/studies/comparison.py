"""The three platforms side by side: secret key per channel use and per second versus Alice-Bob
distance, with the PLOB bound, and the finite-size key after one day for the CHSH-tested links.

No paper draws this figure; every curve comes from our models of the three experiments, each with
its own best protocol and its own clock:

* photonic (Liu et al. 2022, arXiv:2110.01480): SPDC pairs from a midway source, post-selection +
  noisy preprocessing, certified BFF bound on the full table (``diqkd keyrate photonic``, the
  recorded optimised settings);
* trapped ions (Nadlinger et al. 2022, arXiv:2109.14600): heralded ion-ion entanglement, CHSH
  (Pironio et al. 2009 + Devetak-Winter), the link stretched by ``IonLinkSetup.distance_km``;
* entangled coherent states (Xie et al. 2021, Opt. Lett. 46, 1632): CHSH rate of the seed's Eq. (1),
  mu optimised per distance.

A *channel use* is one pulse (photonic, cat) or one entanglement attempt (ions). The PLOB bound
``-log2(1 - eta)`` (Pirandola et al., Nat. Commun. 8, 15043 (2017)) is that of the bare fibre,
``eta = 10^(-beta L / 10)``, perfect detectors: no repeaterless protocol over that fibre beats it
per channel use. The finite-size key after one day is :func:`protocols.finite_key.finite_key_length`
(the CHSH-tested protocol of Nadlinger et al., entropy accumulation) with ``n`` the heralded rounds
of 24 h at that distance, the model's S and Q as the design point, and the test-round probability
chosen on a grid (it is fixed before the protocol runs). Every assumption is in :data:`ASSUMPTIONS`
and in the report.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np

from protocols import chsh_key_rate, plob_bound
from protocols.finite_key import finite_key_length

from ._io import legend, progress, pyplot, save_figure, write_csv

#: seconds of operation for the finite-size key
ONE_DAY_S = 86_400.0
#: soundness error of the finite-size key (Nadlinger et al.'s)
EPS_SOUND = 1e-10
#: test-round probabilities tried for the one-day key (the best is kept)
GAMMAS = tuple(float(g) for g in np.geomspace(1e-3, 0.25, 9))
#: fibre loss of every link (dB/km)
FIBER_DB_PER_KM = 0.2
#: pulses per second of the cat-state source: Xie et al. give none; we take the photonic
#: experiment's 2 MHz (Liu et al.) so that the two pulsed links share a clock
CAT_REPETITION_HZ = 2e6

#: Alice-Bob distances (km) per platform
PHOTONIC_KM = (0.02, 0.08, 0.22, 0.3, 0.35, 0.4)
ION_KM = tuple(float(x) for x in np.geomspace(0.01, 150.0, 22))
CAT_KM = tuple(float(x) for x in np.geomspace(0.01, 600.0, 28))
#: ``diqkd reproduce --fast``
FAST_PHOTONIC_KM = (0.02, 0.22)
FAST_ION_KM = tuple(float(x) for x in np.geomspace(0.01, 150.0, 9))
FAST_CAT_KM = tuple(float(x) for x in np.geomspace(0.01, 600.0, 12))
#: local processes for the photonic points (one BFF bound each)
WORKERS = 2
#: p, p_N of the photonic link: the recorded optimum at 20, 80 and 220 m, beyond it the 220 m values
PHOTONIC_FIXED_PN_FROM_KM = 0.22

ASSUMPTIONS = {
    "fibre": f"{FIBER_DB_PER_KM} dB/km for every link (telecom C band); the ions' 422 nm photons are assumed "
             "converted to it without loss",
    "photonic": "Liu et al.'s link (efficiencies 87.16% / 87.82% including detectors, 0.05 pairs per pulse, "
                "2 MHz pulses) with our optimised settings; source midway; p, p_N as recorded at 20, 80, 220 m, "
                "the 220 m values beyond; 24-node certified BFF bound; asymptotic (no finite-size curve: its "
                "protocol is not CHSH-tested)",
    "ion": "Nadlinger et al.'s calibrated link (2% per-photon efficiency, 1 MHz attempts, 3.4 ms dead time per "
           "heralded round, T2 = 3 ms) plus the fibre: loss on each photon over L/2, the herald's return "
           "(L / c_fibre, c_fibre = c / 1.468) delays every attempt and dephases the ions; no multiplexing",
    "cat": "Xie et al.'s link (detector efficiency 0.8, dark counts 1e-7 per pulse, no misalignment), Charlie "
           "midway, mu optimised per distance, 2 MHz pulses (our assumption: the paper gives no clock)",
    "finite_size": f"one day ({ONE_DAY_S:g} s) of heralded rounds, eps_snd = {EPS_SOUND:g}, the model's S and Q as "
                   "the design point, syndrome at the seed's efficiency, test-round probability the best of "
                   f"{len(GAMMAS)} values in [1e-3, 0.25]",
    "plob": "PLOB bound of the bare fibre (perfect detectors), bits per channel use",
}


def plob_fibre(distance_km: float, db_per_km: float = FIBER_DB_PER_KM) -> float:
    """:func:`protocols.plob_bound` of the bare fibre, ``eta = 10^(-beta L/10)``, bits per channel use
    (inf at L = 0, where the bound is)."""
    eta = 10.0 ** (-db_per_km * distance_km / 10.0)
    return math.inf if eta >= 1.0 else plob_bound(eta)


def one_day_key(rounds_per_second: float, S: float, Q: float) -> dict:
    """Finite-size key (bits) after one day at ``rounds_per_second`` heralded rounds (module docstring)."""
    n = int(rounds_per_second * ONE_DAY_S)
    best = {"key_bits_one_day": 0, "n_one_day": n, "gamma": None}
    if n < 1 or not 2.0 < S <= 2.0 * math.sqrt(2.0) or chsh_key_rate(S, Q) <= 0:
        return best
    for gamma in GAMMAS:
        res = finite_key_length(n, gamma, S, Q, EPS_SOUND)
        if res.key_length > best["key_bits_one_day"]:
            best = {"key_bits_one_day": res.key_length, "n_one_day": n, "gamma": gamma}
    return best


def ion_points(distances_km) -> list[dict]:
    """The ion link at each distance: asymptotic CHSH rate and the one-day finite-size key."""
    from qmodels.ion import IonLinkSetup, ion_table

    rows = []
    for L in progress(distances_km, "comparison: ion link"):
        setup = IonLinkSetup(distance_km=float(L), fiber_db_per_km=FIBER_DB_PER_KM)
        table = ion_table(setup)
        S, Q = table.meta["S"], table.meta["Q"]
        rate = chsh_key_rate(S, Q)
        day = one_day_key(table.rounds_per_second, S, Q)
        rows.append({"platform": "ion", "distance_km": float(L), "S": S, "Q": Q,
                     "bits_per_channel_use": rate * table.herald_probability,
                     "bits_per_second": rate * table.rounds_per_second,
                     "channel_uses_per_second": setup.effective_attempt_rate_hz,
                     "rounds_per_second": table.rounds_per_second, **day,
                     "bits_per_second_one_day": day["key_bits_one_day"] / ONE_DAY_S})
    return rows


def cat_points(distances_km) -> list[dict]:
    """The ECS link at each distance (mu optimised): rate per trial, per second, one-day key."""
    from qmodels.cat import LinkSetup

    from .cat_rates import optimise_mu

    rows = []
    for L in progress(distances_km, "comparison: cat link"):
        r = optimise_mu(LinkSetup(scheme="ecs", distance_km=float(L), fiber_db_per_km=FIBER_DB_PER_KM))
        heralds = r.Q_zz * CAT_REPETITION_HZ
        day = one_day_key(heralds, min(r.S, 2.0 * math.sqrt(2.0)), r.e_zz)
        rows.append({"platform": "cat", "distance_km": float(L), "S": r.S, "Q": r.e_zz, "mu": r.mu,
                     "bits_per_channel_use": r.rate, "bits_per_second": r.rate * CAT_REPETITION_HZ,
                     "channel_uses_per_second": CAT_REPETITION_HZ, "rounds_per_second": heralds, **day,
                     "bits_per_second_one_day": day["key_bits_one_day"] / ONE_DAY_S})
    return rows


def photonic_points(distances_km) -> list[dict]:
    """The photonic link at each distance: ``diqkd keyrate photonic`` points through the sweep cache
    (:mod:`diqkd.sweep`), so a rerun costs nothing."""
    from ..sweep import base_flags, sweep
    from .photonic_liu import OPTIMISED

    p, pn = OPTIMISED["postselect_noise"][f"{PHOTONIC_FIXED_PN_FROM_KM * 1e3:g}"]
    beyond = ["--postselect", repr(p), "--noise", repr(pn)]
    groups = (([L for L in distances_km if L <= PHOTONIC_FIXED_PN_FROM_KM], []),  # keyrate's recorded p, p_N
              ([L for L in distances_km if L > PHOTONIC_FIXED_PN_FROM_KM], beyond))
    points = []
    for km, argv in groups:
        if km:
            flags = base_flags("photonic", argv, "fiber_m")
            points += sweep("photonic", "fiber_m", [round(L * 1e3, 6) for L in km], flags, workers=WORKERS)["points"]
    return [{"platform": "photonic", "distance_km": pt["fiber_m"] / 1e3, "postselect": pt["postselect"],
             "noise": pt["noise"], "bits_per_channel_use": pt["rate_per_round"],
             "bits_per_second": pt["bits_per_second"], "channel_uses_per_second": pt["repetition_rate_hz"],
             "certified_gap": pt["certified_gap"]} for pt in points]


def _reach(rows: list[dict], field: str = "bits_per_second") -> float | None:
    """Largest grid distance (km) with a positive ``field`` (None if none)."""
    positive = [r["distance_km"] for r in rows if r.get(field, 0) > 0]
    return max(positive) if positive else None


def _plot(path: Path, rows: dict[str, list[dict]]) -> None:
    plt = pyplot()
    if plt is None:  # pragma: no cover
        return
    style = {"photonic": ("tab:blue", "o", "photonic pairs (Liu et al. 2022), post-selection + BFF"),
             "ion": ("tab:red", "s", "trapped ions (Nadlinger et al. 2022), CHSH"),
             "cat": ("tab:green", "^", "entangled coherent states (Xie et al. 2021), CHSH")}
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4.4))
    for name, pts in rows.items():
        color, marker, label = style[name]
        pos = [r for r in pts if r["bits_per_second"] > 0]
        if not pos:
            continue
        x = [r["distance_km"] for r in pos]
        ax1.plot(x, [r["bits_per_channel_use"] for r in pos], color=color, marker=marker, ms=4, label=label)
        ax2.plot(x, [r["bits_per_second"] for r in pos], color=color, marker=marker, ms=4, label=label)
        day = [r for r in pts if r.get("bits_per_second_one_day", 0) > 0]
        if day:
            ax2.plot([r["distance_km"] for r in day], [r["bits_per_second_one_day"] for r in day], color=color,
                     ls="--", marker=marker, ms=3, mfc="none", label=f"{name}: finite-size, one day of operation")
    grid = np.geomspace(0.01, 600.0, 200)
    ax1.plot(grid, [plob_fibre(L) for L in grid], color="k", ls=":", label="PLOB bound of the fibre")
    for ax, unit in ((ax1, "secret key (bits per channel use)"), (ax2, "secret key (bit/s)")):
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("Alice-Bob distance (km)")
        ax.set_ylabel(unit)
        ax.grid(True, which="major", alpha=0.3)
    ax1.set_title("per channel use (pulse or attempt)", fontsize="medium")
    ax2.set_title("per second, each link at its own clock", fontsize="medium")
    legend(ax1, outside=True, ncol=1)
    legend(ax2, outside=True, ncol=1)
    save_figure(fig, path)


def run(out: Path, fast: bool = False) -> dict:
    """The comparison into ``out``: ``comparison.png``, ``comparison.csv``, ``summary.json``."""
    out.mkdir(parents=True, exist_ok=True)
    rows = {"photonic": photonic_points(FAST_PHOTONIC_KM if fast else PHOTONIC_KM),
            "ion": ion_points(FAST_ION_KM if fast else ION_KM),
            "cat": cat_points(FAST_CAT_KM if fast else CAT_KM)}
    for pts in rows.values():
        for r in pts:
            r["plob_bits_per_channel_use"] = plob_fibre(r["distance_km"])
    fields = ["platform", "distance_km", "bits_per_channel_use", "bits_per_second", "channel_uses_per_second",
              "bits_per_second_one_day", "key_bits_one_day", "n_one_day", "gamma", "S", "Q", "mu", "postselect",
              "noise", "plob_bits_per_channel_use"]
    flat = [{f: r.get(f) for f in fields} for pts in rows.values() for r in pts]
    write_csv(out / "comparison.csv", flat)
    (out / "units.json").write_text(json.dumps(UNITS, indent=1))
    _plot(out / "comparison.png", rows)
    summary = {
        "assumptions": ASSUMPTIONS,
        "reach_km": {name: _reach(pts) for name, pts in rows.items()},
        "reach_one_day_km": {name: _reach(rows[name], "key_bits_one_day") for name in ("ion", "cat")},
        "beats_plob_km": {name: [r["distance_km"] for r in pts
                                 if r["bits_per_channel_use"] > r["plob_bits_per_channel_use"]]
                          for name, pts in rows.items()},
        "points": rows,
        "units": UNITS,
    }
    (out / "summary.json").write_text(json.dumps(summary, indent=1))
    return summary


UNITS = {"distance_km": "km", "bits_per_channel_use": "bits per pulse (photonic, cat) or per attempt (ion)",
         "bits_per_second": "bit/s (asymptotic)", "channel_uses_per_second": "Hz",
         "bits_per_second_one_day": "bit/s averaged over one day, finite-size", "key_bits_one_day": "bits",
         "n_one_day": "heralded rounds in one day", "gamma": "test-round probability", "S": "CHSH score",
         "Q": "QBER of the key rounds", "mu": "mean photon number per coherent component",
         "postselect": "probability", "noise": "probability", "plob_bits_per_channel_use": "bits per channel use",
         "reach_km": "largest grid distance with key, km"}
