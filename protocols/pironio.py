"""The tight CHSH-only bound on H(A|E) for collective attacks (Pironio et al. 2009)."""

from __future__ import annotations

import math

from .binary_entropy import binary_entropy
from .errors import ParameterError
from .validate import real

TSIRELSON = 2.0 * math.sqrt(2.0)
#: Floating-point slack allowed above Tsirelson's bound (a score computed from an ideal table).
TSIRELSON_SLACK = 1e-9


def check_chsh_score(S: float, name: str = "CHSH score S") -> float:
    """``S`` as a float if ``|S| <= 2 sqrt 2`` (within 1e-9), else :class:`ParameterError`.

    A CHSH score (correlator form) of a quantum behaviour lies in [-2 sqrt 2, 2 sqrt 2]
    (Tsirelson, Lett. Math. Phys. 4, 93 (1980)); NaN, infinities and non-numbers are refused.
    """
    s = real(name, S)
    if s > TSIRELSON + TSIRELSON_SLACK:
        raise ParameterError(f"{name}={s!r} exceeds Tsirelson's bound 2*sqrt(2) = {TSIRELSON:.12f}; "
                             "no quantum table reaches it")
    if s < -TSIRELSON - TSIRELSON_SLACK:
        raise ParameterError(f"{name}={s!r} is below -2*sqrt(2) = {-TSIRELSON:.12f}; no quantum table reaches it")
    return min(max(s, -TSIRELSON), TSIRELSON)


def pironio_entropy_bound(S: float) -> float:
    """Lower bound on H(A|E) (bits) from a CHSH score, tight for collective attacks.

    ``H(A|E) >= 1 - h((1 + sqrt((S/2)^2 - 1)) / 2)`` for ``2 < S <= 2 sqrt 2``, else 0.
    Source: Pironio, Acín, Brunner, Gisin, Massar, Scarani, NJP 11, 045021 (2009), Eq. (12)
    (stated for Acín et al., PRL 98, 230501 (2007)); Xie et al. (Xie et al. 2021) Eq. (1).

    Raises:
        ParameterError: ``|S|`` above Tsirelson's bound, NaN or infinite. ``S <= 2`` is not an error: 0.
    """
    s = check_chsh_score(S)
    if s <= 2.0:
        return 0.0
    return 1.0 - binary_entropy((1.0 + math.sqrt((s / 2.0) ** 2 - 1.0)) / 2.0)
