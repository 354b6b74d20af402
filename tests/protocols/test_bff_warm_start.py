"""Warm starts across bounds (``EntropyEngine(warm_start=True)``, ``routes.NodeRoutes.warm_point``):
a search's next bound starts each node from a centred iterate of its previous bound. The bound
stays certified (it agrees with a cold bound within their brackets), takes fewer interior-point
iterations, ignores a start that does not fit, solves again cold when a start fails, and gives the
same bits in worker processes as in one thread. Within one bound the nodes are started in chains
(``parallel.chain_predecessors``), with the same guarantees."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import postselection_table
from threadpoolctl import threadpool_limits

from protocols.bff import EntropyEngine
from protocols.bff import parallel as P
from protocols.bff.ipm import MomentSDP
from protocols.postselection import postselection_engine

FIRST, NEXT = (0.8, 0.10), (0.82, 0.11)  # (p, p_N): a step of a post-selection search


def _engine(warm: bool, workers: int = 1, nodes: int = 4) -> EntropyEngine:
    eng = postselection_engine(postselection_table(), nodes=nodes, warm_start=warm)
    eng.workers = workers
    return eng


def _bound(eng: EntropyEngine, p_pn):
    eng.set_postprocessing(*p_pn)
    return eng.bound(eng.table_data(postselection_table()))


@pytest.fixture
def iterations(monkeypatch):
    """Interior-point iterations of every moment-form solve (all in this process: ``workers=1``)."""
    seen = []
    solve = MomentSDP.solve

    def counting(self, *args, **kwargs):
        res = solve(self, *args, **kwargs)
        seen.append(res.iterations)
        return res

    monkeypatch.setattr(MomentSDP, "solve", counting)
    return seen


def test_a_warm_bound_agrees_with_a_cold_one_and_takes_fewer_iterations(iterations):
    warm = _engine(True)
    _bound(warm, FIRST)
    assert set(warm._warm) == set(warm.node_indices)  # every node left a start
    iterations.clear()
    second = _bound(warm, NEXT)
    warm_its = sum(iterations)
    iterations.clear()
    cold = _bound(_engine(False), NEXT)
    cold_its = sum(iterations)
    # measured 11-14 against 20-22 iterations a node on photonic tables; here 35 against 58 (11, 11, 13
    # against 19, 19, 20)
    assert warm_its <= 0.8 * cold_its
    # both are certified lower bounds on the same relaxation, each within its bracket of it
    assert abs(second.H_AE - cold.H_AE) <= max(second.certified_gap, cold.certified_gap) + 1e-12
    assert all(n.warm is None for n in second.nodes)  # the starts are kept by the engine, not the result


def test_without_warm_start_nothing_is_kept():
    eng = _engine(False)
    _bound(eng, FIRST)
    assert eng._warm == {}


def test_a_start_that_does_not_fit_is_ignored():
    eng = _engine(True)
    _bound(eng, FIRST)
    i = eng.node_indices[0]
    warm = eng._warm[i]
    d = eng.table_data(postselection_table())
    assert eng._warm_start_for(i, warm, True, None, d, d) is not None
    assert eng._warm_start_for(i, warm, True, True, d, d) is None  # another scale
    assert eng._warm_start_for(i, warm, False, None, d, d) is None  # without norm rows
    assert eng._warm_start_for(i, warm, True, None, d - 1e-3, d + 1e-3) is None  # slack rows
    assert eng._warm_start_for(i, None, True, None, d, d) is None
    outside = (warm[0], warm[1] * 1e6, *warm[2:])  # moments beyond the norm bound
    assert eng._warm_start_for(i, outside, True, None, d, d) is None


def test_a_start_that_fails_is_solved_again_cold():
    eng = _engine(True)
    eng.set_postprocessing(*NEXT)
    d = eng.table_data(postselection_table())
    i = eng.node_indices[0]
    n = len(eng.struct.variables)
    broken = (False, np.zeros(n), -np.eye(eng._moment_sdp().n), np.zeros(len(eng.G)), np.full(len(eng.E), 1.0))
    cold = _engine(False)
    cold.set_postprocessing(*NEXT)
    with threadpool_limits(1, user_api="blas"):
        cold_report, _ = cold.solve_node(i, d, d, d)
        report, _ = eng.solve_node(i, d, d, d, warm=broken)
    assert report.certified == cold_report.certified  # the same cold solve, bit for bit
    assert report.warm is not None  # and its own start for the next bound


def test_warm_bounds_in_worker_processes_give_the_serial_bits(monkeypatch):
    monkeypatch.delenv(P.PROCESSES_ENV, raising=False)
    results = []
    for workers in (1, 2):
        eng = _engine(True, workers=workers)
        with threadpool_limits(1, user_api="blas"):  # as in the workers
            results.append([_bound(eng, FIRST), _bound(eng, NEXT)])
    for serial, parallel in zip(*results, strict=True):
        assert serial.H_AE == parallel.H_AE
        assert [n.certified for n in serial.nodes] == [n.certified for n in parallel.nodes]


@settings(max_examples=60, deadline=None)
@given(n=st.integers(0, 40), chain=st.integers(1, 6))
def test_chains_cover_the_nodes_in_order(n, chain):
    """The smallest t alone, then runs of at most ``chain`` consecutive nodes, each started from the
    one before it: fixed by the order alone."""
    order = list(np.random.default_rng(n).permutation(n))
    pred = P.chain_predecessors(order, chain)
    assert set(pred) == set(order)
    heads = [k for k, i in enumerate(order) if pred[i] is None]
    if n:
        assert heads[0] == 0 and (n == 1 or heads[1] == 1)
    for k, i in enumerate(order):
        if pred[i] is not None:
            assert pred[i] == order[k - 1]
    runs = np.diff(heads + [n])
    assert np.all(runs[1:] <= chain)


def test_a_chained_bound_agrees_with_an_unchained_one_and_starts_its_chains_warm(monkeypatch):
    """Within one bound, each node after a chain's head starts from its predecessor's iterate: fewer
    iterations, the same bound within the brackets, and the same bits in worker processes."""
    monkeypatch.delenv(P.PROCESSES_ENV, raising=False)
    starts = []
    solve = MomentSDP.solve

    def recording(self, *args, **kwargs):
        res = solve(self, *args, **kwargs)
        starts.append((kwargs.get("start") is not None, res.iterations))
        return res

    monkeypatch.setattr(MomentSDP, "solve", recording)
    results = {}
    for chain in (1, 3):  # chains of 1: every node its own, all from the default start
        monkeypatch.setattr(P, "chain_length", lambda nodes, chain=chain: chain)
        starts.clear()
        with threadpool_limits(1, user_api="blas"):
            results[chain] = _bound(_engine(False, nodes=6), FIRST)
        results[chain, "starts"] = list(starts)
    cold, chained = results[1], results[3]
    assert not any(warm for warm, _ in results[1, "starts"])
    warm_its = [its for warm, its in results[3, "starts"] if warm]
    assert len(warm_its) == 2  # 5 nodes: the smallest alone, then chains of 3 and 1
    assert sum(its for _, its in results[3, "starts"]) < sum(its for _, its in results[1, "starts"])
    assert abs(chained.H_AE - cold.H_AE) <= max(chained.certified_gap, cold.certified_gap) + 1e-12
    with threadpool_limits(1, user_api="blas"):
        parallel = _bound(_engine(False, workers=2, nodes=6), FIRST)
    assert parallel.H_AE == chained.H_AE
    assert [n.certified for n in parallel.nodes] == [n.certified for n in chained.nodes]


def test_chains_lengthen_with_the_nodes():
    # m = 8 (7 SDP nodes): chains of 2, so the smallest-t node and three chains share two cores evenly
    assert [P.chain_length(m - 1) for m in (4, 8, 16, 24, 32, 48)] == [2, 2, 3, 4, 5, 8]
    order = list(range(7))
    assert P.chain_predecessors(order) == {0: None, 1: None, 2: 1, 3: None, 4: 3, 5: None, 6: 5}
