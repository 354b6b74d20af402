"""``diqkd chsh``: CHSH score, winning probability and QBER of a table file."""

from __future__ import annotations

import argparse

from ._args import add_json, int_pair


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "chsh",
        help="CHSH score S, omega = 1/2 + S/8 and QBER of a table (intervals when it has counts)",
        description="S = sum of the four correlators E_xy = P(a=b|xy) - P(a!=b|xy) of the chosen "
        "inputs, with the minus sign on the pair --minus (actual input indices); Q = P(a != b) on the key "
        "pair. A table that declares its protocol roles (every platform's does) is scored on them; flags "
        "override.",
    )
    p.add_argument("table", help="table JSON file (diqkd-behaviour/1), or - for stdin")
    p.add_argument("--x", type=int_pair, default=None,
                   help="Alice's two CHSH inputs (default: the table's roles, else 0,1)")
    p.add_argument("--y", type=int_pair, default=None,
                   help="Bob's two CHSH inputs (default: the table's roles, else 0,1)")
    p.add_argument("--minus", type=int_pair, default=None,
                   help="the (x,y) correlator with the minus sign (default: the table's roles, else second x, "
                        "second y)")
    p.add_argument("--key", type=int_pair, default=None,
                   help="key input pair (x*,y*) for Q (default: the table's roles, else 0,0)")
    p.add_argument("--confidence", type=float, default=None,
                   help="interval confidence in (0, 1), for a table with counts (default 0.95)")
    p.add_argument("--method", choices=["wilson", "clopper-pearson", "hoeffding"], default=None,
                   help="interval method, for a table with counts (default wilson)")
    add_json(p)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> dict:
    import sys

    from protocols import (
        CorrelationTable,
        chsh_estimate,
        chsh_score,
        qber,
        qber_estimate,
        score_from_omega,
    )
    from protocols.errors import ParameterError
    from protocols.table import table_from_dict
    from protocols.validate import parse_json

    if args.table == "-":
        table = table_from_dict(parse_json(sys.stdin.buffer.read(), "table on standard input"))
    else:
        table = CorrelationTable.load(args.table)
    if table.counts is None and (args.confidence is not None or args.method is not None):
        raise ParameterError("--confidence and --method set the intervals of a table with counts; "
                             "this table has none")
    confidence = 0.95 if args.confidence is None else args.confidence
    method = args.method or "wilson"
    roles = table.roles
    xs = args.x or (roles.chsh_x if roles else (0, 1))
    ys = args.y or (roles.chsh_y if roles else (0, 1))
    minus = args.minus or (roles.chsh_minus if roles and args.x is None and args.y is None else None)
    key = args.key or (roles.key_pair if roles else (0, 0))
    S = chsh_score(table, xs, ys, minus)
    minus = minus or (xs[1], ys[1])
    out: dict = {"S": S, "omega": 0.5 + S / 8.0, "Q": qber(table, key),
                 "x": list(xs), "y": list(ys), "minus": list(minus), "key": list(key),
                 "roles_from": "table" if roles else "defaults",
                 "units": {"S": "CHSH score (correlator form, 2 = local bound)", "omega": "probability",
                           "Q": "probability"}}
    if table.counts is not None:
        om = chsh_estimate(table, xs, ys, minus, confidence, method)
        q = qber_estimate(table, key, confidence, method)
        out["omega_interval"] = [om.lower, om.upper]
        out["S_interval"] = [score_from_omega(om).lower, score_from_omega(om).upper]
        out["Q_interval"] = [q.lower, q.upper]
        out["confidence"] = confidence
        out["method"] = method
    return out
