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
import scipy.sparse.linalg as spla

from protocols.errors import ParameterError

from .setup import PhotonicSetup

DEFAULT_TOLERANCE = 1e-6


def truncation_error(l1: float, l2: float, cutoff: int) -> float:
    """``sqrt(T)``: bound on every table entry's error at ``cutoff`` photons per mode (module doc)."""
    T = 1.0 - (1.0 - l1 ** (2 * cutoff)) * (1.0 - l2 ** (2 * cutoff))
    return math.sqrt(max(T, 0.0))


def choose_cutoff(l1: float, l2: float, tolerance: float = DEFAULT_TOLERANCE, maximum: int = 40) -> int:
    """Smallest cutoff whose :func:`truncation_error` is at most ``tolerance``."""
    for cutoff in range(2, maximum + 1):
        if truncation_error(l1, l2, cutoff) <= tolerance:
            return cutoff
    raise ParameterError(f"no cutoff <= {maximum} reaches truncation error {tolerance:g}; lower the pair number")


@lru_cache(maxsize=8)
def _rotation(cutoff: int, beta: float) -> np.ndarray:
    """Two-mode (H, V) unitary mapping the photons polarised at ``beta`` into mode H (dense)."""
    a = qutip.destroy(cutoff)
    aH, aV = qutip.tensor(a, qutip.qeye(cutoff)), qutip.tensor(qutip.qeye(cutoff), a)
    generator = (aH.dag() * aV - aV.dag() * aH).full()
    return spla.expm(beta * generator) if beta else np.eye(cutoff * cutoff)


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
    """``P[x, y, a, b]`` (0 = click) from the truncated Fock state, dephasing included."""
    psi = source_state(setup, cutoff)
    # the dephased part: the components with a definite number of pairs in the second process
    branches = [(setup.visibility, psi)]
    if setup.visibility < 1.0:
        for k in range(cutoff):
            part = np.zeros_like(psi)
            part[:, k, :, :] = psi[:, k, :, :]
            branches.append((1.0 - setup.visibility, part))
    eta_a, eta_b = setup.efficiencies
    alice, bob = setup.analyser_angles()
    na, nb = _no_click(cutoff, eta_a, setup.dark_count), _no_click(cutoff, eta_b, setup.dark_count)
    D = cutoff * cutoff
    P = np.zeros((len(alice), len(bob), 2, 2))
    for x, ba in enumerate(alice):
        Ua = _rotation(cutoff, float(ba))
        for y, bb in enumerate(bob):
            Ub = _rotation(cutoff, float(bb))
            p_nn = p_na = p_nb = 0.0  # no-click both, no-click Alice, no-click Bob
            for w, part in branches:
                v = Ua @ part.reshape(D, D) @ Ub.T  # rows: Alice (H, V), columns: Bob (H, V)
                prob = np.abs(v) ** 2
                p_nn += w * float(na @ prob @ nb)
                p_na += w * float(na @ prob.sum(axis=1))
                p_nb += w * float(prob.sum(axis=0) @ nb)
            total = sum(w * float(np.sum(np.abs(part) ** 2)) for w, part in branches)
            P[x, y, 1, 1] = p_nn
            P[x, y, 1, 0] = p_na - p_nn
            P[x, y, 0, 1] = p_nb - p_nn
            P[x, y, 0, 0] = total - p_na - p_nb + p_nn
    return P
