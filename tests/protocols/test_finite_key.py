"""Finite-size key (Dupuis-Fawzi EAT) of the seed-003 protocol: the seed's numbers, invariants,
independent checks of each ingredient, and bad input."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import binom

from protocols import ParameterError, binary_entropy, pironio_entropy_bound
from protocols.eat import (
    OMEGA_MAX,
    OMEGA_MIN,
    CHSHMinTradeoff,
    chsh_entropy_rate,
    chsh_entropy_rate_slope,
    smoothing_penalty,
)
from protocols.finite_key import (
    EpsilonSplit,
    default_leakage,
    finite_key_curve,
    finite_key_length,
    max_entropy_of_test_outputs,
    threshold_winning_probability,
)

GAMMA = 13 / 256  # seed 003


# ---- the seed's operating point (numbers from the paper, not from this code) ----

def test_threshold_reproduces_the_seed():
    assert threshold_winning_probability(1_500_000, GAMMA, 0.83) == pytest.approx(0.825538, abs=5e-7)


def test_seed_point_within_15_percent_and_below_asymptotic():
    res = finite_key_length(1_500_000, GAMMA, 2.64, 0.018, 1e-10)
    seed_rate = 95_884 / 1_500_000
    assert 0.85 * seed_rate <= res.rate <= 1.15 * seed_rate
    assert res.rate < res.asymptotic_rate
    assert res.omega_thr == pytest.approx(0.825538, abs=5e-7)
    assert res.terms["error_correction_leakage"] == pytest.approx(296_517, rel=1e-9)


def test_terms_add_up_to_the_key_length():
    res = finite_key_length(2_000_000, GAMMA, 2.64, 0.018, 1e-10)
    t = res.terms
    total = (t["eat_first_order"] - t["eat_variance_term"] - t["eat_epsilon_term"] - t["eat_higher_order_term"]
             - t["test_output_max_entropy"] - t["chain_rule"] - t["error_correction_leakage"]
             - t["error_correction_hash"] - t["privacy_amplification"])
    assert res.key_length == math.floor(total) > 0
    # epsilons add up to eps_snd = eps_EC + eps_PA + eps_EA + 2 (eps_c + eps_1 + 2 eps_2)
    e = res.epsilons
    total_eps = e["eps_EC"] + e["eps_PA"] + e["eps_EA"] + 2 * (e["eps_c"] + e["eps_1"] + 2 * e["eps_2"])
    assert total_eps == pytest.approx(1e-10)


def test_rate_increases_with_n_and_approaches_first_order():
    ns = np.geomspace(1e6, 1e9, 12).astype(int)
    rates = [r.rate for r in finite_key_curve(ns, GAMMA, 2.64, 0.018, 1e-10)]
    assert rates[0] < 0.06 and all(b > a for a, b in zip(rates[1:], rates[2:], strict=False))
    # n -> infinity: r(omega) - gamma - leak/n, with omega_thr -> omega_design
    limit = chsh_entropy_rate(0.83) - GAMMA - default_leakage(1, GAMMA, 2.64, 0.018)
    assert rates[-1] < limit and rates[-1] > limit - 0.03


@settings(max_examples=15, deadline=None)
@given(S=st.floats(2.5, 2.8), Q=st.floats(0.0, 0.05), n=st.integers(10**6, 10**9), gamma=st.floats(0.02, 0.3))
def test_never_above_the_asymptotic_rate(S, Q, n, gamma):
    res = finite_key_length(n, gamma, S, Q, 1e-10)
    assert 0.0 <= res.rate <= 1.0
    assert res.rate <= max(0.0, pironio_entropy_bound(S) - float(binary_entropy(Q)))
    assert res.key_length == int(res.key_length)


def test_more_leakage_or_smaller_epsilon_gives_less_key():
    base = finite_key_length(3_000_000, GAMMA, 2.64, 0.018, 1e-10)
    leak = base.terms["error_correction_leakage"] + 1e4
    leakier = finite_key_length(3_000_000, GAMMA, 2.64, 0.018, 1e-10, leak_ec=leak)
    stricter = finite_key_length(3_000_000, GAMMA, 2.64, 0.018, 1e-12)
    assert leakier.key_length == pytest.approx(base.key_length - 1e4, abs=2)
    assert stricter.key_length < base.key_length


def test_negative_bound_is_a_zero_key_not_an_error():
    res = finite_key_length(1000, GAMMA, 2.64, 0.018, 1e-10)
    assert res.key_length == 0 and res.rate == 0.0
    bits = res.terms["key_length_bits"]  # None: the threshold certifies no entropy at all
    assert (bits is None and "certifies no entropy" in res.terms["reason"]) or bits < 0


# ---- ingredients, each against an independent route ----

@settings(max_examples=30, deadline=None)
@given(w=st.floats(0.751, OMEGA_MAX - 1e-4))
def test_slope_matches_finite_differences(w):
    h = 1e-7
    numeric = (chsh_entropy_rate(w + h) - chsh_entropy_rate(w - h)) / (2 * h)
    assert chsh_entropy_rate_slope(w) == pytest.approx(numeric, rel=1e-5)


def test_entropy_rate_is_pironio_in_omega():
    for S in (2.1, 2.5, 2.8):
        assert chsh_entropy_rate(0.5 + S / 8) == pytest.approx(pironio_entropy_bound(S), abs=1e-12)


@settings(max_examples=30, deadline=None)
@given(w0=st.floats(0.76, 0.85), gamma=st.floats(0.01, 0.9), shift=st.floats(-5, 2))
def test_min_tradeoff_is_a_valid_lower_bound_with_the_stated_moments(w0, gamma, shift):
    f = CHSHMinTradeoff(gamma, w0, chsh_entropy_rate(w0) + shift)
    grid = np.linspace(OMEGA_MIN, OMEGA_MAX, 2001)
    for w in grid[::50]:
        # f on the distribution (1-gamma, gamma(1-w), gamma w) equals g(w) <= r(w), whatever f(key) is
        fq = (1 - gamma) * f.f_key + gamma * (1 - w) * f.f_lose + gamma * w * f.f_win
        assert fq == pytest.approx(f.value(w), abs=1e-9)
        assert f.value(w) <= chsh_entropy_rate(w) + 1e-12
    brute = max(f.variance(w) for w in grid)
    assert brute <= f.max_variance + 1e-9 and f.max_variance <= brute * (1 + 1e-6) + 1e-9
    assert f.min_value_quantum == pytest.approx(min(f.value(w) for w in grid))


def test_smoothing_penalty_is_below_log_2_over_eps_squared():
    from decimal import Decimal, getcontext

    getcontext().prec = 60
    for eps in (1e-2, 1e-6, 1e-12):
        e = Decimal(eps)
        exact = -float((1 - (1 - e * e).sqrt()).ln() / Decimal(2).ln())  # 60-digit arithmetic
        assert smoothing_penalty(eps) == pytest.approx(exact, rel=1e-12)
        assert smoothing_penalty(eps) <= math.log2(2 / eps**2)


@pytest.mark.parametrize("n", [10_000, 1_500_000])
def test_test_output_bound_is_the_smallest_binomial_quantile(n):
    eps2, eps_a = 5e-14, 3e-11
    k = max_entropy_of_test_outputs(n, GAMMA, eps2, eps_a)
    target = eps2**2 * eps_a / 2
    assert binom.logsf(k, n, GAMMA) <= math.log(target) < binom.logsf(k - 1, n, GAMMA)
    # a Chernoff-Hoeffding bound is looser: k <= n gamma + sqrt(n ln(1/target) / 2)
    assert n * GAMMA < k <= n * GAMMA + math.sqrt(n * math.log(1 / target) / 2)


# ---- bad input ----

@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"n": 0}, r"n \(heralded rounds\) must be an integer in \[1, "),
        ({"n": -5}, r"n \(heralded rounds\) must be an integer"),
        ({"n": 1.5}, r"n \(heralded rounds\) must be an integer"),
        ({"n": 1e20}, r"binomial tails in double precision"),
        ({"eps_sound": 1e-300}, "eps_sound"),
        ({"omega_thr": float("nan")}, "omega_thr"),
        ({"gamma": 0.0}, "gamma"),
        ({"gamma": 1.0}, "gamma"),
        ({"eps_sound": 0.0}, "eps_sound"),
        ({"eps_sound": 1.0}, "eps_sound"),
        ({"S": 2.0}, "must exceed 2"),
        ({"S": 1.5}, "must exceed 2"),
        ({"S": 2.9}, "Tsirelson"),
        ({"Q": -0.1}, "QBER"),
        ({"Q": 1.2}, "QBER"),
        ({"leak_ec": -1.0}, "leak_ec"),
    ],
)
def test_bad_input_is_a_clear_error(kwargs, message):
    args = {"n": 1_500_000, "gamma": GAMMA, "S": 2.64, "Q": 0.018, "eps_sound": 1e-10} | kwargs
    with pytest.raises(ParameterError, match=message):
        finite_key_length(**args)


def test_epsilon_split_must_leave_room():
    with pytest.raises(ParameterError):
        EpsilonSplit(ec=0.5, pa=0.5).values(1e-10)
