"""The whole classical protocol: honest runs agree, every tampering aborts with a reason and no key.

Tables here are isotropic binary tables (correlator S/4 on the CHSH inputs, QBER Q on the key
pair), near Tsirelson's bound, so that 5e5 rounds give a positive finite-size key and a run takes ~1 s.
"""

import math
import socket

import numpy as np
import pytest
from scipy.stats import binom

from protocols.errors import InvalidTableError, ParameterError
from protocols.finite_key import EpsilonSplit, finite_key_length
from protocols.postprocessing import Roles, channels, parties, plan_protocol, run_pipeline
from protocols.postprocessing.messages import parse
from protocols.postprocessing.toeplitz import toeplitz_hash
from protocols.table import CorrelationTable

N = 500_000


def link(S: float = 2.82, Q: float = 0.002) -> CorrelationTable:
    E = S / 4
    P = np.zeros((2, 3, 2, 2))
    for x in range(2):
        for y in range(3):
            e = (1 - 2 * Q) if y == 2 else (-E if (x, y) == (1, 1) else E)
            P[x, y] = np.array([[1 + e, 1 - e], [1 - e, 1 + e]]) / 4
    return CorrelationTable(P)


@pytest.mark.parametrize("seed", range(6))
def test_honest_runs_give_equal_keys(seed):
    res = run_pipeline(link(), N, seed)
    out = res.as_dict()
    assert not out["aborted"], out["reason"]
    assert out["keys_equal"] is True and out["key_length"] == res.plan.key_length > 0
    assert res.alice.key_digest == res.bob.key_digest
    assert out["frame_errors"] == 0 and out["reason"] is None


def test_the_key_length_is_the_finite_size_bound_with_the_actual_leakage():
    res = run_pipeline(link(), N, 1)
    p = res.plan
    eps_ec = EpsilonSplit().values(p.eps_sound)["eps_EC"]
    expected = finite_key_length(N, p.gamma, p.design_S, p.design_Q, p.eps_sound,
                                 leak_ec=p.code.leak_bits + p.tag_bits - math.log2(1 / eps_ec),
                                 omega_thr=p.omega_thr).key_length
    assert res.key_length == expected
    bal = res.as_dict()["balance"]
    assert bal["total"]["generated"] == expected
    # consumed: one 64-bit pad per message (7) and the verification tag's pad
    assert bal["total"]["consumed"] == 7 * 64 + p.tag_bits
    assert bal["net_gain_bits"] == expected - bal["total"]["consumed"]


def test_extra_noise_beyond_the_design_aborts_in_error_correction():
    out = run_pipeline(link(), N, 2, extra_noise=0.05).as_dict()
    assert out["aborted"] and "error correction failed" in out["reason"]
    assert out["key_length"] == 0 and out["keys_equal"] is None and out["key_sha256"] is None


def test_a_chsh_score_below_the_threshold_aborts():
    res = run_pipeline(link(S=2.6), N, 3, design_S=2.6, omega_thr=0.85)
    assert res.aborted and res.reason.startswith("CHSH test failed") and res.key_length == 0


def test_an_undetected_decoding_error_is_caught_by_verification(monkeypatch):
    real = parties.correct

    def wrong(*args, **kwargs):  # a decoder that converges to a wrong codeword
        c = real(*args, **kwargs)
        bits = c.bits.copy()
        bits[17] ^= 1
        return type(c)(**{**c.__dict__, "bits": bits})

    monkeypatch.setattr(parties, "correct", wrong)
    res = run_pipeline(link(), N, 4)
    assert res.aborted and res.reason.startswith("verification failed") and res.key_length == 0


def test_verification_misses_a_mismatch_with_probability_two_to_the_minus_tag():
    """10^4 forced mismatches with an 8-bit tag and fresh Toeplitz seeds: collisions ~ Binomial(10^4, 2^-8)."""
    rng = np.random.default_rng(8)
    n, tag, trials = 256, 8, 10_000
    hits = 0
    for _ in range(trials):
        a = rng.integers(0, 2, n, dtype=np.uint8)
        b = a ^ (rng.random(n) < 0.02).astype(np.uint8)
        b[rng.integers(0, n)] ^= 1 if np.array_equal(a, b) else 0
        seed = rng.integers(0, 2, n + tag - 1, dtype=np.uint8)
        hits += np.array_equal(toeplitz_hash(seed, a, tag), toeplitz_hash(seed, b, tag))
    assert hits <= binom.isf(1e-6, trials, 2.0**-tag)
    assert hits >= binom.ppf(1e-6, trials, 2.0**-tag)  # the hash is not degenerate either


def test_too_few_rounds_is_a_clean_abort():
    res = run_pipeline(link(), 20_000, 0)
    assert res.aborted and "too few for a positive finite-size key" in res.reason
    assert res.as_dict()["key_length"] == 0


def test_bad_input_gives_clear_errors():
    with pytest.raises(InvalidTableError, match="key_pair"):  # Bob has no third input
        run_pipeline(CorrelationTable(np.full((2, 2, 2, 2), 0.25)), N, 0, roles=Roles(key_pair=(0, 2)))
    with pytest.raises(ParameterError, match="design CHSH score S = -0.0370 <= 2"):  # a local table
        run_pipeline(CorrelationTable(np.full((2, 2, 2, 2), 0.25)), N, 0)
    with pytest.raises(ParameterError, match="pre-shared key of 1000 bits is too short"):
        run_pipeline(link(), N, 0, preshared_bits=1000)
    with pytest.raises(ParameterError, match="transport"):
        run_pipeline(link(), N, 0, transport="carrier pigeon")
    with pytest.raises(ParameterError, match="design CHSH score"):
        plan_protocol(link(S=2.02), N)
    with pytest.raises(ParameterError, match="rounds"):
        run_pipeline(link(), 0, 0)


def test_an_unreachable_peer_is_a_clean_error():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    with pytest.raises(channels.ChannelError, match=f"cannot reach the peer at 127.0.0.1:{port}"):
        channels.connect("127.0.0.1", port, timeout=2)


# --- two processes over TCP -------------------------------------------------------------------


def _kind(data: bytes) -> str:
    return parse(data)[0].kind


def test_tcp_two_processes_end_to_end():
    res = run_pipeline(link(), N, 5, transport="tcp")
    out = res.as_dict()
    assert not out["aborted"], out["reason"]
    assert out["keys_equal"] is True and out["key_length"] > 0
    # the same seed in one process gives the same key
    assert run_pipeline(link(), N, 5).bob.key_digest == res.bob.key_digest


def _relayed(tamper, **kwargs):
    return run_pipeline(link(), N, 6, transport="tcp", timeout=kwargs.pop("timeout", 20),
                        relay=lambda target: channels.Relay(target, tamper), **kwargs)


def test_a_flipped_syndrome_bit_fails_authentication():
    def tamper(i, data):
        if _kind(data) == "syndrome":
            data = bytearray(data)
            data[-20] ^= 0x01  # a bit of the syndrome blob
            return [bytes(data)]
        return [data]

    res = _relayed(tamper)
    assert res.aborted and "authentication failed on message 2 (syndrome)" in res.reason
    assert res.key_length == 0 and res.alice.aborted and res.bob.aborted


def test_a_flipped_bit_of_the_privacy_amplification_announcement_fails_authentication():
    def tamper(i, data):
        if _kind(data) == "privacy_amplification":
            data = bytearray(data)
            at = bytes(data).index(b'"key_length":') + len(b'"key_length":')
            data[at] ^= 0x01  # one digit of the announced length becomes another digit
            return [bytes(data)]
        return [data]

    res = _relayed(tamper)
    assert res.aborted and "authentication failed" in res.reason and "privacy_amplification" in res.reason
    assert res.key_length == 0 and res.alice.aborted


def test_reordered_messages_abort():
    held = []

    def tamper(i, data):
        kind = _kind(data)
        if kind == "syndrome":
            held.append(data)
            return []
        if kind == "verification":
            return [data, *held]
        return [data]

    res = _relayed(tamper)
    assert res.aborted and "out of order" in res.reason and res.key_length == 0


def test_a_truncated_message_aborts():
    state = {"cut": False}

    def tamper(i, data):
        if state["cut"]:
            return []
        if _kind(data) == "syndrome":
            state["cut"] = True
            return [data[: len(data) // 2]]
        return [data]

    res = _relayed(tamper, timeout=3)
    assert res.aborted and res.key_length == 0
    assert "within 3 s" in res.bob.reason or "mid-message" in res.bob.reason


def test_a_malformed_message_aborts():
    def tamper(i, data):
        return [b"DIQK\x01\x00\x00\x00\x05hello" + b"\0" * 8] if _kind(data) == "inputs" else [data]

    res = _relayed(tamper)
    assert res.aborted and "malformed message" in res.bob.reason and res.key_length == 0
