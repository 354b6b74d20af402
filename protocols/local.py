"""Local hidden-variable models of a correlation table, found by linear programming.

A table ``P[x, y, a, b]`` is local iff it is a convex combination of deterministic strategies
``D_l(a, b | x, y) = [a = f(x)] [b = g(y)]`` (Fine, PRL 48, 291 (1982); Brunner et al., Rev. Mod.
Phys. 86, 419 (2014), Sec. II.B). With ``|A|^|X| |B|^|Y|`` strategies (256 for 4 binary inputs
each) the LP ``min s  s.t.  |sum_l q_l D_l - P| <= s,  q >= 0,  sum q = 1`` (HiGHS) is solved in
milliseconds. A local table gives Eve full knowledge of every outcome: any entropy bound on it is 0.
"""

from __future__ import annotations

import itertools

import numpy as np

from .table import CorrelationTable, require_table
from .validate import real

#: Largest entrywise deviation of the table from the local model's that still counts as local.
LOCAL_TOL = 1e-9
MAX_STRATEGIES = 4096


def deterministic_strategies(X: int, Y: int, A: int, B: int) -> np.ndarray:
    """All deterministic strategies as rows ``D[l, (x, y, a, b)]``."""
    out = []
    for f in itertools.product(range(A), repeat=X):
        for g in itertools.product(range(B), repeat=Y):
            D = np.zeros((X, Y, A, B))
            for x, y in itertools.product(range(X), range(Y)):
                D[x, y, f[x], g[y]] = 1.0
            out.append(D.ravel())
    return np.array(out)


def local_deviation(table: CorrelationTable) -> float:
    """``min_q max |sum_l q_l D_l - P|`` over local models (0 for a local table); ``inf`` when
    the scenario has more than ``MAX_STRATEGIES`` deterministic strategies (not tried)."""
    from scipy.optimize import linprog

    X, Y, A, B = require_table(table).shape
    if A**X * B**Y > MAX_STRATEGIES:
        return float("inf")
    D = deterministic_strategies(X, Y, A, B).T  # (entries, strategies)
    P = table.P.ravel()
    k, e = D.shape[1], D.shape[0]
    # variables (q, s): minimise s with D q - s <= P, -D q - s <= -P, sum q = 1
    A_ub = np.block([[D, -np.ones((e, 1))], [-D, -np.ones((e, 1))]])
    b_ub = np.concatenate([P, -P])
    A_eq = np.concatenate([np.ones(k), [0.0]]).reshape(1, -1)
    cost = np.zeros(k + 1)
    cost[-1] = 1.0
    res = linprog(cost, A_ub=A_ub, b_ub=b_ub, A_eq=A_eq, b_eq=[1.0], bounds=[(0, None)] * (k + 1), method="highs")
    if res.status != 0:
        return float("inf")
    q = np.maximum(res.x[:k], 0.0)
    q /= q.sum()
    return float(np.abs(D @ q - P).max())  # checked on the model itself, not the LP's own figure


def is_local(table: CorrelationTable, tol: float = LOCAL_TOL) -> bool:
    """True when a local model reproduces every entry of the table to within ``tol``."""
    return local_deviation(table) <= real("tol", tol, 0.0)
