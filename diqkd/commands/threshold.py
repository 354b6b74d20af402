"""``diqkd threshold PLATFORM``: the lowest efficiency with a positive key rate."""

from __future__ import annotations

import argparse

from . import photonic


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("threshold", help="lowest symmetric detection efficiency with a positive key rate")
    tsub = p.add_subparsers(dest="platform", required=True, metavar="PLATFORM")
    photonic.register_threshold(tsub)
