"""Random post-selection and noisy preprocessing: limits against independent formulas, invariants."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import local_table

from protocols import CorrelationTable, ParameterError, conditional_entropy_ab
from protocols.postselection import (
    postselected_error_cost,
    postselected_joint,
    survival_probability,
)


def _table(seed: int) -> CorrelationTable:
    return CorrelationTable(local_table(np.random.default_rng(seed), 2, 3, 2, 2))


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), noise=st.floats(0, 0.5))
def test_keeping_everything_is_plain_noisy_preprocessing(seed, noise):
    table = _table(seed)
    assert survival_probability(table, 1.0) == pytest.approx(1.0)
    assert postselected_error_cost(table, 1.0, noise) == pytest.approx(
        conditional_entropy_ab(table, (0, 2), noise), abs=1e-12)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), p=st.floats(0, 1), noise=st.floats(0, 0.5))
def test_invariants(seed, p, noise):
    table = _table(seed)
    P = table.block(0, 2)
    pv = survival_probability(table, p)
    assert pv == pytest.approx(P[0, 0] + p * (P[0, 1] + P[1, 0]) + p * p * P[1, 1])  # by hand
    assert 0 <= pv <= 1 and pv >= survival_probability(table, p / 2) - 1e-15  # monotone in p
    joint = postselected_joint(table, p, noise)
    assert joint.sum() == pytest.approx(1.0) and np.all(joint >= 0)
    assert 0.0 <= postselected_error_cost(table, p, noise) <= 1.0 + 1e-12


def test_dropping_all_no_clicks_keeps_only_clicks():
    P = np.zeros((2, 3, 2, 2))
    P[:, :] = [[0.3, 0.1], [0.2, 0.4]]
    table = CorrelationTable(P)
    np.testing.assert_allclose(postselected_joint(table, 0.0, 0.0), [[1.0, 0.0], [0.0, 0.0]])
    assert postselected_error_cost(table, 0.0, 0.0) == pytest.approx(0.0)


def test_bad_input():
    table = _table(1)
    with pytest.raises(ParameterError, match="post-selection probability"):
        survival_probability(table, 1.5)
    with pytest.raises(ParameterError, match="noise"):
        postselected_error_cost(table, 0.5, 0.6)
    with pytest.raises(ParameterError, match="key must be"):
        survival_probability(table, 0.5, key=(0,))
    zero = np.zeros((2, 3, 2, 2))
    zero[:, :, 1, 1] = 1.0
    with pytest.raises(ParameterError, match="p_V = 0"):
        postselected_joint(CorrelationTable(zero), 0.0, 0.0)
