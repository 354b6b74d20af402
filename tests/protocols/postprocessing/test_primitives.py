"""The hashing, authentication, message and sampling primitives of the classical protocol,
each checked against an independent route (Python integers, dense matrices, exact frequencies)."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import binom

from protocols.errors import InvalidTableError, ParameterError
from protocols.postprocessing import gf2_64
from protocols.postprocessing.messages import Authenticator, Message, ProtocolAbort, frame, parse, unpack_bits
from protocols.postprocessing.preshared_key import PresharedKey, required_bits
from protocols.postprocessing.sampler import roles_of, sample_rounds
from protocols.postprocessing.toeplitz import toeplitz_hash
from protocols.roles import Roles
from protocols.table import CorrelationTable

KEY02 = Roles(key_pair=(0, 2))

FIELD = (1 << 64) | gf2_64.REDUCTION


def clmul_mod(a: int, b: int) -> int:
    """GF(2^64) product with Python integers: schoolbook carry-less product, then long division."""
    p = 0
    for i in range(64):
        if b >> i & 1:
            p ^= a << i
    for d in range(127, 63, -1):
        if p >> d & 1:
            p ^= FIELD << (d - 64)
    return p


def poly_mod(a: int, m: int) -> int:
    while a and a.bit_length() >= m.bit_length():
        a ^= m << (a.bit_length() - m.bit_length())
    return a


def poly_mulmod(a: int, b: int, m: int) -> int:
    p = 0
    while b:
        if b & 1:
            p ^= a
        b >>= 1
        a <<= 1
    return poly_mod(p, m)


def test_the_field_polynomial_is_irreducible():
    """Rabin's test: x^(2^64) = x mod f, and gcd(x^(2^(64/q)) - x, f) = 1 for the prime q = 2."""
    x = 2

    def frobenius(k: int) -> int:  # x^(2^k) mod f by repeated squaring
        r = x
        for _ in range(k):
            r = poly_mulmod(r, r, FIELD)
        return r

    assert frobenius(64) == x
    g, h = FIELD, frobenius(32) ^ x
    while h:
        g, h = h, poly_mod(g, h)
    assert g == 1


@given(st.lists(st.tuples(st.integers(0, 2**64 - 1), st.integers(0, 2**64 - 1)), min_size=1, max_size=20))
def test_field_product_matches_python_integers(pairs):
    a = np.array([p[0] for p in pairs], dtype=np.uint64)
    b = np.array([p[1] for p in pairs], dtype=np.uint64)
    assert [int(v) for v in gf2_64.multiply(a, b)] == [clmul_mod(*p) for p in pairs]


@given(st.integers(0, 2**64 - 1), st.binary(max_size=100))
def test_polynomial_hash_is_horner_evaluation(key, message):
    words = [int(w) for w in gf2_64.words(message)]
    h = 0
    for w in words:  # Horner: ((m1 k + m2) k + ...) k
        h = clmul_mod(h ^ w, key)
    assert gf2_64.polynomial_hash(key, message) == h


def test_padding_and_length_make_messages_prefix_free():
    k = 0x9E3779B97F4A7C15
    assert gf2_64.polynomial_hash(k, b"ab") != gf2_64.polynomial_hash(k, b"ab\0")
    assert len({gf2_64.polynomial_hash(k, b"\0" * i) for i in range(20)}) == 20


def test_toeplitz_hash_equals_the_dense_matrix_product():
    rng = np.random.default_rng(3)
    for n, ell in [(1, 1), (7, 3), (300, 40), (1000, 999)]:
        seed = rng.integers(0, 2, n + ell - 1, dtype=np.uint8)
        x = rng.integers(0, 2, n, dtype=np.uint8)
        T = np.array([[seed[i - j + n - 1] for j in range(n)] for i in range(ell)], dtype=np.int64)
        assert np.array_equal(T @ x % 2, toeplitz_hash(seed, x, ell))


def test_toeplitz_collisions_are_two_universal():
    """Pr[T x = T x'] = 2^-l over uniform seeds: 20,000 pairs with l = 4 (expected 1,250)."""
    rng = np.random.default_rng(11)
    n, ell, trials = 64, 4, 20_000
    x = rng.integers(0, 2, n, dtype=np.uint8)
    hits = 0
    for _ in range(trials):
        seed = rng.integers(0, 2, n + ell - 1, dtype=np.uint8)
        y = x.copy()
        y[rng.integers(0, n)] ^= 1
        hits += np.array_equal(toeplitz_hash(seed, x, ell), toeplitz_hash(seed, y, ell))
    assert binom.ppf(1e-6, trials, 2**-ell) <= hits <= binom.isf(1e-6, trials, 2**-ell)


def test_toeplitz_bad_input():
    with pytest.raises(ParameterError, match="seed bits"):
        toeplitz_hash(np.zeros(5, dtype=np.uint8), np.zeros(4, dtype=np.uint8), 3)
    with pytest.raises(ParameterError, match="only 0 and 1"):
        toeplitz_hash(np.zeros(6, dtype=np.uint8), np.full(4, 2), 3)


def _auth() -> Authenticator:
    return Authenticator({"alice": 12345, "bob": 67890}, np.arange(8, dtype=np.uint64) * 0x1234567)


def test_a_framed_message_round_trips_and_verifies():
    auth = _auth()
    msg = Message("syndrome", 2, "alice", {"k": 1}, {"syndrome": b"\x01\x02\x03"})
    data = frame(msg, auth.tag("alice", 2, msg.body()))
    back, body, tag = parse(data)
    assert back == msg and auth.verify("alice", 2, body, tag)


@settings(max_examples=60)
@given(st.integers(0, 10_000))
def test_any_single_bit_flip_of_a_frame_is_caught(position):
    auth = _auth()
    msg = Message("syndrome", 2, "alice", {}, {"syndrome": bytes(range(200))})
    data = bytearray(frame(msg, auth.tag("alice", 2, msg.body())))
    bit = position % (8 * len(data))
    data[bit // 8] ^= 1 << (bit % 8)
    try:
        back, body, tag = parse(bytes(data))
    except ProtocolAbort:
        return  # malformed: refused before authentication
    if 0 <= back.seq < auth.pads.size:  # a seq outside the pads is refused by the receiver anyway
        assert not auth.verify(back.sender, back.seq, body, tag)


def test_malformed_frames_are_refused_with_a_reason():
    auth = _auth()
    msg = Message("inputs", 1, "alice", {}, {"x": b"\xff"})
    data = frame(msg, auth.tag("alice", 1, msg.body()))
    with pytest.raises(ProtocolAbort, match="truncated"):
        parse(data[:-3])
    with pytest.raises(ProtocolAbort, match="magic"):
        parse(b"XXXX" + data[4:])
    with pytest.raises(ProtocolAbort, match="version"):
        parse(data[:4] + b"\x09" + data[5:])
    with pytest.raises(ProtocolAbort, match="oversized"):
        parse(data[:5] + (2**31).to_bytes(4, "big") + data[9:])
    with pytest.raises(ProtocolAbort, match="expected 2 for 16 bits"):
        unpack_bits(b"\x00", 16, "x")


def test_preshared_key_balance_sheet_and_shortage():
    k0 = PresharedKey(np.zeros(1000, dtype=np.uint8))
    k0.take("a", 100, reusable=True)
    k0.take("b", 64, reusable=False)
    k0.record("c", generated=50)
    bal = k0.balance()
    assert bal["total"] == {"consumed": 64, "used_reusable": 100, "generated": 50}
    assert bal["net_gain_bits"] == -14
    with pytest.raises(ParameterError, match="too short"):
        k0.take("d", 900, reusable=True)
    assert required_bits(100, 10, 8) == 128 + 512 + 117 + 8


def _ion_like(Q: float = 0.02, S: float = 2.6) -> CorrelationTable:
    """Isotropic binary table: correlator E on the CHSH inputs (minus on (1, 1)), QBER Q on (0, 2)."""
    E = S / 4
    P = np.zeros((2, 3, 2, 2))
    for x in range(2):
        for y in range(3):
            e = (1 - 2 * Q) if y == 2 else (-E if (x, y) == (1, 1) else E)
            P[x, y] = np.array([[1 + e, 1 - e], [1 - e, 1 + e]]) / 4
    return CorrelationTable(P)


def test_sampled_frequencies_match_the_table():
    """Within 5 binomial standard deviations, for the round-type rate, Q and the CHSH win rate."""
    table, gamma, n = _ion_like(0.03, 2.5), 0.2, 400_000
    r = sample_rounds(table, n, gamma, KEY02, np.random.default_rng(5))
    tests = r.test == 1
    assert abs(tests.mean() - gamma) < 5 * math.sqrt(gamma * (1 - gamma) / n)
    key = ~tests
    q = np.mean(r.a[key] != r.b[key])
    assert abs(q - 0.03) < 5 * math.sqrt(0.03 * 0.97 / key.sum())
    assert set(zip(r.x[key], r.y[key], strict=True)) == {(0, 2)}
    win = (r.a[tests] ^ r.b[tests]) == (r.x[tests] & r.y[tests])
    omega = 0.5 + 2.5 / 8
    assert abs(win.mean() - omega) < 5 * math.sqrt(omega * (1 - omega) / tests.sum())


def test_sampling_is_reproducible_and_extra_noise_only_touches_bob():
    table = _ion_like()
    r1 = sample_rounds(table, 10_000, 0.1, KEY02, np.random.default_rng(1))
    r2 = sample_rounds(table, 10_000, 0.1, KEY02, np.random.default_rng(1))
    r3 = sample_rounds(table, 10_000, 0.1, KEY02, np.random.default_rng(1), extra_noise=0.5)
    assert all(np.array_equal(getattr(r1, f), getattr(r2, f)) for f in ("test", "x", "y", "a", "b"))
    assert np.array_equal(r1.a, r3.a) and not np.array_equal(r1.b, r3.b)


def test_roles_are_read_from_the_table_and_checked():
    table = _ion_like()
    assert roles_of(table) == KEY02  # Bob has a third input: the key pair defaults to (0, 2)
    assert roles_of(table.select_inputs(y=[0, 1])).key_pair == (0, 0)
    declared = CorrelationTable(table.P, roles=Roles((0, 1), (1, 0), (1, 0), (1, 2)))
    assert roles_of(declared) == declared.roles
    table.meta.update(chsh_x=[0, 1], chsh_y=[0, 1], chsh_minus=[1, 1], key_pair=[0, 2])  # older ion tables
    assert roles_of(table).key_pair == (0, 2)
    table.meta["key_pair"] = [0, 3]
    with pytest.raises(InvalidTableError, match="role key_pair"):
        roles_of(table)
    with pytest.raises(InvalidTableError, match="binary outcomes"):
        roles_of(CorrelationTable(np.full((2, 3, 3, 2), 1 / 6)))
    with pytest.raises(InvalidTableError, match="chsh_minus"):
        Roles(chsh_minus=(1, 2))
