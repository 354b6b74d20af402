"""Entangled-coherent-state link (Xie et al., seed 004): simulator vs closed forms.

Conventions repeated here because they are easy to misread: per-arm transmittance
eta = eta_d 10^(-beta L / 20) (Charlie midway); PLOB uses eta_d 10^(-beta L / 10); outcome
index 0 = +1; S = <A1B1> - <A1B2> + <A2B1> + <A2B2> on x = (1, 2), y = (0, 1), minus on (1, 1).
"""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from protocols import ParameterError, chsh_score, correlator, qber
from qmodels.cat import (
    CHSH_MINUS,
    CHSH_X,
    CHSH_Y,
    KEY_PAIR,
    LinkSetup,
    bell_closed_form,
    cat_table,
    choose_cutoff,
    ecs_closed_form,
    ecs_misaligned_closed_form,
    truncation_error,
)
from qmodels.cat.coherent import ecs_table_analytic

pytestmark = pytest.mark.cat

mus = st.floats(0.005, 0.6)
distances = st.floats(0.0, 500.0)
dark_counts = st.sampled_from([0.0, 1e-7, 1e-5, 1e-3])
misalignments = st.floats(0.0, 0.1)


def summary(table):
    return (table.herald_probability, chsh_score(table, CHSH_X, CHSH_Y, CHSH_MINUS), qber(table, KEY_PAIR))


def random_setups(n, seed, scheme="ecs"):
    rng = np.random.default_rng(seed)
    for _ in range(n):
        yield LinkSetup(scheme=scheme, mu=float(rng.uniform(0.01, 0.5)), distance_km=float(rng.uniform(0, 400)),
                        detector_efficiency=float(rng.uniform(0.5, 1.0)), dark_count=float(10 ** rng.uniform(-8, -3)),
                        misalignment=float(rng.uniform(0, 0.08)) if scheme == "ecs" else 0.0)


def test_strawberryfields_matches_the_analytic_backend_at_25_random_points():
    for setup in random_setups(25, seed=7):
        sim = cat_table(setup, backend="strawberryfields", tolerance=1e-6)
        exact = cat_table(setup, backend="analytic")
        bound = sim.meta["conditional_error_bound"]
        assert bound <= 1e-6
        assert np.abs(sim.P - exact.P).max() <= bound + 1e-9, setup
        assert sim.herald_probability == pytest.approx(exact.herald_probability, rel=1e-9)


def test_bell_scheme_strawberryfields_matches_its_closed_form_at_20_random_points():
    for setup in random_setups(20, seed=11, scheme="bell"):
        sim, exact = cat_table(setup, "strawberryfields"), cat_table(setup, "analytic")
        assert np.abs(sim.P - exact.P).max() <= 1e-7 + 1e-9 / exact.herald_probability
        Q, S, e = bell_closed_form(setup.arm_transmittance, setup.dark_count)
        q, s, ee = summary(exact)
        assert q == pytest.approx(Q, rel=1e-9) and s == pytest.approx(S, abs=1e-9) and ee == pytest.approx(e, abs=1e-9)


@given(mus, distances, dark_counts)
def test_analytic_tables_reproduce_the_seed_closed_form(mu, L, pd):
    setup = LinkSetup(mu=mu, distance_km=L, dark_count=pd)
    Q, S, e = ecs_closed_form(mu, setup.arm_transmittance, pd)
    q, s, ee = summary(ecs_table_analytic(setup))
    assert q == pytest.approx(Q, rel=1e-9)
    assert s == pytest.approx(S, abs=1e-7 + 1e-9 / Q)
    assert ee == pytest.approx(e, abs=1e-9 + 1e-12 / Q)


@given(mus, distances, dark_counts, misalignments)
def test_physical_phase_drift_reproduces_the_seed_misalignment_closed_form(mu, L, pd, ed):
    """The seed's Eq. (5) model and the physical phase drift agree on Q_zz, S and e_zz."""
    setup = LinkSetup(mu=mu, distance_km=L, dark_count=pd, misalignment=ed)
    Q, S, e = ecs_misaligned_closed_form(mu, setup.arm_transmittance, pd, ed)
    q, s, ee = summary(ecs_table_analytic(setup))
    assert q == pytest.approx(Q, rel=1e-9)
    assert s == pytest.approx(S, abs=1e-7 + 1e-9 / Q)
    assert ee == pytest.approx(e, abs=1e-9 + 1e-12 / Q)


def test_where_the_phase_drift_and_the_amplitude_split_differ():
    """Eq. (5) gives the BS outputs real amplitudes; the physical drift gives them relative phases
    (c ~ e^{i d/2} cos(d/2), d ~ -i e^{i d/2} sin(d/2)). Every correlator agrees (so S and e_zz do),
    but the marginals of settings involving sigma_x do not: with Eq. (5), Bob's B2 = sigma_x
    outcome becomes strongly biased, while the physical drift leaves it near 1/2."""
    setup = LinkSetup(mu=0.1, distance_km=0.0, misalignment=0.05)
    phase = ecs_table_analytic(setup, "phase")
    split = ecs_table_analytic(setup, "amplitude-split")
    for x in range(3):
        for y in range(2):
            assert correlator(phase, x, y) == pytest.approx(correlator(split, x, y), abs=1e-12)
    assert phase.bob_marginal()[1, 0] == pytest.approx(0.5, abs=0.01)
    assert split.bob_marginal()[1, 0] > 0.65
    # the Z-basis marginals agree, and without drift the two models coincide
    assert phase.bob_marginal()[0, 0] == pytest.approx(split.bob_marginal()[0, 0], abs=1e-12)
    aligned = LinkSetup(mu=0.1, distance_km=50.0)
    np.testing.assert_allclose(ecs_table_analytic(aligned, "phase").P, ecs_table_analytic(aligned, "amplitude-split").P,
                               atol=1e-12)


@given(mus)
def test_ideal_link_matches_the_seed(mu):
    """Lossless link, ideal threshold detectors: Q_zz = 1 - e^{-2mu}, S = sqrt2 (1 + e^{-2mu})."""
    table = ecs_table_analytic(LinkSetup(mu=mu, detector_efficiency=1.0, dark_count=0.0))
    q, s, e = summary(table)
    assert q == pytest.approx(1 - math.exp(-2 * mu), rel=1e-12)
    assert s == pytest.approx(math.sqrt(2) * (1 + math.exp(-2 * mu)), abs=1e-12)
    assert e == pytest.approx(0.0, abs=1e-12)


def test_ideal_violation_limit_is_0_4407():
    from diqkd.studies.cat_xie import ideal_violation_limit

    # S = 2 at e^{-2mu} = sqrt2 - 1: mu = -ln(sqrt2 - 1)/2 = 0.44069
    assert ideal_violation_limit() == pytest.approx(-math.log(math.sqrt(2) - 1) / 2, abs=1e-9)
    assert round(ideal_violation_limit(), 4) == 0.4407


@settings(max_examples=30)
@given(mus, distances, dark_counts, misalignments)
def test_tables_are_valid_and_below_tsirelson(mu, L, pd, ed):
    t = ecs_table_analytic(LinkSetup(mu=mu, distance_km=L, dark_count=pd, misalignment=ed))
    assert t.signalling < 1e-7
    assert abs(chsh_score(t, CHSH_X, CHSH_Y, CHSH_MINUS)) <= 2 * math.sqrt(2) + 1e-9
    assert 0 < t.herald_probability <= 1


@given(mus, st.floats(0.0, 400.0), st.floats(1.0, 100.0))
def test_herald_probability_falls_with_distance(mu, L, dL):
    near = ecs_table_analytic(LinkSetup(mu=mu, distance_km=L)).herald_probability
    far = ecs_table_analytic(LinkSetup(mu=mu, distance_km=L + dL)).herald_probability
    assert far < near


def test_optimal_rate_is_monotone_in_distance_and_efficiency():
    from diqkd.studies.cat_rates import optimise_mu

    rates = [optimise_mu(LinkSetup(distance_km=L)).rate for L in range(0, 500, 50)]
    assert all(b <= a for a, b in zip(rates, rates[1:], strict=False))
    effs = [optimise_mu(LinkSetup(distance_km=200, detector_efficiency=e)).rate for e in (0.5, 0.7, 0.9)]
    assert effs[0] <= effs[1] <= effs[2]


def test_rate_per_trial_against_seed_equation_1():
    from diqkd.studies.cat_rates import link_rate
    from protocols import binary_entropy

    setup = LinkSetup(mu=0.09, distance_km=250)
    Q, S, e = ecs_closed_form(0.09, setup.arm_transmittance, setup.dark_count)
    expected = Q * (1 - binary_entropy(e) - binary_entropy((1 + math.sqrt((S / 2) ** 2 - 1)) / 2))
    r = link_rate(setup)
    assert r.rate == pytest.approx(expected, rel=1e-7)
    assert r.plob == pytest.approx(-math.log2(1 - 0.8 * 10 ** (-0.2 * 250 / 10)))


def test_truncation_bound_and_cutoff_choice():
    setup = LinkSetup(mu=0.3, distance_km=100)
    Q = ecs_closed_form(0.3, setup.arm_transmittance, setup.dark_count)[0]
    bounds = [truncation_error(0.3, n, Q) for n in range(6, 25)]
    assert all(b2 <= b1 for b1, b2 in zip(bounds, bounds[1:], strict=False))
    n = choose_cutoff(setup, 1e-8)
    assert truncation_error(0.3, n, Q) <= 1e-8 < truncation_error(0.3, n - 1, Q)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(mu=0.0), "mu"),
        (dict(mu=-0.1), "mu"),
        (dict(distance_km=-1.0), "distance_km"),
        (dict(detector_efficiency=1.2), "detector_efficiency"),
        (dict(dark_count=-1e-3), "dark_count"),
        (dict(misalignment=0.7), "misalignment"),
        (dict(scheme="bb84"), "scheme"),
    ],
)
def test_bad_parameters_are_refused(kwargs, match):
    with pytest.raises(ParameterError, match=match):
        LinkSetup(**kwargs)


def test_cutoff_too_small_is_refused():
    with pytest.raises(ParameterError, match="cutoff 5 is too small.*at least"):
        cat_table(LinkSetup(mu=0.4, distance_km=10), backend="strawberryfields", cutoff=5)
    with pytest.raises(ParameterError, match="backend"):
        cat_table(LinkSetup(), backend="qutip")
    with pytest.raises(ParameterError, match="misalignment"):
        cat_table(LinkSetup(scheme="bell", misalignment=0.01))
