"""The interior point's Schur complement ``M_kl = tr(F_k S^-1 F_l Z)``, compiled by numba (optional).

For each ``l``: ``X_l = S^-1 F_l Z = sum_j v_j S^-1[:, r_j] Z[c_j, :]`` over the nonzeros
``(r_j, c_j, v_j)`` of ``F_l`` (``n^2`` multiply-adds each, in a buffer that stays in cache), then
``M_kl = <F_k, X_l> = sum_i v_i X_l[r_i, c_i]`` over the nonzeros of ``F_k``, for ``k >= l`` only,
mirrored: with ``S^-1``, ``Z`` and every ``F`` symmetric, ``M`` is symmetric (``tr(F_k S^-1 F_l Z)
= tr(Z F_l S^-1 F_k)``, the trace of the transpose, ``= tr(F_l S^-1 F_k Z)`` by the cycle), so the
inputs must be symmetric (``ipm._SchurPlan`` symmetrises them). This is the sparse evaluation of
Fujisawa, Kojima, Nakata, Math. Program. 79, 235 (1997), as ``ipm._SchurPlan`` does it, without
the ``m x n^2`` intermediate of NumPy's batched products: measured with one thread on a 2x3 node's
moment matrix (68 x 68, 690 moments), 5.5-7 ms instead of 12-15 ms (``_SchurPlan.batched``, same
hour), as accurate against an extended-precision evaluation at the last iterations of a 2x3 node
(4e-16 and 6e-16 of the largest entry, against 5e-16 and 7e-16; ``tests/protocols/test_ipm.py``
checks the definition). It runs where numba is installed (the ``sdp`` extra); otherwise
``ipm._SchurPlan`` keeps its NumPy form. The compiled kernel is cached on disk (``cache=True``:
~1 s to compile the first time, ~0.3 s to import numba once per process) and releases the GIL
(``nogil``), so nodes solved in threads overlap.
"""

from __future__ import annotations

import functools
import os

import numpy as np


def schur_lower(Sinv: np.ndarray, Z: np.ndarray, indptr: np.ndarray, flat: np.ndarray, rows: np.ndarray,
                cols: np.ndarray, vals: np.ndarray, M: np.ndarray) -> None:
    """Fill ``M`` (``m x m``) with ``tr(F_k S^-1 F_l Z)``; ``F_l``'s nonzeros are ``indptr[l]:indptr[l+1]``
    of ``flat`` (``r n + c``), ``rows``, ``cols``, ``vals`` (the CSR rows of ``ipm.SparseLMI.P``).
    Plain Python: the reference of the compiled :func:`compiled` (far too slow to call uncompiled)."""
    n = Sinv.shape[0]
    m = len(indptr) - 1
    X = np.empty(n * n)
    for l in range(m):
        X[:] = 0.0
        for j in range(indptr[l], indptr[l + 1]):
            r, c, v = rows[j], cols[j], vals[j]
            for a in range(n):
                s = v * Sinv[a, r]
                for b in range(n):
                    X[a * n + b] += s * Z[c, b]
        for k in range(l, m):
            acc = 0.0
            for i in range(indptr[k], indptr[k + 1]):
                acc += vals[i] * X[flat[i]]
            M[k, l] = acc
            M[l, k] = acc


#: environment variable: ``0`` keeps the NumPy form even where numba is installed
NUMBA_ENV = "DIQKD_NUMBA"


@functools.cache
def compiled():
    """:func:`schur_lower` compiled by numba (``None`` where numba is not installed or the
    environment says ``DIQKD_NUMBA=0``)."""
    if os.environ.get(NUMBA_ENV, "").strip() == "0":
        return None
    try:
        import numba
    except ImportError:
        return None
    return numba.njit(cache=True, nogil=True, boundscheck=False)(schur_lower)
