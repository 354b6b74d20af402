"""The benchmark registry: ``@benchmark(name, target)`` on a ``setup() -> fn`` function."""

from __future__ import annotations

from collections.abc import Callable

BENCHMARKS: dict[str, tuple[str, Callable[[], Callable[[], object]], int, bool]] = {}


def benchmark(name: str, target: str = "", repeat: int = 5, warmup: bool = True):
    """Register ``setup() -> fn``: setup (and one warm-up call, if ``warmup``) is not timed, ``fn()`` is."""

    def wrap(setup):
        BENCHMARKS[name] = (target, setup, repeat, warmup)
        return setup

    return wrap
