"""The validation layer (``protocols.validate``): invariants over whole input classes."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from protocols import CorrelationTable
from protocols.errors import DIQKDError, ParameterError, TableFormatError
from protocols.validate import MAX_JSON_DEPTH, integer, parse_json, real

finite = st.floats(allow_nan=False, allow_infinity=False)


@given(finite, st.sampled_from([float, np.float64, np.float32, np.asarray]))
def test_real_accepts_every_finite_number_in_any_numeric_type(x, kind):
    with np.errstate(over="ignore"):  # a float64 beyond float32's range casts to inf
        value = kind(x)
    if not math.isfinite(float(value)):
        with pytest.raises(ParameterError):
            real("x", value)
        return
    assert real("x", value) == float(value)


@given(st.sampled_from([math.nan, math.inf, -math.inf, "1", None, 1j, True, [1.0]]))
def test_real_refuses_non_finite_and_non_numbers_by_name(bad):
    with pytest.raises(ParameterError, match="^my_param must be"):
        real("my_param", bad)


@given(finite, finite, finite)
def test_real_enforces_both_ends(x, a, b):
    low, high = min(a, b), max(a, b)
    if low <= x <= high:
        assert real("x", x, low, high) == x
    else:
        with pytest.raises(ParameterError, match=r"in \["):
            real("x", x, low, high)


@given(st.integers(-10**6, 10**6))
def test_integer_accepts_ints_numpy_ints_and_integral_floats(n):
    assert integer("n", n) == integer("n", np.int64(n)) == integer("n", float(n)) == n


@given(st.floats(allow_nan=False, allow_infinity=False).filter(lambda v: not float(v).is_integer()))
def test_integer_refuses_fractions(v):
    with pytest.raises(ParameterError):
        integer("n", v)


def test_integer_upper_limit_names_the_reason():
    with pytest.raises(ParameterError, match=r"\(each node is one SDP\)"):
        integer("m", 10**6, 2, 48, reason="each node is one SDP")


@given(st.integers(MAX_JSON_DEPTH + 1, 5 * MAX_JSON_DEPTH))
def test_json_deeper_than_the_limit_is_refused_with_the_limit(depth):
    with pytest.raises(TableFormatError, match=f"limit of {MAX_JSON_DEPTH} levels"):
        parse_json("[" * depth + "]" * depth, "doc")


def test_json_text_encodings():
    doc = '{"a": [1, 2]}'
    assert parse_json(doc.encode("utf-8-sig"), "doc") == {"a": [1, 2]}  # a byte-order mark is fine
    with pytest.raises(TableFormatError, match="not UTF-8"):
        parse_json(doc.encode("utf-16"), "doc")
    with pytest.raises(TableFormatError, match="deeply"):
        parse_json("[" * 100_000 + "]" * 100_000, "doc")  # deeper than Python's recursion limit


def test_counts_beyond_exact_floats_and_contradicting_p_are_refused():
    P = np.full((2, 2, 2, 2), 0.25)
    with pytest.raises(DIQKDError, match="2\\*\\*53"):
        CorrelationTable.from_counts(np.full((2, 2, 2, 2), 2.0**60))
    counts = np.full((2, 2, 2, 2), 10)
    counts[0, 0, 0, 0] = 40
    with pytest.raises(DIQKDError, match="P and counts disagree"):
        CorrelationTable(P, counts=counts, signalling_tol=None)
    assert CorrelationTable(P, counts=np.full((2, 2, 2, 2), 10)).counts.sum() == 160


def test_complex_or_nan_tolerance_tables_are_refused():
    P = np.full((2, 2, 2, 2), 0.25)
    with pytest.raises(DIQKDError, match="real"):
        CorrelationTable(P.astype(complex))
    with pytest.raises(DIQKDError, match="normalisation_tol"):
        CorrelationTable(P, normalisation_tol=math.nan)
