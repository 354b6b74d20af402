"""One-way (Slepian-Wolf) LDPC error correction for the DIQKD classical post-processing.

Alice holds ``a`` (``n`` bits), Bob ``b``; position ``i`` disagrees independently with a known
probability ``p_i`` (key rounds ``Q``, test rounds ``1 - omega``). The ``n`` positions are cut
into ``blocks`` blocks of ``block_length`` bits (the last padded with shortened positions: zeros
known to both, prior ``p = 1e-9``). For each block Alice sends the syndrome ``H a`` (mod 2); Bob
decodes the error pattern ``e = a xor b`` from ``H e = H b xor H a`` by belief propagation with
the per-bit priors ``p_i`` and outputs ``b xor e_hat``. The leak is every syndrome bit sent,
``blocks * syndrome_bits_per_block``, fixed before the protocol runs (:func:`plan_code`).

Efficiency ``f = leak / (n * H)`` with the design entropy ``H = (1-gamma) h(Q) + gamma h(1-omega)``
(:func:`design_entropy`, bits per position). The number of checks per block is
``m = floor(f * n * H / blocks)``, so the leak never exceeds ``f n H`` (the shortened positions cost
nothing); every block uses the same code (:func:`parity_check`, built by
:mod:`protocols.postprocessing.ldpc_codes`).

Decoders (``correct(..., decoder=)``):

* ``"numba"``: layered (row-serial) sum-product BP (Hocevar, "A reduced complexity decoder
  architecture via layered decoding of LDPC codes", IEEE SIPS 2004), float32 messages, the check
  update in the ``phi(x) = -ln tanh(x/2)`` domain (Gallager 1963) with ``phi`` read from a
  4096-entry table indexed by the float's exponent and top 8 mantissa bits (relative bin width
  2^-8, ``x`` clamped to [2^-12, 16), so a check message is at most ``phi(2^-12) ~ 9``). It needs
  the optional ``numba`` package; the compiled kernel is cached on disk (``cache=True``).
* ``"ldpc"``: the ``ldpc`` package's ``BpDecoder`` (flooding schedule, ``product_sum``), ~10x
  slower per edge and iteration and needing ~2x the iterations: a fallback when numba is
  missing.
* ``"auto"`` (default): ``"numba"`` if importable, else ``"ldpc"``.

Time for 1.5e6 positions at the design point, f = 1.15, one core (12 blocks of 125 000 bits):
construction 0.13 s, syndromes 0.01 s, decoding 1.0 s with ``"numba"`` (plus 0.3 s to import
numba and load the cached kernel once per process, ~1 s more the first time it compiles) and
~29 s with ``"ldpc"``.

A block is *converged* when the decoded pattern satisfies the syndrome exactly; every other block
is listed in :attr:`Correction.failed_blocks` and left as Bob's input. A converged block can
still be a wrong codeword (rare, never seen in the benchmark runs): catching it is the
verification hash's job, not this module's.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

from protocols.binary_entropy import binary_entropy
from protocols.errors import ParameterError
from protocols.postprocessing import ldpc_codes
from protocols.validate import integer, real, real_array

#: default reconciliation efficiency f = leak / (n H). Frame error rate at the design point
#: (benchmarks/bench_reconciliation.py, blocks of 125 000): 0/1008 at f = 1.15, 1/1008 at 1.14,
#: 2/1008 at 1.13, 10/1008 at 1.12, 7/120 at 1.10
DEFAULT_EFFICIENCY = 1.15
#: default largest block (bits): 1.5e6 positions -> 12 blocks of 125 000
DEFAULT_MAX_BLOCK = 2**17
#: default BP iteration limit (layered schedule; ~16 are used at the design point)
DEFAULT_MAX_ITER = 80
#: prior flip probability of a shortened (padding) position: known to both, so ~0
PAD_PROBABILITY = 1e-9
#: smallest block the planner makes (bits); smaller ``n`` is one block of ``n`` bits
MIN_BLOCK = 16


def design_entropy(gamma: float, Q: float, omega: float) -> float:
    """``(1-gamma) h(Q) + gamma h(1-omega)``: Bob's uncertainty about Alice's bit, bits per position.

    ``gamma`` is the test-round fraction, ``Q`` the key-round error rate (QBER), ``omega`` the
    CHSH winning probability (a test round's bits disagree with probability ``1 - omega``).

    Raises:
        ParameterError: ``gamma``, ``Q`` or ``omega`` outside [0, 1].
    """
    g = real("gamma", gamma, 0.0, 1.0)
    q = real("Q", Q, 0.0, 1.0)
    w = real("omega", omega, 0.0, 1.0)
    return float((1.0 - g) * binary_entropy(q) + g * binary_entropy(1.0 - w))


@dataclass(frozen=True)
class CodePlan:
    """The code, fixed before the protocol runs from the design point.

    Attributes:
        n: positions to reconcile.
        block_length: ``N``, bits per block (``blocks * N - n < blocks`` padding positions).
        blocks: number of blocks, ``ceil(n / max_block)``.
        syndrome_bits_per_block: ``m``, checks of the parity-check matrix.
        seed: code construction seed (same seed, same matrix).
        design_efficiency: the ``f`` the plan was made for; the leak is at most ``f n H``.
    """

    n: int
    block_length: int
    blocks: int
    syndrome_bits_per_block: int
    seed: int
    design_efficiency: float

    @property
    def leak_bits(self) -> int:
        """Syndrome bits sent in total, ``blocks * syndrome_bits_per_block``."""
        return self.blocks * self.syndrome_bits_per_block

    @property
    def padding(self) -> int:
        """Shortened positions appended to the last block, ``blocks * block_length - n``."""
        return self.blocks * self.block_length - self.n

    def efficiency(self, entropy: float) -> float:
        """``leak_bits / (n * entropy)`` for an entropy in bits per position."""
        h = real("entropy", entropy, 0.0, 1.0, low_open=True, unit="bits per position")
        return self.leak_bits / (self.n * h)


def plan_code(n: int, design_entropy: float, efficiency: float = DEFAULT_EFFICIENCY,
              max_block: int = DEFAULT_MAX_BLOCK, seed: int = 0) -> CodePlan:
    """Blocks and checks for ``n`` positions at ``design_entropy`` bits per position.

    ``blocks = ceil(n / max_block)`` blocks of ``N = ceil(n / blocks)`` bits and
    ``m = floor(efficiency * n * design_entropy / blocks)`` checks each (at least 1), so
    ``leak_bits <= efficiency * n * design_entropy`` whenever that is at least ``blocks``.

    Raises:
        ParameterError: ``n < 1``; ``design_entropy`` outside (0, 1]; ``efficiency < 1`` or
            ``efficiency * design_entropy >= 1`` (the syndrome would not be shorter than the key);
            ``max_block < MIN_BLOCK``; ``seed`` not an integer in [0, 2**63).
    """
    n = integer("n", n, 1)
    h = real("design_entropy", design_entropy, 0.0, 1.0, low_open=True, unit="bits per position")
    f = real("efficiency", efficiency, 1.0)
    if f * h >= 1.0:
        raise ParameterError(f"efficiency * design_entropy must be < 1 (a syndrome shorter than the key), "
                             f"got efficiency={f!r}, design_entropy={h!r}")
    max_block = integer("max_block", max_block, MIN_BLOCK)
    seed = integer("seed", seed, 0, 2**63 - 1)
    blocks = -(-n // max_block)
    N = -(-n // blocks)
    m = min(max(math.floor(f * n * h / blocks), 1), N - 1) if N > 1 else 1
    if N <= m:  # n == 1: one parity bit of one bit
        N = m + 1
    return CodePlan(n=n, block_length=N, blocks=blocks, syndrome_bits_per_block=m, seed=seed,
                    design_efficiency=f)


def _check_plan(plan: Any) -> CodePlan:
    if not isinstance(plan, CodePlan):
        raise ParameterError(f"plan must be a CodePlan (from plan_code), got {type(plan).__name__}")
    return plan


def parity_check(plan: CodePlan) -> sp.csr_matrix:
    """The plan's ``syndrome_bits_per_block x block_length`` parity-check matrix (uint8 CSR).

    Built by :func:`protocols.postprocessing.ldpc_codes.construct` with the default degree
    distribution and the plan's seed; cached in-process (read-only arrays).
    """
    plan = _check_plan(plan)
    return ldpc_codes.construct(plan.block_length, plan.syndrome_bits_per_block, seed=plan.seed)


def _bits(name: str, value: Any, length: int) -> np.ndarray:
    """``value`` as a uint8 0/1 vector of ``length`` entries, else ParameterError."""
    arr = np.asarray(value)
    if arr.dtype == object or arr.dtype.kind not in "biuf":
        raise ParameterError(f"{name} must be an array of bits 0/1, got dtype {arr.dtype}")
    if arr.ndim != 1 or arr.shape[0] != length:
        raise ParameterError(f"{name} must be a 1-d array of {length} bits, got shape {arr.shape}")
    if arr.dtype.kind != "b" and not np.all((arr == 0) | (arr == 1)):
        bad = arr[(arr != 0) & (arr != 1)][0].item()
        raise ParameterError(f"{name} must contain only bits 0/1, got the value {bad!r}")
    return arr.astype(np.uint8)


def _blocked(plan: CodePlan, bits: np.ndarray, fill: float | int) -> np.ndarray:
    """``bits`` padded with ``fill`` to ``blocks * block_length`` and reshaped to (blocks, N)."""
    out = np.full(plan.blocks * plan.block_length, fill, dtype=bits.dtype)
    out[: plan.n] = bits
    return out.reshape(plan.blocks, plan.block_length)


def _syndromes(H: sp.csr_matrix, X: np.ndarray) -> np.ndarray:
    """``(H x) mod 2`` for each row ``x`` of ``X``: (blocks, m) uint8."""
    return (np.asarray(H.astype(np.int32) @ X.T.astype(np.int32)) & 1).T.astype(np.uint8)


def syndromes(plan: CodePlan, bits: np.ndarray) -> np.ndarray:
    """Alice's message: the syndrome of each block, uint8 array ``(blocks, syndrome_bits_per_block)``.

    Raises:
        ParameterError: ``bits`` not a 1-d array of ``plan.n`` bits 0/1.
    """
    plan = _check_plan(plan)
    a = _bits("bits", bits, plan.n)
    return np.ascontiguousarray(_syndromes(parity_check(plan), _blocked(plan, a, 0)))


@dataclass(frozen=True)
class Correction:
    """Bob's output.

    Attributes:
        bits: corrected string (uint8, length ``n``); a failed block is left as Bob's input.
        failed_blocks: blocks whose BP did not reach a pattern satisfying the syndrome within
            ``max_iter`` iterations (the protocol aborts on any).
        iterations: BP iterations used per block (``max_iter`` for a failed block, 0 when the
            syndrome was already satisfied by the no-error pattern).
        decoder: ``"numba"`` or ``"ldpc"``.
    """

    bits: np.ndarray
    failed_blocks: tuple[int, ...]
    iterations: tuple[int, ...]
    decoder: str

    @property
    def success(self) -> bool:
        """Every block converged."""
        return not self.failed_blocks


def correct(plan: CodePlan, bob_bits: np.ndarray, syndromes: np.ndarray, flip_probabilities: np.ndarray,
            max_iter: int = DEFAULT_MAX_ITER, *, decoder: str = "auto") -> Correction:
    """Bob's side: decode every block and return the corrected string.

    Args:
        plan: the code plan Alice used.
        bob_bits: Bob's ``n`` bits (0/1).
        syndromes: Alice's message, ``(blocks, syndrome_bits_per_block)`` bits.
        flip_probabilities: ``p_i`` in (0, 0.5], the prior probability that position ``i``
            disagrees (``Q`` in key rounds, ``1 - omega`` in test rounds).
        max_iter: BP iteration limit per block.
        decoder: ``"auto"``, ``"numba"`` or ``"ldpc"`` (module docstring).

    Raises:
        ParameterError: wrong lengths or shapes, non-binary bits, probabilities outside (0, 0.5],
            ``max_iter < 1``, unknown ``decoder``.
        ImportError: ``decoder`` names a package that is not installed.
    """
    plan = _check_plan(plan)
    b = _bits("bob_bits", bob_bits, plan.n)
    s = np.asarray(syndromes)
    shape = (plan.blocks, plan.syndrome_bits_per_block)
    if s.shape != shape:
        raise ParameterError(f"syndromes must have shape {shape} (blocks, syndrome_bits_per_block), got {s.shape}")
    s = _bits("syndromes", s.reshape(-1), s.size).reshape(shape)
    p = real_array("flip_probabilities", flip_probabilities, ndim=1)
    if p.shape[0] != plan.n:
        raise ParameterError(f"flip_probabilities must have {plan.n} entries (one per position), got {p.shape[0]}")
    if not np.all((p > 0.0) & (p <= 0.5)):
        bad = p[~((p > 0.0) & (p <= 0.5))][0].item()
        raise ParameterError(f"flip_probabilities must lie in (0, 0.5], got {bad!r}")
    max_iter = integer("max_iter", max_iter, 1)
    if decoder not in ("auto", "numba", "ldpc"):
        raise ParameterError(f"decoder must be 'auto', 'numba' or 'ldpc', got {decoder!r}")
    if decoder == "auto":
        decoder = "numba" if _numba_available() else "ldpc"

    H = parity_check(plan)
    B = _blocked(plan, b, 0)
    target = s ^ _syndromes(H, B)  # H e for e = a xor b
    P = _blocked(plan, p, PAD_PROBABILITY)
    if decoder == "numba":
        e_hat, iters, ok = _decode_numba(H, target, P, max_iter)
    else:
        e_hat, iters, ok = _decode_ldpc(H, target, P, max_iter)
    out = np.where(ok[:, None], B ^ e_hat, B).reshape(-1)[: plan.n]
    return Correction(bits=np.ascontiguousarray(out), failed_blocks=tuple(int(i) for i in np.flatnonzero(~ok)),
                      iterations=tuple(int(i) for i in iters), decoder=decoder)


# ---------------------------------------------------------------------------------------------
# decoders


@functools.cache
def _numba_available() -> bool:
    try:
        import numba  # noqa: F401
    except ImportError:
        return False
    return True


#: phi table: x in [2^-12, 16) indexed by (float32 bits >> 15) - _LO_BITS (8 mantissa bits per octave)
_SHIFT = 15
_LO_BITS = int(np.array([2.0**-12], np.float32).view(np.int32)[0] >> _SHIFT)
_TABLE_SIZE = 16 * 256


@functools.cache
def _phi_table() -> np.ndarray:
    """``phi(x) = -ln tanh(x/2)`` at the centre of each bin (float32, read-only)."""
    idx = np.arange(_TABLE_SIZE, dtype=np.int32) + _LO_BITS
    centres = ((idx << _SHIFT) | (1 << (_SHIFT - 1))).astype(np.int32).view(np.float32).astype(np.float64)
    table = (-np.log(np.tanh(centres / 2.0))).astype(np.float32)
    table.flags.writeable = False
    return table


def _layered_bp(indptr, indices, target, llr, max_iter, table, lo_bits, hard_out, iters_out):  # pragma: no cover
    """Layered sum-product BP over the blocks (numba kernel; see the module docstring).

    ``target`` (B, m) uint8 syndromes of the error, ``llr`` (B, N) float32 priors
    ``ln((1-p)/p)``; writes the hard decisions to ``hard_out`` (B, N) and the iterations to
    ``iters_out`` (B,), negative when the syndrome was not reached.
    """
    n_blocks, N = llr.shape
    m = indptr.shape[0] - 1
    L = np.empty(N, np.float32)
    R = np.empty(indices.shape[0], np.float32)
    maxdc = 1
    for c in range(m):
        maxdc = max(maxdc, indptr[c + 1] - indptr[c])
    q = np.empty(maxdc, np.float32)
    ph = np.empty(maxdc, np.float32)
    fb = np.empty(1, np.float32)
    ib = fb.view(np.int32)
    xlo = np.float32(2.0**-12)
    xhi = np.float32(15.999)
    for blk in range(n_blocks):
        s = target[blk]
        hard = hard_out[blk]
        for v in range(N):
            L[v] = llr[blk, v]
            hard[v] = L[v] < 0
        R[:] = 0
        done = -max_iter
        for it in range(0, max_iter + 1):
            if it > 0:
                for c in range(m):
                    a = indptr[c]
                    d = indptr[c + 1] - a
                    neg = s[c]
                    total = np.float32(0.0)
                    for j in range(d):
                        k = a + j
                        x = L[indices[k]] - R[k]
                        q[j] = x
                        neg ^= x < 0
                        fb[0] = min(max(abs(x), xlo), xhi)
                        y = table[(ib[0] >> 15) - lo_bits]
                        ph[j] = y
                        total += y
                    for j in range(d):
                        k = a + j
                        fb[0] = min(max(total - ph[j], xlo), xhi)
                        mag = table[(ib[0] >> 15) - lo_bits]
                        r = -mag if neg ^ (q[j] < 0) else mag
                        R[k] = r
                        L[indices[k]] = q[j] + r
                for v in range(N):
                    hard[v] = L[v] < 0
            ok = True
            for c in range(m):
                par = s[c]
                for k in range(indptr[c], indptr[c + 1]):
                    par ^= hard[indices[k]]
                if par:
                    ok = False
                    break
            if ok:
                done = it
                break
        iters_out[blk] = done


@functools.cache
def _numba_kernel():
    import numba

    return numba.njit(cache=True, nogil=True, fastmath=True, boundscheck=False)(_layered_bp)


def _decode_numba(H: sp.csr_matrix, target: np.ndarray, P: np.ndarray, max_iter: int
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    kernel = _numba_kernel()
    llr = np.log1p(-P) - np.log(P)
    hard = np.zeros(P.shape, dtype=np.uint8)
    iters = np.zeros(P.shape[0], dtype=np.int64)
    kernel(H.indptr.astype(np.int32), H.indices.astype(np.int32), np.ascontiguousarray(target),
           llr.astype(np.float32), int(max_iter), _phi_table(), np.int32(_LO_BITS), hard, iters)
    ok = iters >= 0
    return hard, np.abs(iters), ok


def _decode_ldpc(H: sp.csr_matrix, target: np.ndarray, P: np.ndarray, max_iter: int
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    from ldpc import BpDecoder

    dec = BpDecoder(sp.csr_matrix(H, copy=True), error_channel=P[0].tolist(), max_iter=int(max_iter),
                    bp_method="product_sum", schedule="parallel", input_vector_type="syndrome")
    hard = np.zeros(P.shape, dtype=np.uint8)
    iters = np.zeros(P.shape[0], dtype=np.int64)
    ok = np.zeros(P.shape[0], dtype=bool)
    for blk in range(P.shape[0]):
        dec.update_channel_probs(P[blk].tolist())
        e = np.asarray(dec.decode(target[blk]), dtype=np.uint8)
        # converge means H e = syndrome; re-checked here rather than trusted
        ok[blk] = bool(dec.converge) and np.array_equal(_syndromes(H, e[None, :])[0], target[blk])
        iters[blk] = 0 if not target[blk].any() else dec.iter
        hard[blk] = e
    return hard, iters, ok
