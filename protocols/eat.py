"""Entropy accumulation with an affine CHSH min-tradeoff function (Dupuis-Fawzi second order).

Rounds are tested with probability ``gamma``; a tested round records ``C = win/lose`` of the CHSH
game, an untested (key) round records ``C = ⊥``. The per-round entropy is bounded through the
winning probability ``omega`` by Pironio's bound, ``r(omega) = 1 - h(1/2 + 1/2 sqrt((S/2)^2 - 1))``
with ``S = 8 omega - 4`` (Pironio et al., NJP 11, 045021 (2009), Eq. 12). ``r`` is convex, so every
tangent ``g(omega) = r(w0) + r'(w0) (omega - w0)`` is a lower bound on it; the min-tradeoff
function ``f`` is the affine function on distributions ``q`` of ``C`` with ``f(q) = g(omega)``
whenever ``q = ((1 - gamma), gamma (1 - omega), gamma omega)``. Its value on ``⊥`` is free
(``f_key``): it does not change ``f`` on achievable distributions but sets ``Max f`` and
``Var f`` (Arnon-Friedman et al., Nat. Commun. 9, 459 (2018), Eq. 4 uses ``f_key = g(1)``).

The bound (:func:`dupuis_fawzi_bound`) is the entropy accumulation theorem with improved second
order of Dupuis & Fawzi, IEEE Trans. Inf. Theory 65, 7596 (2019), arXiv:1805.11652, in the
per-round form restated by Brown, Ragy & Colbeck, IEEE Trans. Inf. Theory 66, 2964 (2020),
arXiv:1810.13346 (the EAT version of Liu et al., Nat. Phys. 17, 448 (2021), which the trapped-ion
paper cites): for ``alpha`` in (1, 2), smoothing ``eps`` and ``Pr[Omega] >= eps_abort``::

    H_min^eps(O^n | S^n E)_{rho|Omega} >= n h - n (alpha-1) (ln 2 / 2) V^2
                                         - (g(eps) + alpha log(1/eps_abort)) / (alpha-1)
                                         - n (alpha-1)^2 K_alpha
    V       = log(2 d_O^2 + 1) + sqrt(2 + Var(f))
    K_alpha = 2^((alpha-1)(log d_O + Max f - Min_Sigma f)) ln^3(2^(log d_O + Max f - Min_Sigma f) + e^2)
              / (6 (2 - alpha)^3 ln 2)
    g(eps)  = -log(1 - sqrt(1 - eps^2))

with ``h`` the minimum of ``f`` over the frequencies the protocol accepts, ``d_O`` the dimension of
the register whose entropy accumulates, logarithms base 2.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from .errors import ParameterError, check_probability

#: Smallest and largest quantum CHSH winning probabilities, (2 -+ sqrt 2)/4.
OMEGA_MIN = (2.0 - math.sqrt(2.0)) / 4.0
OMEGA_MAX = (2.0 + math.sqrt(2.0)) / 4.0
#: Winning probability of the best local strategy (S = 2).
OMEGA_LOCAL = 0.75


def chsh_entropy_rate(omega: float) -> float:
    """Pironio's bound on H(A|E) (bits) as a function of the CHSH winning probability.

    ``r(omega) = 1 - h(1/2 + 1/2 sqrt((S/2)^2 - 1))``, ``S = 8 omega - 4`` (Pironio et al. 2009,
    Eq. 12); 0 for ``omega <= 3/4``.
    """
    if not OMEGA_MIN - 1e-12 <= omega <= OMEGA_MAX + 1e-12:
        raise ParameterError(f"CHSH winning probability must lie in [{OMEGA_MIN:.6f}, {OMEGA_MAX:.6f}], got {omega}")
    S = min(8.0 * omega - 4.0, 2.0 * math.sqrt(2.0))
    if S <= 2.0:
        return 0.0
    x = 0.5 + 0.5 * math.sqrt(max((S / 2.0) ** 2 - 1.0, 0.0))
    return 1.0 - (0.0 if x >= 1.0 else -x * math.log2(x) - (1.0 - x) * math.log2(1.0 - x))


def chsh_entropy_rate_slope(omega: float) -> float:
    """``d r / d omega`` of :func:`chsh_entropy_rate` for ``3/4 < omega < OMEGA_MAX`` (closed form).

    With ``x = 1/2 + 1/2 sqrt(S^2/4 - 1)``: ``dr/dS = log2(x / (1 - x)) * S / (8 sqrt(S^2/4 - 1))``
    and ``dS/domega = 8``.
    """
    if not OMEGA_LOCAL < omega < OMEGA_MAX:
        raise ParameterError(f"the slope is defined for 3/4 < omega < {OMEGA_MAX:.6f}, got {omega}")
    S = 8.0 * omega - 4.0
    root = math.sqrt(S * S / 4.0 - 1.0)
    x = 0.5 + 0.5 * root
    return 8.0 * math.log2(x / (1.0 - x)) * S / (8.0 * root)


@dataclass(frozen=True)
class CHSHMinTradeoff:
    """Affine min-tradeoff function tangent to Pironio's bound at ``tangent_omega`` (module doc).

    Attributes:
        gamma: test-round probability in (0, 1).
        tangent_omega: touching point ``w0`` in (3/4, OMEGA_MAX).
        key_value: ``f(⊥)``, the value given to untested rounds (default ``g(1)``).
    """

    gamma: float
    tangent_omega: float
    key_value: float | None = None
    # Derived in __post_init__: slope, intercept (of g) and the values f_key, f_lose, f_win.
    slope: float = field(init=False, repr=False)
    intercept: float = field(init=False, repr=False)
    f_key: float = field(init=False, repr=False)
    f_lose: float = field(init=False, repr=False)
    f_win: float = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if not 0.0 < self.gamma < 1.0:
            raise ParameterError(f"gamma must lie in (0, 1), got {self.gamma}")
        if not OMEGA_LOCAL < self.tangent_omega < OMEGA_MAX:
            raise ParameterError(f"tangent point must lie in (3/4, {OMEGA_MAX:.6f}), got {self.tangent_omega}")
        slope = chsh_entropy_rate_slope(self.tangent_omega)
        intercept = chsh_entropy_rate(self.tangent_omega) - slope * self.tangent_omega
        f_key = intercept + slope if self.key_value is None else float(self.key_value)
        f_lose = (intercept - (1.0 - self.gamma) * f_key) / self.gamma
        for name, value in (("slope", slope), ("intercept", intercept), ("f_key", f_key),
                            ("f_lose", f_lose), ("f_win", f_lose + slope / self.gamma)):
            object.__setattr__(self, name, value)

    def value(self, omega: float) -> float:
        """``g(omega)``: the value of ``f`` on the distribution with winning probability ``omega``."""
        return self.intercept + self.slope * omega

    @property
    def max_value(self) -> float:
        """``Max f`` over all three outcomes."""
        return max(self.f_key, self.f_lose, self.f_win)

    @property
    def min_value_quantum(self) -> float:
        """``Min_Sigma f = g(OMEGA_MIN)``: ``f`` on achievable distributions is increasing in omega."""
        return self.value(OMEGA_MIN)

    def variance(self, omega: float) -> float:
        """``Var_q(f)`` for the distribution with winning probability ``omega``."""
        g = self.gamma
        second = (1 - g) * self.f_key**2 + g * (1 - omega) * self.f_lose**2 + g * omega * self.f_win**2
        return max(second - self.value(omega) ** 2, 0.0)

    @property
    def max_variance(self) -> float:
        """``Var(f) = max over achievable omega of Var_q(f)`` (a concave quadratic in omega)."""
        a, b, g = self.intercept, self.slope, self.gamma
        candidates = [OMEGA_MIN, OMEGA_MAX]
        vertex = (g * (self.f_win**2 - self.f_lose**2) - 2 * a * b) / (2 * b * b)
        if OMEGA_MIN < vertex < OMEGA_MAX:
            candidates.append(vertex)
        return max(self.variance(w) for w in candidates)


def smoothing_penalty(eps: float) -> float:
    """``g(eps) = -log2(1 - sqrt(1 - eps^2))`` (bits), computed without cancellation."""
    check_probability("smoothing parameter", eps)
    if eps <= 0.0:
        raise ParameterError("smoothing parameter must be > 0")
    return -math.log2(eps * eps / (1.0 + math.sqrt(1.0 - eps * eps)))


@dataclass(frozen=True)
class EATBound:
    """The terms of :func:`dupuis_fawzi_bound` (bits); ``value`` is their sum."""

    first_order: float
    variance_term: float
    epsilon_term: float
    higher_order_term: float
    V: float
    K: float

    @property
    def value(self) -> float:
        return self.first_order - self.variance_term - self.epsilon_term - self.higher_order_term


def dupuis_fawzi_bound(
    n: float, f: CHSHMinTradeoff, h: float, alpha: float, eps_smooth: float, eps_abort: float, d_out: int
) -> EATBound:
    """Lower bound on ``H_min^eps_smooth(O^n|S^n E)`` conditioned on acceptance (module docstring).

    Args:
        n: number of rounds.
        f: the min-tradeoff function.
        h: ``min f`` over accepted frequencies (bits per round).
        alpha: Rényi order in (1, 2).
        eps_smooth: smoothing parameter.
        eps_abort: lower bound assumed on the acceptance probability ``Pr[Omega]``.
        d_out: dimension of the per-round register ``O_i`` whose entropy accumulates.
    """
    if not 1.0 < alpha < 2.0:
        raise ParameterError(f"alpha must lie in (1, 2), got {alpha}")
    beta = alpha - 1.0
    V = math.log2(2 * d_out**2 + 1) + math.sqrt(2.0 + f.max_variance)
    spread = math.log2(d_out) + f.max_value - f.min_value_quantum
    # ln(2^spread + e^2), evaluated without overflowing 2^spread.
    log_term = spread * math.log(2) + math.log1p(math.e**2 * 2.0 ** (-spread)) if spread > 0 else math.log(
        2.0**spread + math.e**2
    )
    K = 2.0 ** (beta * spread) * log_term**3 / (6.0 * (2.0 - alpha) ** 3 * math.log(2))
    return EATBound(
        first_order=n * h,
        variance_term=n * beta * math.log(2) / 2.0 * V * V,
        epsilon_term=(smoothing_penalty(eps_smooth) + alpha * math.log2(1.0 / eps_abort)) / beta,
        higher_order_term=n * beta * beta * K,
        V=V,
        K=K,
    )
