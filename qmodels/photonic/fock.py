"""The photonic link in QuTiP: the four-mode Fock state of the source, truncated with a proven
error bound, passive polarisation rotations and threshold detectors.

Modes, in tensor order: Alice H, Alice V, Bob H, Bob V. The source is
``|psi> = sum_{n,m} c_n d_m |n, m, m, n>`` with ``c_n = sqrt(1 - l1^2) l1^n`` (pairs in Alice H /
Bob V) and ``d_m = sqrt(1 - l2^2) l2^m`` (Alice V / Bob H). Keeping ``n, m < N`` leaves out
probability ``T = 1 - (1 - l1^(2N))(1 - l2^(2N))``; the normalised truncated state is at trace
distance ``sqrt(T)`` from the true one, and neither the dephasing nor a measurement can increase
that, so every table entry is within ``sqrt(T)`` of the exact value (stored in ``meta``).

A party measuring polarisation angle beta rotates its modes so that mode H carries the photons
polarised at beta, then its detector (efficiency eta, dark counts p_d) does not click with
probability ``(1 - p_d)(1 - eta)^n`` on n photons.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
import qutip
import scipy.linalg as la

from protocols.errors import ParameterError

from .setup import PhotonicSetup

DEFAULT_TOLERANCE = 1e-6


def truncation_error(l1: float, l2: float, cutoff: int) -> float:
    """``sqrt(T)``: bound on every table entry's error at ``cutoff`` photons per mode (module doc)."""
    T = 1.0 - (1.0 - l1 ** (2 * cutoff)) * (1.0 - l2 ** (2 * cutoff))
    return math.sqrt(max(T, 0.0))


#: largest Fock cutoff per mode (resource limit: the rotation eigensystem is cutoff^2 x cutoff^2)
MAX_CUTOFF = 40


def choose_cutoff(l1: float, l2: float, tolerance: float = DEFAULT_TOLERANCE, maximum: int = MAX_CUTOFF) -> int:
    """Smallest cutoff whose :func:`truncation_error` is at most ``tolerance``."""
    for cutoff in range(2, maximum + 1):
        if truncation_error(l1, l2, cutoff) <= tolerance:
            return cutoff
    raise ParameterError(f"no cutoff <= {maximum} reaches truncation error {tolerance:g}; lower the pair number")


@lru_cache(maxsize=4)
def _rotation_eigensystem(cutoff: int) -> tuple[np.ndarray, np.ndarray]:
    """Eigensystem of ``H = i G``, ``G = a_H^dag a_V - a_V^dag a_H`` (truncated, built in QuTiP):
    ``G`` is real antisymmetric, so ``H`` is Hermitian and ``expm(beta G) = V exp(-i beta L) V^dag``."""
    a = qutip.destroy(cutoff)
    aH, aV = qutip.tensor(a, qutip.qeye(cutoff)), qutip.tensor(qutip.qeye(cutoff), a)
    generator = (aH.dag() * aV - aV.dag() * aH).full().real
    return la.eigh(1j * generator)


def _rotation(cutoff: int, beta: float) -> np.ndarray:
    """Two-mode (H, V) unitary ``expm(beta G)`` mapping the photons polarised at ``beta`` into mode H
    (dense, real; from the cached eigensystem, equal to ``scipy.linalg.expm`` to rounding, tested)."""
    if not beta:
        return np.eye(cutoff * cutoff)
    lam, V = _rotation_eigensystem(cutoff)
    return ((V * np.exp(-1j * beta * lam)) @ V.conj().T).real


def source_state(setup: PhotonicSetup, cutoff: int) -> np.ndarray:
    """Truncated, normalised source ket as an array indexed ``[n_AH, n_AV, n_BH, n_BV]``."""
    if setup.source == "pair":  # cos theta |HV> + sin theta |VH>, exactly one pair
        psi = np.zeros((cutoff,) * 4)
        t = math.radians(setup.theta_deg)
        psi[1, 0, 0, 1], psi[0, 1, 1, 0] = math.cos(t), math.sin(t)
        return psi
    l1, l2 = setup.squeezing()
    n = np.arange(cutoff)
    c = np.sqrt(1 - l1**2) * l1**n
    d = np.sqrt(1 - l2**2) * l2**n
    psi = np.zeros((cutoff,) * 4)
    for i in range(cutoff):
        psi[i, :, :, i] = np.diag(c[i] * d)  # |n = i, m, m, n = i>
    return psi / np.linalg.norm(psi)


def _no_click(cutoff: int, eta: float, p_dark: float) -> np.ndarray:
    """Diagonal of the no-click POVM on the (H, V) pair after rotation: H photons only."""
    nH = np.repeat(np.arange(cutoff), cutoff)
    return (1.0 - p_dark) * (1.0 - eta) ** nH


def fock_probabilities(setup: PhotonicSetup, cutoff: int) -> np.ndarray:
    """``P[x, y, a, b]`` (0 = click) from the truncated Fock state, dephasing included.

    Dephasing (``setup.visibility`` V, module ``setup``) keeps the state with probability V and
    otherwise projects it onto a definite number k of Alice-V photons: the photon-number
    distribution is ``V |U psi|^2 + (1 - V) sum_k |U psi_k|^2`` with ``psi_k`` the part with
    ``n_AV = k``. The source ket has few nonzero amplitudes (``cutoff^2`` for SPDC, 2 for one
    pair), so ``U_A Psi U_B^T = U_A[:, r] diag(psi_rs) U_B[:, s]^T`` over those entries only.
    """
    psi = source_state(setup, cutoff)
    nz = np.nonzero(psi)
    amp = psi[nz]
    rows, cols, k = nz[0] * cutoff + nz[1], nz[2] * cutoff + nz[3], nz[1]
    groups = [np.flatnonzero(k == v) for v in np.unique(k)] if setup.visibility < 1.0 else []
    eta_a, eta_b = setup.efficiencies
    alice, bob = setup.analyser_angles()
    na, nb = _no_click(cutoff, eta_a, setup.dark_count), _no_click(cutoff, eta_b, setup.dark_count)
    A = [_rotation(cutoff, float(b))[:, rows] * amp for b in alice]  # U_A[:, r] psi_rs
    B = [_rotation(cutoff, float(b))[:, cols] for b in bob]
    P = np.zeros((len(alice), len(bob), 2, 2))
    for x, Ax in enumerate(A):
        for y, By in enumerate(B):
            prob = setup.visibility * (Ax @ By.T) ** 2  # rows: Alice (H, V), columns: Bob (H, V)
            for g in groups:
                prob += (1.0 - setup.visibility) * (Ax[:, g] @ By[:, g].T) ** 2
            p_na, p_nb = float(na @ prob.sum(axis=1)), float(prob.sum(axis=0) @ nb)
            p_nn = float(na @ prob @ nb)
            P[x, y, 1, 1] = p_nn
            P[x, y, 1, 0] = p_na - p_nn
            P[x, y, 0, 1] = p_nb - p_nn
            P[x, y, 0, 0] = float(prob.sum()) - p_na - p_nb + p_nn
    return P
