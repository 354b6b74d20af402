"""``diqkd table cat`` and ``diqkd keyrate cat``: the heralded links of Xie et al. (Xie et al. 2021)."""

from __future__ import annotations

import argparse


def _add_link_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--scheme", choices=["ecs", "bell"], default="ecs",
                   help="entangled coherent states (ecs) or the two-photon Bell-state scheme")
    p.add_argument("--distance-km", type=float, required=True, help="Alice-Bob distance L (km); Charlie at L/2")
    p.add_argument("--detector-efficiency", type=float, default=0.8, help="detector efficiency eta_d in [0, 1] "
                                                                          "(default 0.8)")
    p.add_argument("--fiber-db-per-km", type=float, default=0.2, help="fibre loss in dB/km (default 0.2)")
    p.add_argument("--dark-count", type=float, default=1e-7, help="dark-count probability per detector per pulse, in "
                                                                  "[0, 1] (default 1e-7)")
    p.add_argument("--misalignment", type=float, default=0.0, help="misalignment error e_d = (1 - cos delta0)/2 in "
                                                                   "[0, 1/2] from a phase drift delta0 (ECS only; "
                                                                   "default 0)")
    p.add_argument("--backend", choices=["strawberryfields", "analytic"], default=None,
                   help="simulator (default: strawberryfields for table, analytic for keyrate)")
    p.add_argument("--cutoff", type=int, default=None, help="Fock cutoff (photons per mode + 1) for Strawberry "
                                                            "Fields, <= 40 (default: chosen for a 1e-6 truncation "
                                                            "error)")
    p.add_argument("--json", action="store_true", help="print one JSON object on stdout")


def register_table(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("cat", help="heralded table of an ECS or Bell-state link (Xie et al.)")
    p.add_argument("--mu", type=float, default=None, help="coherent-state intensity |alpha|^2 (ECS; default 0.1)")
    _add_link_arguments(p)
    p.set_defaults(handler=run_table)


def register_keyrate(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("cat", help="key rate per trial of an ECS or Bell-state link (Xie et al. Eq. 1)")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--mu", type=float, default=None, help="fixed mean photon number mu = |alpha|^2 of each coherent "
                                                          "component (ECS; default: optimised)")
    g.add_argument("--optimise-mu", action="store_true", help="maximise the rate over mu (ECS; the default)")
    _add_link_arguments(p)
    p.set_defaults(handler=run_keyrate)


def _setup(args: argparse.Namespace):
    from protocols.errors import ParameterError
    from qmodels.cat import LinkSetup

    if args.scheme == "bell" and (args.mu is not None or getattr(args, "optimise_mu", False)):
        raise ParameterError("--mu/--optimise-mu apply to the ECS scheme only; the Bell scheme has no mu")
    kwargs = dict(scheme=args.scheme, distance_km=args.distance_km, detector_efficiency=args.detector_efficiency,
                  fiber_db_per_km=args.fiber_db_per_km, dark_count=args.dark_count, misalignment=args.misalignment)
    if args.mu is not None:
        kwargs["mu"] = args.mu
    return LinkSetup(**kwargs)


def run_table(args: argparse.Namespace) -> dict:
    from qmodels.cat import cat_table

    table = cat_table(_setup(args), backend=args.backend or "strawberryfields", cutoff=args.cutoff)
    out = table.to_dict()
    out["_text"] = str(table)
    return out


def run_keyrate(args: argparse.Namespace) -> dict:
    from protocols.errors import ParameterError

    from ..studies.cat_rates import link_rate, optimise_mu

    setup = _setup(args)
    backend = args.backend or "analytic"
    if args.cutoff is not None and backend != "strawberryfields":
        raise ParameterError("--cutoff applies to --backend strawberryfields only")
    kwargs = {"cutoff": args.cutoff} if args.cutoff is not None else {}
    if setup.scheme == "ecs" and args.mu is None:
        return optimise_mu(setup, backend).as_dict()
    return link_rate(setup, backend, **kwargs).as_dict()
