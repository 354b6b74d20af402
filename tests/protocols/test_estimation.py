"""Confidence intervals from counts: coverage checked by simulation with explicit seeds."""

import numpy as np
import pytest
from strategies import tsirelson_table

from protocols import (
    CorrelationTable,
    ParameterError,
    binomial_interval,
    chsh_estimate,
    chsh_winning_probability,
    qber_estimate,
)

TRIALS = 1500


@pytest.mark.parametrize("method, slack", [("clopper-pearson", 0.0), ("hoeffding", 0.0), ("wilson", 0.02)])
@pytest.mark.parametrize("p, n", [(0.02, 400), (0.3, 200), (0.85, 1000)])
def test_binomial_interval_coverage(method, slack, p, n):
    """Clopper-Pearson and Hoeffding are exact-conservative; Wilson is close to nominal."""
    rng = np.random.default_rng(12345)
    conf = 0.9
    ks = rng.binomial(n, p, size=TRIALS)
    covered = 0
    for k in ks:
        lo, hi = binomial_interval(int(k), n, conf, method)
        covered += lo <= p <= hi
    # allow 3 standard deviations of the Monte-Carlo estimate of the coverage
    mc = 3 * np.sqrt(conf * (1 - conf) / TRIALS)
    assert covered / TRIALS >= conf - slack - mc


def test_clopper_pearson_against_its_definition():
    # independent route: the CP bounds solve P(X >= k | lo) = alpha/2 and P(X <= k | hi) = alpha/2
    from scipy.stats import binom

    k, n, conf = 17, 120, 0.95
    lo, hi = binomial_interval(k, n, conf, "clopper-pearson")
    assert binom.sf(k - 1, n, lo) == pytest.approx(0.025, rel=1e-6)
    assert binom.cdf(k, n, hi) == pytest.approx(0.025, rel=1e-6)


@pytest.mark.parametrize("method", ["wilson", "clopper-pearson", "hoeffding"])
def test_chsh_interval_coverage(method):
    rng = np.random.default_rng(2024)
    true = CorrelationTable(tsirelson_table()).mix("uniform", 0.1)
    omega = chsh_winning_probability(true)
    n_per_setting = np.array([[300, 250], [280, 320]])
    conf = 0.9
    covered = 0
    for _ in range(600):
        N = np.stack([
            np.stack([rng.multinomial(n_per_setting[x, y], true.P[x, y].ravel()).reshape(2, 2) for y in range(2)])
            for x in range(2)
        ])
        est = chsh_estimate(CorrelationTable.from_counts(N), confidence=conf, method=method)
        assert est.lower <= est.value <= est.upper
        covered += est.lower <= omega <= est.upper
    assert covered / 600 >= conf - 3 * np.sqrt(conf * (1 - conf) / 600)


def test_qber_estimate_and_interval():
    N = np.zeros((1, 1, 2, 2), dtype=int)
    N[0, 0] = [[480, 20], [30, 470]]
    est = qber_estimate(CorrelationTable.from_counts(N), confidence=0.95, method="clopper-pearson")
    assert est.value == pytest.approx(0.05)
    assert est.lower < 0.05 < est.upper


def test_estimates_need_counts_and_valid_confidence():
    t = CorrelationTable(tsirelson_table())
    with pytest.raises(ParameterError, match="no counts"):
        chsh_estimate(t)
    with pytest.raises(ParameterError, match="confidence"):
        binomial_interval(1, 10, 1.0)
    with pytest.raises(ParameterError, match="method"):
        binomial_interval(1, 10, 0.9, "bayes")
    with pytest.raises(ParameterError, match=r"k \(successes\) must be an integer in \[0, 10\]"):
        binomial_interval(11, 10, 0.9)
    with pytest.raises(ParameterError, match=r"k \(successes\) must be an integer"):
        binomial_interval(1.5, 3, 0.9)
