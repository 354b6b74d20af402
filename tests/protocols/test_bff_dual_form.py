"""The exact-dual route (``protocols/bff/dual_form.py``, ``routes.py``): the dual as an LMI in its
free parameters, whose every point is an exactly feasible dual certificate.

The checks are independent of the construction: feasibility is verified with the moment
structure's own map ``Fstar`` (``A*``), values with :meth:`certify.DualPoint.value`, and the
bracket ``certified <= primal`` by weak duality (``primal`` is the value of a moment matrix that
:meth:`EntropyEngine.primal_value` checked to be feasible).
"""

import numpy as np
import pytest
from corpus import depolarised_bell_table
from hypothesis import given, settings
from hypothesis import strategies as st

from protocols.bff import EntropyEngine
from protocols.bff.certify import DualPoint, rounding_margin
from protocols.bff.dual_form import dual_lmi


@pytest.fixture(scope="module")
def engine_2x2():
    eng = EntropyEngine(2, 2, 0, "table", 8, 0.0, workers=1)
    return eng, eng.table_data(depolarised_bell_table(2.6))


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), node=st.integers(0, 6), wide_rows=st.sets(st.integers(0, 7), max_size=4))
def test_every_parameter_vector_is_an_exactly_feasible_dual_point(engine_2x2, seed, node, wide_rows):
    """``A*(Z(v)) + G^T lam - E^T mu = c`` for *any* v (checked with ``Fstar``, not the LMI's maps),
    and the LMI's cost is minus the dual objective at the worst end of each interval."""
    eng, d = engine_2x2
    rng = np.random.default_rng(seed)
    wide = np.zeros(len(d), dtype=bool)
    wide[sorted(wide_rows)] = True
    d_lo, d_hi = d - 0.01 * wide, d + 0.01 * wide
    c, norm2 = eng.node_cost(node, False), eng.node_norm2(node, False)
    form = dual_lmi(eng.struct, eng.G, eng.E, c, d_lo, d_hi, np.full(len(eng.E), norm2))
    v = rng.normal(size=form.sdp.m)
    n_lam = len(form.lam_rows)
    signs = np.array([s for _, s in form.lam_rows])
    # an interval row's two multipliers are >= 0 and only one is used at a time (with both, the
    # LMI's cost is worse than the dual objective by (d_hi - d_lo) min(lam+, lam-): conservative)
    lam_part = v[form.n_free:form.n_free + n_lam]
    positive = rng.random(len(d)) < 0.5
    for j, (row, sign) in enumerate(form.lam_rows):
        if wide[row]:
            lam_part[j] = abs(lam_part[j]) if (sign > 0) == positive[row] else 0.0
    v[form.n_free + n_lam:] = np.abs(v[form.n_free + n_lam:])
    z, lam, mu = form.unpack(v)
    residual = c - eng.struct.Fstar @ z - eng.G.T @ lam + eng.E.T @ mu
    assert np.abs(residual).max() <= 1e-12 * (1 + np.abs(z).max() + np.abs(lam).max() + np.abs(mu).max())
    point = DualPoint(z=z, lam=lam, mu=mu, min_eig=0.0)
    value = point.value(eng.struct, norm2, d_lo, d_hi) + 1e-12  # DualPoint.value subtracts SAFETY
    assert form.cost @ v == pytest.approx(-value, abs=1e-9 * (1 + np.abs(v).max()))
    assert signs.shape == (n_lam,)


def test_exact_dual_route_certifies_a_node_within_its_own_bracket(engine_2x2):
    """On a Bell-table node: the exact-dual certificate is a PSD, exactly feasible dual whose value
    sits below the primal-feasible value of the moment form, and close to it (the two solvers
    bracket the relaxation's value; measured gap ~1e-7)."""
    eng, d = engine_2x2
    i = 0
    report_a, _, res = eng._certify_ipm(i, d, d, d, True, False)
    report_b, point = eng._certify_exact_dual(i, d, d, d, False, warm=res)
    assert report_b.route.startswith("exact-dual") and report_b.status.startswith("dual-ipm:")
    c, norm2 = eng.node_cost(i, False), eng.node_norm2(i, False)
    residual = c - eng.struct.Fstar @ point.z - eng.G.T @ point.lam + eng.E.T @ point.mu
    assert np.abs(residual).sum() * norm2 <= 1e-8
    assert np.linalg.eigvalsh(eng.struct.smat(point.z))[0] >= -rounding_margin(eng.struct, point.z) or point.penalty > 0
    upper = report_a.primal
    assert report_b.certified <= upper + 1e-9  # weak duality
    assert upper - report_b.certified <= 2e-5  # the relaxation is pinned down to solver accuracy


def test_primal_value_accepts_only_feasible_moments(engine_2x2):
    eng, d = engine_2x2
    i = 2
    _, _, res = eng._certify_ipm(i, d, d, d, True, False)
    c, norm2 = eng.node_cost(i, False), eng.node_norm2(i, False)
    y = res.trail[0].y.copy()
    assert eng.primal_value(i, y, c, d, d, norm2) == pytest.approx(float(c @ y))
    broken = y.copy()
    broken[eng.struct.var(("A", 0))] += 1e-6  # a data row off by 1e-6
    assert eng.primal_value(i, broken, c, d, d, norm2) is None
    assert eng.primal_value(i, y, c, d, d, norm2=1e-9) is None  # norm rows violated
