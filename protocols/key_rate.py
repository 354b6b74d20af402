"""Asymptotic key-rate formulas: Devetak-Winter, H(A|B) from a table, rates per second."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from .binary_entropy import _plogp
from .errors import ParameterError, check_probability
from .table import CorrelationTable, require_table
from .validate import index_pair, real


def devetak_winter_rate(H_AE: float, H_AB: float) -> float:
    """Key rate per round ``r = max(0, H(A|E) - H(A|B))`` (bits), one-way error correction A->B.

    Source: Devetak & Winter, Proc. R. Soc. A 461, 207 (2005), Thm 1; applied to DIQKD under
    collective attacks by Pironio et al., NJP 11, 045021 (2009), Eq. (3). A negative difference
    means no key can be distilled: the rate is then 0 (the parties abort), never negative.

    Raises:
        ParameterError: an entropy outside [0, 1] bit or NaN.
    """
    h_ae = check_probability("H(A|E)", H_AE, 0.0, 1.0)
    h_ab = check_probability("H(A|B)", H_AB, 0.0, math.inf)
    return max(0.0, h_ae - h_ab)


def _entropy_bits(p: np.ndarray) -> float:
    return float(_plogp(np.clip(p, 0.0, None)).sum())


def conditional_entropy_ab(
    table: CorrelationTable, key: Sequence[int] = (0, 0), noise: float = 0.0
) -> float:
    """``H(A|B)`` (bits) of the key pair's joint distribution, after Alice flips with prob. ``noise``.

    ``H(A|B) = H(A,B) - H(B)`` for ``P(a,b|x*,y*)``; with noisy preprocessing (binary A only)
    Alice's bit is replaced by ``Â``: ``P(â,b) = (1-p) P(â,b) + p P(1-â,b)`` (Ho et al.,
    PRL 124, 230502 (2020)). Tiny negative entries allowed by the table's tolerance count as 0.

    Raises:
        ParameterError: ``noise`` outside [0, 1/2], a non-binary A with noise, a bad key pair.
    """
    p = check_probability("noise", noise, 0.0, 0.5)
    joint = np.array(require_table(table).block(*index_pair("key", key, table.shape[:2])), dtype=float)
    if p > 0:
        if joint.shape[0] != 2:
            raise ParameterError(f"noisy preprocessing needs a binary A, the table has |A|={joint.shape[0]}")
        joint = (1 - p) * joint + p * joint[::-1, :]
    return max(0.0, _entropy_bits(joint) - _entropy_bits(joint.sum(axis=0)))


def rate_per_second(
    rate_per_round: float, herald_probability: float | None = None, rounds_per_second: float = 1.0
) -> float:
    """Secret bits per second = rate per round x herald probability x rounds per second.

    ``herald_probability`` turns a rate per heralded round into one per attempt (``None`` = 1);
    ``rounds_per_second`` is the attempt (trial) rate in Hz.
    """
    r = real("rate per round", rate_per_round, 0.0, unit="bits")
    h = 1.0 if herald_probability is None else check_probability("herald_probability", herald_probability)
    f = real("rounds_per_second", rounds_per_second, 0.0, unit="Hz")
    return r * h * f


def chsh_key_rate(S: float, Q: float) -> float:
    """Key rate per round ``max(0, 1 - h(Q) - h((1 + sqrt((S/2)^2 - 1))/2))`` from S and the QBER.

    Devetak-Winter with the Pironio et al. bound (NJP 11, 045021 (2009), Eq. (12)); per heralded
    round. Xie et al. (Xie et al. 2021) Eq. (1) multiplies it by the gain Q_zz.
    """
    from .binary_entropy import binary_entropy
    from .pironio import pironio_entropy_bound

    return devetak_winter_rate(pironio_entropy_bound(S), float(binary_entropy(check_probability("QBER Q", Q))))
