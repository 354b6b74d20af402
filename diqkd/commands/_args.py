"""Shared argument types for the CLI."""

from __future__ import annotations

import argparse


def int_pair(text: str) -> tuple[int, int]:
    """Parse ``"0,1"`` into ``(0, 1)``; anything else is a usage error naming the value."""
    parts = text.split(",")
    try:
        values = tuple(int(p) for p in parts)
    except ValueError:
        values = ()
    if len(values) != 2:
        raise argparse.ArgumentTypeError(f"expected two integers like 0,1, got {text!r}")
    return values  # type: ignore[return-value]


def degree_list(n: int):
    """argparse type: ``"a,b,c"`` into ``n`` floats (angles in degrees); anything else is a usage error."""

    def parse(text: str) -> tuple[float, ...]:
        try:
            values = tuple(float(v) for v in text.split(","))
        except ValueError:
            values = ()
        if len(values) != n:
            raise argparse.ArgumentTypeError(f"expected {n} comma-separated angles in degrees, got {text!r}")
        return values

    return parse


def add_json(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print one JSON object on stdout")
