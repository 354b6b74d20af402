"""Optimising a platform's settings for the certified post-selected rate, through the dual.

The protocol layer does not know what the settings are: the caller gives ``table_of(v)``, the
correlation table its platform produces for a real parameter vector ``v`` (state angle,
measurement angles, ...). Each step solves the BFF SDPs once at the current ``v``, takes the
:class:`~protocols.postselection.RateMinorant` (the dual certificate is feasible for every table,
so it lower-bounds the certified rate everywhere and touches it at ``v``) and maximises that cheap
minorant over ``v`` (Nelder-Mead); the certified rate at the maximiser is then at least the
minorant's maximum, which is at least the rate at ``v`` (a minorise-maximise ascent; the
minorant is the dual of the BFF node SDPs, arXiv:2106.13692 Thm. 2.3, read as a function of the
data: our construction, see :class:`~protocols.postselection.RateMinorant`). Every rate reported
is a certified solve, never the minorant.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from .errors import ParameterError
from .postselection import PostselectedRate, postselection_engine, rate_minorant
from .progress import progress
from .table import CorrelationTable


@dataclass(frozen=True)
class SettingsOptimum:
    """The best certified rate found, its settings vector and the ascent's history (rates per step)."""

    rate: PostselectedRate
    settings: np.ndarray
    history: list[float] = field(default_factory=list)


def optimise_settings(table_of: Callable[[np.ndarray], CorrelationTable], start: Sequence[float], p: float,
                      noise: float, key: Sequence[int] = (0, 2), nodes: int = 8, engine=None,
                      steps: int = 3, tolerance: float = 1e-7, max_evaluations: int = 2000) -> SettingsOptimum:
    """Minorise-maximise the certified rate ``p_V [H(A^|E,V) - H(A^|B,V)]`` over ``v`` at fixed ``p, p_N``.

    Args:
        table_of: the platform's table for a settings vector (raise ``ParameterError`` if invalid).
        start: the first settings vector.
        steps: SDP solves after the first (each followed by a minorant maximisation).
        tolerance: stop when a step gains less than this (bits per round).

    Returns the best *certified* point seen (the start included).
    """
    from scipy.optimize import minimize

    v = np.array(start, dtype=float)
    if v.ndim != 1 or v.size == 0:
        raise ParameterError(f"start must be a non-empty vector of settings, got shape {v.shape}")
    table = table_of(v)
    engine = postselection_engine(table, key, nodes, warm_start=True) if engine is None else engine
    best_rate, minorant = rate_minorant(table, p, noise, key, nodes, engine)
    best = SettingsOptimum(best_rate, v.copy(), [best_rate.rate_per_round])

    def negative_minorant(u: np.ndarray) -> float:
        try:
            return -minorant.rate(table_of(u))
        except ParameterError:
            return np.inf

    for _ in progress(range(steps), "settings: dual-minorant ascent", unit="step"):
        found = minimize(negative_minorant, best.settings, method="Nelder-Mead",
                         options={"xatol": 1e-4, "fatol": 1e-10, "maxfev": max_evaluations})
        if not np.isfinite(found.fun) or -found.fun <= best.rate.rate_per_round + tolerance:
            break
        rate, new_minorant = rate_minorant(table_of(found.x), p, noise, key, nodes, engine)
        history = best.history + [rate.rate_per_round]
        if rate.rate_per_round <= best.rate.rate_per_round:
            best = SettingsOptimum(best.rate, best.settings, history)
            break
        gain = rate.rate_per_round - best.rate.rate_per_round
        best, minorant = SettingsOptimum(rate, np.array(found.x), history), new_minorant
        if gain < tolerance:
            break
    return best


__all__ = ["SettingsOptimum", "optimise_settings"]
