"""Finite-statistics estimates of omega, S and Q from counts, with confidence intervals.

Intervals (each two-sided at confidence ``1 - alpha``):

- ``clopper-pearson``: exact binomial interval (Clopper & Pearson, Biometrika 26, 404 (1934)),
  from beta quantiles.
- ``wilson``: Wilson score interval (Wilson, JASA 22, 209 (1927)).
- ``hoeffding``: ``estimate +/- t`` with ``P(|X̄ - E X̄| >= t) <= 2 exp(-2 t^2 / sum_i c_i^2)``
  for a weighted sum of independent [0, 1] variables (Hoeffding, JASA 58, 13 (1963), Thm 2).

The CHSH winning probability is estimated as ``omega = (1/4) sum_xy k_xy / n_xy`` (k wins among
n rounds of setting pair (x, y)), consistent with ``omega = 1/2 + S/8``. Its Clopper-Pearson and
Wilson intervals combine the four per-setting intervals at confidence ``1 - alpha/4`` each
(a union bound, hence conservative); its Hoeffding interval uses
``sum c_i^2 = (1/16) sum_xy 1/n_xy``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np
from scipy import stats

from .chsh import _require_binary, chsh_settings, chsh_signs
from .errors import ParameterError, check_probability
from .table import CorrelationTable, require_table
from .validate import MAX_COUNT, index_pair, integer

METHODS = ("wilson", "clopper-pearson", "hoeffding")


@dataclass(frozen=True)
class Estimate:
    """A point estimate with a two-sided confidence interval ``[lower, upper]``."""

    value: float
    lower: float
    upper: float
    confidence: float
    method: str

    def as_dict(self) -> dict:
        return asdict(self)


def _alpha(confidence: float) -> float:
    c = check_probability("confidence", confidence)
    if not 0 < c < 1:
        raise ParameterError(f"confidence must lie strictly between 0 and 1, got {confidence}")
    return 1.0 - c


def binomial_interval(k: int, n: int, confidence: float = 0.95, method: str = "wilson") -> tuple[float, float]:
    """Two-sided interval for a binomial proportion ``k/n`` (module docstring for the methods)."""
    alpha = _alpha(confidence)
    n = integer("n (trials)", n, 1, MAX_COUNT, reason="counts are exact below 2**53")
    k = integer("k (successes)", k, 0, n)
    p = k / n
    if method == "clopper-pearson":
        lo = 0.0 if k == 0 else float(stats.beta.ppf(alpha / 2, k, n - k + 1))
        hi = 1.0 if k == n else float(stats.beta.ppf(1 - alpha / 2, k + 1, n - k))
        return lo, hi
    if method == "wilson":
        z = float(stats.norm.ppf(1 - alpha / 2))
        denom = 1 + z * z / n
        centre = (p + z * z / (2 * n)) / denom
        half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
        return max(0.0, centre - half), min(1.0, centre + half)
    if method == "hoeffding":
        t = math.sqrt(math.log(2 / alpha) / (2 * n))
        return max(0.0, p - t), min(1.0, p + t)
    raise ParameterError(f"method must be one of {METHODS}, got {method!r}")


def _counts(table: CorrelationTable) -> np.ndarray:
    if require_table(table).counts is None:
        raise ParameterError("the table carries no counts; finite-statistics estimates need counts")
    return table.counts


def chsh_estimate(
    table: CorrelationTable,
    x: Sequence[int] = (0, 1),
    y: Sequence[int] = (0, 1),
    minus: Sequence[int] | None = None,
    confidence: float = 0.95,
    method: str = "wilson",
) -> Estimate:
    """Estimate the CHSH winning probability omega with a confidence interval from counts."""
    _require_binary(table)
    alpha = _alpha(confidence)
    N = _counts(table)
    xs, ys, m = chsh_settings(table, x, y, minus)
    wins, rounds = [], []
    for (i, j), s in chsh_signs(xs, ys, m).items():
        n = int(N[i, j].sum())
        if n == 0:
            raise ParameterError(f"setting pair (x={i}, y={j}) has no rounds")
        agree = int(N[i, j, 0, 0] + N[i, j, 1, 1])
        wins.append(agree if s > 0 else n - agree)
        rounds.append(n)
    value = float(np.mean([k / n for k, n in zip(wins, rounds, strict=True)]))
    if method == "hoeffding":
        t = math.sqrt(math.log(2 / alpha) * sum(1 / n for n in rounds) / 16 / 2)
        lo, hi = max(0.0, value - t), min(1.0, value + t)
    else:
        per = [binomial_interval(k, n, 1 - alpha / 4, method) for k, n in zip(wins, rounds, strict=True)]
        lo, hi = float(np.mean([p[0] for p in per])), float(np.mean([p[1] for p in per]))
    return Estimate(value, lo, hi, 1 - alpha, method)


def score_from_omega(est: Estimate) -> Estimate:
    """Map an omega estimate to the CHSH score ``S = 8 (omega - 1/2)``."""
    if not isinstance(est, Estimate):
        raise ParameterError(f"score_from_omega needs an Estimate (from chsh_estimate), got {type(est).__name__}")
    f = lambda w: 8.0 * (w - 0.5)  # noqa: E731
    return Estimate(f(est.value), f(est.lower), f(est.upper), est.confidence, est.method)


def qber_estimate(
    table: CorrelationTable,
    key: Sequence[int] = (0, 0),
    confidence: float = 0.95,
    method: str = "wilson",
) -> Estimate:
    """Estimate the QBER ``Q = P(a != b | key)`` with a binomial confidence interval from counts."""
    N = _counts(table)
    if len(key) != 2:
        raise ParameterError(f"key must be an (x, y) pair, got {list(key)}")
    c = N[table_index(table, key)]
    n = int(c.sum())
    if n == 0:
        raise ParameterError(f"key pair {tuple(key)} has no rounds")
    k = n - int(sum(c[i, i] for i in range(min(c.shape))))
    lo, hi = binomial_interval(k, n, confidence, method)
    return Estimate(k / n, lo, hi, confidence, method)


def table_index(table: CorrelationTable, key: Sequence[int]) -> tuple[int, int]:
    """Check an (x, y) input pair against the table and return it as ints."""
    return index_pair("key", key, require_table(table).shape[:2])
