"""CHSH score, winning probability and QBER against independently built tables."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import local_table, quantum_table, seeds, tsirelson_table

from protocols import CorrelationTable, ParameterError, chsh_score, chsh_winning_probability, qber

SQRT2 = np.sqrt(2)


def test_tsirelson_table_reaches_2_sqrt_2():
    t = CorrelationTable(tsirelson_table())
    assert chsh_score(t) == pytest.approx(2 * SQRT2, abs=1e-12)
    assert chsh_winning_probability(t) == pytest.approx((2 + SQRT2) / 4, abs=1e-12)


def test_pr_box_scores_four():
    # PR box: a xor b = x.y with uniform marginals (no-signalling, not quantum)
    P = np.zeros((2, 2, 2, 2))
    for x in range(2):
        for y in range(2):
            for a in range(2):
                P[x, y, a, a ^ (x & y)] = 0.5
    t = CorrelationTable(P)
    assert chsh_score(t) == pytest.approx(4.0)
    assert chsh_winning_probability(t) == pytest.approx(1.0)


@given(seeds)
def test_quantum_tables_obey_tsirelson(seed):
    t = CorrelationTable(quantum_table(np.random.default_rng(seed)))
    for minus in [(0, 0), (0, 1), (1, 0), (1, 1)]:
        assert abs(chsh_score(t, minus=minus)) <= 2 * SQRT2 + 1e-9


@given(seeds)
def test_local_tables_obey_chsh(seed):
    t = CorrelationTable(local_table(np.random.default_rng(seed), 2, 2, 2, 2))
    for minus in [(0, 0), (0, 1), (1, 0), (1, 1)]:
        assert abs(chsh_score(t, minus=minus)) <= 2 + 1e-9


@given(seeds)
def test_omega_is_the_game_winning_probability(seed):
    # independent route: win iff a xor b = [x,y == minus], averaged over uniform inputs
    t = CorrelationTable(quantum_table(np.random.default_rng(seed)))
    win = np.mean([sum(t.P[x, y, a, b] for a in range(2) for b in range(2) if (a ^ b) == int((x, y) == (1, 1)))
                   for x in range(2) for y in range(2)])
    assert chsh_winning_probability(t) == pytest.approx(win, abs=1e-12)


def test_choice_of_inputs_on_a_larger_table():
    # Alice has 3 inputs; the CHSH pair is x = (1, 2), Bob y = (0, 1), minus on (1, 1)
    P = np.full((3, 2, 2, 2), 0.25)
    P[1:, :, :, :] = tsirelson_table()
    P[0] = [[[0.5, 0], [0, 0.5]], [[0.25, 0.25], [0.25, 0.25]]]
    t = CorrelationTable(P)
    assert chsh_score(t, x=(1, 2), y=(0, 1), minus=(2, 1)) == pytest.approx(2 * SQRT2)
    assert qber(t, key=(0, 0)) == pytest.approx(0.0)
    assert qber(t, key=(0, 1)) == pytest.approx(0.5)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(x=(0, 0)), "two distinct"),
        (dict(x=(0, 5)), r"x must be an integer in \[0, 1\], got 5"),
        (dict(y=(0,)), "two distinct"),
        (dict(minus=(2, 1)), r"minus\[0\] \(Alice.s input\) must be an integer"),
    ],
)
def test_bad_chsh_choices(kwargs, match):
    t = CorrelationTable(tsirelson_table())
    with pytest.raises(ParameterError, match=match):
        chsh_score(t, **kwargs)


def test_chsh_needs_binary_outcomes():
    t = CorrelationTable(np.full((2, 2, 3, 2), 1 / 6))
    with pytest.raises(ParameterError, match="binary"):
        chsh_score(t)


@given(st.floats(0, 1), st.floats(0, 1))
def test_qber_of_a_binary_symmetric_channel(q, pa):
    P = np.zeros((1, 1, 2, 2))
    P[0, 0] = [[pa * (1 - q), pa * q], [(1 - pa) * q, (1 - pa) * (1 - q)]]
    assert qber(CorrelationTable(P)) == pytest.approx(q, abs=1e-12)
