"""``diqkd table ion`` and ``diqkd keyrate ion``: the trapped-ion link of Nadlinger et al. (Nadlinger et al. 2022)."""

from __future__ import annotations

import argparse
import math

from ._args import add_json, degree_list


def _add_link_arguments(p: argparse.ArgumentParser) -> None:
    from qmodels.ion.setup import IonLinkSetup

    d = IonLinkSetup()
    p.add_argument("--ion-photon-fidelity", type=float, default=d.ion_photon_fidelity,
                   help=f"fidelity of each ion-photon pair (default {d.ion_photon_fidelity})")
    p.add_argument("--mode-overlap", type=float, default=d.mode_overlap,
                   help=f"two-photon interference visibility |<chi_A|chi_B>|^2 (default {d.mode_overlap})")
    p.add_argument("--polarisation-drift-rad", type=float, default=d.polarisation_drift_rad,
                   help=f"rms polarisation rotation per fibre, rad (default {d.polarisation_drift_rad})")
    p.add_argument("--ion-coherence-time-s", type=float, default=d.ion_coherence_time_s,
                   help=f"ion T2, s (default {d.ion_coherence_time_s:g})")
    p.add_argument("--ion-wait-time-s", type=float, default=d.ion_wait_time_s,
                   help=f"emission-to-measurement time, s (default {d.ion_wait_time_s:g})")
    p.add_argument("--readout-error", type=float, default=d.readout_error,
                   help=f"state-detection error per ion (default {d.readout_error})")
    p.add_argument("--photon-efficiency", type=float, default=d.photon_efficiency,
                   help=f"collection x transmission x detection per photon (default {d.photon_efficiency})")
    p.add_argument("--dark-count-rate-hz", type=float, default=d.dark_count_rate_hz,
                   help=f"dark counts per second per detector (default {d.dark_count_rate_hz:g})")
    p.add_argument("--detection-window-s", type=float, default=d.detection_window_s,
                   help=f"coincidence window, s (default {d.detection_window_s:g})")
    p.add_argument("--attempt-rate-hz", type=float, default=d.attempt_rate_hz,
                   help=f"entanglement attempts per second (default {d.attempt_rate_hz:g})")
    p.add_argument("--round-overhead-s", type=float, default=d.round_overhead_s,
                   help=f"dead time per heralded round, s (default {d.round_overhead_s:g})")
    p.add_argument("--distance-km", type=float, default=d.distance_km,
                   help="Alice-Bob fibre added to the seed's 2 m link, km, BSM midway (default 0; our extension: "
                        "fibre loss on each photon, the herald's return slows attempts and dephases the ions)")
    p.add_argument("--fiber-db-per-km", type=float, default=d.fiber_db_per_km,
                   help=f"fibre loss over --distance-km, dB/km (default {d.fiber_db_per_km:g}: telecom band after "
                        "lossless conversion, an assumption)")
    p.add_argument("--alice-angles-deg", type=degree_list(2), default=None,
                   help="Alice's two setting angles in the x-z plane, degrees (default 0,90)")
    p.add_argument("--bob-angles-deg", type=degree_list(3), default=None,
                   help="Bob's three setting angles, degrees (default 45,-45,0)")
    add_json(p)


def register_table(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("ion", help="heralded two-ion table (Nadlinger et al.; defaults calibrated)")
    _add_link_arguments(p)
    p.set_defaults(handler=run_table)


def register_keyrate(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("ion", help="asymptotic CHSH key rate of the ion link (Pironio + Devetak-Winter)")
    _add_link_arguments(p)
    p.set_defaults(handler=run_keyrate)


def setup_from_args(args: argparse.Namespace):
    from qmodels.ion import IonLinkSetup

    kwargs = {name: getattr(args, name) for name in (
        "ion_photon_fidelity", "mode_overlap", "polarisation_drift_rad", "ion_coherence_time_s",
        "ion_wait_time_s", "readout_error", "photon_efficiency", "dark_count_rate_hz",
        "detection_window_s", "attempt_rate_hz", "round_overhead_s", "distance_km", "fiber_db_per_km")}
    if args.alice_angles_deg is not None:
        kwargs["alice_angles"] = tuple(math.radians(a) for a in args.alice_angles_deg)
    if args.bob_angles_deg is not None:
        kwargs["bob_angles"] = tuple(math.radians(b) for b in args.bob_angles_deg)
    return IonLinkSetup(**kwargs)


def run_table(args: argparse.Namespace) -> dict:
    from qmodels.ion import ion_table

    table = ion_table(setup_from_args(args))
    out = table.to_dict()
    out["_text"] = str(table) + f"\nS = {table.meta['S']:.4f}, Q = {table.meta['Q']:.4%}, " \
                                f"fidelity = {table.meta['fidelity']:.4f}"
    return out


def run_keyrate(args: argparse.Namespace) -> dict:
    from protocols import chsh_key_rate
    from qmodels.ion import ion_table

    setup = setup_from_args(args)
    table = ion_table(setup)
    S, Q = table.meta["S"], table.meta["Q"]
    rate = chsh_key_rate(S, Q)
    return {"S": S, "Q": Q, "fidelity": table.meta["fidelity"], "rate_per_round": rate,
            "rounds_per_second": table.rounds_per_second, "bits_per_second": rate * table.rounds_per_second,
            "herald_probability": table.herald_probability, "bits_per_attempt": rate * table.herald_probability,
            "attempts_per_second": setup.effective_attempt_rate_hz, "distance_km": setup.distance_km,
            "bound": "Pironio et al. 2009 + Devetak-Winter",
            "units": {"rate_per_round": "bits per heralded round", "rounds_per_second": "Hz",
                      "bits_per_second": "bit/s",
                      "herald_probability": "per attempt", "bits_per_attempt": "bits per attempt (channel use)",
                      "attempts_per_second": "Hz", "distance_km": "km", "Q": "probability"}}
