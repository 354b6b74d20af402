"""CHSH scores, winning probability and QBER of a correlation table.

Convention (Clauser, Horne, Shimony, Holt, PRL 23, 880 (1969)):
for binary outcomes with index 0 read as +1 and index 1 as -1, the correlator is
``E_xy = P(a=b|xy) - P(a!=b|xy)`` and, for Alice's inputs ``(x0, x1)`` and Bob's ``(y0, y1)``
with the minus sign on the pair ``minus = (xm, ym)``,
``S = sum_{x in {x0,x1}, y in {y0,y1}} s_xy E_xy`` with ``s_xy = -1`` only for ``(xm, ym)``.
The winning probability of the equivalent game is ``omega = 1/2 + S/8`` (local bound 3/4,
Tsirelson (2+sqrt 2)/4).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .errors import ParameterError
from .pironio import TSIRELSON  # noqa: F401  (re-exported)
from .table import CorrelationTable, require_table
from .validate import index_pair, integer


def _require_binary(table: CorrelationTable) -> None:
    _, _, A, B = require_table(table).shape
    if (A, B) != (2, 2):
        raise ParameterError(f"CHSH needs binary outcomes, the table has |A|={A}, |B|={B}")


def chsh_settings(
    table: CorrelationTable,
    x: Sequence[int] = (0, 1),
    y: Sequence[int] = (0, 1),
    minus: Sequence[int] | None = None,
) -> tuple[tuple[int, int], tuple[int, int], tuple[int, int]]:
    """Validate a choice of CHSH inputs; ``minus`` defaults to ``(x[1], y[1])``.

    Returns the normalised ``(x, y, minus)`` tuples. ``minus`` names actual input indices.
    """
    X, Y, _, _ = require_table(table).shape
    xs = tuple(integer("x", i, 0, X - 1) for i in x)
    ys = tuple(integer("y", i, 0, Y - 1) for i in y)
    if len(xs) != 2 or len(set(xs)) != 2 or any(not 0 <= i < X for i in xs):
        raise ParameterError(f"x must be two distinct inputs in 0..{X - 1}, got {list(x)}")
    if len(ys) != 2 or len(set(ys)) != 2 or any(not 0 <= i < Y for i in ys):
        raise ParameterError(f"y must be two distinct inputs in 0..{Y - 1}, got {list(y)}")
    m = (xs[1], ys[1]) if minus is None else index_pair("minus", minus, (X, Y))
    if len(m) != 2 or m[0] not in xs or m[1] not in ys:
        raise ParameterError(f"minus must be an (x, y) pair with x in {list(xs)} and y in {list(ys)}, got {minus}")
    return xs, ys, m  # type: ignore[return-value]


def correlator(table: CorrelationTable, x: int, y: int) -> float:
    """``E_xy = sum_ab (-1)^(a+b) P(a,b|x,y)`` for binary outcomes (index 0 = +1)."""
    _require_binary(table)
    p = table.block(x, y)
    return float(p[0, 0] + p[1, 1] - p[0, 1] - p[1, 0])


def chsh_signs(x: Sequence[int], y: Sequence[int], minus: Sequence[int]) -> dict[tuple[int, int], int]:
    """The sign of each correlator in the CHSH sum."""
    return {(i, j): (-1 if (i, j) == tuple(minus) else 1) for i in x for j in y}


def chsh_score(
    table: CorrelationTable,
    x: Sequence[int] = (0, 1),
    y: Sequence[int] = (0, 1),
    minus: Sequence[int] | None = None,
) -> float:
    """CHSH value ``S`` in correlator form (module docstring); ``|S| <= 2*sqrt(2)`` for quantum tables."""
    _require_binary(table)
    xs, ys, m = chsh_settings(table, x, y, minus)
    return float(sum(s * correlator(table, i, j) for (i, j), s in chsh_signs(xs, ys, m).items()))


def chsh_winning_probability(
    table: CorrelationTable,
    x: Sequence[int] = (0, 1),
    y: Sequence[int] = (0, 1),
    minus: Sequence[int] | None = None,
) -> float:
    """CHSH game winning probability ``omega = 1/2 + S/8`` (uniform inputs)."""
    return 0.5 + chsh_score(table, x, y, minus) / 8.0


def qber(table: CorrelationTable, key: Sequence[int] = (0, 0)) -> float:
    """Quantum bit error rate of the key pair: ``Q = P(a != b | x*, y*)`` (outcome indices compared)."""
    p = require_table(table).block(*index_pair("key", key, require_table(table).shape[:2]))
    a, b = np.indices(p.shape)
    return float(p[a != b].sum())  # the disagreeing entries (index a != b), never below 0
