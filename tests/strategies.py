"""Hypothesis strategies and independent constructions of correlation tables for the tests.

Independent of the code under test: tables are built here from first principles
(local hidden variables, or Born's rule on random two-qubit states) with plain numpy.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

SIGMA_X = np.array([[0, 1], [1, 0]], dtype=complex)
SIGMA_Y = np.array([[0, -1j], [1j, 0]], dtype=complex)
SIGMA_Z = np.array([[1, 0], [0, -1]], dtype=complex)


def local_table(rng: np.random.Generator, X: int, Y: int, A: int, B: int, n_lambda: int = 4) -> np.ndarray:
    """A random local (hence no-signalling) table: a mixture of products of response functions."""
    q = rng.dirichlet(np.ones(n_lambda))
    P = np.zeros((X, Y, A, B))
    for lam in range(n_lambda):
        pa = rng.dirichlet(np.ones(A), size=X)  # (X, A)
        pb = rng.dirichlet(np.ones(B), size=Y)  # (Y, B)
        P += q[lam] * np.einsum("xa,yb->xyab", pa, pb)
    return P


def random_projector_pair(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Projectors (+1, -1) of a random qubit observable n.sigma."""
    n = rng.normal(size=3)
    n /= np.linalg.norm(n)
    obs = n[0] * SIGMA_X + n[1] * SIGMA_Y + n[2] * SIGMA_Z
    eye = np.eye(2)
    return (eye + obs) / 2, (eye - obs) / 2


def quantum_table(rng: np.random.Generator, X: int = 2, Y: int = 2) -> np.ndarray:
    """Born-rule table of a random two-qubit mixed state and random projective qubit measurements."""
    G = rng.normal(size=(4, 4)) + 1j * rng.normal(size=(4, 4))
    rho = G @ G.conj().T
    rho /= np.trace(rho).real
    MA = [random_projector_pair(rng) for _ in range(X)]
    MB = [random_projector_pair(rng) for _ in range(Y)]
    P = np.zeros((X, Y, 2, 2))
    for x in range(X):
        for y in range(Y):
            for a in range(2):
                for b in range(2):
                    P[x, y, a, b] = np.trace(rho @ np.kron(MA[x][a], MB[y][b])).real
    return P


def tsirelson_table() -> np.ndarray:
    """Maximally entangled state, CHSH-optimal settings: P = (1 + (-1)^(a+b) E_xy)/4, |E| = 1/sqrt 2.

    Minus sign on E_11 (the default CHSH convention), so S = 2 sqrt 2.
    """
    E = np.array([[1, 1], [1, -1]]) / np.sqrt(2)
    sign = np.array([[1, -1], [-1, 1]])
    return (1 + sign[None, None] * E[:, :, None, None]) / 4


sizes = st.tuples(st.integers(1, 3), st.integers(1, 3), st.integers(2, 3), st.integers(2, 3))
seeds = st.integers(0, 2**32 - 1)


def explicit_strategy(struct, rng: np.random.Generator, alpha: float | None = None) -> tuple[dict, np.ndarray]:
    """A real quantum strategy for a BFF moment structure: Alice's and Bob's projectors on a qubit
    each, Eve's operators ``Z_a`` on a qutrit (``||Z_a|| = alpha`` if given), a random real state.
    Returns the operators by letter (``("A", x)``, ``("Z", a)``, ``("Zs", a)``, ...) and the state."""
    def projector(angle):
        v = np.array([np.cos(angle), np.sin(angle)])
        return np.outer(v, v)

    I2, I3 = np.eye(2), np.eye(3)
    ops = {}
    for x in range(struct.n_a):
        ops[("A", x)] = np.kron(np.kron(projector(rng.uniform(0, np.pi)), I2), I3)
    for y in range(struct.n_b):
        ops[("B", y)] = np.kron(np.kron(I2, projector(rng.uniform(0, np.pi))), I3)
    for a in range(2):
        Z = rng.normal(size=(3, 3))
        if alpha is not None:
            Z *= alpha / np.linalg.norm(Z, 2)
        ops[("Z", a)] = np.kron(np.eye(4), Z)
        ops[("Zs", a)] = ops[("Z", a)].T
    psi = rng.normal(size=12)
    return ops, psi / np.linalg.norm(psi)


def strategy_moment_matrix(struct, ops: dict, psi: np.ndarray) -> np.ndarray:
    """``Gamma_uv = <psi| u* v |psi>`` over the structure's monomials (real strategies: ``u* = u^T``)."""
    vecs = []
    for u in struct.monomials:
        op = np.eye(len(psi))
        for letter in u[0] + u[1] + u[2]:
            op = op @ ops[letter]
        vecs.append(op @ psi)
    V = np.array(vecs)
    return V @ V.T


def random_moment_layout(rng: np.random.Generator, n: int, m: int) -> np.ndarray | None:
    """A random symmetric assignment of moments ``0..m'-1`` (each used at least once, some on many
    entries) and the constant (``-1``) to the entries of an ``n x n`` matrix, or ``None`` if no
    entry drew a moment."""
    upper = rng.integers(-1, m, size=(n, n))
    var_of = np.triu(upper) + np.triu(upper, 1).T
    present = np.unique(var_of[var_of >= 0])
    if present.size == 0:
        return None
    return np.where(var_of >= 0, np.searchsorted(present, var_of), -1)


def postselection_table(th: float = 0.4, alice=(0.0, np.pi / 2), bob=(np.pi / 4, -np.pi / 4, 0.0)):
    """A 2x3 click/no-click-like table: a partially entangled state, inefficient detectors."""
    import math

    psi = np.array([math.cos(th), 0, 0, math.sin(th)])
    rho = 0.97 * np.outer(psi, psi) + 0.03 * np.eye(4) / 4
    X, Zp = np.array([[0, 1], [1, 0]]), np.diag([1, -1])

    def proj(a, eta):
        return eta * (np.eye(2) + math.cos(a) * Zp + math.sin(a) * X) / 2

    P = np.zeros((2, 3, 2, 2))
    for x, a in enumerate(alice):
        for y, b in enumerate(bob):
            Ea, Eb = proj(a, 0.95), proj(b, 0.95)
            for i, A_ in enumerate((Ea, np.eye(2) - Ea)):
                for j, B_ in enumerate((Eb, np.eye(2) - Eb)):
                    P[x, y, i, j] = np.trace(rho @ np.kron(A_, B_)).real
    from protocols import CorrelationTable

    return CorrelationTable(P)
