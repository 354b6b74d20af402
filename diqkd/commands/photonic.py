"""``diqkd table photonic``, ``diqkd keyrate photonic`` and ``diqkd threshold photonic``: the SPDC
polarisation link of Liu et al. (Liu et al. 2022) with random post-selection and noisy preprocessing.
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
    p.add_argument("--settings", choices=("optimised", "paper"), default="optimised",
                   help="state angle and plate angles: 'optimised' (default; found by our dual-based optimiser "
                        "for Liu et al.'s link, examples/photonic_liu.py, with p, p_N recorded for 20, 80 and "
                        "220 m) or 'paper' (Liu et al. 2022's angles, which give no key in our model); "
                        "--theta-deg/--alice-angles/--bob-angles override either")
    p.add_argument("--postselect", type=float, default=None, help="random post-selection: keep a no-click key round "
                                                                  "with probability p in [0, 1] (default: recorded or "
                                                                  "optimised)")
    p.add_argument("--noise", type=float, default=None, help="noisy preprocessing: Alice flips each key bit with "
                                                             "probability p_N in [0, 1/2] (default: recorded or "
                                                             "optimised)")
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
    g.add_argument("--eta", type=float, default=None, help="symmetric system efficiency in [0, 1], source to "
                                                           "detector, for both parties")
    g.add_argument("--eta-a", type=float, default=None, help=f"Alice's system efficiency in [0, 1] (default "
                                                             f"{d.eta_a}, Liu et al.'s)")
    p.add_argument("--eta-b", type=float, default=None, help=f"Bob's system efficiency in [0, 1] (default {d.eta_b}, "
                                                             f"Liu et al.'s)")
    p.add_argument("--theta-deg", type=float, default=None,
                   help=f"state angle theta of cos(theta)|HV> + sin(theta)|VH>, degrees (default {d.theta_deg:g}, "
                        "Liu et al.'s)")
    p.add_argument("--alice-angles", type=degree_list(2), default=None,
                   help="plate angles a1,a2 in degrees (a negative first value needs '=': --alice-angles=-88.22,54.29)")
    p.add_argument("--bob-angles", type=degree_list(3), default=None,
                   help="plate angles b1,b2,b3 in degrees (e.g. --bob-angles=9.75,21.45,-1.07)")
    p.add_argument("--angle-convention", choices=ANGLE_CONVENTIONS, default=d.angle_convention,
                   help="how plate angles become analyser angles (default: analyser-mirrored)")
    p.add_argument("--fiber-m", type=float, default=d.fiber_m, help="Alice-Bob fibre length, m (default 20)")
    p.add_argument("--visibility", type=float, default=d.visibility,
                   help="source coherence (default 0.9758: Liu et al.'s two-photon fidelity 99.5%%)")
    p.add_argument("--dark-count", type=float, default=d.dark_count, help="dark-count probability per detector per "
                                                                          "pulse, in [0, 1] (default 1e-7)")
    p.add_argument("--pair-mean-number", type=float, default=None,
                   help=f"pairs per pulse (default {d.pair_mean_number}; SPDC source only)")
    p.add_argument("--source", choices=SOURCES, default=d.source, help="spdc (default) or one pair per pulse")
    p.add_argument("--backend", choices=["qutip", "gaussian"], default="qutip", help="simulator (default qutip)")
    p.add_argument("--cutoff", type=int, default=None, help="Fock cutoff (photons per mode + 1), <= 40 (default: "
                                                            "chosen for a 1e-6 truncation error)")
    add_json(p)


def _liu_link_with_recorded_settings(setup) -> bool:
    """Whether ``setup`` is Liu et al.'s link with the recorded optimised settings, at any fibre
    length: where the recorded ``p, p_N`` (``photonic_liu.OPTIMISED``) are near the optimum."""
    from dataclasses import replace

    from qmodels.photonic import PhotonicSetup

    from ..studies.photonic_liu import OPTIMISED

    liu = PhotonicSetup().with_settings(OPTIMISED["settings"])
    return replace(setup, fiber_m=liu.fiber_m) == liu


def _setup(args: argparse.Namespace, settings: str = "paper"):
    """The link of the flags; ``settings="optimised"`` starts from the recorded optimised angles."""
    from protocols.errors import ParameterError, check_probability
    from qmodels.photonic import PhotonicSetup

    kwargs = dict(angle_convention=args.angle_convention, fiber_m=args.fiber_m,
                  visibility=args.visibility, dark_count=args.dark_count, source=args.source)
    if settings == "optimised":
        from ..studies.photonic_liu import OPTIMISED

        v = OPTIMISED["settings"]
        kwargs.update(theta_deg=v[0], alice_angles_deg=tuple(v[1:3]), bob_angles_deg=tuple(v[3:6]))
    if args.theta_deg is not None:
        kwargs["theta_deg"] = args.theta_deg
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

    setup = _setup(args, args.settings)
    custom = any(v is not None for v in (args.theta_deg, args.alice_angles, args.bob_angles))
    used = f"{args.settings} (angles overridden by flags)" if custom else args.settings
    nodes = integer("--nodes", args.nodes, 2, MAX_NODES, reason="each node is one SDP solve")
    postselect, noise = args.postselect, args.noise
    recorded_p = None
    if args.settings == "optimised" and postselect is None and noise is None and not args.optimise and not custom:
        from ..studies.photonic_liu import OPTIMISED

        recorded_p = OPTIMISED["postselect_noise"].get(f"{setup.fiber_m:g}")
        if recorded_p is not None and args.search_nodes is None:  # the recorded optimum: one certified bound
            postselect, noise = recorded_p
    start = (0.9 if postselect is None else postselect, 0.1 if noise is None else noise)
    search = {}  # Nelder-Mead's simplex and solves (default: optimise_link's, from afar)
    if postselect is None and noise is None and _liu_link_with_recorded_settings(setup) and not custom:
        from ..studies.photonic_liu import NEAR_STEPS, RECORDED_EVALUATIONS, recorded_postselection

        start = recorded_postselection(setup.fiber_m)  # Liu et al.'s link: near the recorded optima
        search = {"max_evaluations": RECORDED_EVALUATIONS, "steps": NEAR_STEPS}
    fixed = postselect is not None and noise is not None and not args.optimise
    if fixed and args.search_nodes is not None:
        raise ParameterError("--search-nodes sets the nodes of an optimisation; with --postselect and --noise "
                             "fixed (no --optimise) nothing is searched")
    search_nodes = integer("--search-nodes", 16 if args.search_nodes is None else args.search_nodes, 2, MAX_NODES,
                           reason="each node is one SDP solve")
    if fixed:
        table = photonic_table(setup, backend=args.backend, cutoff=args.cutoff)
        res = postselected_key_rate(table, postselect, noise, nodes=nodes)
        search_rate = None
    else:
        found = optimise_link(setup, nodes=nodes, search_nodes=search_nodes, start=start,
                              settings=args.optimise, backend=args.backend, cutoff=args.cutoff, **search)
        res, setup, search_rate = found["rate"], found["setup"], found["search_rate"]
    rate = max(0.0, res.rate_per_round)
    return {"rate_per_round": rate, "bits_per_second": rate * setup.repetition_rate_hz, "H_AE": res.H_AE,
            "H_AB": res.H_AB, "p_V": res.p_V, "postselect": res.postselect, "noise": res.noise,
            "optimised": not fixed, "settings_optimised": bool(args.optimise),
            "settings": {**setup.settings_dict(), "angle_convention": setup.angle_convention},
            "raw_rate": res.rate_per_round, "certified_gap": res.details["certified_gap"], "nodes": nodes,
            "search_nodes": None if fixed else search_nodes, "search_rate": search_rate,
            "key_pair": [0, 2], "repetition_rate_hz": setup.repetition_rate_hz,
            "settings_used": used,
            "postselect_noise_from": ("flags" if args.postselect is not None or args.noise is not None
                                      else "recorded optimum" if fixed and recorded_p is not None else "optimised"),
            "search_start": None if fixed else list(start),
            "units": {"rate_per_round": "bits per pulse (round)", "bits_per_second": "bit/s",
                      "H_AE": "bits per round", "H_AB": "bits per round", "p_V": "probability",
                      "search_start": "[p, p_N] where the search began (probabilities)",
                      "repetition_rate_hz": "Hz", "settings": "degrees"}}


def register_threshold(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("photonic", help="lowest symmetric efficiency with a positive post-selected key rate")
    _add_link_arguments(p)
    p.add_argument("--postselect", type=float, default=None, help="fixed post-selection probability p in [0, 1] "
                                                                  "(default: optimised at each step, slow)")
    p.add_argument("--noise", type=float, default=None, help="fixed flip probability p_N in [0, 1/2] (default: "
                                                             "optimised at each step, slow)")
    p.add_argument("--nodes", type=int, default=8, help="Gauss-Radau nodes of each BFF bound, 2..48 (default 8)")
    p.add_argument("--tolerance", type=float, default=1e-3, help="bisection width on the efficiency, >= 1e-6 (default "
                                                                 "1e-3)")
    p.add_argument("--low", type=float, default=0.5, help="lowest efficiency searched, in [0, 1) (default 0.5)")
    p.set_defaults(handler=run_threshold)


def run_threshold(args: argparse.Namespace) -> dict:
    from ..studies.photonic_rates import threshold_efficiency

    out = threshold_efficiency(_setup(args), args.postselect, args.noise, args.nodes, args.tolerance, args.low)
    out.update(postselect=args.postselect, noise=args.noise, nodes=args.nodes)
    return out
