"""Parameter checks shared by the physical layers' setup records (ion, photonic)."""

from __future__ import annotations

import math
from collections.abc import Iterable

from protocols.errors import ParameterError


def angle_tuple(name: str, angles: Iterable, n: int, unit: str) -> tuple[float, ...]:
    """``angles`` as a tuple of ``n`` finite floats, else :class:`ParameterError` naming ``unit``."""
    try:
        values = tuple(float(a) for a in angles)
    except (TypeError, ValueError) as exc:
        raise ParameterError(f"{name} must be {n} angles in {unit}, got {angles!r}") from exc
    if len(values) != n or not all(math.isfinite(a) for a in values):
        raise ParameterError(f"{name} must be {n} finite angles in {unit}, got {list(values)}")
    return values


def check_non_negative(name: str, value: float) -> None:
    """A finite real number >= 0, else :class:`ParameterError`."""
    if not (isinstance(value, (int, float)) and math.isfinite(value) and value >= 0):
        raise ParameterError(f"{name} must be a finite number >= 0, got {value!r}")
