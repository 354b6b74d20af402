"""The equilibrated route (``routes.NodeRoutes._equilibration``, ``ipm.MomentSDP.scaled``) and the
bracket budget that decides how many routes a node gets (``routes.BRACKET_BUDGET``).

The congruence ``D Gamma D`` is checked against dense matrices; the route's result against the
plain moment form by weak duality (each route's certified value lies below the other's
primal-feasible value, whatever either solver's accuracy), with the dual residual measured by
the moment structure's own map ``Fstar``, not the scaled LMI's.
"""

from __future__ import annotations

import numpy as np
import pytest
from corpus import depolarised_bell_table, qubit_cases
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import random_moment_layout

from protocols.bff import EntropyEngine, routes
from protocols.bff.ipm import MomentSDP


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 9), m=st.integers(1, 25))
def test_scaled_lmi_is_the_congruence_and_its_adjoint(seed, n, m):
    """``F0' + A'(y) = D (F0 + A(y)) D`` and ``A'*(Z') = A*(D Z' D)`` for random moment layouts,
    scales spanning six orders of magnitude, moments and symmetric ``Z'``."""
    rng = np.random.default_rng(seed)
    var_of = random_moment_layout(rng, n, m)
    if var_of is None:
        return
    lmi = MomentSDP.from_entries(var_of)
    scale = 10.0 ** rng.uniform(-3, 3, size=n)
    scaled = lmi.scaled(scale)
    D = np.diag(scale)
    y = rng.normal(size=lmi.m)
    want = D @ (lmi.F0 + lmi.A(y)) @ D
    assert np.allclose(scaled.F0 + scaled.A(y), want, rtol=1e-13, atol=1e-13 * np.abs(want).max())
    W = rng.normal(size=(n, n))
    W = W + W.T
    want_adj = lmi.A_adj(D @ W @ D)
    assert np.allclose(scaled.A_adj(W), want_adj, rtol=1e-12, atol=1e-12 * max(1.0, np.abs(want_adj).max()))


@pytest.fixture(scope="module")
def qubit_node():
    """The smallest node of the binned two-qubit table at eta = 0.83 (m = 8), where Eve's second
    moments reach ~1/t^2 and the plain moment matrix is worst conditioned."""
    case = next(c for c in qubit_cases((0.83,)))
    eng = EntropyEngine(2, 3, case.key_input, "table", 8, case.noise, workers=1)
    return eng, eng.table_data(case.table), eng.node_indices[0]


def test_equilibrated_route_brackets_the_same_relaxation(qubit_node):
    eng, d, i = qubit_node
    plain, _, res = eng._certify_ipm(i, d, d, d, True, False, quick=True)
    scale = eng._equilibration(res)
    assert np.all(scale > 0) and np.isclose(np.exp(np.mean(np.log(scale))), 1.0)
    sdp = eng._moment_sdp()
    diag = np.diag(scale) @ (sdp.F0 + sdp.A(res.y)) @ np.diag(scale)
    assert np.allclose(np.diag(diag), np.diag(diag)[0], rtol=1e-9)  # unit diagonal up to the normalisation
    equil, point, res_e = eng._certify_ipm(i, d, d, d, True, False, quick=True, scale=scale)
    # the mapped-back dual of the scaled LMI is a dual of the original SDP: its residual, measured
    # with the structure's own map, is of the solver's accuracy
    c = eng.node_cost(i, False)
    best = res_e.candidates[0]
    residual = c - eng.struct.Fstar @ eng.struct.svec(best.Z) - eng.G.T @ best.lam + eng.E.T @ best.mu
    assert np.abs(residual).max() <= 1e-6 * (1 + np.abs(c).max())
    # weak duality across the two routes (each certificate is a valid bound, each primal feasible)
    assert equil.certified <= plain.primal + 1e-12
    assert plain.certified <= equil.primal + 1e-12
    weight = eng.w[i] / (eng.t[i] * np.log(2))
    # a loose check (the route's bracket scatters with the machine's rounding): that it solved the node
    assert weight * (equil.primal - equil.certified) <= 1e-5


@pytest.mark.parametrize("nodes", [4, 8, 12, 16, 24, 32])
def test_budget_shares_sum_to_the_budget_or_keep_the_floor(nodes):
    eng = EntropyEngine(2, 2, 0, "chsh", nodes, 0.0, workers=1)
    shares = [eng.node_budget(i) for i in eng.node_indices]
    smallest = min(eng.node_indices, key=lambda k: eng.t[k])
    rest = [s for i, s in zip(eng.node_indices, shares, strict=True) if i != smallest]
    assert len(shares) == nodes - 1 and len(set(rest)) == 1  # equal shares...
    assert eng.node_budget(smallest) == routes.SMALLEST_T_SHARES * rest[0]  # ...the smallest t gets more
    if routes.BRACKET_BUDGET / (nodes - 2 + routes.SMALLEST_T_SHARES) >= routes.SHARE_FLOOR:
        assert sum(shares) == pytest.approx(routes.BRACKET_BUDGET, rel=1e-12)
    else:
        assert rest[0] == routes.SHARE_FLOOR and sum(shares) > routes.BRACKET_BUDGET
    if nodes <= 16:  # issue 11's target is for m <= 16: the shares sum to below 1e-6 there
        assert sum(shares) < 1e-6


@pytest.mark.parametrize("budget, least_routes", [(1.0, 1), (0.0, 4)])
def test_routes_stop_within_the_budget_and_not_before(monkeypatch, budget, least_routes):
    """With a budget no bracket exceeds, one moment-form route; with none, every route with the
    norm rows (plain, equilibrated, other scale, shorter steps) and the exact dual (Bell table,
    2x2 inputs, no symmetry reduction for the table constraint)."""
    eng = EntropyEngine(2, 2, 0, "table", 8, 0.0, workers=1)
    d, i = eng.table_data(depolarised_bell_table(2.3)), eng.node_indices[0]
    calls = {"ipm": 0, "exact": 0}
    certify_ipm, exact_dual = eng._certify_ipm, eng._certify_exact_dual

    def counting_ipm(*args, **kwargs):
        calls["ipm"] += 1
        return certify_ipm(*args, **kwargs)

    def counting_exact(*args, **kwargs):
        calls["exact"] += 1
        return exact_dual(*args, **kwargs)

    monkeypatch.setattr(routes, "BRACKET_BUDGET", budget)
    monkeypatch.setattr(routes, "SHARE_FLOOR", budget)  # no floor either: budget 0 means none at all
    monkeypatch.setattr(eng, "_certify_ipm", counting_ipm)
    monkeypatch.setattr(eng, "_certify_exact_dual", counting_exact)
    report, _ = eng.solve_node(i, d, d, d)
    if budget > 0:
        assert calls == {"ipm": 1, "exact": 0}
    else:
        assert calls["ipm"] >= least_routes and calls["exact"] == 1
    assert report.certified <= report.primal
