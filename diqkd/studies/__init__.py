"""Reproduction studies run by ``diqkd reproduce``: each writes CSV/JSON/PNG into a folder
and returns a JSON-able summary of its headline numbers."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

#: what ``diqkd reproduce --fast`` coarsens, per study (stated in the report and the summary)
FAST = {
    "cat": "distance grid every 10 km (61 points) instead of every 3 km (201)",
    "comparison": "photonic at 20 and 220 m only, 9 ion and 12 cat distances (instead of 6, 22 and 28)",
    "photonic": "Table III at 20 m only (the 80 m and 220 m rows skipped; fewer nodes would lose the key: at 12 "
                "nodes every row certifies 0)",
}


def _analytic(out: Path, fast: bool = False) -> dict:
    from .analytic import run

    return run(out)


def _cat(out: Path, fast: bool = False) -> dict:
    from .cat_xie import DISTANCES, FAST_DISTANCES, run

    return run(out, FAST_DISTANCES if fast else DISTANCES)


def _ion(out: Path, fast: bool = False) -> dict:
    from .ion_nadlinger import run

    return run(out)


def _photonic(out: Path, fast: bool = False) -> dict:
    from .photonic_liu import headline

    return headline(out, lengths=(20.0,) if fast else (20.0, 80.0, 220.0))


def _comparison(out: Path, fast: bool = False) -> dict:
    from .comparison import run

    return run(out, fast=fast)


STUDIES: dict[str, Callable[..., dict]] = {"analytic": _analytic, "cat": _cat, "ion": _ion,
                                           "photonic": _photonic, "comparison": _comparison}
