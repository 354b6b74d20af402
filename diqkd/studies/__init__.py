"""Reproduction studies run by ``diqkd reproduce``: each writes CSV/JSON/PNG into a folder
and returns a JSON-able summary of its headline numbers."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path


def _analytic(out: Path) -> dict:
    from .analytic import run

    return run(out)


def _cat(out: Path) -> dict:
    from .cat_xie import run

    return run(out)


def _ion(out: Path) -> dict:
    from .ion_nadlinger import run

    return run(out)


def _photonic(out: Path) -> dict:
    from .photonic_liu import headline

    return headline(out)


STUDIES: dict[str, Callable[[Path], dict]] = {"analytic": _analytic, "cat": _cat, "ion": _ion,
                                              "photonic": _photonic}
