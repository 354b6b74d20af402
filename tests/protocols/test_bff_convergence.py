"""``nodes="auto"``: the bound raised in m until it settles (``protocols.bff.convergence``)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from protocols import ParameterError, pironio_entropy_bound
from protocols.bff import bff_entropy_chsh
from protocols.bff.convergence import NODE_LADDER, converge_in_nodes
from protocols.bff.result import BFFResult


def _fake(values: dict[int, float]):
    """A stand-in for the engine: the bound with m nodes is ``values[m]``; records the calls."""
    calls: list[int] = []

    def bound(m: int) -> BFFResult:
        calls.append(m)
        return BFFResult(values[m], [], [], np.zeros(0), (0.0, np.zeros(0)), 0.0, "bound")

    return bound, calls


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(0.0, 1.0), min_size=len(NODE_LADDER), max_size=len(NODE_LADDER)),
       st.sampled_from([1e-6, 1e-4, 1e-2, 0.3]))
def test_stops_at_the_first_settled_pair_and_returns_the_best(hs, tol):
    values = dict(zip(NODE_LADDER, hs, strict=True))
    bound, calls = _fake(values)
    res = converge_in_nodes(bound, tol, max_nodes=48)
    auto = res.details["nodes_auto"]
    # the calls follow the ladder and stop right after the first pair closer than tol
    settled = [k for k in range(1, len(hs)) if abs(hs[k] - hs[k - 1]) < tol]
    stop = settled[0] if settled else len(hs) - 1
    assert calls == list(NODE_LADDER[:stop + 1])
    assert auto["converged"] == bool(settled)
    assert [s["nodes"] for s in auto["sequence"]] == calls
    # every m gives a valid bound, so the best of those computed is returned
    assert res.H_AE == max(hs[:stop + 1])
    assert values[auto["nodes"]] == res.H_AE


def test_max_nodes_limits_the_ladder():
    bound, calls = _fake({m: 0.1 * k for k, m in enumerate(NODE_LADDER)})
    res = converge_in_nodes(bound, 1e-3, max_nodes=12)
    assert calls == [4, 6, 8, 12]
    assert res.details["nodes_auto"]["converged"] is False
    assert res.H_AE == pytest.approx(0.3)


@pytest.mark.parametrize("tol", [0.0, -1e-3, 1e-9, float("nan"), float("inf"), 1.5, "x"])
def test_bad_tolerance(tol):
    bound, calls = _fake({})
    with pytest.raises(ParameterError, match="tolerance"):
        converge_in_nodes(bound, tol)
    assert calls == []


@pytest.mark.parametrize("max_nodes", [4, 3, 49, 8.5])
def test_bad_max_nodes(max_nodes):
    with pytest.raises(ParameterError, match="max_nodes"):
        converge_in_nodes(_fake({})[0], 1e-3, max_nodes=max_nodes)


def test_auto_needs_no_engine_and_a_fixed_m_takes_no_tolerance():
    from protocols.bff import EntropyEngine

    with pytest.raises(ParameterError, match="tolerance goes with nodes='auto'"):
        bff_entropy_chsh(2.7, nodes=8, tolerance=1e-3)
    with pytest.raises(ParameterError, match="pass no engine"):
        bff_entropy_chsh(2.7, nodes="auto", engine=EntropyEngine(2, 2, 0, "chsh", nodes=4))
    with pytest.raises(ParameterError, match="m must be"):
        bff_entropy_chsh(2.7, nodes="many")


def test_auto_on_chsh_is_the_best_fixed_m_bound():
    """CHSH score 2.7: m = 4, 6, 8 with a loose tolerance. Each entry of the sequence is the
    fixed-m bound (same engine, so equal up to the certificates' run-to-run jitter, < 1e-7
    measured), the best is returned, and no bound exceeds Pironio et al.'s exact CHSH curve."""
    lines: list[str] = []
    res = bff_entropy_chsh(2.7, nodes="auto", tolerance=5e-3, max_nodes=8, progress_line=lines.append)
    auto = res.details["nodes_auto"]
    seq = auto["sequence"]
    assert [s["nodes"] for s in seq][:2] == [4, 6] and len(lines) == len(seq)
    assert res.H_AE == max(s["H_AE"] for s in seq)
    assert res.H_AE <= pironio_entropy_bound(2.7)
    fixed = bff_entropy_chsh(2.7, nodes=auto["nodes"])
    assert abs(fixed.H_AE - res.H_AE) <= 1e-6
    assert res.as_dict()["nodes_auto"]["converged"] == auto["converged"]
