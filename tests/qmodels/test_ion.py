"""Trapped-ion layer (Qiskit): ideal limit, closed-form cross-check, calibration to the seed,
invariants, herald rate, sampler and bad input."""

import math
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from protocols import ParameterError, chsh_key_rate, chsh_score, qber
from protocols.finite_key import finite_key_length

pytest.importorskip("qiskit")

from qmodels.ion import (  # noqa: E402
    CHSH_MINUS,
    CHSH_X,
    CHSH_Y,
    KEY_PAIR,
    IonLinkSetup,
    correlators_closed_form,
    error_budget,
    heralded_state,
    ion_table,
    sample_counts,
    sampled_table,
)

pytestmark = pytest.mark.ion
TSIRELSON = 2 * math.sqrt(2)

setups = st.builds(
    IonLinkSetup,
    ion_photon_fidelity=st.floats(0.7, 1.0),
    mode_overlap=st.floats(0.5, 1.0),
    polarisation_drift_rad=st.floats(0.0, 0.5),
    ion_coherence_time_s=st.floats(1e-4, 1.0),
    ion_wait_time_s=st.floats(0.0, 1e-3),
    readout_error=st.floats(0.0, 0.1),
    photon_efficiency=st.floats(1e-3, 1.0),
    dark_count_rate_hz=st.floats(0.0, 1e4),
    alice_angles=st.tuples(st.floats(-math.pi, math.pi), st.floats(-math.pi, math.pi)),
    bob_angles=st.tuples(*[st.floats(-math.pi, math.pi)] * 3),
    distance_km=st.floats(0.0, 200.0),
)


def test_ideal_link_gives_phi_plus_and_tsirelson():
    setup = IonLinkSetup().ideal()
    state = heralded_state(setup)
    phi = np.array([1, 0, 0, 1]) / math.sqrt(2)
    assert np.allclose(state.rho.data, np.outer(phi, phi), atol=1e-12)
    assert state.pattern_probabilities == pytest.approx({"psi+": 0.5, "psi-": 0.5})
    table = ion_table(setup)
    assert chsh_score(table, CHSH_X, CHSH_Y, CHSH_MINUS) == pytest.approx(TSIRELSON, abs=1e-12)
    assert qber(table, KEY_PAIR) == pytest.approx(0.0, abs=1e-12)
    # BSM success 1/2 times both photons detected
    assert table.herald_probability == pytest.approx(0.5 * setup.photon_efficiency**2, rel=1e-12)


@settings(max_examples=25, deadline=None)
@given(setup=setups)
def test_table_matches_the_closed_form_correlators(setup):
    table = ion_table(setup)
    c = correlators_closed_form(setup)
    for x, ta in enumerate(setup.alice_angles):
        for y, tb in enumerate(setup.bob_angles):
            E = c["readout"] * (math.cos(ta) * math.cos(tb) * c["zz"] + math.sin(ta) * math.sin(tb) * c["xx"])
            expected = np.array([[1 + E, 1 - E], [1 - E, 1 + E]]) / 4
            assert np.allclose(table.block(x, y), expected, atol=1e-12)
    assert table.meta["fidelity"] == pytest.approx(c["fidelity"], abs=1e-12)


@settings(max_examples=25, deadline=None)
@given(setup=setups)
def test_tables_are_valid_quantum_tables(setup):
    table = ion_table(setup)  # the constructor checks normalisation and no-signalling
    assert table.signalling < 1e-12 and np.all(table.P >= -1e-15)
    assert abs(chsh_score(table, CHSH_X, CHSH_Y, CHSH_MINUS)) <= TSIRELSON + 1e-9
    assert 0 <= table.meta["fidelity"] <= 1 + 1e-12
    assert 0 < table.herald_probability <= 1 and table.rounds_per_second > 0


@settings(max_examples=20, deadline=None)
@given(setup=setups, worse=st.floats(0.0, 1.0))
def test_each_imperfection_only_hurts(setup, worse):
    ideal_angles = IonLinkSetup()
    setup = replace(setup, alice_angles=ideal_angles.alice_angles, bob_angles=ideal_angles.bob_angles)
    S0 = ion_table(setup).meta["S"]
    for field, value in (("readout_error", setup.readout_error + worse * (0.5 - setup.readout_error)),
                         ("mode_overlap", setup.mode_overlap * (1 - worse)),
                         ("polarisation_drift_rad", setup.polarisation_drift_rad + worse),
                         ("ion_photon_fidelity", 0.25 + (1 - worse) * (setup.ion_photon_fidelity - 0.25))):
        assert ion_table(replace(setup, **{field: value})).meta["S"] <= S0 + 1e-12


def test_defaults_reproduce_the_seed_characterisation():
    """Seed 003: S = 2.677(6), Q = 1.44(2)%, fidelity 96.0(1)%, ~2% per-photon efficiency."""
    table = ion_table()
    assert table.meta["S"] == pytest.approx(2.677, abs=0.006)
    assert table.meta["Q"] == pytest.approx(0.0144, abs=0.0002)
    assert table.meta["fidelity"] == pytest.approx(0.960, abs=0.001)
    assert table.meta["parameters"]["photon_efficiency"] == 0.02
    assert table.x_labels[0].startswith("X0") and table.shape == (2, 3, 2, 2)


def test_rounds_per_second_formula_and_seed_throughput():
    s = IonLinkSetup()
    table = ion_table(s)
    p = table.herald_probability
    assert table.rounds_per_second == pytest.approx(1 / (1 / (s.attempt_rate_hz * p) + s.round_overhead_s))
    # seed: 1.5e6 Bell pairs in 7.9 h wall-clock minus a 4.4 h pause
    assert table.rounds_per_second == pytest.approx(1.5e6 / (3.5 * 3600), rel=0.05)
    more_dark = ion_table(replace(s, dark_count_rate_hz=1e4))
    assert more_dark.herald_probability > p
    assert more_dark.meta["false_herald_fraction"] > table.meta["false_herald_fraction"]
    assert more_dark.meta["S"] < table.meta["S"]


@settings(max_examples=15, deadline=None)
@given(distance_km=st.floats(0.0, 300.0), db_per_km=st.floats(0.0, 1.0))
def test_a_fibre_link_is_the_seed_link_with_its_loss_delay_and_slower_attempts(distance_km, db_per_km):
    """Independent route: L km of fibre = the 2 m link with the photon efficiency times
    10^(-beta L/20), the wait longer by L n_g / c (n_g = 1.468) and attempts every 1/R + L n_g / c."""
    s = IonLinkSetup()
    far = ion_table(replace(s, distance_km=distance_km, fiber_db_per_km=db_per_km))
    delay = distance_km * 1e3 * 1.468 / 299_792_458.0
    equivalent = replace(s, photon_efficiency=s.photon_efficiency * 10 ** (-db_per_km * distance_km / 20),
                         ion_wait_time_s=s.ion_wait_time_s + delay, attempt_rate_hz=1 / (1 / s.attempt_rate_hz + delay))
    near = ion_table(equivalent)
    assert np.allclose(far.P, near.P, atol=1e-13)
    assert far.herald_probability == pytest.approx(near.herald_probability, rel=1e-12)
    assert far.rounds_per_second == pytest.approx(near.rounds_per_second, rel=1e-12)


def test_distance_costs_rate_and_violation():
    """Over fibre the herald rate falls ~ eta^2 and the ions dephase: S and the rate fall with L."""
    s = IonLinkSetup()
    rows = [ion_table(replace(s, distance_km=L)) for L in (0.0, 10.0, 50.0, 100.0)]
    assert all(a.meta["S"] > b.meta["S"] for a, b in zip(rows, rows[1:], strict=False))
    assert all(a.rounds_per_second > b.rounds_per_second for a, b in zip(rows, rows[1:], strict=False))
    # 50 km at 0.2 dB/km: 5 dB per photon, 10 dB on the two-photon herald (dark counts aside)
    assert rows[2].herald_probability / rows[0].herald_probability == pytest.approx(0.1, rel=0.01)
    assert ion_table(replace(s, distance_km=0.0)).P.tolist() == ion_table(s).P.tolist()


def test_error_budget_rows():
    rows = {r["imperfection"]: r for r in error_budget()}
    assert rows["all"]["S"] == pytest.approx(ion_table().meta["S"])
    assert rows["mode mismatch"]["Q"] == pytest.approx(0, abs=1e-12)  # dephasing leaves Z-Z alone
    assert rows["ion dephasing"]["Q"] == pytest.approx(0, abs=1e-12)
    assert rows["readout error"]["fidelity"] == pytest.approx(1, abs=1e-12)  # not a state property
    assert all(r["S_loss"] >= -1e-12 and r["infidelity"] >= -1e-12 for r in rows.values())


def test_sampler_is_reproducible_and_consistent():
    table = ion_table()
    a, b = sample_counts(table, 20_000, seed=7), sample_counts(table, 20_000, seed=7)
    assert np.array_equal(a, b) and not np.array_equal(a, sample_counts(table, 20_000, seed=8))
    assert np.all(a.sum(axis=(2, 3)) == 20_000)
    st_ = sampled_table(table, 200_000, seed=3)
    S_hat, S = chsh_score(st_, CHSH_X, CHSH_Y, CHSH_MINUS), table.meta["S"]
    # each correlator has standard deviation <= 1/sqrt(N): S within 5 sigma of 4 of them
    assert abs(S_hat - S) < 5 * 2 / math.sqrt(200_000)
    assert st_.meta["sampled"] == {"shots_per_setting": 200_000, "seed": 3}


def test_finite_size_rate_of_the_calibrated_link_is_below_its_asymptotic_rate():
    table = ion_table()
    S, Q = table.meta["S"], table.meta["Q"]
    finite = finite_key_length(1_500_000, 13 / 256, S, Q, 1e-10)
    assert 0 < finite.rate < chsh_key_rate(S, Q)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"ion_photon_fidelity": 1.2}, "ion_photon_fidelity"),
        ({"mode_overlap": -0.1}, "mode_overlap"),
        ({"readout_error": 0.7}, "readout_error"),
        ({"photon_efficiency": 1.5}, "photon_efficiency"),
        ({"ion_wait_time_s": -1e-6}, "ion_wait_time_s"),
        ({"ion_coherence_time_s": 0.0}, "ion_coherence_time_s"),
        ({"dark_count_rate_hz": -1.0}, "dark_count_rate_hz"),
        ({"distance_km": -1.0}, "distance_km"),
        ({"fiber_db_per_km": float("nan")}, "fiber_db_per_km"),
        ({"photon_efficiency": 0.0, "dark_count_rate_hz": 0.0}, "no attempt is ever heralded"),
        ({"alice_angles": (0.0,)}, "alice_angles must be 2"),
        ({"bob_angles": (0.0, 1.0)}, "bob_angles must be 3"),
        ({"bob_angles": (0.0, 1.0, float("nan"))}, "bob_angles"),
    ],
)
def test_bad_parameters_are_clear_errors(kwargs, message):
    with pytest.raises(ParameterError, match=message):
        IonLinkSetup(**kwargs)


def test_sampler_rejects_bad_shots():
    with pytest.raises(ParameterError, match="shots_per_setting"):
        sample_counts(ion_table(), 0, seed=1)


@pytest.mark.parametrize("eta, p_dark, q", [(0.3, 0.05, 0.5), (0.8, 0.4, 0.5), (0.5, 0.9, 0.45), (0.02, 2e-3, 0.5)])
def test_herald_probabilities_match_a_monte_carlo_of_the_clicks(eta, p_dark, q):
    """Independent route for the exact herald count (``channels.herald_probabilities``, derived
    here): simulate the four threshold detectors (0 = port 1 H, 1 = port 1 V, 2 = port 2 H,
    3 = port 2 V; a pair is valid when its polarisations differ), each photon arriving with
    probability eta, two photons in a uniformly chosen valid pair with probability q and bunched
    in one uniformly chosen detector otherwise, a lone photon in a uniformly chosen detector, and
    independent dark counts; a herald is exactly two clicks forming a valid pair."""
    from qmodels.ion import channels

    rng = np.random.default_rng(17)
    N = 400_000
    arrived = rng.random((N, 2)) < eta
    clicks = rng.random((N, 4)) < p_dark
    valid_pairs = np.array([[0, 1], [0, 3], [2, 1], [2, 3]])
    both = arrived.all(axis=1)
    paired = both & (rng.random(N) < q)
    pair = valid_pairs[rng.integers(0, 4, N)]
    rows = np.nonzero(paired)[0]
    clicks[rows, pair[rows, 0]] = True
    clicks[rows, pair[rows, 1]] = True
    single = np.where(both & ~paired, True, arrived.any(axis=1) & ~both)  # bunched pair or one photon
    rows = np.nonzero(single)[0]
    clicks[rows, rng.integers(0, 4, rows.size)] = True
    two = clicks.sum(axis=1) == 2
    valid = two & (clicks[:, 0] | clicks[:, 2]) & (clicks[:, 1] | clicks[:, 3])
    true_mc, false_mc = (valid & paired).mean(), (valid & ~paired).mean()
    p_true, p_false = channels.herald_probabilities(eta, p_dark, q)
    for mc, exact in ((true_mc, p_true), (false_mc, p_false)):
        assert abs(mc - exact) <= 5 * math.sqrt(max(exact, 1 / N) / N)


def test_any_dark_count_rate_gives_a_valid_table():
    """Poissonian dark counts, p_d = 1 - exp(-rate window) < 1: even 5e6 Hz is a valid link."""
    table = ion_table(IonLinkSetup(dark_count_rate_hz=5e6))
    assert 0 < table.herald_probability < 1 and table.meta["false_herald_fraction"] > 0.9
