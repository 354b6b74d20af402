"""One-way LDPC error correction: codes, syndromes, decoding, planning and input checks.

Small blocks (<= 5e4 bits) keep the file fast; FER and timing at the protocol's size are in
``benchmarks/bench_reconciliation.py``.
"""

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.sparse.csgraph import connected_components

from protocols.errors import ParameterError
from protocols.postprocessing import error_correction as ec
from protocols.postprocessing import ldpc_codes as lc

GAMMA, Q, OMEGA = 13 / 256, 0.018, 0.83
H_DESIGN = ec.design_entropy(GAMMA, Q, OMEGA)
N_TEST = 50_000


def _decoders():
    out = []
    for name, module in (("numba", "numba"), ("ldpc", "ldpc")):
        try:
            __import__(module)
            out.append(name)
        except ImportError:
            pass
    return out


DECODERS = _decoders()


def _honest(n, seed, q=Q, test_p=1 - OMEGA, gamma=GAMMA):
    """Alice's bits, Bob's bits and the per-position flip probabilities (test rounds at random positions)."""
    rng = np.random.default_rng(seed)
    a = rng.integers(0, 2, n, dtype=np.uint8)
    p = np.where(rng.random(n) < gamma, test_p, q)
    b = a ^ (rng.random(n) < p).astype(np.uint8)
    return a, b, p


def test_design_entropy_at_the_design_point():
    h = lambda x: -x * np.log2(x) - (1 - x) * np.log2(1 - x)  # noqa: E731
    assert H_DESIGN == pytest.approx((1 - GAMMA) * h(Q) + GAMMA * h(1 - OMEGA), rel=1e-12)
    assert H_DESIGN == pytest.approx(0.1569, abs=1e-4)


# ------------------------------------------------------------------------------------------ decoding


@pytest.mark.skipif(not DECODERS, reason="needs numba or ldpc")
@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4])
def test_honest_block_at_the_design_point_decodes(seed):
    plan = ec.plan_code(N_TEST, H_DESIGN)
    a, b, p = _honest(N_TEST, seed)
    assert np.count_nonzero(a != b) > 0.015 * N_TEST  # a real error pattern (~1.5e3 flips), not a trivial one
    corr = ec.correct(plan, b, ec.syndromes(plan, a), p)
    assert corr.failed_blocks == ()
    assert corr.bits.dtype == np.uint8 and np.array_equal(corr.bits, a)
    assert 0 < corr.iterations[0] < ec.DEFAULT_MAX_ITER


@pytest.mark.parametrize("decoder", DECODERS)
def test_both_decoders_correct_several_blocks_with_padding(decoder):
    n = 3 * 12_000 - 2  # three blocks of 12 000, the last with 2 shortened positions
    plan = ec.plan_code(n, H_DESIGN, efficiency=1.25, max_block=12_000)
    assert (plan.blocks, plan.block_length, plan.padding) == (3, 12_000, 2)
    a, b, p = _honest(n, 7)
    corr = ec.correct(plan, b, ec.syndromes(plan, a), p, max_iter=200, decoder=decoder)
    assert corr.decoder == decoder and corr.failed_blocks == () and corr.success
    assert np.array_equal(corr.bits, a)


@pytest.mark.parametrize("decoder", DECODERS)
def test_qber_far_above_the_design_fails_and_says_so(decoder):
    n = 20_000
    plan = ec.plan_code(n, H_DESIGN, max_block=10_000)
    a, b, p = _honest(n, 3, q=0.06, test_p=0.06)  # h(0.06) = 0.33, twice the design entropy
    corr = ec.correct(plan, b, ec.syndromes(plan, a), p, max_iter=30, decoder=decoder)
    assert corr.failed_blocks == (0, 1) and not corr.success
    assert np.array_equal(corr.bits, b)  # failed blocks are left as Bob's input
    assert corr.iterations == (30, 30)


@pytest.mark.skipif(not DECODERS, reason="needs numba or ldpc")
def test_identical_strings_need_no_iteration():
    plan = ec.plan_code(5_000, H_DESIGN)
    a, _, p = _honest(5_000, 1)
    corr = ec.correct(plan, a, ec.syndromes(plan, a), p)
    assert corr.failed_blocks == () and corr.iterations == (0,) and np.array_equal(corr.bits, a)


# ------------------------------------------------------------------------------------------ the code


def test_parity_check_shape_degrees_and_determinism():
    plan = ec.plan_code(N_TEST, H_DESIGN)
    H = ec.parity_check(plan)
    N, m = plan.block_length, plan.syndrome_bits_per_block
    assert isinstance(H, sp.csr_matrix) and H.dtype == np.uint8 and H.shape == (m, N)
    assert np.all(H.data == 1)
    cols = np.asarray(H.sum(axis=0)).ravel()
    degs, counts = lc.column_degrees(N, m)
    observed = dict(zip(*np.unique(cols, return_counts=True), strict=True))
    assert {int(d): int(c) for d, c in zip(degs, counts, strict=True)} == observed
    assert set(degs) == {2, 3, 6, 7, 8, 17, 26}  # Elkouss et al. rate 0.80 columns
    assert counts[0] == m - 1  # degree-2 columns capped at m - 1, all on the staircase
    rows = np.asarray(H.sum(axis=1)).ravel()
    assert rows.max() - rows.min() <= 1 and rows.sum() == H.nnz  # concentrated checks
    assert H.nnz == int(np.dot(degs, counts))  # no repeated entry was merged
    # same seed, same matrix (a fresh construction, not the cache); another seed, another matrix
    again = lc._construct(N, m, lc.DEFAULT_DISTRIBUTION, plan.seed)
    assert (again != H).nnz == 0
    other = ec.parity_check(ec.plan_code(N_TEST, H_DESIGN, seed=1))
    assert other.shape == H.shape and (other != H).nnz > 0


def test_degree_two_columns_form_a_path():
    """No set of degree-2 columns alone is a codeword: as edges between checks they form a forest."""
    H = lc.construct(20_000, 3_400, seed=5)
    deg = np.asarray(H.sum(axis=0)).ravel()
    two = H[:, np.flatnonzero(deg == 2)].tocsc()
    a, b = two.indices[0::2], two.indices[1::2]
    G = sp.coo_matrix((np.ones(a.size), (a, b)), shape=(H.shape[0],) * 2)
    components, _ = connected_components(G, directed=False)
    assert a.size == H.shape[0] - 1 and components == H.shape[0] - a.size  # a spanning path: acyclic


def test_four_cycle_repair_and_count():
    dist = lc.DegreeDistribution("test", ((3, 0.5), (6, 0.5)), "test only")
    plain = lc.construct(6_000, 1_500, dist, seed=2)
    repaired = lc.construct(6_000, 1_500, dist, seed=2, girth6=True)
    assert lc.four_cycle_count(plain) > 0
    assert lc.four_cycle_count(repaired) == 0
    B = sp.csr_matrix(repaired, dtype=np.int32)
    off = sp.triu(B.T @ B, k=1)
    assert off.nnz == 0 or off.data.max() <= 1  # the brief's test: columns share at most one row
    assert (np.asarray(repaired.sum(0)) == np.asarray(plain.sum(0))).all()
    assert (np.asarray(repaired.sum(1)) == np.asarray(plain.sum(1))).all()
    assert lc.four_cycle_count(sp.csr_matrix(np.array([[1, 1, 0], [1, 1, 1]]))) == 1


def test_cached_matrix_is_read_only():
    H = lc.construct(2_000, 400, seed=0)
    assert lc.construct(2_000, 400, seed=0) is H
    with pytest.raises(ValueError):
        H.data[0] = 0


@settings(max_examples=25)
@given(n=st.integers(20, 400), max_block=st.integers(16, 200), seed=st.integers(0, 2**32), data=st.data())
def test_syndromes_are_linear(n, max_block, seed, data):
    plan = ec.plan_code(n, H_DESIGN, efficiency=1.5, max_block=max_block, seed=seed % 7)
    x = np.array(data.draw(st.lists(st.integers(0, 1), min_size=n, max_size=n)), dtype=np.uint8)
    y = np.array(data.draw(st.lists(st.integers(0, 1), min_size=n, max_size=n)), dtype=np.uint8)
    sx, sy = ec.syndromes(plan, x), ec.syndromes(plan, y)
    assert sx.shape == (plan.blocks, plan.syndrome_bits_per_block) and sx.dtype == np.uint8
    assert np.array_equal(ec.syndromes(plan, x ^ y), sx ^ sy)
    assert not ec.syndromes(plan, np.zeros(n, np.uint8)).any()


# ------------------------------------------------------------------------------------------ planning


@pytest.mark.parametrize("n, f, max_block", [(1_500_000, 1.15, ec.DEFAULT_MAX_BLOCK), (50_000, 1.15, 2**17),
                                              (123_457, 1.08, 10_000), (999, 1.3, 100)])
def test_plan_leak_and_efficiency(n, f, max_block):
    plan = ec.plan_code(n, H_DESIGN, efficiency=f, max_block=max_block)
    assert plan.blocks == -(-n // max_block) and plan.block_length == -(-n // plan.blocks)
    assert 0 <= plan.padding < plan.blocks
    assert plan.leak_bits == plan.blocks * plan.syndrome_bits_per_block
    assert plan.efficiency(H_DESIGN) <= f
    assert plan.efficiency(H_DESIGN) > f - 2 * plan.blocks / (n * H_DESIGN)  # floor loses < 1 bit per block


def test_default_plan_for_the_protocol_size():
    plan = ec.plan_code(1_500_000, H_DESIGN)
    assert (plan.blocks, plan.block_length, plan.design_efficiency) == (12, 125_000, ec.DEFAULT_EFFICIENCY)


# ------------------------------------------------------------------------------------------ bad input


@pytest.mark.parametrize("kwargs, words", [
    (dict(n=0), "n"), (dict(n=2.5), "n"),
    (dict(design_entropy=0.0), "design_entropy"), (dict(design_entropy=1.2), "design_entropy"),
    (dict(efficiency=0.99), "efficiency"), (dict(efficiency=float("nan")), "efficiency"),
    (dict(efficiency=7.0), "efficiency * design_entropy"),
    (dict(max_block=4), "max_block"), (dict(seed=-1), "seed"),
])
def test_plan_code_refuses_bad_parameters(kwargs, words):
    args = dict(n=1000, design_entropy=H_DESIGN) | kwargs
    with pytest.raises(ParameterError, match=words.replace("*", r"\*")):
        ec.plan_code(**args)


def test_design_entropy_refuses_bad_parameters():
    for kwargs, name in ((dict(gamma=1.5), "gamma"), (dict(Q=-0.1), "Q"), (dict(omega=2), "omega")):
        with pytest.raises(ParameterError, match=name):
            ec.design_entropy(**(dict(gamma=GAMMA, Q=Q, omega=OMEGA) | kwargs))


def test_syndromes_and_correct_refuse_bad_input():
    n = 500
    plan = ec.plan_code(n, H_DESIGN)
    a, b, p = _honest(n, 0)
    s = ec.syndromes(plan, a)
    with pytest.raises(ParameterError, match="bits must be a 1-d array of 500 bits"):
        ec.syndromes(plan, a[:-1])
    with pytest.raises(ParameterError, match="bits must contain only bits 0/1, got the value 2"):
        ec.syndromes(plan, np.where(a == 1, 2, 0))
    with pytest.raises(ParameterError, match="plan must be a CodePlan"):
        ec.syndromes((n, 1), a)
    with pytest.raises(ParameterError, match="bob_bits must be a 1-d array"):
        ec.correct(plan, b[:10], s, p)
    with pytest.raises(ParameterError, match="bob_bits must be an array of bits"):
        ec.correct(plan, b.astype(str), s, p)
    with pytest.raises(ParameterError, match="syndromes must have shape"):
        ec.correct(plan, b, s.ravel(), p)
    with pytest.raises(ParameterError, match="syndromes must contain only bits"):
        ec.correct(plan, b, s * 3, p)
    with pytest.raises(ParameterError, match="flip_probabilities must have 500 entries"):
        ec.correct(plan, b, s, p[1:])
    for bad in (0.0, 0.6, -0.1):
        with pytest.raises(ParameterError, match=r"flip_probabilities must lie in \(0, 0.5\]"):
            ec.correct(plan, b, s, np.where(np.arange(n) == 3, bad, p))
    with pytest.raises(ParameterError, match="flip_probabilities must be finite"):
        ec.correct(plan, b, s, np.full(n, np.nan))
    with pytest.raises(ParameterError, match="max_iter"):
        ec.correct(plan, b, s, p, max_iter=0)
    with pytest.raises(ParameterError, match="decoder must be"):
        ec.correct(plan, b, s, p, decoder="magic")
    with pytest.raises(ParameterError, match="checks must be an integer"):
        lc.construct(100, 100)
