"""Progress bars on stderr for long computations (tqdm), with one switch for the whole package.

A bar appears only when it is wanted: never after :func:`set_quiet` (the CLI's ``--quiet``),
never with the environment variable ``DIQKD_PROGRESS=0``; on a terminal (stderr is a tty) for work
that lasts more than :data:`DELAY` seconds; and with ``DIQKD_PROGRESS=1`` (e.g. into a log file)
for every piece of work, however short. Without tqdm installed there are no bars. Progress never touches stdout, so
``--json`` output stays one JSON object.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable

#: seconds before a bar is drawn: shorter work stays silent
DELAY = 2.0

_quiet = False


def set_quiet(quiet: bool) -> None:
    """Switch every progress bar of the package off (``True``) or back to the default (``False``)."""
    global _quiet
    _quiet = bool(quiet)


def _forced() -> bool | None:
    env = os.environ.get("DIQKD_PROGRESS", "").strip().lower()
    if env in ("1", "always", "yes", "true"):
        return True
    if env in ("0", "never", "no", "false"):
        return False
    return None


def enabled() -> bool:
    """Whether bars are drawn now (module docstring)."""
    if _quiet:
        return False
    forced = _forced()
    return forced if forced is not None else bool(getattr(sys.stderr, "isatty", lambda: False)())


def progress(iterable: Iterable, desc: str, total: int | None = None, unit: str = "it") -> Iterable:
    """``iterable`` wrapped in a tqdm bar on stderr saying ``desc`` (e.g. "BFF bound: SDP nodes"), or
    ``iterable`` itself when bars are off."""
    if not enabled():
        return iterable
    try:
        from tqdm import tqdm
    except ImportError:  # pragma: no cover - tqdm is in the plot/all extras
        return iterable
    return tqdm(iterable, desc=desc, total=total, unit=unit, leave=False, file=sys.stderr,
                delay=0.0 if _forced() else DELAY, dynamic_ncols=True)


class _NoBar:
    def update(self, n: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


def bar(desc: str, total: int, unit: str = "it"):
    """A bar to ``update()`` by hand (work finishing out of order, e.g. parallel sweep points), or a
    stand-in that does nothing when bars are off; ``close()`` it when done."""
    if not enabled():
        return _NoBar()
    try:
        from tqdm import tqdm
    except ImportError:  # pragma: no cover
        return _NoBar()
    return tqdm(desc=desc, total=total, unit=unit, leave=False, file=sys.stderr,
                delay=0.0 if _forced() else DELAY, dynamic_ncols=True)
