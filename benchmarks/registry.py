"""The benchmark registry: ``@benchmark(name, target)`` on a ``setup() -> fn`` function."""

from __future__ import annotations

from collections.abc import Callable

BENCHMARKS: dict[str, tuple[str, Callable[[], Callable[[], object]], int]] = {}


def benchmark(name: str, target: str = "", repeat: int = 5):
    """Register ``setup() -> fn``: setup (and one warm-up call) is not timed, ``fn()`` is."""

    def wrap(setup):
        BENCHMARKS[name] = (target, setup, repeat)
        return setup

    return wrap
