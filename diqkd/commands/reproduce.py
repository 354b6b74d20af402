"""``diqkd reproduce``: regenerate the platforms' headline results into an output folder."""

from __future__ import annotations

import argparse

from ._args import add_json


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "reproduce",
        help="reproduce the seed papers' headline numbers and figures into a folder",
    )
    p.add_argument("--out", default="results", help="output folder (default ./results)")
    p.add_argument("--only", choices=["analytic", "cat", "ion", "photonic"], action="append",
                   help="run only these platforms (repeatable; default all available)")
    add_json(p)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> dict:
    from pathlib import Path

    from protocols.errors import ParameterError

    from ..studies import STUDIES

    out = Path(args.out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise ParameterError(f"cannot create the output folder --out {args.out!r}: {reason}") from exc
    chosen = args.only or list(STUDIES)
    summary = {}
    for name in chosen:
        summary[name] = STUDIES[name](out / name)
    return {"out": str(out), "studies": summary}
