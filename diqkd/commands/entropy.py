"""``diqkd entropy``: certified Brown-Fawzi-Fawzi lower bound on H(A|E)."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "entropy",
        help="certified BFF lower bound on H(A_x*|E) from a CHSH score or a whole table",
        description="Brown-Fawzi-Fawzi bound (arXiv:2106.13692) with NPA relaxations; the value is "
        "certified by an exactly feasible dual point, never the solver's primal value.",
    )
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--chsh", type=float, metavar="S", help="constrain by the CHSH score S alone (2x2)")
    g.add_argument("--table", metavar="TABLE.json", help="constrain by every P(a,b|x,y) of a table")
    p.add_argument("--key-input", type=int, default=None, help="Alice's key input x* (with --table)")
    p.add_argument("--noise", type=float, default=0.0, help="noisy-preprocessing flip probability p")
    p.add_argument("--nodes", type=int, default=8, help="Gauss-Radau nodes m (default 8)")
    p.add_argument("--solver", choices=["ipm", "clarabel", "scs"], default="ipm",
                   help="SDP solver: ipm (our Schur-complement interior point, default), clarabel, scs")
    p.add_argument("--last-node", choices=["bound", "square"], default="bound",
                   help="t=1 node: 0 (bound) or 2p(1-p) (square)")
    p.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> dict:
    from protocols import CorrelationTable
    from protocols.bff import bff_entropy_chsh, bff_entropy_table
    from protocols.errors import ParameterError

    common = dict(noise=args.noise, nodes=args.nodes, last_node=args.last_node, solver=args.solver)
    if args.chsh is not None:
        if args.key_input is not None:
            raise ParameterError("--key-input goes with --table (the CHSH-only bound is for input 0)")
        result = bff_entropy_chsh(args.chsh, **common)
        out = {"S": args.chsh}
    else:
        if args.key_input is None:
            raise ParameterError("--table needs --key-input X (Alice's key input)")
        result = bff_entropy_table(CorrelationTable.load(args.table), key_input=args.key_input, **common)
        out = {"table": args.table, "key_input": args.key_input}
    out.update(result.as_dict())
    return out
