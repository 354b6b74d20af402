"""``diqkd chsh``: CHSH score, winning probability and QBER of a table file."""

from __future__ import annotations

import argparse

from ._args import add_json, int_pair


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "chsh",
        help="CHSH score S, omega = 1/2 + S/8 and QBER of a table (intervals when it has counts)",
        description="S = sum of the four correlators E_xy = P(a=b|xy) - P(a!=b|xy) of the chosen "
        "inputs, with the minus sign on the pair --minus (actual input indices).",
    )
    p.add_argument("table", help="table JSON file (diqkd-behaviour/1), or - for stdin")
    p.add_argument("--x", type=int_pair, default=(0, 1), help="Alice's two inputs (default 0,1)")
    p.add_argument("--y", type=int_pair, default=(0, 1), help="Bob's two inputs (default 0,1)")
    p.add_argument("--minus", type=int_pair, default=None,
                   help="the (x,y) correlator with the minus sign (default: second x, second y)")
    p.add_argument("--key", type=int_pair, default=(0, 0), help="key input pair for Q (default 0,0)")
    p.add_argument("--confidence", type=float, default=0.95, help="interval confidence (default 0.95)")
    p.add_argument("--method", choices=["wilson", "clopper-pearson", "hoeffding"], default="wilson",
                   help="interval method when the table has counts (default wilson)")
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

    if args.table == "-":
        table = CorrelationTable.from_json(sys.stdin.read())
    else:
        table = CorrelationTable.load(args.table)
    S = chsh_score(table, args.x, args.y, args.minus)
    out: dict = {"S": S, "omega": 0.5 + S / 8.0, "Q": qber(table, args.key),
                 "x": list(args.x), "y": list(args.y), "key": list(args.key)}
    if table.counts is not None:
        om = chsh_estimate(table, args.x, args.y, args.minus, args.confidence, args.method)
        q = qber_estimate(table, args.key, args.confidence, args.method)
        out["omega_interval"] = [om.lower, om.upper]
        out["S_interval"] = [score_from_omega(om).lower, score_from_omega(om).upper]
        out["Q_interval"] = [q.lower, q.upper]
        out["confidence"] = args.confidence
        out["method"] = args.method
    return out
