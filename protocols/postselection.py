"""Random post-selection and noisy preprocessing of the key rounds (Liu et al., seed 000;
Xu et al., arXiv:2110.02701; Ho et al., PRL 124, 230502 (2020)): the classical side.

On the key pair ``(x*, y*)`` of a click/no-click table (outcome 0 = click, 1 = no click) each
party keeps a click always and a no-click with probability ``p`` (independently), so the event
``(a, b)`` survives with ``omega_ab = p_a p_b``, ``p_0 = 1``, ``p_1 = p``; the survival
probability is ``p_V = sum_ab omega_ab P(a, b)``. Alice then flips her kept bit with probability
``p_N``. The key rate is ``r = p_V [H(A^|E, V) - H(A^|B, V)]`` (physics.md); this module gives
``p_V`` and ``H(A^|B, V)``, the error-correction cost of the surviving rounds. The entropy
``H(A^|E, V)`` needs the post-selected BFF objective (not built yet).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .errors import ParameterError, check_probability
from .key_rate import _entropy_bits
from .table import CorrelationTable


def _key_block(table: CorrelationTable, key: Sequence[int]) -> np.ndarray:
    if len(key) != 2:
        raise ParameterError(f"key must be an (x, y) pair, got {list(key)}")
    block = np.array(table.block(int(key[0]), int(key[1])), dtype=float)
    if block.shape != (2, 2):
        raise ParameterError(f"post-selection needs binary outcomes, the key block is {block.shape}")
    return block


def survival_weights(p: float) -> np.ndarray:
    """``omega[a, b] = p_a p_b`` with ``p_0 = 1`` (click kept), ``p_1 = p`` (no-click kept w.p. p)."""
    p = check_probability("post-selection probability p", p)
    keep = np.array([1.0, p])
    return np.outer(keep, keep)


def survival_probability(table: CorrelationTable, p: float, key: Sequence[int] = (0, 2)) -> float:
    """``p_V = sum_ab omega_ab P(a, b | x*, y*)``."""
    return float((survival_weights(p) * _key_block(table, key)).sum())


def postselected_joint(table: CorrelationTable, p: float, noise: float, key: Sequence[int] = (0, 2)) -> np.ndarray:
    """``P(a^, b | V)``: the surviving key-round distribution after Alice's flip with prob. ``noise``."""
    p_n = check_probability("noise p_N", noise, 0.0, 0.5)
    kept = survival_weights(p) * _key_block(table, key)
    total = kept.sum()
    if total <= 0:
        raise ParameterError("no key round survives the post-selection (p_V = 0)")
    kept = kept / total
    return (1 - p_n) * kept + p_n * kept[::-1, :]


def postselected_error_cost(table: CorrelationTable, p: float, noise: float, key: Sequence[int] = (0, 2)) -> float:
    """``H(A^|B, V) = H(A^, B | V) - H(B | V)`` (bits) of the surviving key rounds."""
    joint = postselected_joint(table, p, noise, key)
    return max(0.0, _entropy_bits(joint) - _entropy_bits(joint.sum(axis=0)))


__all__ = ["postselected_error_cost", "postselected_joint", "survival_probability", "survival_weights"]
