"""Arithmetic in GF(2^64) on numpy arrays, and the polynomial-evaluation hash built on it.

The field is GF(2)[x] / (x^64 + x^4 + x^3 + x + 1): the reduction polynomial is irreducible
(it is the CRC-64-ISO generator; irreducibility is checked in the tests with Rabin's test on
Python integers, an independent route). Elements are ``uint64`` words, bit ``i`` = coefficient
of ``x^i``.

Polynomial hash (Wegman & Carter, J. Comput. Syst. Sci. 22, 265 (1981); the polynomial form as in
Bernstein, "The Poly1305-AES message-authentication code", FSE 2005, Sec. 3, over a binary field
instead of a prime one): a message of ``L`` words ``m_1 .. m_L`` is hashed with key ``k`` to

    h_k(m) = m_1 k^L + m_2 k^(L-1) + ... + m_L k                                     (1)

For two different messages of at most ``L`` words, ``h_k(m) - h_k(m')`` is a non-zero polynomial in
``k`` of degree at most ``L``, with at most ``L`` roots, so ``Pr_k[h_k(m) = h_k(m') + c] <= L / 2^64``
for every ``c`` (epsilon-almost-XOR-universal). Messages are made prefix-free by appending their
byte length as a last word (:func:`words`), so messages of different lengths are covered too.
"""

from __future__ import annotations

import numpy as np

#: x^64 = x^4 + x^3 + x + 1 (mod the field polynomial)
REDUCTION = 0b11011
_ONE = np.uint64(1)


def _shift_left(a: np.ndarray, s: int) -> np.ndarray:
    return a << np.uint64(s)


def _shift_right(a: np.ndarray, s: int) -> np.ndarray:
    return a >> np.uint64(s)


def _times_r(h: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``h(x) * (x^4 + x^3 + x + 1)`` as (low 64 bits, overflow bits above x^63)."""
    low = h ^ _shift_left(h, 1) ^ _shift_left(h, 3) ^ _shift_left(h, 4)
    over = _shift_right(h, 63) ^ _shift_right(h, 61) ^ _shift_right(h, 60)
    return low, over


def multiply(a: np.ndarray | int, b: np.ndarray | int) -> np.ndarray:
    """Field product of ``uint64`` arrays (broadcast): carry-less product reduced mod the field polynomial."""
    a = np.asarray(a, dtype=np.uint64)
    b = np.asarray(b, dtype=np.uint64)
    a, b = np.broadcast_arrays(a, b)
    lo = np.zeros(a.shape, dtype=np.uint64)
    hi = np.zeros(a.shape, dtype=np.uint64)
    for i in range(64):
        mask = np.uint64(0) - (_shift_right(b, i) & _ONE)  # all ones where bit i of b is set
        lo ^= _shift_left(a, i) & mask
        if i:
            hi ^= _shift_right(a, 64 - i) & mask
    # hi * x^64 = hi * r(x); r has degree 4, so at most 4 bits overflow once more
    low, over = _times_r(hi)
    low2, _ = _times_r(over)  # over has degree <= 3: over * r has degree <= 7, no overflow
    return lo ^ low ^ low2


def powers(k: int, count: int) -> np.ndarray:
    """``[k, k^2, ..., k^count]`` as ``uint64`` (doubling: log2(count) vectorised products)."""
    out = np.array([k], dtype=np.uint64)
    while out.size < count:
        step = out[-1]  # k^len
        out = np.concatenate([out, multiply(out[: count - out.size], step)])
    return out[:count]


def words(message: bytes) -> np.ndarray:
    """The message as big-endian 64-bit words, zero-padded, followed by its byte length (prefix-free)."""
    pad = (-len(message)) % 8
    body = np.frombuffer(message + b"\0" * pad, dtype=">u8").astype(np.uint64)
    return np.concatenate([body, np.array([len(message)], dtype=np.uint64)])


def polynomial_hash(key: int, message: bytes) -> int:
    """Eq. (1) of the module docstring over the words of ``message``; a 64-bit integer."""
    m = words(message)
    ks = powers(int(key), m.size)[::-1]  # k^L for m_1, ..., k for m_L
    return int(np.bitwise_xor.reduce(multiply(m, ks)))
