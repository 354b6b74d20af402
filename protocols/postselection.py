"""Random post-selection and noisy preprocessing of the key rounds (Liu et al., Liu et al. 2022;
Xu et al., arXiv:2110.02701; Ho et al., PRL 124, 230502 (2020)): the classical side.

On the key pair ``(x*, y*)`` of a click/no-click table (outcome 0 = click, 1 = no click) each
party keeps a click always and a no-click with probability ``p`` (independently), so the event
``(a, b)`` survives with ``omega_ab = p_a p_b``, ``p_0 = 1``, ``p_1 = p``; the survival
probability is ``p_V = sum_ab omega_ab P(a, b)``. Alice then flips her kept bit with probability
``p_N``. The key rate is ``r = p_V [H(A^|E, V) - H(A^|B, V)]`` (Xu et al., arXiv:2110.02701); this module gives
``p_V`` and ``H(A^|B, V)``, the error-correction cost of the surviving rounds, and with the
post-selected BFF objective (``protocols.bff.entropy``, ``postselect=p``) the rate itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np

from .errors import ParameterError, check_probability
from .key_rate import _entropy_bits
from .table import CorrelationTable, require_table
from .validate import index_pair


def _key_block(table: CorrelationTable, key: Sequence[int]) -> np.ndarray:
    block = np.array(require_table(table).block(*index_pair("key", key, table.shape[:2])), dtype=float)
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


@dataclass(frozen=True)
class PostselectedRate:
    """``rate_per_round = p_V [H_AE - H_AB]`` (bits per round, may be negative: no key) and its parts."""

    rate_per_round: float
    H_AE: float
    H_AB: float
    p_V: float
    postselect: float
    noise: float
    details: dict

    def as_dict(self) -> dict:
        return asdict(self)


def postselection_engine(table: CorrelationTable, key: Sequence[int] = (0, 2), nodes: int = 8,
                         warm_start: bool = False):
    """A BFF engine for ``H(A^|E, V)`` constrained by the whole table (Bob's key input included).

    ``warm_start``: each bound starts its nodes from the previous bound's (for searches; see
    :class:`protocols.bff.EntropyEngine`)."""
    from .bff import EntropyEngine

    X, Y, _, _ = table.shape
    return EntropyEngine(X, Y, int(key[0]), "table", nodes, 0.0, postselect=1.0, bob_key_input=int(key[1]),
                         warm_start=warm_start)


def postselected_key_rate(table: CorrelationTable, p: float, noise: float, key: Sequence[int] = (0, 2),
                          nodes: int = 8, engine=None) -> PostselectedRate:
    """``r = p_V [H(A^|E, V) - H(A^|B, V)]`` with the certified BFF bound for the first term.

    ``engine``: a :func:`postselection_engine` to reuse (its ``p``, ``p_N`` are reset here).
    """
    return rate_minorant(table, p, noise, key, nodes, engine)[0]


@dataclass(frozen=True)
class RateMinorant:
    """A lower bound on the post-selected rate valid for *every* table, from one certified solve.

    The dual certificate of each node SDP is feasible whatever the data, so (BFF, arXiv:2106.13692,
    Thm. 2.3, with our post-selected objective) the node infimum of the *unnormalised* objective
    ``sum_a^ <O_a^ ...>`` is at least ``p_V0 (b_i + lambda_i . d)`` for any data ``d``, where the
    certified ``b_i + lambda_i . d`` was computed for the objective divided by ``p_V0``. Dividing
    by the new ``p_V(d)``:

        ``H(A^|E, V)(d) >= c + (p_V0 / p_V(d)) [affine(d) - c]``,  ``c`` = :meth:`EntropyEngine.offset`,

    equal to the certified value at ``d0``. The rate minorant ``p_V(d) [that - H(A^|B, V)(d)]``
    is what a settings optimiser maximises (a minorise-maximise step: the certified rate at the
    maximiser is at least the minorant there). ``p`` and ``p_N`` are those of the solve.
    """

    offset: float
    constant: float
    coeffs: np.ndarray
    p_v0: float
    postselect: float
    noise: float
    key: tuple[int, int]
    engine: object

    def entropy(self, table: CorrelationTable) -> float:
        """Lower bound on ``H(A^|E, V)`` (bits) for ``table`` (same inputs as the solve)."""
        d = self.engine.table_data(table)
        p_v = survival_probability(table, self.postselect, self.key)
        if p_v <= 0:
            raise ParameterError("no key round survives the post-selection (p_V = 0)")
        scaled = self.constant + float(self.coeffs @ d) - self.offset
        return max(0.0, self.offset + self.p_v0 / p_v * scaled)

    def rate(self, table: CorrelationTable) -> float:
        """Lower bound on ``p_V [H(A^|E, V) - H(A^|B, V)]`` (bits per round) for ``table``."""
        h_ab = postselected_error_cost(table, self.postselect, self.noise, self.key)
        return survival_probability(table, self.postselect, self.key) * (self.entropy(table) - h_ab)


def rate_minorant(table: CorrelationTable, p: float, noise: float, key: Sequence[int] = (0, 2),
                  nodes: int = 8, engine=None) -> tuple[PostselectedRate, RateMinorant]:
    """The certified rate at ``table`` and its :class:`RateMinorant` (one solve)."""
    _key_block(table, key)
    engine = postselection_engine(table, key, nodes) if engine is None else engine
    engine.set_postprocessing(p, noise)
    h_ab = postselected_error_cost(table, p, noise, key)
    result = engine.bound(engine.table_data(table))
    p_v = survival_probability(table, p, key)
    rate = PostselectedRate(p_v * (result.H_AE - h_ab), result.H_AE, h_ab, p_v, float(p), float(noise),
                            {"certified_gap": result.certified_gap, "status": [n.status for n in result.nodes],
                             "nodes": len(engine.t)})
    const, coeffs = result.affine
    return rate, RateMinorant(engine.offset(), float(const), np.array(coeffs), p_v, float(p), float(noise),
                              (int(key[0]), int(key[1])), engine)


def optimise_postselection(table: CorrelationTable, key: Sequence[int] = (0, 2), nodes: int = 8,
                           start: tuple[float, float] = (0.9, 0.1), engine=None,
                           max_evaluations: int = 20, steps: tuple[float, float] = (-0.1, -0.05)) -> PostselectedRate:
    """Maximise the rate over ``p`` in [0, 1] and ``p_N`` in [0, 1/2] with at most ``max_evaluations``
    solves: bounded Nelder-Mead (scipy) on the certified rate from the simplex ``start``,
    ``start + (steps[0], 0)``, ``start + (0, steps[1])`` (a step leaving the range is reversed; a
    warm start from a nearby optimum wants small steps). Every evaluated point is itself a
    certified rate; the best one is returned."""
    from scipy.optimize import minimize

    if max_evaluations < 1 or len(steps) != 2 or 0 in steps:
        raise ParameterError(f"need max_evaluations >= 1 and two nonzero steps, got {max_evaluations}, {steps}")
    check_probability("start p", start[0])
    check_probability("start p_N", start[1], 0.0, 0.5)
    engine = postselection_engine(table, key, nodes, warm_start=True) if engine is None else engine
    seen: dict[tuple[float, float], PostselectedRate] = {}

    def negative_rate(v):
        where = (float(np.clip(v[0], 0.0, 1.0)), float(np.clip(v[1], 0.0, 0.5)))
        if where not in seen:
            try:
                seen[where] = postselected_key_rate(table, *where, key, nodes, engine)
            except ParameterError:
                return 1.0
        return -seen[where].rate_per_round

    def along(x: float, step: float, top: float) -> float:  # a step that leaves the range is reversed
        return x + step if 0.0 <= x + step <= top else float(np.clip(x - step, 0.0, top))

    corner = [(along(float(start[0]), steps[0], 1.0), float(start[1])),
              (float(start[0]), along(float(start[1]), steps[1], 0.5))]
    minimize(negative_rate, np.array(start, dtype=float), method="Nelder-Mead", bounds=[(0.0, 1.0), (0.0, 0.5)],
             options={"maxfev": max_evaluations, "xatol": 1e-3, "fatol": 1e-8,
                      "initial_simplex": [tuple(start), *corner]})
    if not seen:
        raise ParameterError("no post-selection parameters gave a finite rate")
    return max(seen.values(), key=lambda r: r.rate_per_round)


__all__ = ["PostselectedRate", "RateMinorant", "optimise_postselection", "rate_minorant",
           "postselected_error_cost", "postselected_joint",
           "postselected_key_rate", "postselection_engine", "survival_probability", "survival_weights"]
