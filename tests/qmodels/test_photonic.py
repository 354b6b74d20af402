"""Photonic layer (QuTiP): the Fock simulation against the Gaussian closed form and against a
hand-built one-pair calculation; invariants; the seed's angle-convention finding; bad input."""

import math
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from protocols import ParameterError

pytest.importorskip("qutip")

from qmodels.photonic import PhotonicSetup, photonic_table, visibility_from_fidelity  # noqa: E402
from qmodels.photonic.fock import truncation_error  # noqa: E402

pytestmark = pytest.mark.photonic

setups = st.builds(
    PhotonicSetup,
    theta_deg=st.floats(5, 85),
    alice_angles_deg=st.tuples(st.floats(-90, 90), st.floats(-90, 90)),
    bob_angles_deg=st.tuples(*[st.floats(-90, 90)] * 3),
    angle_convention=st.sampled_from(["analyser-mirrored", "analyser", "hwp"]),
    eta_a=st.floats(0.5, 1.0), eta_b=st.floats(0.5, 1.0),
    fiber_m=st.floats(0, 5000),
    visibility=st.floats(0.8, 1.0),
    dark_count=st.floats(0, 1e-3),
    pair_mean_number=st.floats(0.001, 0.15),
)


@settings(max_examples=20, deadline=None)
@given(setup=setups)
def test_qutip_matches_the_gaussian_closed_form(setup):
    fock = photonic_table(setup, backend="qutip")
    gauss = photonic_table(setup, backend="gaussian")
    bound = fock.meta["truncation_error_bound"]
    assert np.abs(fock.P - gauss.P).max() <= bound + 1e-9


def _one_pair_table(theta, alice, bob, eta_a, eta_b):
    """Independent route: qubit polarisation state, analyser projectors, click = eta * projector."""
    psi = math.cos(theta) * np.kron([1, 0], [0, 1]) + math.sin(theta) * np.kron([0, 1], [1, 0])
    rho = np.outer(psi, psi)
    P = np.zeros((2, 3, 2, 2))
    for x, ba in enumerate(alice):
        for y, bb in enumerate(bob):
            ca = eta_a * np.outer([math.cos(ba), math.sin(ba)], [math.cos(ba), math.sin(ba)])
            cb = eta_b * np.outer([math.cos(bb), math.sin(bb)], [math.cos(bb), math.sin(bb)])
            for a, Ea in enumerate((ca, np.eye(2) - ca)):
                for b, Eb in enumerate((cb, np.eye(2) - cb)):
                    P[x, y, a, b] = np.trace(rho @ np.kron(Ea, Eb))
    return P


@settings(max_examples=20, deadline=None)
@given(setup=setups)
def test_one_pair_source_matches_the_qubit_calculation(setup):
    setup = replace(setup, source="pair", visibility=1.0, dark_count=0.0)
    alice, bob = setup.analyser_angles()
    expected = _one_pair_table(math.radians(setup.theta_deg), alice, bob, *setup.efficiencies)
    np.testing.assert_allclose(photonic_table(setup).P, expected, atol=1e-12)


def test_seed_angle_convention_finding():
    """Seed 000 reports a CHSH winning probability of 0.7559 with its plate angles (ideal state)."""
    pair = {c: photonic_table(PhotonicSetup(source="pair", angle_convention=c, visibility=1.0))
            .meta["chsh_winning_probability"] for c in ("analyser-mirrored", "analyser", "hwp")}
    assert pair["analyser-mirrored"]["y=0,2 minus(1,0)"] == pytest.approx(0.7559, abs=5e-4)
    assert max(pair["hwp"].values()) < 0.75 and max(pair["analyser"].values()) < 0.7559 - 5e-3
    # with an SPDC source the vacuum and multi-pair pulses pull it towards (or below) 3/4
    for mu in (0.01, 0.1, 0.5):
        omega = photonic_table(PhotonicSetup(pair_mean_number=mu)).meta["chsh_winning_probability"]
        assert max(omega.values()) < 0.7515


def test_default_spdc_link_reproduces_the_seeds_key_round_numbers():
    """Seed 000 at p = 0.96, p_N = 0.13: H(A^|B,V) = 0.559953 and p_V = 2.33e-4 / (0.560206 -
    0.559953) = 0.921 +/- 0.002 (its rate is printed to 3 digits). Only a source with few pairs per
    pulse gets there: one pair per round leaves far more no-clicks uncorrelated."""
    from protocols.postselection import postselected_error_cost, survival_probability

    spdc, pair = photonic_table(PhotonicSetup()), photonic_table(PhotonicSetup(source="pair"))
    assert postselected_error_cost(spdc, 0.96, 0.13) == pytest.approx(0.559953, abs=2e-5)
    assert 0.919 <= survival_probability(spdc, 0.96) <= 0.923
    assert postselected_error_cost(pair, 0.96, 0.13) > 0.6 and survival_probability(pair, 0.96) > 0.925


@settings(max_examples=15, deadline=None)
@given(setup=setups, drop=st.floats(0.0, 0.4))
def test_less_efficiency_means_fewer_clicks(setup, drop):
    worse = replace(setup, eta_a=setup.eta_a * (1 - drop), eta_b=setup.eta_b * (1 - drop))
    P, Q = photonic_table(setup).P, photonic_table(worse).P
    assert np.all(Q[:, :, 1, 1] >= P[:, :, 1, 1] - 1e-9)  # no-click, no-click only grows


def test_fibre_and_visibility():
    base = PhotonicSetup()
    assert PhotonicSetup(fiber_m=10_000).efficiencies[0] == pytest.approx(base.eta_a * 10 ** (-0.2 * 5 / 10))
    assert visibility_from_fidelity(1.0, 20) == 1.0
    v = visibility_from_fidelity(0.995, 20)
    c2, s2 = math.cos(math.radians(20)) ** 2, math.sin(math.radians(20)) ** 2
    assert v + (1 - v) * (c2**2 + s2**2) == pytest.approx(0.995)
    table = photonic_table(PhotonicSetup(visibility=v))
    assert table.rounds_per_second == 2e6 and table.meta["cutoff"] >= 2


@pytest.mark.parametrize("cutoff, beta", [(2, 0.3), (5, -1.1), (9, 2.7)])
def test_rotation_from_eigensystem_equals_expm(cutoff, beta):
    """The cached-eigensystem rotation against scipy's Pade expm of the QuTiP generator."""
    import qutip
    import scipy.linalg as la

    from qmodels.photonic.fock import _rotation

    a = qutip.destroy(cutoff)
    aH, aV = qutip.tensor(a, qutip.qeye(cutoff)), qutip.tensor(qutip.qeye(cutoff), a)
    expected = la.expm(beta * (aH.dag() * aV - aV.dag() * aH).full().real)
    U = _rotation(cutoff, beta)
    assert np.abs(U - expected).max() < 1e-12
    assert np.abs(U @ U.T - np.eye(cutoff**2)).max() < 1e-12


def test_truncation_bound_and_too_small_cutoff():
    setup = PhotonicSetup(pair_mean_number=0.5)
    l1, l2 = setup.squeezing()
    assert truncation_error(l1, l2, 30) < truncation_error(l1, l2, 10) < 1
    with pytest.raises(ParameterError, match="cutoff 3 is too small"):
        photonic_table(setup, cutoff=3)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"alice_angles_deg": (1.0, 2.0, 3.0)}, "alice_angles_deg must be 2"),
        ({"bob_angles_deg": (1.0,)}, "bob_angles_deg must be 3"),
        ({"eta_a": 1.2}, "eta_a"),
        ({"eta_b": -0.1}, "eta_b"),
        ({"fiber_m": -5.0}, "fiber_m"),
        ({"visibility": 1.5}, "visibility"),
        ({"pair_mean_number": 0.0}, "pair_mean_number"),
        ({"angle_convention": "qwp"}, "angle_convention"),
        ({"source": "laser"}, "source"),
    ],
)
def test_bad_input(kwargs, message):
    with pytest.raises(ParameterError, match=message):
        PhotonicSetup(**kwargs)
