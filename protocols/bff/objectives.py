"""The BFF node objectives: plain, with noisy preprocessing, and after random post-selection.

Node ``i`` of the BFF bound (arXiv:2106.13692, Thm. 2.3) minimises
``sum_a < M_a (Z_a + Z_a* + (1 - t) Z_a* Z_a) + t Z_a Z_a* >``; each function here returns that
objective as a cost vector over the moment variables of a :class:`~.moment_matrix.MomentStructure`
(a word and its adjoint share one variable, so ``<M Z> + <M Z*> = 2 <M Z>``).
"""

from __future__ import annotations

import numpy as np

from . import words as W
from .moment_matrix import MomentStructure


def objective_words(key_input: int, bob_key_input: int | None = None) -> set:
    """The words the objective needs (kept by the structure's reduction)."""
    A = ("A", key_input)
    prefixes = [(), (A,)] if bob_key_input is None else [(), (A,), (("B", bob_key_input),),
                                                            (A, ("B", bob_key_input))]
    out = set()
    for a in range(2):
        Z, Zs = ("Z", a), ("Zs", a)
        for pre in prefixes:
            out |= {W.key(W.word(*pre, Z)), W.key(W.word(*pre, Zs, Z)), W.key(W.word(*pre, Z, Zs))}
    return out


def plain_objective(s: MomentStructure, t: float, key_input: int, noise: float = 0.0) -> np.ndarray:
    """Cost vector at ``t`` with noisy preprocessing (flip probability ``p = noise``; Ho et al.,
    PRL 124, 230502 (2020)): ``M_0 = (1-p) A + p (1-A)``, ``M_1 = 1 - M_0`` in the first term only."""
    p, A = noise, ("A", key_input)
    c = np.zeros(len(s.variables))
    for a in range(2):
        alpha, beta = (p, 1 - 2 * p) if a == 0 else (1 - p, -(1 - 2 * p))  # M_a = alpha + beta A
        Z, Zs = ("Z", a), ("Zs", a)
        c[s.var(Z)] += 2 * alpha  # <M Z> + <M Z*> with <Z> ~ <Z*>
        c[s.var(A, Z)] += 2 * beta
        c[s.var(Zs, Z)] += (1 - t) * alpha
        c[s.var(A, Zs, Z)] += (1 - t) * beta
        c[s.var(Z, Zs)] += t
    return c


def postselected_objective(s: MomentStructure, t: float, key_input: int, bob_key_input: int, noise: float,
                           postselect: float) -> np.ndarray:
    """Objective for ``H(A^|E, V)`` after random post-selection (not yet divided by ``p_V``).

    **(derived here)** Surviving key rounds carry Alice's outcome with weight
    ``p_a`` (1 for a click, p for a no-click) and Bob's acceptance ``K = p + (1 - p) B``, so
    the conditioned cq state is built from ``O_a^ = [sum_a P(a^|a) p_a M_a] K`` and its marginal
    ``O = [A + p (1 - A)] K``; the BFF objective is
    ``sum_a^ <O_a^ (Z + Z* + (1 - t) Z*Z) + t O Z Z*> / p_V``. With ``p = 1`` it is
    :func:`plain_objective` (checked in the tests).
    """
    pn, q = noise, postselect
    A, B = ("A", key_input), ("B", bob_key_input)
    c = np.zeros(len(s.variables))
    k1, kB = q, 1 - q  # K = q + (1 - q) B
    for ahat in range(2):
        alpha, beta = (pn * q, 1 - pn - pn * q) if ahat == 0 else ((1 - pn) * q, pn - (1 - pn) * q)
        Z, Zs = ("Z", ahat), ("Zs", ahat)
        for pre, coef in (((), alpha * k1), ((B,), alpha * kB), ((A,), beta * k1), ((A, B), beta * kB)):
            c[s.var(*pre, Z)] += 2 * coef
            c[s.var(*pre, Zs, Z)] += (1 - t) * coef
        for pre, coef in (((), q * q), ((A,), (1 - q) * q), ((B,), q * (1 - q)), ((A, B), (1 - q) ** 2)):
            c[s.var(*pre, Z, Zs)] += t * coef
    return c
