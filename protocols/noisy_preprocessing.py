"""Noisy preprocessing (Ho et al. 2020): entropy bound, error-correction cost, optimal flip."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize_scalar

from .binary_entropy import binary_entropy
from .errors import check_probability
from .pironio import check_chsh_score, pironio_entropy_bound
from .validate import integer


def _check_flip(p: float) -> float:
    return check_probability("flip probability p", p, 0.0, 0.5)


def noisy_preprocessing_entropy(S: float, p: float) -> float:
    """Lower bound on H(Â|E) (bits) when Alice flips her key bit with probability ``p``.

    ``H(Â|E) >= 1 - h((1 + sqrt((S/2)^2 - 1))/2) + h((1 + sqrt(1 - p(1-p)(8 - S^2)))/2)``
    for ``2 <= S <= 2 sqrt 2``. Source: Ho, Sekatski, Tan, Renner, Bancal, Sangouard,
    PRL 124, 230502 (2020) (arXiv 2005.13015), Eq. (5). For ``S <= 2`` the bound is ``h(p)``:
    the flip alone is independent of everything Eve holds (equal to the formula at ``S = 2``).

    Raises:
        ParameterError: ``S`` above Tsirelson's bound, ``p`` outside [0, 1/2].
    """
    s = check_chsh_score(S)
    q = _check_flip(p)
    if s <= 2.0:
        return float(binary_entropy(q))
    inner = max(0.0, 1.0 - q * (1.0 - q) * (8.0 - s * s))  # >= 0 analytically; guards rounding
    return pironio_entropy_bound(s) + float(binary_entropy((1.0 + math.sqrt(inner)) / 2.0))


def noisy_preprocessing_error_cost(Q: float, p: float) -> float:
    """One-way error-correction cost ``H(Â|B) = h(p + Q - 2pQ)`` (bits) after a flip with probability p.

    The flip turns a binary symmetric channel of error ``Q`` into one of error ``p(1-Q) + (1-p)Q``.
    Source: Ho et al., PRL 124, 230502 (2020), text after Eq. (5).

    Raises:
        ParameterError: ``Q`` outside [0, 1] or ``p`` outside [0, 1/2].
    """
    q = check_probability("QBER Q", Q)
    f = _check_flip(p)
    return float(binary_entropy(f + q - 2.0 * f * q))


@dataclass(frozen=True)
class NoiseOptimum:
    """The flip probability maximising ``H(Â|E) - H(Â|B)`` and the values there."""

    noise: float
    H_AE: float
    H_AB: float
    rate: float


def optimal_noise(S: float, Q: float, grid: int = 201) -> NoiseOptimum:
    """Maximise the Devetak-Winter rate ``H(Â|E) - h(p + Q - 2pQ)`` over ``p in [0, 1/2]``.

    A grid search over ``grid`` points followed by a bounded Brent refinement around the best
    grid point (the rate is smooth in p but need not be concave). ``rate`` is not clipped here;
    the key rate is ``max(0, rate)`` (see :func:`protocols.devetak_winter_rate`).
    """
    check_chsh_score(S)
    check_probability("QBER Q", Q)
    grid = integer("grid", grid, 2, 10**6, reason="points of the grid search")

    def rate(p: float) -> float:
        return noisy_preprocessing_entropy(S, p) - noisy_preprocessing_error_cost(Q, p)

    ps = np.linspace(0.0, 0.5, grid)
    vals = np.array([rate(p) for p in ps])
    i = int(np.argmax(vals))
    best_p, best = float(ps[i]), float(vals[i])
    lo, hi = ps[max(i - 1, 0)], ps[min(i + 1, grid - 1)]
    if hi > lo:
        res = minimize_scalar(lambda p: -rate(p), bounds=(lo, hi), method="bounded",
                              options={"xatol": 1e-10})
        if res.success and -res.fun > best:
            best_p, best = float(res.x), float(-res.fun)
    return NoiseOptimum(best_p, noisy_preprocessing_entropy(S, best_p),
                        noisy_preprocessing_error_cost(Q, best_p), best)
