"""A block-diagonal LMI for the interior point of ``ipm.py``: ``S = blockdiag_b(F0_b + sum_k y_k F_kb)``.

The symmetry-reduced node SDPs (``symmetry.py``) are block diagonal in a basis adapted to the
symmetry group (four blocks of 10-14 instead of one 49 x 49 matrix for the CHSH engine). The
interior point keeps its dense ``n x n`` iterates (block diagonal, so its factorisations and
products stay block diagonal exactly), and only the three maps that cost ``m n^2`` or more are
taken block by block: ``A(y)``, ``A*(Z)`` and the Schur complement, here always in its Gram form
``M_kl = sum_b <G_kb, G_lb>``, ``G_kb = Lz_b^T F_kb W_b`` (positive semidefinite whatever the
rounding).
"""

from __future__ import annotations

import numpy as np
import scipy.linalg as la

from .ipm import SparseLMI


class BlockLMI(SparseLMI):
    """``S(y) = F0 + sum_k y_k F_k`` with every matrix block diagonal on the index ranges ``blocks``.

    Args:
        F0: the constant part (``n x n``, zero off the blocks).
        F: the ``F_k`` (``m x n x n``, zero off the blocks).
        blocks: ``(start, stop)`` of each diagonal block, covering ``0..n`` in order.
    """

    def __init__(self, F0: np.ndarray, F: np.ndarray, blocks: list[tuple[int, int]]) -> None:
        self.n, self.m = F0.shape[0], F.shape[0]
        self.blocks = [slice(a, b) for a, b in blocks]
        self.F0 = np.zeros((self.n, self.n))
        for b in self.blocks:
            self.F0[b, b] = F0[b, b]
        self.Fb = [np.ascontiguousarray(F[:, b, b]) for b in self.blocks]
        self._flat = [Fb.reshape(self.m, -1) for Fb in self.Fb]

    def A(self, y: np.ndarray) -> np.ndarray:
        out = np.zeros((self.n, self.n))
        for b, flat in zip(self.blocks, self._flat, strict=True):
            size = b.stop - b.start
            out[b, b] = (y @ flat).reshape(size, size)
        return out

    def A_adj(self, Z: np.ndarray) -> np.ndarray:
        return sum(flat @ Z[b, b].ravel() for b, flat in zip(self.blocks, self._flat, strict=True))

    def schur(self, Sinv: np.ndarray, Z: np.ndarray) -> np.ndarray:
        """``M_kl = tr(F_k S^-1 F_l Z)`` block by block (the reference for :meth:`schur_gram`)."""
        M = np.zeros((self.m, self.m))
        for b, Fb in zip(self.blocks, self.Fb, strict=True):
            X = np.matmul(Sinv[b, b], np.matmul(Fb, Z[b, b]))  # S^-1 F_l Z
            M += Fb.reshape(self.m, -1) @ X.reshape(self.m, -1).T
        return (M + M.T) / 2.0

    def newton_schur(self, Ls: np.ndarray, Lz: np.ndarray, Sinv: np.ndarray, Z: np.ndarray) -> np.ndarray:
        """The Newton step's Schur complement in its Gram form (:meth:`schur_gram`): formed from
        ``S^-1`` and ``Z`` it lost definiteness at a merit of ~1e-5 in the reduced CHSH SDPs (measured)."""
        W = la.solve_triangular(Ls, np.eye(self.n), lower=True, check_finite=False).T  # S^-1 = W W^T
        return self.schur_gram(Lz, W)

    def schur_gram(self, Lz: np.ndarray, W: np.ndarray) -> np.ndarray:
        """``M`` as a Gram matrix, block by block (module docstring); ``Z = Lz Lz^T``, ``S^-1 = W W^T``."""
        M = np.zeros((self.m, self.m))
        for b, Fb in zip(self.blocks, self.Fb, strict=True):
            G = np.matmul(np.matmul(Lz[b, b].T, Fb), W[b, b]).reshape(self.m, -1)
            M += G @ G.T
        return M

    def schur_diagonal(self, Sinv: np.ndarray, Z: np.ndarray) -> np.ndarray:
        """The diagonal of :meth:`schur` (the whole matrix here: the reduced LMIs are small)."""
        return np.diag(self.schur(Sinv, Z)).copy()

    def psd_root(self, Z: np.ndarray) -> np.ndarray:
        """``R R^T = Z`` block by block (``ipm.SparseLMI.psd_root`` per block): block diagonal."""
        R = np.zeros_like(Z)
        for b in self.blocks:
            w, Q = np.linalg.eigh(Z[b, b])
            R[b, b] = Q * np.sqrt(np.maximum(w, 0.0))
        return R

    def congruences(self, R: np.ndarray) -> np.ndarray:
        """``R^T F_k R`` for every ``k`` (``m x n x n``) for a block-diagonal ``R`` (:meth:`psd_root`;
        the repairs of ``certify.scaled_repairs``), block by block."""
        out = np.zeros((self.m, self.n, self.n))
        for b, Fb in zip(self.blocks, self.Fb, strict=True):
            out[:, b, b] = np.matmul(np.matmul(R[b, b].T, Fb), R[b, b])
        return out
