"""The NPA moment-matrix structure of the BFF relaxation, built once per scenario.

Operator set (Brown, Fawzi, Fawzi, arXiv:2106.13692): Alice's projectors ``A_x`` (outcome 0) for
``x < n_a``, Bob's ``B_y`` for ``y < n_b``, Eve's ``Z_a, Z_a*`` for ``a in {0, 1}``; monomials of
NPA level 2 on these letters plus the extra monomials ``A_x B_y Z_a``, ``A_x B_y Z_a*`` and
``A_{x*} Z_a* Z_a`` (BFF arXiv:2106.13692 Sec. 3). ``Gamma[u, v] = <u* v>`` with equal words
sharing one variable (real symmetric: ``w ~ w*``).

**Reduction** (sound by construction): a monomial whose diagonal moment ``<u* u>`` is a free
variable appearing nowhere else in the matrix, the objective or the constraints is dropped, and
this is repeated. Dropping rows of a moment matrix can only relax the SDP (its value can only go
down), so every bound stays valid; and such a row is forced to zero in any dual solution (a PSD
matrix with a zero diagonal entry has a zero row), so it cannot raise the bound either. It also
makes strictly feasible dual points possible, which the certificate needs (``certify.py``).

The structure is stored as sparse maps in the svec coordinates used by SCS (lower triangle,
column-major, off-diagonal entries scaled by sqrt 2).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from . import words as W

SQRT2 = math.sqrt(2.0)


def _letters(n_a: int, n_b: int):
    A = [("A", x) for x in range(n_a)]
    B = [("B", y) for y in range(n_b)]
    E = [("Z", 0), ("Z", 1), ("Zs", 0), ("Zs", 1)]
    return A, B, E


def monomials(n_a: int, n_b: int, key_input: int, extra: bool = True) -> list[W.Word]:
    """Distinct canonical monomials: level 2 plus (optionally) the BFF extra monomials."""
    A, B, E = _letters(n_a, n_b)
    letters = A + B + E
    out: list[W.Word] = [W.IDENTITY]
    seen = {W.IDENTITY}

    def add(w: W.Word) -> None:
        if w not in seen:
            seen.add(w)
            out.append(w)

    for l in letters:
        add(W.word(l))
    for l1 in letters:
        for l2 in letters:
            add(W.word(l1, l2))
    if extra:
        for a in A:
            for b in B:
                for e in E:
                    add(W.word(a, b, e))
        for z in range(2):
            add(W.word(("A", key_input), ("Zs", z), ("Z", z)))
    return out


@dataclass
class MomentStructure:
    """Index maps of a reduced moment matrix.

    Attributes:
        monomials: the kept monomials (rows/columns of Gamma), identity first.
        variables: the distinct words other than the identity (the SDP variables), in order.
        index: word -> variable index.
        svec_rows: for each variable, the svec indices where it sits; ``svec_scale`` the factors.
        F0: svec of the constant part (identity positions).
        Fstar: sparse (n_vars x L) matrix with ``Fstar @ svec(Z) = [<F_k, Z>]_k``.
    """

    n_a: int
    n_b: int
    key_input: int
    protected: frozenset
    extra: bool = True
    #: drop the monomials of the reduction in the module docstring (False: the full level-2 + extra set)
    reduce: bool = True
    monomials: list = field(init=False)
    variables: list = field(init=False)
    index: dict = field(init=False)

    def __post_init__(self) -> None:
        mons = monomials(self.n_a, self.n_b, self.key_input, self.extra)
        mons = self._reduce(mons) if self.reduce else mons
        self.monomials = mons
        n = len(mons)
        entries: dict[W.Word, list[tuple[int, int]]] = {}
        for i in range(n):
            ui = W.adjoint(mons[i])
            for j in range(i, n):
                k = W.key(W.product(ui, mons[j]))
                entries.setdefault(k, []).append((j, i))  # (row >= col) lower triangle
        self.variables = [w for w in entries if w != W.IDENTITY]
        self.index = {w: k for k, w in enumerate(self.variables)}
        self.n = n
        self.L = n * (n + 1) // 2
        rows, cols, vals = [], [], []
        f0 = np.zeros(self.L)
        for w, positions in entries.items():
            for (r, c) in positions:
                s = self.svec_index(r, c)
                scale = 1.0 if r == c else SQRT2
                if w == W.IDENTITY:
                    f0[s] = scale
                else:
                    rows.append(self.index[w])
                    cols.append(s)
                    vals.append(scale)
        self.F0 = f0
        self.Fstar = sp.csr_matrix((vals, (rows, cols)), shape=(len(self.variables), self.L))
        # squared Frobenius norm of each F_k (off-diagonal positions count twice)
        self.F_norm2 = np.asarray(self.Fstar.multiply(self.Fstar).sum(axis=1)).ravel()

    def _reduce(self, mons: list[W.Word]) -> list[W.Word]:
        keep = list(mons)
        while True:
            count: dict[W.Word, int] = {}
            n = len(keep)
            adj = [W.adjoint(u) for u in keep]
            diag = []
            for i in range(n):
                for j in range(i, n):
                    k = W.key(W.product(adj[i], keep[j]))
                    count[k] = count.get(k, 0) + 1
                    if i == j:
                        diag.append(k)
            drop = [i for i in range(1, n) if count[diag[i]] == 1 and diag[i] not in self.protected]
            if not drop:
                return keep
            keep = [u for i, u in enumerate(keep) if i not in set(drop)]

    def svec_index(self, r: int, c: int) -> int:
        """Position of entry (r, c), r >= c, in SCS's column-major lower-triangle svec."""
        n = self.n
        return c * n - c * (c - 1) // 2 + (r - c)

    def var(self, *letters) -> int:
        """Variable index of the moment of a product of letters."""
        return self.index[W.key(W.word(*letters))]

    def smat(self, v: np.ndarray) -> np.ndarray:
        """Symmetric matrix from its svec (inverse of the SCS scaling)."""
        rows, cols = self._tril
        vals = np.where(rows != cols, np.asarray(v, dtype=float) / SQRT2, v)
        M = np.zeros((self.n, self.n))
        M[rows, cols] = vals
        M[cols, rows] = vals
        return M

    @property
    def _tril(self) -> tuple[np.ndarray, np.ndarray]:
        if not hasattr(self, "_tril_cache"):
            rows = np.concatenate([np.arange(c, self.n) for c in range(self.n)])
            cols = np.concatenate([np.full(self.n - c, c) for c in range(self.n)])
            self._tril_cache = (rows, cols)
        return self._tril_cache

    @property
    def clarabel_order(self) -> np.ndarray:
        """``order[k]`` = our (SCS) svec position of Clarabel's k-th PSD-triangle entry.

        Clarabel stores the upper triangle column by column, i.e. entry (r, c), r >= c, of the
        lower triangle sits at ``r (r + 1)/2 + c``; the sqrt 2 scaling is the same.
        """
        rows, cols = self._tril
        order = np.empty(self.L, dtype=int)
        order[rows * (rows + 1) // 2 + cols] = np.arange(self.L)
        return order

    def svec(self, M: np.ndarray) -> np.ndarray:
        """svec of a symmetric matrix (lower triangle, column-major, off-diagonal x sqrt 2)."""
        rows, cols = self._tril
        vals = M[rows, cols]
        return np.where(rows != cols, vals * SQRT2, vals)
