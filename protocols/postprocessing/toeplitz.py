"""Toeplitz hashing of bit strings, computed as a convolution with FFTs.

A Toeplitz matrix ``T`` of shape ``(l, n)`` is fixed by ``n + l - 1`` seed bits ``s``:
``T[i, j] = s[i - j + n - 1]``. The family ``{x -> T x mod 2}`` over uniform seeds is two-universal:
``Pr_s[T x = T x'] = 2^-l`` for ``x != x'`` (Krawczyk, CRYPTO 1994, "LFSR-based hashing and
authentication", Sec. 3; used for privacy amplification in QKD e.g. by Tang et al., "Efficient
and high-speed privacy amplification", and by the leftover hash lemma of Tomamichel et al.,
IEEE TIT 57, 5524 (2011)).

``(T x)_i = sum_j s[i - j + n - 1] x_j = (s * x)[i + n - 1]``, a slice of the full linear
convolution of ``s`` and ``x``, which scipy's FFT computes in O((n + l) log(n + l)). The integer
sums are at most ``n`` (< 2^53), and every FFT value is checked to lie within 0.25 of an integer
before it is reduced mod 2, so a rounding error can never silently change a key bit.
"""

from __future__ import annotations

import numpy as np

from ..errors import ParameterError

#: largest distance from an integer accepted for an FFT convolution value before rounding
ROUNDING_GUARD = 0.25


def _bits(name: str, bits: np.ndarray) -> np.ndarray:
    b = np.asarray(bits)
    if b.ndim != 1 or not np.issubdtype(b.dtype, np.integer) and b.dtype != bool:
        raise ParameterError(f"{name} must be a 1-d array of bits (0/1), got dtype {b.dtype} and shape {b.shape}")
    if b.size and (b.min() < 0 or b.max() > 1):
        raise ParameterError(f"{name} must contain only 0 and 1")
    return b.astype(np.uint8, copy=False)


def seed_length(n: int, length: int) -> int:
    """Seed bits a ``length x n`` Toeplitz matrix needs: ``n + length - 1``."""
    return n + length - 1


def toeplitz_hash(seed: np.ndarray, bits: np.ndarray, length: int) -> np.ndarray:
    """``T bits mod 2`` for the Toeplitz matrix of ``seed`` (module docstring); ``length`` output bits (uint8)."""
    from scipy.signal import fftconvolve

    x = _bits("bits", bits)
    s = _bits("seed", seed)
    n = x.size
    if length < 0 or n == 0 and length > 0:
        raise ParameterError(f"output length must be in [0, {n}] bits for {n} input bits, got {length}")
    if s.size != seed_length(n, length) and length > 0:
        raise ParameterError(f"a {length} x {n} Toeplitz matrix needs {seed_length(n, length)} seed bits, got {s.size}")
    if length == 0:
        return np.zeros(0, dtype=np.uint8)
    full = fftconvolve(s.astype(np.float64), x.astype(np.float64))[n - 1 : n - 1 + length]
    rounded = np.rint(full)
    if full.size and np.max(np.abs(full - rounded)) > ROUNDING_GUARD:  # pragma: no cover - needs n ~ 1e15
        raise ArithmeticError("FFT convolution lost integer precision; split the input into shorter blocks")
    return (rounded.astype(np.int64) & 1).astype(np.uint8)
