"""Alice and Bob: two parties that share a pre-shared key and a public plan, and talk only through
authenticated public messages (Nadlinger et al., Nature 607, 682 (2022), arXiv:2109.14600, Fig. 2).

Transcript (each message tagged, :mod:`.messages`)::

    0  Bob   -> Alice  round_types             which rounds were tests (Bob chose them)
    1  Alice -> Bob    inputs                  Alice's CHSH input in each test round
    2  Alice -> Bob    syndrome                LDPC syndrome of all n outcomes (error correction)
    3  Alice -> Bob    verification            Toeplitz hash of A, one-time padded
    4  Bob   -> Alice  decision                accept, or abort with the reason
    5  Alice -> Bob    privacy_amplification   the final key length and where its Toeplitz seed
                                               sits in K0 (both must equal the plan's)
    6  Bob   -> Alice  confirm                 Bob holds the key (Alice keeps hers only then)

Bob reconciles Alice's outcomes against his own after the CHSH flip (a test round ``(x, y)`` is
won iff ``a = b xor [(x, y) = minus]``), with per-bit priors Q on key rounds and 1 - omega on
test rounds (the design values). He aborts if a block does not decode, if the verification hash
differs, or if more than ``n gamma (1 - omega_thr)`` test rounds are lost (the acceptance test of
:mod:`protocols.finite_key`). Both hash all ``n`` outcomes with one Toeplitz matrix of
``tag_bits + key_length`` rows whose seed is reusable pre-shared key: the first ``tag_bits`` rows
are the verification hash (any ``tag_bits`` consecutive rows of a uniformly seeded Toeplitz
matrix are a two-universal family, Krawczyk 1994), the rest the privacy amplification.
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..roles import Roles
from .channels import ChannelError
from .error_correction import CodePlan, correct, syndromes
from .messages import Authenticator, Message, ProtocolAbort, frame, pack_bits, parse, unpack_bits
from .preshared_key import AUTH_PADS, PresharedKey
from .sampler import Rounds
from .toeplitz import toeplitz_hash


@dataclass(frozen=True)
class ProtocolPlan:
    """Everything fixed and public before the protocol runs (the paper's Fig. 2 caption: n, gamma,
    omega_thr, m), derived from a design point by :func:`protocols.postprocessing.pipeline.plan_protocol`."""

    n: int
    gamma: float
    roles: Roles
    design_S: float
    design_Q: float
    omega_thr: float
    eps_sound: float
    tag_bits: int
    key_length: int
    code: CodePlan
    key_terms: dict = field(default_factory=dict)

    @property
    def design_omega(self) -> float:
        return 0.5 + self.design_S / 8.0

    @property
    def max_losses(self) -> int:
        """Largest number of lost test rounds that passes: ``floor(n gamma (1 - omega_thr))``."""
        return int(math.floor(self.n * self.gamma * (1.0 - self.omega_thr) + 1e-9))


@dataclass
class PartyResult:
    """What one party ends with. ``key`` stays in memory and is never printed; compare digests."""

    name: str
    aborted: bool = False
    reason: str | None = None
    key: np.ndarray | None = None
    seconds: dict[str, float] = field(default_factory=dict)
    stats: dict[str, Any] = field(default_factory=dict)
    balance: dict | None = None

    @property
    def key_digest(self) -> str | None:
        """SHA-256 of the packed key bits (hex), or None without a key."""
        if self.key is None:
            return None
        return hashlib.sha256(np.packbits(self.key).tobytes() + str(self.key.size).encode()).hexdigest()

    def summary(self) -> dict:
        return {"name": self.name, "aborted": self.aborted, "reason": self.reason,
                "key_length": 0 if self.key is None else int(self.key.size), "key_sha256": self.key_digest,
                "seconds": self.seconds, "stats": self.stats, "balance": self.balance}


class Link:
    """A party's authenticated end of the transcript: numbers, tags, frames and checks every message."""

    def __init__(self, me: str, channel, auth: Authenticator):
        self.me, self.peer = me, ("bob" if me == "alice" else "alice")
        self.channel, self.auth, self.seq = channel, auth, 0

    def send(self, kind: str, fields: dict | None = None, blobs: dict | None = None) -> None:
        msg = Message(kind, self.seq, self.me, fields or {}, blobs or {})
        self.channel.send(frame(msg, self.auth.tag(self.me, self.seq, msg.body())))
        self.seq += 1

    def receive(self, kind: str) -> Message:
        msg, body, tag = parse(self.channel.receive())
        authentic = msg.sender == self.peer and self.auth.verify(self.peer, msg.seq, body, tag) \
            if 0 <= msg.seq < self.auth.pads.size else False
        if msg.kind == "abort":
            reason = msg.fields.get("reason", "no reason given")
            raise ProtocolAbort(f"{self.peer} aborted: {reason}" + ("" if authentic else " (unauthenticated message)"))
        if msg.seq != self.seq:
            raise ProtocolAbort(f"message out of order: expected message {self.seq}, got {msg.seq} ({msg.kind})")
        if not authentic:
            raise ProtocolAbort(f"authentication failed on message {msg.seq} ({msg.kind}): tampered or forged")
        if msg.kind != kind:
            raise ProtocolAbort(f"unexpected message: expected {kind}, got {msg.kind}")
        self.seq += 1
        return msg

    def abort(self, reason: str) -> None:
        try:
            self.send("abort", {"reason": reason})
        except (ChannelError, ProtocolAbort):
            pass


def _keys(plan: ProtocolPlan, k0: PresharedKey) -> tuple[Authenticator, np.ndarray, int, np.ndarray]:
    """Cut K0 in the order of :func:`.preshared_key.required_bits` (both parties do the same)."""
    hash_keys = k0.words("authentication", 2, reusable=True)
    pads = k0.words("authentication", AUTH_PADS, reusable=None)  # consumed as messages are tagged
    offset = k0.position
    # one Toeplitz seed: its first tag_bits rows hash for validation, the rest for privacy amplification
    seed = k0.take("privacy amplification", plan.n + plan.tag_bits + plan.key_length - 1, reusable=True)
    tag_pad = k0.take("validation of error correction", plan.tag_bits, reusable=False)
    return Authenticator({"alice": int(hash_keys[0]), "bob": int(hash_keys[1])}, pads), seed, offset, tag_pad


def _finish(result: PartyResult, link: Link, k0: PresharedKey, hashed: np.ndarray | None, plan: ProtocolPlan) -> None:
    k0.record("authentication", consumed=64 * link.seq)
    if not result.aborted and hashed is not None:
        result.key = hashed[plan.tag_bits :].copy()
        k0.record("privacy amplification", generated=int(result.key.size))
    result.balance = k0.balance()


def _timed(result: PartyResult, stage: str, start: float) -> float:
    now = time.perf_counter()
    result.seconds[stage] = result.seconds.get(stage, 0.0) + now - start
    return now


def run_alice(plan: ProtocolPlan, k0: PresharedKey, rounds: Rounds, channel) -> PartyResult:
    """Alice's side of the transcript; ``rounds`` supplies only her own records (test, x, a)."""
    result, hashed = PartyResult("alice"), None
    auth, seed, seed_offset, tag_pad = _keys(plan, k0)
    link = Link("alice", channel, auth)
    try:
        t = time.perf_counter()
        msg = link.receive("round_types")
        test = unpack_bits(msg.blobs.get("test", b""), plan.n, "round_types.test")
        t = _timed(result, "messages", t)
        choice = (rounds.x[test == 1] == plan.roles.chsh_x[1]).astype(np.uint8)
        link.send("inputs", blobs={"x": pack_bits(choice)})
        syn = syndromes(plan.code, rounds.a)
        t = _timed(result, "error_correction", t)
        link.send("syndrome", blobs={"syndrome": pack_bits(syn.reshape(-1))})
        hashed = toeplitz_hash(seed, rounds.a, plan.tag_bits + plan.key_length)
        t = _timed(result, "hashing", t)
        link.send("verification", blobs={"tag": pack_bits(hashed[: plan.tag_bits] ^ tag_pad)})
        decision = link.receive("decision")
        if decision.fields.get("accept") is not True:
            raise ProtocolAbort(f"bob did not accept: {decision.fields.get('reason')}")
        link.send("privacy_amplification", {"key_length": plan.key_length, "seed_offset": seed_offset,
                                            "seed_bits": int(seed.size)})
        link.receive("confirm")
        _timed(result, "messages", t)
    except (ProtocolAbort, ChannelError) as exc:
        result.aborted, result.reason = True, str(exc)
        link.abort(str(exc))
    _finish(result, link, k0, hashed, plan)
    return result


def run_bob(plan: ProtocolPlan, k0: PresharedKey, rounds: Rounds, channel) -> PartyResult:
    """Bob's side of the transcript; ``rounds`` supplies only his own records (test, y, b)."""
    result, hashed = PartyResult("bob"), None
    auth, seed, seed_offset, tag_pad = _keys(plan, k0)
    link = Link("bob", channel, auth)
    roles = plan.roles
    try:
        t = time.perf_counter()
        link.send("round_types", blobs={"test": pack_bits(rounds.test)})
        test = rounds.test == 1
        inputs = link.receive("inputs")
        choice = unpack_bits(inputs.blobs.get("x", b""), int(test.sum()), "inputs.x")
        syn_msg = link.receive("syndrome")
        syn = unpack_bits(syn_msg.blobs.get("syndrome", b""), plan.code.leak_bits, "syndrome.syndrome")
        t = _timed(result, "messages", t)
        x_test = np.array(roles.chsh_x, dtype=np.uint8)[choice]
        flip = np.zeros(plan.n, dtype=np.uint8)
        flip[test] = ((x_test == roles.chsh_minus[0]) & (rounds.y[test] == roles.chsh_minus[1])).astype(np.uint8)
        b_flipped = rounds.b ^ flip
        priors = np.where(test, 1.0 - plan.design_omega, plan.design_Q)
        corr = correct(plan.code, b_flipped, syn.reshape(plan.code.blocks, -1), priors)
        t = _timed(result, "error_correction", t)
        result.stats.update(frame_errors=len(corr.failed_blocks), blocks=plan.code.blocks)
        if corr.failed_blocks:
            raise ProtocolAbort(f"error correction failed: {len(corr.failed_blocks)} of {plan.code.blocks} blocks did "
                                f"not decode (the error rate is above what the code corrects)")
        a_hat = corr.bits
        disagree = a_hat != b_flipped
        losses = int(np.count_nonzero(disagree & test))
        tests = int(test.sum())
        key_rounds = plan.n - tests
        result.stats.update(test_rounds=tests, lost_test_rounds=losses, max_lost_test_rounds=plan.max_losses,
                            omega_observed=(1 - losses / tests) if tests else None,
                            qber_observed=(int(np.count_nonzero(disagree & ~test)) / key_rounds
                                           if key_rounds else None),
                            corrected_bits=int(np.count_nonzero(disagree)))
        verification = link.receive("verification")
        tag = unpack_bits(verification.blobs.get("tag", b""), plan.tag_bits, "verification.tag") ^ tag_pad
        hashed = toeplitz_hash(seed, a_hat, plan.tag_bits + plan.key_length)
        t = _timed(result, "hashing", t)
        if not np.array_equal(tag, hashed[: plan.tag_bits]):
            hashed = None
            raise ProtocolAbort("verification failed: the hash of Bob's corrected string differs from Alice's "
                                "(an undetected decoding error)")
        if losses > plan.max_losses:
            hashed = None
            raise ProtocolAbort(f"CHSH test failed: {losses} of {tests} test rounds lost, more than the "
                                f"{plan.max_losses} allowed by omega_thr = {plan.omega_thr:.6f} "
                                f"(observed omega = {1 - losses / max(tests, 1):.4f})")
        link.send("decision", {"accept": True})
        pa = link.receive("privacy_amplification")
        announced = (pa.fields.get("key_length"), pa.fields.get("seed_offset"), pa.fields.get("seed_bits"))
        if announced != (plan.key_length, seed_offset, int(seed.size)):
            hashed = None
            raise ProtocolAbort(f"privacy amplification announcement (length, seed offset, seed bits) = {announced} "
                                f"differs from the plan's {(plan.key_length, seed_offset, int(seed.size))}")
        link.send("confirm")
        _timed(result, "messages", t)
    except (ProtocolAbort, ChannelError) as exc:
        result.aborted, result.reason, hashed = True, str(exc), None
        link.abort(str(exc))
    _finish(result, link, k0, hashed, plan)
    return result
