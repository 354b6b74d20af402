"""Parameter checks shared by the physical layers' setup records (ion, photonic)."""

from __future__ import annotations

from collections.abc import Iterable

from protocols.errors import ParameterError
from protocols.validate import real


def angle_tuple(name: str, angles: Iterable, n: int, unit: str) -> tuple[float, ...]:
    """``angles`` as a tuple of ``n`` finite floats, else :class:`ParameterError` naming ``unit``."""
    if isinstance(angles, (str, bytes)) or not isinstance(angles, Iterable):
        raise ParameterError(f"{name} must be {n} angles in {unit}, got {angles!r}")
    values = tuple(angles)
    if len(values) != n:
        raise ParameterError(f"{name} must be {n} angles in {unit}, got {len(values)}: {list(values)!r}")
    return tuple(real(f"{name}[{i}]", a, unit=unit) for i, a in enumerate(values))


def check_non_negative(name: str, value: float) -> float:
    """A finite real number >= 0 (Python or numpy scalar), else :class:`ParameterError`."""
    return real(name, value, 0.0)


def check_positive(name: str, value: float) -> float:
    """A finite real number > 0 (Python or numpy scalar), else :class:`ParameterError`."""
    return real(name, value, 0.0, low_open=True)
