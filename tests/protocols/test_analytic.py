"""Analytic entropy bounds and rates, each against an independent route.

Independent route for the Pironio and Ho et al. bounds: both are attained by Eve's optimal
collective attack, the rank-two Bell-diagonal state lambda Phi+ + (1 - lambda) Phi-
(Pironio et al. 2009, Sec. 2.3; Ho et al. 2020). We purify it to ABE with numpy, let Alice
measure sigma_z (then flip with probability p), and compute H(Â|E) from von Neumann entropies;
its CHSH score is 2 sqrt(1 + (2 lambda - 1)^2) (Horodecki criterion).
"""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from protocols import (
    CorrelationTable,
    ParameterError,
    binary_entropy,
    conditional_entropy_ab,
    devetak_winter_rate,
    fibre_transmittance,
    noisy_preprocessing_entropy,
    noisy_preprocessing_error_cost,
    optimal_noise,
    pironio_entropy_bound,
    plob_bound,
    rate_per_second,
)

TSIRELSON = 2 * math.sqrt(2)
scores = st.floats(2.0, TSIRELSON)
flips = st.floats(0.0, 0.5)


def _vn(rho):
    w = np.linalg.eigvalsh(rho)
    w = w[w > 1e-15]
    return float(-(w * np.log2(w)).sum())


def _horodecki_chsh(rho):
    paulis = [np.array([[0, 1], [1, 0]]), np.array([[0, -1j], [1j, 0]]), np.diag([1, -1])]
    T = np.array([[np.trace(rho @ np.kron(a, b)).real for b in paulis] for a in paulis])
    u = np.sort(np.linalg.eigvalsh(T.T @ T))
    return 2 * math.sqrt(u[-1] + u[-2])


def attack_entropy(lam, p):
    """H(Â|E) and the max CHSH score of the purified rank-two Bell-diagonal attack."""
    phip = np.array([1, 0, 0, 1]) / math.sqrt(2)
    phim = np.array([1, 0, 0, -1]) / math.sqrt(2)
    psi = (math.sqrt(lam) * np.kron(phip, [1, 0]) + math.sqrt(1 - lam) * np.kron(phim, [0, 1])).reshape(2, 2, 2)
    rho_e = [np.einsum("be,bf->ef", psi[a], psi[a].conj()) for a in range(2)]
    hat = [(1 - p) * rho_e[a] + p * rho_e[1 - a] for a in range(2)]
    cq = np.zeros((4, 4))
    cq[:2, :2], cq[2:, 2:] = hat[0], hat[1]
    rho_ab = lam * np.outer(phip, phip) + (1 - lam) * np.outer(phim, phim)
    return _vn(cq) - _vn(hat[0] + hat[1]), _horodecki_chsh(rho_ab)


@given(st.floats(0, 1))
def test_binary_entropy_against_direct_formula(p):
    direct = 0.0 if p in (0.0, 1.0) else -p * math.log2(p) - (1 - p) * math.log2(1 - p)
    assert binary_entropy(p) == pytest.approx(direct, abs=1e-12)
    assert binary_entropy(p) == pytest.approx(binary_entropy(1 - p), abs=1e-12)
    assert 0 <= binary_entropy(p) <= 1


def test_binary_entropy_refuses_non_probabilities():
    for bad in (-0.1, 1.5, float("nan")):
        with pytest.raises(ParameterError):
            binary_entropy(bad)


@given(st.floats(0.5, 1.0), flips)
def test_pironio_and_ho_are_attained_by_the_optimal_attack(lam, p):
    H, S = attack_entropy(lam, p)
    assert noisy_preprocessing_entropy(min(S, TSIRELSON), p) == pytest.approx(H, abs=1e-9)
    if p == 0:
        assert pironio_entropy_bound(min(S, TSIRELSON)) == pytest.approx(H, abs=1e-9)


@given(scores)
def test_ho_at_zero_noise_is_pironio(S):
    assert noisy_preprocessing_entropy(S, 0.0) == pytest.approx(pironio_entropy_bound(S), abs=1e-12)


@given(flips)
def test_ho_limits(p):
    assert noisy_preprocessing_entropy(TSIRELSON, p) == pytest.approx(1.0, abs=1e-12)
    assert noisy_preprocessing_entropy(2.0, p) == pytest.approx(binary_entropy(p), abs=1e-12)
    assert noisy_preprocessing_entropy(1.5, p) == pytest.approx(binary_entropy(p), abs=1e-12)


@given(scores, scores, flips)
def test_bounds_are_monotone_in_S_and_in_range(s1, s2, p):
    lo, hi = sorted((s1, s2))
    assert pironio_entropy_bound(lo) <= pironio_entropy_bound(hi) + 1e-12
    assert noisy_preprocessing_entropy(lo, p) <= noisy_preprocessing_entropy(hi, p) + 1e-12
    assert 0 <= noisy_preprocessing_entropy(lo, p) <= 1


def test_pironio_edges_and_errors():
    assert pironio_entropy_bound(2.0) == 0.0
    assert pironio_entropy_bound(1.0) == 0.0
    assert pironio_entropy_bound(TSIRELSON) == pytest.approx(1.0)
    with pytest.raises(ParameterError, match="Tsirelson"):
        pironio_entropy_bound(2.9)
    with pytest.raises(ParameterError, match=r"\[0, 0.5\]"):
        noisy_preprocessing_entropy(2.5, 0.6)
    with pytest.raises(ParameterError, match="QBER"):
        noisy_preprocessing_error_cost(1.2, 0.1)


@given(st.floats(0, 1), flips)
def test_error_cost_is_the_flipped_channel_entropy(Q, p):
    # independent route: H(Â|B) of the joint distribution of a BSC(Q) with Alice's flip
    P = np.zeros((1, 1, 2, 2))
    P[0, 0] = np.array([[1 - Q, Q], [Q, 1 - Q]]) / 2
    t = CorrelationTable(P)
    assert conditional_entropy_ab(t, (0, 0), noise=p) == pytest.approx(noisy_preprocessing_error_cost(Q, p), abs=1e-9)
    assert conditional_entropy_ab(t) == pytest.approx(binary_entropy(Q), abs=1e-9)


@pytest.mark.parametrize("S, Q", [(2.5, 0.05), (2.3, 0.07), (2.75, 0.01), (2.2, 0.09)])
def test_optimal_noise_beats_a_fine_grid(S, Q):
    opt = optimal_noise(S, Q)
    grid = np.linspace(0, 0.5, 5001)
    brute = max(noisy_preprocessing_entropy(S, p) - noisy_preprocessing_error_cost(Q, p) for p in grid)
    assert opt.rate >= brute - 1e-9
    assert opt.rate == pytest.approx(opt.H_AE - opt.H_AB)
    assert 0 <= opt.noise <= 0.5


def test_noisy_preprocessing_raises_the_noise_threshold():
    """Depolarised Bell state, S = 2 sqrt 2 (1 - 2Q): thresholds 7.1% (Pironio) and 8.1% (Ho)."""
    from diqkd.studies.analytic import rate_near_full_flip, rate_without_noise, threshold_qber

    q0 = threshold_qber(rate_without_noise)
    q1 = threshold_qber(rate_near_full_flip)
    assert q0 == pytest.approx(0.0715, abs=5e-4)
    assert q1 == pytest.approx(0.0808, abs=5e-4)
    # independent route: a brute 2D grid finds positive rates just below q1 and none above
    ps = np.linspace(0, 0.5, 20001)[:-1]
    for Q, positive in ((q1 - 2e-3, True), (q1 + 2e-3, False)):
        S = TSIRELSON * (1 - 2 * Q)
        best = max(noisy_preprocessing_entropy(S, p) - noisy_preprocessing_error_cost(Q, p) for p in ps)
        assert (best > 0) == positive


@given(st.floats(0, 1), st.floats(0, 1))
def test_devetak_winter_is_non_negative(h_ae, h_ab):
    r = devetak_winter_rate(h_ae, h_ab)
    assert 0 <= r <= 1
    assert r == pytest.approx(max(0.0, h_ae - h_ab))


def test_rate_per_second():
    assert rate_per_second(2e-4, 0.5, 2e6) == pytest.approx(200.0)
    assert rate_per_second(0.1) == pytest.approx(0.1)
    with pytest.raises(ParameterError):
        rate_per_second(0.1, 1.5, 1.0)


@given(st.floats(0, 0.999))
def test_plob_against_its_series(eta):
    # -log2(1 - eta) = sum_k eta^k / (k ln 2)
    k = np.arange(1, 20000)
    series = float(np.sum(eta**k / k) / math.log(2))
    assert plob_bound(eta) == pytest.approx(series, rel=1e-6, abs=1e-12)


def test_plob_and_fibre_errors():
    assert fibre_transmittance(50, 0.2) == pytest.approx(0.1)
    with pytest.raises(ParameterError, match="infinite"):
        plob_bound(1.0)
    with pytest.raises(ParameterError):
        fibre_transmittance(-1)
