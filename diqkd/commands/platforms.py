"""``diqkd table PLATFORM`` and ``diqkd keyrate PLATFORM``: one sub-command per physical layer."""

from __future__ import annotations

import argparse

from . import cat, ion, photonic

PLATFORMS = [cat, ion, photonic]


def register(sub: argparse._SubParsersAction) -> None:
    table = sub.add_parser("table", help="correlation table of a platform model (diqkd-behaviour/1 JSON)")
    tsub = table.add_subparsers(dest="platform", required=True, metavar="PLATFORM")
    keyrate = sub.add_parser("keyrate", help="key rate of a platform model")
    ksub = keyrate.add_subparsers(dest="platform", required=True, metavar="PLATFORM")
    for module in PLATFORMS:
        module.register_table(tsub)
        if hasattr(module, "register_keyrate"):  # photonic: table only, for now
            module.register_keyrate(ksub)
