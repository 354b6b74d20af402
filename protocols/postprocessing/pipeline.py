"""The complete classical protocol on any binary-outcome table: plan, sample, reconcile, verify,
estimate, amplify, authenticate (Nadlinger et al., Nature 607, 682 (2022), arXiv:2109.14600).

:func:`plan_protocol` fixes everything public before the protocol runs, from a design point
(CHSH score and QBER) as the paper did: ``omega_thr`` (:func:`protocols.finite_key.threshold_winning_probability`),
the LDPC code and its syndrome length ``m``, the verification tag, and the key length from the
finite-size bound :func:`protocols.finite_key.finite_key_length` with the code's actual ``m``.
:func:`run_pipeline` samples the rounds (:mod:`.sampler`), gives Alice and Bob their own records
and the pre-shared key, and runs the two parties (:mod:`.parties`) in one process (two threads)
or as two processes talking TCP on the loopback interface.

The design point defaults to the table's own CHSH score and QBER degraded by the margins the
paper chose (design S = 2.64, Q = 1.8% for a link characterised at S = 2.677, Q = 1.44%):
``S_design = S - 0.037``, ``Q_design = Q + 0.0036``.
"""

from __future__ import annotations

import math
import multiprocessing
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from ..chsh import chsh_score, qber
from ..errors import ParameterError
from ..finite_key import EpsilonSplit, finite_key_length, threshold_winning_probability, winning_probability
from ..pironio import check_chsh_score
from ..roles import Roles
from ..table import CorrelationTable, require_table, table_from_dict
from ..validate import integer, real
from . import channels
from .error_correction import design_entropy, plan_code
from .parties import PartyResult, ProtocolPlan, run_alice, run_bob
from .preshared_key import PresharedKey, required_bits
from .sampler import MAX_ROUNDS, Rounds, roles_of, sample_rounds

#: margins between characterised and design values chosen by Nadlinger et al. (2.677 -> 2.64, 1.44% -> 1.8%)
DESIGN_MARGIN_S = 0.037
DESIGN_MARGIN_Q = 0.0036
#: the paper's test-round probability and soundness error
DEFAULT_GAMMA = 13 / 256
DEFAULT_EPS_SOUND = 1e-10


def _streams(seed: int) -> tuple[np.random.Generator, np.random.Generator]:
    """Independent generators for the devices and the simulated pre-shared key."""
    devices, key = np.random.SeedSequence(integer("seed", seed, 0)).spawn(2)
    return np.random.default_rng(devices), np.random.default_rng(key)


def design_point(table: CorrelationTable, roles: Roles) -> tuple[float, float]:
    """Default design ``(S, Q)``: the table's values with the paper's margins (module docstring)."""
    S = check_chsh_score(chsh_score(table, roles.chsh_x, roles.chsh_y, roles.chsh_minus), "the table's CHSH score")
    Q = qber(table, roles.key_pair)
    return min(S, 2 * math.sqrt(2)) - DESIGN_MARGIN_S, min(Q + DESIGN_MARGIN_Q, 0.5)


def plan_protocol(table: CorrelationTable, n: int, gamma: float = DEFAULT_GAMMA, omega_thr: float | None = None,
                  design_S: float | None = None, design_Q: float | None = None,
                  eps_sound: float = DEFAULT_EPS_SOUND, efficiency: float | None = None,
                  tag_bits: int | None = None, roles: Roles | None = None, code_seed: int = 0) -> ProtocolPlan:
    """The public plan (module docstring). ``key_length`` is 0 when the finite-size bound gives no key."""
    table = require_table(table)
    roles = roles or roles_of(table)
    roles.check(table.shape)
    n = integer("rounds", n, 1, MAX_ROUNDS)
    gamma = real("gamma (test-round probability)", gamma, 0.0, 1.0, low_open=True, high_open=True)
    S0, Q0 = design_point(table, roles)
    S = S0 if design_S is None else real("design S", design_S, -2 * math.sqrt(2), 2 * math.sqrt(2))
    Q = Q0 if design_Q is None else real("design Q", design_Q, 0.0, 0.5)
    if S <= 2.0:
        raise ParameterError(f"design CHSH score S = {S:.4f} <= 2 certifies no entropy: the table's CHSH inputs "
                             f"{roles.chsh_x} x {roles.chsh_y} violate CHSH too little for a key "
                             "(pass --design-S to override)")
    omega = winning_probability(S)
    if omega_thr is None:
        thr = threshold_winning_probability(n, gamma, omega)
    else:
        thr = real("omega_thr", omega_thr, 0.0, 1.0)
    eps_ec = EpsilonSplit().values(real("eps_sound", eps_sound, 0.0, 1.0, low_open=True, high_open=True))["eps_EC"]
    tag = math.ceil(math.log2(1 / eps_ec)) if tag_bits is None else integer("tag bits", tag_bits, 1, 1024)
    code = plan_code(n, design_entropy(gamma, Q, omega), seed=code_seed,
                     **({} if efficiency is None else {"efficiency": efficiency}))
    # the formula charges log2(1/eps_EC) for the verification tag; a longer tag costs the excess too
    leak = code.leak_bits + max(0.0, tag - math.log2(1 / eps_ec))
    fk = finite_key_length(n, gamma, S, Q, eps_sound, leak_ec=leak, omega_thr=thr)
    return ProtocolPlan(n, gamma, roles, S, Q, thr, eps_sound, tag, fk.key_length, code,
                        {k: v for k, v in fk.terms.items()})


@dataclass
class PipelineResult:
    """The outcome of one run; ``as_dict`` is the ``diqkd pipeline --json`` object (no key bits)."""

    plan: ProtocolPlan
    alice: PartyResult | None
    bob: PartyResult | None
    aborted: bool
    reason: str | None
    seconds: dict[str, float] = field(default_factory=dict)
    transport: str = "local"

    @property
    def key_length(self) -> int:
        return 0 if self.aborted or self.bob is None or self.bob.key is None else int(self.bob.key.size)

    @property
    def keys_equal(self) -> bool | None:
        if self.aborted or self.alice is None or self.bob is None:
            return None
        return self.alice.key_digest is not None and self.alice.key_digest == self.bob.key_digest

    def as_dict(self) -> dict:
        p, stats = self.plan, (self.bob.stats if self.bob else {})
        n = p.n
        omega_obs, q_obs = stats.get("omega_observed"), stats.get("qber_observed")
        actual = design_entropy(p.gamma, q_obs, omega_obs) if omega_obs is not None and q_obs is not None else None
        design = design_entropy(p.gamma, p.design_Q, p.design_omega)
        return {
            "aborted": self.aborted,
            "reason": self.reason,
            "key_length": self.key_length,
            "keys_equal": self.keys_equal,
            "key_sha256": None if self.key_length == 0 else self.bob.key_digest,
            "leak_ec_bits": p.code.leak_bits,
            "efficiency": None if not actual else p.code.leak_bits / (n * actual),
            "design_efficiency": p.code.leak_bits / (n * design),
            "frame_errors": stats.get("frame_errors"),
            "blocks": p.code.blocks,
            "block_length_bits": p.code.block_length,
            "balance": (self.alice.balance if self.alice else None),
            "seconds": sum(self.seconds.values()),
            "stage_seconds": {**self.seconds, **{f"{who.name}_{k}": v for who in (self.alice, self.bob) if who
                                                  for k, v in who.seconds.items()}},
            "transport": self.transport,
            "rounds": n,
            "gamma": p.gamma,
            "omega_thr": p.omega_thr,
            "design": {"S": p.design_S, "Q": p.design_Q, "omega": p.design_omega},
            "observed": {"omega": omega_obs, "Q": q_obs, "test_rounds": stats.get("test_rounds"),
                         "lost_test_rounds": stats.get("lost_test_rounds"),
                         "max_lost_test_rounds": p.max_losses},
            "planned_key_length": p.key_length,
            "tag_bits": p.tag_bits,
            "roles": p.roles.as_dict(),
            "eps_sound": p.eps_sound,
            "units": {"key_length": "bits", "leak_ec_bits": "bits", "seconds": "s", "balance": "bits",
                      "efficiency": "leak / (n H(A|B)) with the observed Q and omega (1 = Slepian-Wolf limit)",
                      "design_efficiency": "leak / (n H(A|B)) at the design point"},
        }


def _own_records(rounds: Rounds, who: str) -> Rounds:
    """A party's view of the sampled rounds: the other party's input and outcome are blanked."""
    blank = np.zeros(0, dtype=np.uint8)
    if who == "alice":
        return Rounds(rounds.test, rounds.x, blank, rounds.a, blank)
    return Rounds(rounds.test, blank, rounds.y, blank, rounds.b)


def _alice_process(plan, table_dict, seed, extra_noise, preshared_bits, address, timeout, out) -> None:
    """Alice in her own process: she re-draws the shared simulation, keeps her records, connects."""
    try:
        table = table_from_dict(table_dict)
        device_rng, key_rng = _streams(seed)
        rounds = _own_records(sample_rounds(table, plan.n, plan.gamma, plan.roles, device_rng, extra_noise), "alice")
        k0 = PresharedKey.simulated(preshared_bits, key_rng)
        channel = channels.connect(*address, timeout=timeout)
        try:
            result = run_alice(plan, k0, rounds, channel)
        finally:
            channel.close()
        out.put(result.summary())
    except Exception as exc:  # reported to the parent as an abort, never a traceback
        out.put({"name": "alice", "aborted": True, "reason": f"alice's process failed: {exc}", "key_length": 0,
                 "key_sha256": None, "seconds": {}, "stats": {}, "balance": None})


class _RemoteResult(PartyResult):
    """Alice's result as reported by her process (digest only; the key never leaves it)."""

    def __init__(self, summary: dict):
        super().__init__("alice", summary["aborted"], summary["reason"], None, summary["seconds"], summary["stats"],
                         summary["balance"])
        self._digest, self._length = summary["key_sha256"], summary["key_length"]

    @property
    def key_digest(self) -> str | None:
        return self._digest


def run_pipeline(table: CorrelationTable, rounds: int, seed: int, gamma: float = DEFAULT_GAMMA,
                 omega_thr: float | None = None, extra_noise: float = 0.0, transport: str = "local",
                 design_S: float | None = None, design_Q: float | None = None,
                 eps_sound: float = DEFAULT_EPS_SOUND, efficiency: float | None = None,
                 tag_bits: int | None = None, preshared_bits: int | None = None, roles: Roles | None = None,
                 timeout: float = channels.DEFAULT_TIMEOUT,
                 relay: Callable[[tuple[str, int]], channels.Relay] | None = None) -> PipelineResult:
    """Run the whole protocol once (module docstring). Aborts are results, not exceptions.

    Args:
        table: a binary-outcome correlation table with CHSH inputs and a key pair (:class:`Roles`).
        rounds: heralded rounds n.
        seed: seeds the simulated devices and the pre-shared key (an integer >= 0).
        gamma: test-round probability.
        omega_thr: acceptance threshold (default from the design point).
        extra_noise: probability of flipping each of Bob's outcomes after sampling (tampering).
        transport: ``"local"`` (two threads) or ``"tcp"`` (Alice in a second process, loopback TCP).
        preshared_bits: length of K0 (default: exactly what the balance sheet needs).
        relay: TCP only: ``relay((host, port)) -> Relay`` puts a man in the middle before Bob.
    """
    seconds: dict[str, float] = {}
    t0 = time.perf_counter()
    table = require_table(table)
    seed = integer("seed", seed, 0)
    if transport not in ("local", "tcp"):
        raise ParameterError(f"transport must be 'local' or 'tcp', got {transport!r}")
    extra_noise = real("extra noise (flip probability of Bob's outcomes)", extra_noise, 0.0, 1.0)
    timeout = real("timeout", timeout, 0.0, low_open=True, unit="s")
    plan = plan_protocol(table, rounds, gamma, omega_thr, design_S, design_Q, eps_sound, efficiency, tag_bits, roles)
    seconds["plan"] = time.perf_counter() - t0
    if plan.key_length <= 0:
        bound = plan.key_terms.get("key_length_bits")
        detail = "no entropy is certified" if bound is None else f"the bound is {bound:.0f} bits"
        return PipelineResult(plan, None, None, True,
                              f"n = {plan.n} rounds is too few for a positive finite-size key ({detail})",
                              seconds, transport)
    needed = required_bits(plan.n, plan.key_length, plan.tag_bits)
    k0_bits = needed if preshared_bits is None else integer("pre-shared key bits", preshared_bits, 0)
    if k0_bits < needed:
        raise ParameterError(f"the pre-shared key of {k0_bits} bits is too short: the balance sheet needs "
                             f"{needed} bits (authentication, verification and the Toeplitz seed)")
    t = time.perf_counter()
    device_rng, key_rng = _streams(seed)
    sampled = sample_rounds(table, plan.n, plan.gamma, plan.roles, device_rng, extra_noise)
    seconds["sampling"] = time.perf_counter() - t
    t = time.perf_counter()
    if transport == "local":
        alice, bob = _run_local(plan, sampled, key_rng, k0_bits, timeout)
    else:
        alice, bob = _run_tcp(plan, table, seed, extra_noise, sampled, key_rng, k0_bits, timeout, relay)
    seconds["protocol"] = time.perf_counter() - t
    aborted = alice.aborted or bob.aborted
    reason = (bob.reason if bob.aborted else alice.reason) if aborted else None
    return PipelineResult(plan, alice, bob, aborted, reason, seconds, transport)


def _run_local(plan, sampled, key_rng, k0_bits, timeout) -> tuple[PartyResult, PartyResult]:
    import threading

    k0 = PresharedKey.simulated(k0_bits, key_rng)
    k0_copy = PresharedKey(k0.bits.copy())
    end_a, end_b = channels.local_pair(timeout)
    box: dict[str, PartyResult] = {}
    alice_records = _own_records(sampled, "alice")
    thread = threading.Thread(target=lambda: box.setdefault("alice", run_alice(plan, k0, alice_records, end_a)),
                              daemon=True)
    thread.start()
    bob = run_bob(plan, k0_copy, _own_records(sampled, "bob"), end_b)
    thread.join(timeout)
    alice = box.get("alice") or PartyResult("alice", True, "alice did not finish in time")
    return alice, bob


def _accept_while_alive(server, proc, timeout: float) -> channels.TCPChannel:
    """Accept Alice's connection, giving up at once if her process dies first."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return channels.accept(server, timeout, wait=min(0.2, max(deadline - time.monotonic(), 1e-3)))
        except channels.ChannelError:
            if not proc.is_alive():
                raise channels.ChannelError(f"alice's process exited (code {proc.exitcode}) "
                                            "before connecting") from None
            if time.monotonic() >= deadline:
                raise channels.ChannelError(f"the peer did not connect within {timeout:g} s") from None


def _run_tcp(plan, table, seed, extra_noise, sampled, key_rng, k0_bits, timeout,
             relay) -> tuple[PartyResult, PartyResult]:
    server = channels.listen()
    address = server.getsockname()
    mitm = relay(address) if relay is not None else None
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    proc = ctx.Process(target=_alice_process, daemon=True,
                       args=(plan, table.to_dict(), seed, extra_noise, k0_bits,
                             mitm.address if mitm else address, timeout, out))
    proc.start()
    try:
        channel = _accept_while_alive(server, proc, timeout)
    except channels.ChannelError as exc:
        proc.kill()
        server.close()
        return (PartyResult("alice", True, f"alice never connected: {exc}"),
                PartyResult("bob", True, f"alice never connected: {exc}"))
    k0 = PresharedKey.simulated(k0_bits, key_rng)
    try:
        bob = run_bob(plan, k0, _own_records(sampled, "bob"), channel)
    finally:
        channel.close()
        server.close()
    try:
        alice = _RemoteResult(out.get(timeout=timeout))
    except Exception:  # queue.Empty: the process died or hung
        alice = PartyResult("alice", True, "alice's process did not report within the timeout")
    proc.join(timeout)
    if proc.is_alive():  # pragma: no cover
        proc.kill()
    return alice, bob
