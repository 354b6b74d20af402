"""``diqkd table photonic``, ``diqkd keyrate photonic`` and ``diqkd threshold photonic``: the SPDC
polarisation link of Liu et al. (seed 000) with random post-selection and noisy preprocessing.
"""

from __future__ import annotations

import argparse

from ._args import add_json, degree_list


def register_table(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("photonic", help="SPDC polarisation-pair table (Liu et al.; outcome 0 = click)")
    _add_link_arguments(p)
    p.set_defaults(handler=run_table)


def register_keyrate(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("photonic", help="post-selected key rate: p_V [H(A^|E,V) - H(A^|B,V)], full-table BFF")
    _add_link_arguments(p)
    p.add_argument("--postselect", type=float, default=None, help="keep a no-click with probability P")
    p.add_argument("--noise", type=float, default=None, help="Alice's flip probability p_N")
    p.add_argument("--optimise", action="store_true",
                   help="optimise p, p_N and the settings (state angle, plate angles) through the dual, "
                        "from the given values (slow: ~5 min); without --postselect/--noise only p, p_N "
                        "are optimised")
    p.add_argument("--nodes", type=int, default=24,
                   help="Gauss-Radau nodes of the reported bound (default 24; more is tighter and slower)")
    p.add_argument("--search-nodes", type=int, default=None,
                   help="nodes used while optimising (default 16; only with an optimisation)")
    p.set_defaults(handler=run_keyrate)


def _add_link_arguments(p: argparse.ArgumentParser) -> None:
    from qmodels.photonic import ANGLE_CONVENTIONS, SOURCES, PhotonicSetup

    d = PhotonicSetup()
    g = p.add_mutually_exclusive_group()
    g.add_argument("--eta", type=float, default=None, help="symmetric system efficiency (both parties)")
    g.add_argument("--eta-a", type=float, default=None, help=f"Alice's efficiency (default {d.eta_a})")
    p.add_argument("--eta-b", type=float, default=None, help=f"Bob's efficiency (default {d.eta_b})")
    p.add_argument("--theta-deg", type=float, default=d.theta_deg, help="state angle (default 20)")
    p.add_argument("--alice-angles", type=degree_list(2), default=None,
                   help="plate angles a1,a2 in degrees (a negative first value needs '=': --alice-angles=-88.22,54.29)")
    p.add_argument("--bob-angles", type=degree_list(3), default=None,
                   help="plate angles b1,b2,b3 in degrees (e.g. --bob-angles=9.75,21.45,-1.07)")
    p.add_argument("--angle-convention", choices=ANGLE_CONVENTIONS, default=d.angle_convention,
                   help="how plate angles become analyser angles (default: analyser-mirrored)")
    p.add_argument("--fiber-m", type=float, default=d.fiber_m, help="Alice-Bob fibre length, m (default 20)")
    p.add_argument("--visibility", type=float, default=d.visibility,
                   help="source coherence (default 0.9758: the seed's fidelity 99.5%%)")
    p.add_argument("--dark-count", type=float, default=d.dark_count, help="per detector per pulse (1e-7)")
    p.add_argument("--pair-mean-number", type=float, default=None,
                   help=f"pairs per pulse (default {d.pair_mean_number}; SPDC source only)")
    p.add_argument("--source", choices=SOURCES, default=d.source, help="spdc (default) or one pair per pulse")
    p.add_argument("--backend", choices=["qutip", "gaussian"], default="qutip", help="simulator (default qutip)")
    p.add_argument("--cutoff", type=int, default=None, help="photons per mode kept (default: from the tolerance)")
    add_json(p)


def _setup(args: argparse.Namespace):
    from protocols.errors import ParameterError, check_probability
    from qmodels.photonic import PhotonicSetup

    kwargs = dict(theta_deg=args.theta_deg, angle_convention=args.angle_convention, fiber_m=args.fiber_m,
                  visibility=args.visibility, dark_count=args.dark_count, source=args.source)
    if args.pair_mean_number is not None:
        if args.source == "pair":
            raise ParameterError("--pair-mean-number sets the SPDC source; --source pair emits exactly one pair")
        kwargs["pair_mean_number"] = args.pair_mean_number
    if args.eta is not None:
        if args.eta_b is not None:
            raise ParameterError("--eta sets both efficiencies; do not combine it with --eta-b")
        eta = check_probability("--eta", args.eta)
        kwargs.update(eta_a=eta, eta_b=eta)
    else:
        for name in ("eta_a", "eta_b"):
            if getattr(args, name) is not None:
                kwargs[name] = getattr(args, name)
    if args.alice_angles is not None:
        kwargs["alice_angles_deg"] = args.alice_angles
    if args.bob_angles is not None:
        kwargs["bob_angles_deg"] = args.bob_angles
    return PhotonicSetup(**kwargs)


def _table(args: argparse.Namespace):
    from qmodels.photonic import photonic_table

    return photonic_table(_setup(args), backend=args.backend, cutoff=args.cutoff)


def run_table(args: argparse.Namespace) -> dict:
    table = _table(args)
    out = table.to_dict()
    out["_text"] = str(table) + f"\nCHSH winning probability: {table.meta['chsh_winning_probability']}"
    return out


def run_keyrate(args: argparse.Namespace) -> dict:
    from protocols.bff.quadrature import MAX_NODES
    from protocols.errors import ParameterError
    from protocols.postselection import postselected_key_rate
    from protocols.validate import integer
    from qmodels.photonic import photonic_table

    from ..studies.photonic_rates import optimise_link

    setup = _setup(args)
    nodes = integer("--nodes", args.nodes, 2, MAX_NODES, reason="each node is one SDP solve")
    start = (0.9 if args.postselect is None else args.postselect, 0.1 if args.noise is None else args.noise)
    fixed = args.postselect is not None and args.noise is not None and not args.optimise
    if fixed and args.search_nodes is not None:
        raise ParameterError("--search-nodes sets the nodes of an optimisation; with --postselect and --noise "
                             "fixed (no --optimise) nothing is searched")
    search_nodes = integer("--search-nodes", 16 if args.search_nodes is None else args.search_nodes, 2, MAX_NODES,
                           reason="each node is one SDP solve")
    if fixed:
        table = photonic_table(setup, backend=args.backend, cutoff=args.cutoff)
        res = postselected_key_rate(table, args.postselect, args.noise, nodes=nodes)
        search_rate = None
    else:
        found = optimise_link(setup, nodes=nodes, search_nodes=search_nodes, start=start,
                              settings=args.optimise, backend=args.backend, cutoff=args.cutoff)
        res, setup, search_rate = found["rate"], found["setup"], found["search_rate"]
    rate = max(0.0, res.rate_per_round)
    return {"rate_per_round": rate, "bits_per_second": rate * setup.repetition_rate_hz, "H_AE": res.H_AE,
            "H_AB": res.H_AB, "p_V": res.p_V, "postselect": res.postselect, "noise": res.noise,
            "optimised": not fixed, "settings_optimised": bool(args.optimise),
            "settings": {**setup.settings_dict(), "angle_convention": setup.angle_convention},
            "raw_rate": res.rate_per_round, "certified_gap": res.details["certified_gap"], "nodes": nodes,
            "search_nodes": None if fixed else search_nodes, "search_rate": search_rate,
            "key_pair": [0, 2], "repetition_rate_hz": setup.repetition_rate_hz}


def register_threshold(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("photonic", help="lowest symmetric efficiency with a positive post-selected key rate")
    _add_link_arguments(p)
    p.add_argument("--postselect", type=float, default=None, help="fixed p (default: optimised at each step, slow)")
    p.add_argument("--noise", type=float, default=None, help="fixed p_N (default: optimised at each step, slow)")
    p.add_argument("--nodes", type=int, default=8, help="Gauss-Radau nodes (default 8)")
    p.add_argument("--tolerance", type=float, default=1e-3, help="bisection width on eta (default 1e-3)")
    p.add_argument("--low", type=float, default=0.5, help="lower end of the search (default 0.5)")
    p.set_defaults(handler=run_threshold)


def run_threshold(args: argparse.Namespace) -> dict:
    from ..studies.photonic_rates import threshold_efficiency

    out = threshold_efficiency(_setup(args), args.postselect, args.noise, args.nodes, args.tolerance, args.low)
    out.update(postselect=args.postselect, noise=args.noise, nodes=args.nodes)
    return out
