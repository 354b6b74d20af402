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
    g.add_argument("--chsh", type=float, metavar="S", help="constrain by the CHSH score S alone (correlator form, 2 < "
                                                           "S <= 2 sqrt 2; 2 inputs, 2 outcomes)")
    g.add_argument("--table", metavar="TABLE.json", help="constrain by every P(a,b|x,y) of a table")
    p.add_argument("--key-input", type=int, default=None,
                   help="Alice's key input x* (with --table; default: the key pair the table declares)")
    p.add_argument("--noise", type=float, default=0.0, help="noisy preprocessing: probability p in [0, 1/2] that "
                                                            "Alice flips her key bit (default 0)")
    p.add_argument("--nodes", type=_nodes, default=8, metavar="M|auto",
                   help="Gauss-Radau nodes m of the BFF quadrature, 2..48 (default 8; each is one SDP; more is "
                        "tighter), or auto: raise m (4, 6, 8, 12, 16, 24, 32) until two successive bounds differ by "
                        "less than --tolerance, and report the best with the sequence")
    p.add_argument("--tolerance", type=float, default=None, metavar="BITS",
                   help="with --nodes auto: stop when two successive bounds differ by less than this, in bit "
                        "(default 1e-4; at least 1e-6)")
    p.add_argument("--max-nodes", type=int, default=None, metavar="M",
                   help="with --nodes auto: the largest m tried (default 32, at most 48)")
    p.add_argument("--solver", choices=["ipm", "clarabel", "scs"], default="ipm",
                   help="SDP solver: ipm (our Schur-complement interior point, default), clarabel, scs")
    p.add_argument("--last-node", choices=["bound", "square"], default="bound",
                   help="the t = 1 node: bounded by 0 (bound, default) or by 2p(1-p) (square)")
    p.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    p.set_defaults(handler=run)


def _nodes(text: str) -> int | str:
    """``--nodes``: an integer or ``auto``."""
    if text.strip().lower() == "auto":
        return "auto"
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer 2..48 or 'auto', got {text!r}") from None


def run(args: argparse.Namespace) -> dict:
    import sys

    from protocols import CorrelationTable
    from protocols.bff import bff_entropy_chsh, bff_entropy_table
    from protocols.errors import ParameterError

    common = dict(noise=args.noise, nodes=args.nodes, last_node=args.last_node, solver=args.solver)
    if args.nodes == "auto":
        common.update(tolerance=args.tolerance, **({} if args.max_nodes is None else {"max_nodes": args.max_nodes}),
                      progress_line=lambda line: print(line, file=sys.stderr, flush=True))
    elif args.tolerance is not None or args.max_nodes is not None:
        raise ParameterError("--tolerance and --max-nodes go with --nodes auto")
    if args.chsh is not None:
        if args.key_input is not None:
            raise ParameterError("--key-input goes with --table (the CHSH-only bound is for input 0)")
        result = bff_entropy_chsh(args.chsh, **common)
        out = {"S": args.chsh}
    else:
        table = CorrelationTable.load(args.table)
        key_input = args.key_input
        if key_input is None:
            if table.roles is None:
                raise ParameterError("--table needs --key-input X (Alice's key input): the table declares no roles")
            key_input = table.roles.key_pair[0]
        result = bff_entropy_table(table, key_input=key_input, **common)
        out = {"table": args.table, "key_input": key_input,
               "key_input_from": "flag" if args.key_input is not None else "table roles"}
    out.update(result.as_dict())
    return out
