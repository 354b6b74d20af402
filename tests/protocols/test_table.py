"""The correlation-table contract: validation, constructors, transformations, JSON format."""

import json

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import local_table, seeds, sizes

from protocols import CorrelationTable, InvalidTableError, TableFormatError, chsh_score


@given(sizes, seeds, st.booleans())
def test_json_round_trip(shape, seed, with_meta):
    rng = np.random.default_rng(seed)
    P = local_table(rng, *shape)
    kwargs = {}
    if with_meta:
        kwargs = dict(herald_probability=float(rng.uniform()), rounds_per_second=float(rng.uniform(0, 1e6)),
                      meta={"platform": "test", "eta": 0.875}, x_labels=[f"A{i}" for i in range(shape[0])])
    t = CorrelationTable.from_probabilities(P, **kwargs)
    back = CorrelationTable.from_json(t.to_json())
    np.testing.assert_array_equal(back.P, t.P)  # json floats round-trip exactly (repr)
    assert back.to_dict() == t.to_dict()
    d = json.loads(t.to_json())
    assert d["format"] == "diqkd-behaviour/1"
    assert np.array(d["P"]).shape == shape


@given(sizes, seeds, st.integers(1, 50))
def test_counts_round_trip(shape, seed, scale):
    rng = np.random.default_rng(seed)
    N = rng.integers(1, 10 * scale, size=shape)
    t = CorrelationTable.from_counts(N)
    back = CorrelationTable.from_json(t.to_json())  # signalling frequencies accepted with counts
    np.testing.assert_array_equal(back.counts, N)
    np.testing.assert_allclose(back.P.sum(axis=(2, 3)), 1.0)
    np.testing.assert_allclose(back.P * N.sum(axis=(2, 3))[:, :, None, None], N)


def _break(P, how, rng):
    P = P.copy()
    if how == "negative":  # one entry below zero, the block still sums to one
        d = P[0, 0, 0, 0] + 1e-3
        P[0, 0, 0, 0] -= d
        P[0, 0, 0, 1] += d
    elif how == "normalisation":
        P[rng.integers(P.shape[0]), rng.integers(P.shape[1])] *= 1.01 + rng.uniform()
    elif how == "signalling":  # Alice's marginal changes for y = 0 only, by at least 1/8
        a, b = np.unravel_index(np.argmax(P[0, 0]), (2, 2))
        d = P[0, 0, a, b] / 2
        P[0, 0, a, b] -= d
        P[0, 0, 1 - a, b] += d
    return P


@given(seeds, st.sampled_from(["negative", "normalisation", "signalling"]))
def test_invalid_tables_are_refused(seed, how):
    rng = np.random.default_rng(seed)
    P = local_table(rng, 2, 2, 2, 2)
    bad = _break(P, how, rng)
    with pytest.raises(InvalidTableError):
        CorrelationTable.from_probabilities(bad)
    with pytest.raises(InvalidTableError):
        CorrelationTable.from_json(json.dumps({"format": "diqkd-behaviour/1", "P": bad.tolist()}))


def test_error_messages_name_the_problem():
    P = np.full((2, 2, 2, 2), 0.25)
    P[1, 0] *= 2
    with pytest.raises(InvalidTableError, match=r"block \(x=1, y=0\) sums to 2"):
        CorrelationTable(P)
    Q = np.full((2, 2, 2, 2), 0.25)
    Q[0, 1, 0, 0], Q[0, 1, 0, 1] = -0.25, 0.75
    with pytest.raises(InvalidTableError, match=r"non-negative.*\(0, 1, 0, 0\)"):
        CorrelationTable(Q)
    with pytest.raises(InvalidTableError, match="x_labels has 3 entries"):
        CorrelationTable(np.full((2, 2, 2, 2), 0.25), x_labels=("a", "b", "c"))
    with pytest.raises(InvalidTableError, match="4 axes"):
        CorrelationTable(np.full((2, 2, 4), 0.25))


def test_signalling_tolerance_is_the_callers():
    P = np.full((2, 2, 2, 2), 0.25)
    P[0, 0] = [[0.3, 0.2], [0.2, 0.3]]  # still no-signalling
    P[0, 1] = [[0.35, 0.25], [0.15, 0.25]]  # Alice's marginal 0.6 vs 0.5: signals by 0.1
    with pytest.raises(InvalidTableError, match="signals"):
        CorrelationTable(P)
    t = CorrelationTable(P, signalling_tol=0.2)
    assert t.signalling == pytest.approx(0.1)
    assert CorrelationTable(P, signalling_tol=None).signalling == pytest.approx(0.1)


@pytest.mark.parametrize(
    "doc, match",
    [
        ({"P": []}, "format"),
        ({"format": "diqkd-behaviour/1"}, "missing required field 'P'"),
        ({"format": "diqkd-behaviour/1", "P": [[[[0.5, "x"]]]]}, r"P\[0\]\[0\]\[0\]\[1\] must be a number"),
        ({"format": "diqkd-behaviour/1", "P": [[[[1.0]], [[0.5, 0.5]]]]}, "ragged"),
        ({"format": "diqkd-behaviour/1", "P": [[[[1.0]]]], "herald_probability": "high"}, "herald_probability"),
        ({"format": "diqkd-behaviour/1", "P": [[[[1.0]]]], "colour": 1}, "unknown fields"),
        ({"format": "diqkd-behaviour/1", "P": [[[[1.0]]]], "meta": [1]}, "meta must be an object"),
    ],
)
def test_malformed_json_is_refused_with_its_path(doc, match):
    with pytest.raises(TableFormatError, match=match):
        CorrelationTable.from_json(json.dumps(doc))


def test_not_json_at_all():
    with pytest.raises(TableFormatError, match="not valid JSON"):
        CorrelationTable.from_json("{P: nope")


def test_minimal_document_gets_default_labels():
    doc = {"format": "diqkd-behaviour/1", "P": np.full((2, 3, 2, 2), 0.25).tolist()}
    t = CorrelationTable.from_json(json.dumps(doc))
    assert t.y_labels == (0, 1, 2) and t.a_labels == (0, 1)
    assert t.herald_probability is None and t.counts is None and t.meta == {}


def test_marginals_and_blocks():
    rng = np.random.default_rng(1)
    P = local_table(rng, 2, 3, 2, 2)
    t = CorrelationTable(P)
    np.testing.assert_allclose(t.alice_marginal(), P[:, 0].sum(axis=2))
    np.testing.assert_allclose(t.bob_marginal(), P[0].sum(axis=1))
    with pytest.raises(ValueError, match=r"x \(Alice.s input\) must be an integer in \[0, 1\], got 2"):
        t.block(2, 0)


def test_relabelling_moves_the_chsh_minus_sign():
    from strategies import tsirelson_table

    t = CorrelationTable(tsirelson_table())
    assert chsh_score(t) == pytest.approx(2 * np.sqrt(2))
    # flipping Bob's outcome for y=1 negates E_01 and E_11: the minus now sits on (0, 1)
    flipped = t.relabel_outputs("B", [1, 0], inputs=[1])
    assert chsh_score(flipped, minus=(0, 1)) == pytest.approx(2 * np.sqrt(2))
    # swapping Alice's inputs moves the minus sign to (0, 1) as well
    swapped = t.select_inputs(x=[1, 0])
    assert chsh_score(swapped, minus=(0, 1)) == pytest.approx(2 * np.sqrt(2))
    assert swapped.x_labels == (1, 0)
    with pytest.raises(ValueError, match="not a permutation"):
        t.relabel_outputs("A", [0, 0])


@given(seeds, st.floats(0, 1))
def test_mixing_with_white_noise_scales_chsh(seed, w):
    from strategies import quantum_table

    t = CorrelationTable(quantum_table(np.random.default_rng(seed)))
    noisy = t.mix("uniform", w)
    assert chsh_score(noisy) == pytest.approx((1 - w) * chsh_score(t), abs=1e-12)
    np.testing.assert_allclose(noisy.P.sum(axis=(2, 3)), 1.0)


def test_text_rendering_lists_every_setting():
    t = CorrelationTable(np.full((2, 3, 2, 2), 0.25), herald_probability=1e-3, meta={"platform": "demo"})
    text = str(t)
    assert "herald_probability=0.001" in text and "platform='demo'" in text
    assert len(text.splitlines()) == 2 + 6
    assert "P(1,1)" in text


def test_table_is_immutable_and_not_an_array():
    t = CorrelationTable(np.full((1, 1, 2, 2), 0.25))
    with pytest.raises(ValueError):
        t.P[0, 0, 0, 0] = 1.0
    with pytest.raises(TypeError):
        np.add(t, 1)


def test_load_reports_the_file(tmp_path):
    bad = tmp_path / "t.json"
    bad.write_text('{"format": "diqkd-behaviour/1"}')
    with pytest.raises(TableFormatError, match="t.json: missing required field"):
        CorrelationTable.load(bad)
    with pytest.raises(TableFormatError, match="cannot read"):
        CorrelationTable.load(tmp_path / "missing.json")
