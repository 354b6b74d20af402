"""``diqkd finite-key``: finite-size key length of the Nadlinger et al. protocol (entropy accumulation)."""

from __future__ import annotations

import argparse

from ._args import add_json


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "finite-key",
        help="finite-size key length and rate of the CHSH-tested protocol (Dupuis-Fawzi EAT)",
        description="Key length l(n) of Nadlinger et al.'s protocol; terms of the bound in the JSON. "
        "A negative bound gives key_length 0, not an error.",
    )
    p.add_argument("--n", type=float, required=True, help="number of heralded rounds n (1 .. 1e15; the paper: 1.5e6)")
    p.add_argument("--gamma", type=float, required=True, help="test-round probability gamma in (0, 1) (the paper: "
                                                              "13/256)")
    p.add_argument("--S", type=float, default=None,
                   help="design CHSH score, correlator form (2 < S <= 2 sqrt 2; or take it from --table)")
    p.add_argument("--Q", type=float, default=None,
                   help="design QBER of the key rounds, a probability in [0, 1] (or take it from --table)")
    p.add_argument("--table", metavar="FILE.json", default=None,
                   help="take S and Q from a table file, on the CHSH inputs and key pair it declares (its "
                        "roles; defaults 0,1 / 0,1 / minus 1,1 / key 0,0 for a table without roles)")
    p.add_argument("--eps-sound", type=float, required=True, help="soundness error eps_snd in (0, 1) (the paper: "
                                                                  "1e-10)")
    p.add_argument("--leak-ec", type=float, default=None,
                   help="error-correction syndrome length in bits (default: the paper's code efficiency "
                        "1.26 x the Shannon leakage; for --curve, scaled with n)")
    p.add_argument("--curve", action="store_true",
                   help="also return the rate at 50 values of n from n/20 to 100 n (Nadlinger et al. 2022, Fig. 4)")
    add_json(p)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> dict:
    import numpy as np

    from protocols.errors import ParameterError
    from protocols.finite_key import finite_key_curve, finite_key_length

    S, Q, source = args.S, args.Q, "flags"
    if args.table is not None:
        if S is not None or Q is not None:
            raise ParameterError("--table gives S and Q; do not combine it with --S or --Q")
        from protocols.chsh import chsh_score, qber
        from protocols.roles import Roles
        from protocols.table import CorrelationTable

        table = CorrelationTable.load(args.table)
        roles = table.roles or Roles()
        S = chsh_score(table, roles.chsh_x, roles.chsh_y, roles.chsh_minus)
        Q = qber(table, roles.key_pair)
        source = f"{args.table} ({'its roles' if table.roles else 'default roles'})"
    elif S is None or Q is None:
        raise ParameterError("finite-key needs --S and --Q, or --table FILE.json")
    args.S, args.Q = S, Q
    res = finite_key_length(args.n, args.gamma, S, Q, args.eps_sound, leak_ec=args.leak_ec)
    out = {
        "rate": res.rate,
        "key_length": res.key_length,
        "omega_thr": res.omega_thr,
        "omega_design": res.omega_design,
        "asymptotic_rate": res.asymptotic_rate,
        "n": res.n,
        "S": S,
        "Q": Q,
        "S_Q_from": source,
        "terms": res.terms,
        "choices": {k: v for k, v in res.choices.items() if k != "x"},
        "epsilons": res.epsilons,
        "theorem": "Dupuis-Fawzi EAT (arXiv:1805.11652) + VDTR chain rule + leftover hash lemma; "
                   "see protocols/finite_key.py",
    }
    if args.curve:
        ns = np.unique(np.geomspace(max(res.n / 20, 1), res.n * 100, 50).astype(int))
        leak_per_round = None if args.leak_ec is None else args.leak_ec / res.n
        curve = finite_key_curve(ns, args.gamma, args.S, args.Q, args.eps_sound, leak_per_round, progress=True)
        out["curve"] = [{"n": r.n, "rate": r.rate, "key_length": r.key_length, "omega_thr": r.omega_thr}
                        for r in curve]
    return out
