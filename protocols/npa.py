"""Membership of a table in the first level of the NPA hierarchy (a necessary quantum condition).

Navascues, Pironio, Acin, PRL 98, 010401 (2007): a behaviour is quantum only if, for the
operators ``{1} u {E_a|x} u {F_b|y}`` (projectors onto Alice's and Bob's outcomes, the last
outcome of each input left out), the matrix of their inner products ``Gamma`` can be completed to
a positive semidefinite matrix. The entries fixed by the table are ``<E_a|x> = P_A(a|x)``,
``<E_a|x E_a'|x> = delta_aa' P_A(a|x)`` (orthogonal projectors), ``<E_a|x F_b|y> = P(a,b|x,y)``
and likewise for Bob; the products of one party's projectors for different inputs are free.
:func:`npa1_margin` maximises the smallest eigenvalue of ``Gamma`` over the free entries: a
negative margin beyond the solver's accuracy means the table is outside the level-1 set, hence
not a quantum behaviour (this is how ``bff_entropy_table`` names such tables before solving).
"""

from __future__ import annotations

import itertools

import numpy as np
import scipy.sparse as sp

from .errors import SolverError
from .table import CorrelationTable, require_table

#: a level-1 margin below this is not a rounding effect: the table is outside the set
NPA1_TOL = 1e-7


def _operators(table: CorrelationTable) -> list[tuple[str, int, int]]:
    X, Y, A, B = table.shape
    return ([("1", 0, 0)] + [("A", x, a) for x in range(X) for a in range(A - 1)]
            + [("B", y, b) for y in range(Y) for b in range(B - 1)])


def npa1_margin(table: CorrelationTable) -> float:
    """Largest smallest eigenvalue of a completion of the level-1 moment matrix (module docstring).

    ``>= 0`` (to ~1e-8) for every quantum table; negative for a table outside the level-1 set.
    Solved with Clarabel (a small SDP: 1 + |X|(|A|-1) + |Y|(|B|-1) rows).
    """
    import clarabel

    table = require_table(table)
    P = table.P
    pa, pb = table.alice_marginal(), table.bob_marginal()
    ops = _operators(table)
    n = len(ops)
    fixed = np.zeros((n, n))
    free: list[tuple[int, int]] = []
    for i, j in itertools.combinations_with_replacement(range(n), 2):
        (k1, x1, a1), (k2, x2, a2) = ops[i], ops[j]
        if k1 == "1":
            fixed[i, j] = 1.0 if k2 == "1" else (pa[x2, a2] if k2 == "A" else pb[x2, a2])
        elif k1 == k2 and x1 == x2:
            fixed[i, j] = (pa if k1 == "A" else pb)[x1, a1] if a1 == a2 else 0.0
        elif k1 == k2:
            free.append((i, j))
        else:  # Alice then Bob (the operator list puts Alice first)
            fixed[i, j] = P[x1, x2, a1, a2]
    # variables: the free entries u, then t; constraint Gamma(u) - t I in the PSD cone
    rows, cols = np.triu_indices(n)  # Clarabel's PSDTriangle: upper triangle, column by column
    order = np.lexsort((rows, cols))
    rows, cols = rows[order], cols[order]
    scale = np.where(rows == cols, 1.0, np.sqrt(2.0))
    index = {pair: k for k, pair in enumerate(free)}
    nv = len(free) + 1
    A = sp.lil_matrix((len(rows), nv))
    b = np.zeros(len(rows))
    for r, (i, j) in enumerate(zip(rows, cols, strict=True)):
        b[r] = scale[r] * fixed[i, j]
        if (i, j) in index:
            A[r, index[(i, j)]] = -scale[r]
        if i == j:
            A[r, nv - 1] = 1.0  # - (-t) on the diagonal
    cost = np.zeros(nv)
    cost[-1] = -1.0
    settings = clarabel.DefaultSettings()
    settings.verbose = False
    # a bounded t keeps the problem bounded when every entry is free of constraints
    A_all = sp.vstack([sp.csr_matrix(A), sp.csr_matrix(([1.0], ([0], [nv - 1])), shape=(1, nv))]).tocsc()
    b_all = np.append(b, 1.0)
    cones = [clarabel.PSDTriangleConeT(n), clarabel.NonnegativeConeT(1)]
    sol = clarabel.DefaultSolver(sp.csc_matrix((nv, nv)), cost, A_all, b_all, cones, settings).solve()
    if str(sol.status) not in ("Solved", "AlmostSolved"):
        raise SolverError(f"the NPA level-1 test did not solve (Clarabel status {sol.status})")
    return float(sol.x[-1])


def in_npa1(table: CorrelationTable, tol: float = NPA1_TOL) -> bool:
    """True when the table passes the level-1 test to within ``tol``."""
    return npa1_margin(table) >= -tol
