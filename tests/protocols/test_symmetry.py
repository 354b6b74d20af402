"""Symmetry reduction of the node SDPs (``protocols/bff/symmetry.py``, ``block_lmi.py``).

The relabellings' action on the moments is checked against an independent route: the moments of
an explicit strategy and of its relabelled strategy. The reduced solve must lift to points of the
full SDP, and the reduced bound must agree with the full one within their certified brackets.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import explicit_strategy, strategy_moment_matrix

from protocols import ParameterError, pironio_entropy_bound
from protocols.bff import EntropyEngine, bff_entropy_chsh
from protocols.bff.block_lmi import BlockLMI
from protocols.bff.ipm import SparseLMI
from protocols.bff.symmetry import candidate_relabellings, moment_action


@pytest.fixture(scope="module")
def engine():
    return EntropyEngine(2, 2, 0, "chsh", nodes=8)


def _moments(struct, ops, psi) -> np.ndarray:
    """The moment vector ``<w>`` of every variable, read off the strategy's moment matrix."""
    gamma = strategy_moment_matrix(struct, ops, psi)
    F = struct.Fstar.tocsr()
    rows, cols = struct._tril
    rep = F.indices[F.indptr[:-1]]
    return gamma[rows[rep], cols[rep]]


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), pick=st.integers(0, 31))
def test_relabelling_acts_on_moments_as_on_a_strategy(seed, pick):
    """``rho y + b`` is the moment vector of the relabelled strategy, computed from its operators."""
    engine = EntropyEngine(2, 2, 0, "chsh", nodes=4)
    struct = engine.struct
    rng = np.random.default_rng(seed)
    ops, psi = explicit_strategy(struct, rng)
    g = candidate_relabellings(2, 2, 0)[pick]
    action = moment_action(struct, g)
    assert action is not None  # the CHSH structure is closed under every candidate
    new = {}
    for kind, party in (("A", g.alice), ("B", g.bob)):
        for i, (target, flip) in enumerate(party):
            P = ops[(kind, target)]
            new[(kind, i)] = np.eye(len(psi)) - P if flip else P
    for a in range(2):
        new[("Z", a)], new[("Zs", a)] = ops[("Z", g.eve[a])], ops[("Zs", g.eve[a])]
    y, y_new = _moments(struct, ops, psi), _moments(struct, new, psi)
    scale = 1.0 + np.abs(y).max()
    assert np.abs(action.rho @ y + action.b - y_new).max() <= 1e-12 * scale


def test_chsh_group_reduced_moments_and_blocks(engine):
    """At uniform marginals and S = 2.7 four relabellings fix the problem (every outcome flipped with
    Z_0 <-> Z_1; A_1 flipped with B_0 <-> B_1; their product): 322 moments become 84, the 49 x 49
    moment matrix four blocks, and every invariant moment matrix is block diagonal in that basis."""
    group = engine._symmetry_group()
    assert len(group.actions) == 8  # half of them map S to -S: not symmetries of this data
    d = engine.chsh_data(2.7)
    red = group.reduction(engine.node_cost(0), d)
    assert red is not None and len(red.group) == 4
    assert red.T.shape == (322, 84)
    assert sorted(b.stop - b.start for b in red.lmi.blocks) == [10, 12, 13, 14]
    rng = np.random.default_rng(1)
    for _ in range(3):
        y = red.lift(rng.normal(size=84))
        gamma = engine.struct.smat(engine.struct.F0 + engine.struct.Fstar.T @ y)
        blocked = red.V.T @ gamma @ red.V
        inside = np.zeros(blocked.shape, dtype=bool)
        for b in red.lmi.blocks:
            inside[b, b] = True
        assert np.abs(blocked[~inside]).max() <= 1e-12 * np.abs(blocked).max()
        assert np.allclose(engine.G[:4] @ y, 0.5, atol=1e-14, rtol=0)  # the marginals are fixed


def test_data_or_slack_without_the_symmetry_are_solved_in_full(engine):
    d = engine.chsh_data(2.7)
    skewed = d.copy()
    skewed[0] = 0.6  # Alice's key marginal: no outcome flip of A_0 fixes it; A_1 flipped with B_0 <-> B_1 does
    red = engine._symmetry_group().reduction(engine.node_cost(0), skewed)
    assert red is not None and len(red.group) == 2
    skewed[2] = 0.55  # and Bob's marginals differ: only the identity is left
    assert engine._symmetry_group().reduction(engine.node_cost(0), skewed) is None
    res = engine._solve_ipm(3, d, True, d - 0.01, d + 0.01, symmetric=True)  # slack rows are inequalities: no reduction
    assert not res.reduced
    assert engine._solve_ipm(3, d, True, d, d, symmetric=True).reduced
    assert not engine._reducible(3, d, d - 0.01, d + 0.01) and engine._reducible(3, d, d, d)


def test_reduced_solve_lifts_to_points_of_the_full_sdp(engine):
    """The lifted primal iterate is a moment matrix of the full SDP meeting the data; the lifted,
    repaired dual candidate solves the full dual equalities to rounding (so the full certificate
    needs no repair of its own)."""
    d = engine.chsh_data(2.7)
    s = engine.struct
    for i in (0, 4):
        c = engine.node_cost(i)
        red = engine._symmetry_group().reduction(c, d)
        h = np.full(len(engine.E), engine.node_norm2(i))
        res = red.solve(c, d, engine.E, h)
        best = res.candidates[0]
        gamma = s.smat(s.F0 + s.Fstar.T @ best.y)
        assert np.linalg.eigvalsh(gamma)[0] >= -1e-12 * np.abs(gamma).max()
        assert np.abs(engine.G @ best.y - d).max() <= 1e-12
        assert np.all(engine.E @ best.y <= h * (1 + 1e-12))
        residual = c - s.Fstar @ s.svec(best.Z) - engine.G.T @ best.lam + engine.E.T @ best.mu
        assert np.abs(residual).max() <= 1e-12 * (1 + np.abs(c).max())
        assert np.linalg.eigvalsh(best.Z)[0] >= -1e-12 * np.abs(best.Z).max()
        assert abs(res.primal - c @ best.y) <= 1e-12


def test_symmetric_bound_agrees_with_the_full_one_within_the_brackets(engine):
    """Both are certified lower bounds on the same relaxation; each lies within its certified gap of
    the relaxation, so they differ by at most the sum of the gaps; neither exceeds Pironio's bound."""
    full = EntropyEngine(2, 2, 0, "chsh", nodes=8, symmetry=False)
    for S in (2.3, 2.7):
        a, b = bff_entropy_chsh(S, engine=engine), bff_entropy_chsh(S, engine=full)
        assert abs(a.H_AE - b.H_AE) <= a.certified_gap + b.certified_gap + 1e-12
        assert max(a.H_AE, b.H_AE) <= pironio_entropy_bound(S)
        assert a.certified_gap <= 1e-6


def _block_data(rng, sizes, m):
    n = sum(sizes)
    F = np.zeros((m, n, n))
    F0 = np.zeros((n, n))
    blocks, start = [], 0
    for size in sizes:
        b = slice(start, start + size)
        X = rng.normal(size=(m, size, size))
        F[:, b, b] = X + X.transpose(0, 2, 1)
        F0[b, b] = np.eye(size)
        blocks.append((start, start + size))
        start += size
    return F0, F, blocks


def _block_pd(rng, sizes):
    n = sum(sizes)
    X = np.zeros((n, n))
    start = 0
    for size in sizes:
        Y = rng.normal(size=(size, size))
        X[start:start + size, start:start + size] = Y @ Y.T + 0.1 * np.eye(size)
        start += size
    return X


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), sizes=st.lists(st.integers(1, 6), min_size=1, max_size=4),
       m=st.integers(1, 12))
def test_block_lmi_maps_and_schur_forms_agree_with_the_dense_definition(seed, sizes, m):
    rng = np.random.default_rng(seed)
    F0, F, blocks = _block_data(rng, sizes, m)
    lmi = BlockLMI(F0, F, blocks)
    n = F0.shape[0]
    entries = []
    for k in range(m):
        r, c = np.nonzero(F[k])
        entries.append((r, c, F[k][r, c]))
    dense = SparseLMI(n, F0, entries)
    y = rng.normal(size=m)
    S, Z = _block_pd(rng, sizes), _block_pd(rng, sizes)
    assert np.allclose(lmi.A(y), np.tensordot(y, F, 1), atol=1e-12)
    assert np.allclose(lmi.A_adj(Z), [np.sum(F[k] * Z) for k in range(m)], atol=1e-10)
    Sinv = np.linalg.inv(S)
    reference = dense.dense_schur(Sinv, Z)
    Ls, Lz = np.linalg.cholesky(S), np.linalg.cholesky(Z)
    W = np.linalg.inv(Ls).T  # S^-1 = W W^T
    scale = np.abs(reference).max()
    assert np.allclose(lmi.schur(Sinv, Z), reference, atol=1e-9 * scale, rtol=0)
    assert np.allclose(lmi.schur_gram(Lz, W), reference, atol=1e-9 * scale, rtol=0)
    R = lmi.psd_root(Z)
    assert np.allclose(R @ R.T, Z, atol=1e-10 * np.abs(Z).max())
    K = lmi.congruences(R)
    assert np.allclose(K, np.matmul(np.matmul(R.T, F), R), atol=1e-9 * np.abs(K).max(initial=1.0))


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), 1, "yes", None])
def test_symmetry_flag_is_a_boolean(bad):
    with pytest.raises(ParameterError, match="symmetry must be True or False"):
        EntropyEngine(2, 2, 0, "chsh", nodes=4, symmetry=bad)
