"""The upper end of each node's bracket (``routes.NodeRoutes.primal_value``, ``NodeReport.primal_verified``).

A node's ``primal`` is an upper bound on its SDP only when it is the value of a moment vector
checked feasible; these tests build moment vectors of known infeasibility from a solved node
(first-order perturbation of the moment matrix's smallest eigenvalue, measured again with
``eigvalsh``) and check what the reports say when no check passes.
"""

import numpy as np
import pytest
from corpus import depolarised_bell_table

from protocols.bff import EntropyEngine
from protocols.bff.routes import PRIMAL_TOL


@pytest.fixture(scope="module")
def solved_node():
    eng = EntropyEngine(2, 2, 0, "table", 8, 0.0, workers=1)
    d = eng.table_data(depolarised_bell_table(2.6))
    i = 3
    _, _, res = eng._certify_ipm(i, d, d, d, True, False)
    return eng, d, i, res.trail[0].y.copy()


def _with_smallest_eigenvalue(eng, y: np.ndarray, target: float) -> tuple[np.ndarray, float]:
    """``y`` moved along one moment so the moment matrix's smallest eigenvalue is ~``target``
    (Newton steps on it: its first-order slope along the moment, ``v^T F_k v``); returns the new
    moments and that eigenvalue as ``eigvalsh`` computes it."""
    sdp = eng._moment_sdp()
    moved = y.copy()
    for _ in range(8):
        w, V = np.linalg.eigh(sdp.F0 + sdp.A(moved))
        if abs(w[0] - target) <= 0.02 * abs(target):
            break
        v = V[:, 0]
        slopes = np.array([v @ sdp.A(np.eye(len(y))[k]) @ v for k in range(len(y))])
        k = int(np.argmax(np.abs(slopes)))
        moved[k] += (target - w[0]) / slopes[k]
    return moved, float(np.linalg.eigvalsh(sdp.F0 + sdp.A(moved))[0])


@pytest.mark.parametrize("target", [-0.3 * PRIMAL_TOL, -5.0 * PRIMAL_TOL, -1e-9])
def test_primal_value_admits_rounding_below_zero_and_nothing_more(solved_node, target):
    eng, d, i, y = solved_node
    c = eng.node_cost(i, False)
    wide = np.full(len(d), 1.0)  # data rows out of the way: only the moment matrix is tested
    moved, lmin = _with_smallest_eigenvalue(eng, y, target)
    assert lmin == pytest.approx(target, rel=0.2, abs=0.1 * PRIMAL_TOL)
    value = eng.primal_value(i, moved, c, d - wide, d + wide, np.inf)
    if lmin >= -PRIMAL_TOL:
        assert value == pytest.approx(float(c @ moved))
    else:
        assert value is None


def test_every_node_of_a_bell_table_bound_has_a_verified_upper_end():
    eng = EntropyEngine(2, 2, 0, "table", 8, 0.0, workers=1)
    res = eng.bound(eng.table_data(depolarised_bell_table(2.6)))
    assert res.unverified_nodes == 0
    out = res.as_dict()
    assert out["unverified_nodes"] == 0
    assert all(n["primal_verified"] for n in out["node_values"])
    assert all(n.certified <= n.primal + 1e-9 for n in res.nodes)  # weak duality


def test_a_node_with_no_feasible_iterate_says_so(monkeypatch):
    """Where no moment vector passes the check, ``primal`` is the solver's own value, flagged."""
    eng = EntropyEngine(2, 2, 0, "table", 8, 0.0, workers=1)
    monkeypatch.setattr(eng, "primal_value", lambda *args, **kwargs: None)
    res = eng.bound(eng.table_data(depolarised_bell_table(2.6)))
    assert res.unverified_nodes == len(res.nodes) == 7
    assert not any(n.primal_verified for n in res.nodes)
    assert all(np.isfinite(n.primal) and n.primal >= n.certified - 1e-6 for n in res.nodes)
    assert res.as_dict()["unverified_nodes"] == 7
