"""The interior point's Schur complement ``M_kl = tr(F_k S^-1 F_l Z)`` (``protocols/bff/ipm.py``)
against the definition, evaluated with dense matrices."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import random_moment_layout

from protocols.bff import EntropyEngine
from protocols.bff.ipm import MomentSDP, SparseLMI


def _by_definition(F: np.ndarray, Sinv: np.ndarray, Z: np.ndarray) -> np.ndarray:
    return np.einsum("kab,bc,lcd,da->kl", F, Sinv, F, Z, optimize=True)


def _pd(rng: np.random.Generator, n: int, floor: float) -> np.ndarray:
    A = rng.normal(size=(n, n))
    return A @ A.T + floor * np.eye(n)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 10), m=st.integers(1, 30))
def test_moment_schur_matches_the_definition(seed, n, m):
    """Random symmetric assignments of m moments (some absent, some on dozens of entries) and the
    constant to the entries of an n x n matrix."""
    rng = np.random.default_rng(seed)
    var_of = random_moment_layout(rng, n, m)
    if var_of is None:
        return
    lmi = MomentSDP.from_entries(var_of)
    _check_against_the_definition(lmi, np.array([(var_of == k).astype(float) for k in range(lmi.m)]), rng)


def _check_against_the_definition(lmi: SparseLMI, F: np.ndarray, rng: np.random.Generator) -> None:
    """``schur`` (per entry) and ``dense_schur`` against the einsum of the definition at random
    positive definite points, and ``congruences`` against ``R^T F_k R``."""
    n = lmi.n
    Sinv, Z = np.linalg.inv(_pd(rng, n, 1e-2)), _pd(rng, n, 0.0)
    want = _by_definition(F, Sinv, Z)
    scale = max(1.0, float(np.abs(want).max()))
    got = lmi.schur(Sinv, Z)  # compiled (schur_kernel.py) where numba is installed
    assert np.abs(got - want).max() <= 1e-12 * scale
    assert np.array_equal(got, got.T)
    batched = lmi._plan.batched(Sinv, Z)  # the NumPy form
    assert np.abs(batched - want).max() <= 1e-12 * scale and np.array_equal(batched, batched.T)
    assert np.abs(lmi.dense_schur(Sinv, Z) - want).max() <= 1e-12 * scale
    assert np.abs(lmi.schur_diagonal(Sinv, Z) - np.diag(want)).max() <= 1e-12 * scale  # pairs of nonzeros
    R = rng.normal(size=(n, n))
    congruent = np.einsum("ai,kab,bj->kij", R, F, R)
    assert np.abs(lmi.congruences(R) - congruent).max() <= 1e-12 * max(1.0, float(np.abs(congruent).max()))


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 9), m=st.integers(1, 25), nnz=st.integers(1, 12))
def test_general_sparse_schur_matches_the_definition(seed, n, m, nnz):
    """Symmetric ``F_k`` with arbitrary values and overlapping supports (as the exact-dual LMI's,
    ``dual_form.py``), some ``F_k`` empty."""
    rng = np.random.default_rng(seed)
    F = np.zeros((m, n, n))
    for k in range(m):
        r, c = rng.integers(0, n, size=(2, rng.integers(0, nnz + 1)))
        np.add.at(F[k], (r, c), rng.normal(size=r.size))
        F[k] = F[k] + F[k].T
    entries = [np.nonzero(Fk) + (Fk[np.nonzero(Fk)],) for Fk in F]
    _check_against_the_definition(SparseLMI(n, np.eye(n), entries), F, rng)


def test_chsh_node_schur_matches_the_definition():
    """The CHSH node's moment matrix (49 x 49, 322 moments)."""
    eng = EntropyEngine(2, 2, 0, "chsh", 4)
    sdp = MomentSDP(eng.struct)
    F = np.array([(sdp.var_of == k).astype(float) for k in range(sdp.m)])
    rng = np.random.default_rng(7)
    Sinv, Z = np.linalg.inv(_pd(rng, sdp.n, 1e-3)), _pd(rng, sdp.n, 0.0)
    want = _by_definition(F, Sinv, Z)
    assert np.abs(sdp.schur(Sinv, Z) - want).max() <= 1e-12 * float(np.abs(want).max())


def test_compiled_schur_kernel_is_its_python_source():
    """``schur_kernel.schur_lower`` run as plain Python (the source numba compiles) gives the
    definition's ``M``; the compiled kernel, where numba is installed, the same to rounding."""
    from protocols.bff import schur_kernel

    rng = np.random.default_rng(11)
    var_of = random_moment_layout(rng, 5, 9)
    lmi = MomentSDP.from_entries(var_of)
    F = np.array([(var_of == k).astype(float) for k in range(lmi.m)])
    Sinv, Z = np.linalg.inv(_pd(rng, lmi.n, 1e-2)), _pd(rng, lmi.n, 0.0)
    want = _by_definition(F, Sinv, Z)
    M = np.empty((lmi.m, lmi.m))
    schur_kernel.schur_lower(Sinv, Z, *lmi._plan._csr, M)
    assert np.abs(M - want).max() <= 1e-12 * max(1.0, float(np.abs(want).max()))
    kernel = schur_kernel.compiled()
    if kernel is None:
        pytest.skip("numba not installed: the NumPy form runs instead")
    M2 = np.empty_like(M)
    kernel(Sinv, Z, *lmi._plan._csr, M2)
    assert np.abs(M2 - M).max() <= 1e-13 * max(1.0, float(np.abs(want).max()))


def test_numba_switch_keeps_the_numpy_form(monkeypatch):
    """``DIQKD_NUMBA=0``: no compiled kernel, and ``MomentSDP.schur`` is the NumPy form exactly."""
    from protocols.bff import schur_kernel

    monkeypatch.setenv(schur_kernel.NUMBA_ENV, "0")
    schur_kernel.compiled.cache_clear()
    try:
        assert schur_kernel.compiled() is None
        lmi = EntropyEngine(2, 2, 0, "chsh", 4)._moment_sdp()
        rng = np.random.default_rng(5)
        Sinv, Z = np.linalg.inv(_pd(rng, lmi.n, 1e-2)), _pd(rng, lmi.n, 0.0)
        assert np.array_equal(lmi.schur(Sinv, Z), lmi._plan.batched(Sinv, Z))
    finally:
        monkeypatch.delenv(schur_kernel.NUMBA_ENV)
        schur_kernel.compiled.cache_clear()


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 16), floor=st.sampled_from([1e-6, 1e-2, 1.0]))
def test_step_to_the_cone_boundary_both_ways(seed, n, floor):
    """``ipm._max_step`` by triangular solves and by the inverse factor give the same step, and it is
    the distance to the boundary: ``X + a dX`` is positive definite just short of it and not just
    beyond (the smallest eigenvalue of ``X + a dX`` against the eigenvalue problem, computed apart)."""
    from scipy.linalg import eigh

    from protocols.bff.ipm import _max_step, _triangular_inverse

    rng = np.random.default_rng(seed)
    X = _pd(rng, n, floor)
    dX = rng.normal(size=(n, n))
    dX = dX + dX.T
    L = np.linalg.cholesky(X)
    by_solves, by_inverse = _max_step(L, dX), _max_step(L, dX, _triangular_inverse(L))
    # independent route: the generalised eigenvalues of (dX, X); the step is -1 / the least one
    least = float(eigh(dX, X, eigvals_only=True)[0])
    if least >= 0:
        assert by_solves == by_inverse == np.inf
        return
    cond = np.linalg.cond(X)
    assert by_inverse == pytest.approx(by_solves, rel=1e-12 * cond + 1e-12)
    assert by_solves == pytest.approx(-1.0 / least, rel=1e-12 * cond + 1e-12)
    assert np.linalg.eigvalsh(X + 0.99 * by_solves * dX)[0] > 0
    assert np.linalg.eigvalsh(X + 1.01 * by_solves * dX)[0] < 0
