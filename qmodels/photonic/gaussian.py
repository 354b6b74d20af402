"""Closed form of the same link through Gaussian-state formulas: an independent route used to
check the QuTiP simulation (``fock.py``).

The source (two two-mode squeezed vacua), the polarisation rotations and the losses are
Gaussian; a threshold detector's no-click event on lossy modes is the vacuum projection, whose
probability for a zero-mean Gaussian state with covariance ``sigma`` (vacuum = I/2) on the
measured modes is ``1 / sqrt(det(sigma_S + I/2))`` (e.g. Weedbrook et al., Rev. Mod. Phys. 84,
621 (2012), Sec. II). Dark counts multiply by ``(1 - p_d)`` per detector; loss maps
``sigma -> eta sigma + (1 - eta) I/2`` on the detected mode. The dephased part of the source is
the average over a uniformly random phase of the second process (periodic trapezoid rule, which
converges exponentially).
"""

from __future__ import annotations

import numpy as np

from .setup import PhotonicSetup

# mode order: Alice H, Alice V, Bob H, Bob V; quadratures (x, p) interleaved
_Z = np.diag([1.0, -1.0])


def source_covariance(l1: float, l2: float, phase: float = 0.0) -> np.ndarray:
    """8x8 covariance of TMSV(l1) on (AH, BV) and TMSV(l2) on (AV, BH); ``phase`` on AV."""
    sigma = np.eye(8) / 2
    for lam, (i, j) in ((l1, (0, 3)), (l2, (1, 2))):
        ch, sh = (1 + lam**2) / (1 - lam**2), 2 * lam / (1 - lam**2)
        for k in (i, j):
            sigma[2 * k:2 * k + 2, 2 * k:2 * k + 2] = ch / 2 * np.eye(2)
        sigma[2 * i:2 * i + 2, 2 * j:2 * j + 2] = sh / 2 * _Z
        sigma[2 * j:2 * j + 2, 2 * i:2 * i + 2] = sh / 2 * _Z
    c, s = np.cos(phase), np.sin(phase)
    R = np.eye(8)
    R[2:4, 2:4] = [[c, -s], [s, c]]
    return R @ sigma @ R.T


def _detected(sigma: np.ndarray, beta_a: float, beta_b: float, eta_a: float, eta_b: float) -> np.ndarray:
    """4x4 covariance of the two detected modes (a_beta of each party) after loss."""
    T = np.zeros((4, 8))
    for row, (beta, h, v) in enumerate(((beta_a, 0, 1), (beta_b, 2, 3))):
        T[2 * row:2 * row + 2, 2 * h:2 * h + 2] = np.cos(beta) * np.eye(2)
        T[2 * row:2 * row + 2, 2 * v:2 * v + 2] = np.sin(beta) * np.eye(2)
    s = T @ sigma @ T.T
    L = np.diag(np.sqrt([eta_a, eta_a, eta_b, eta_b]))
    return L @ s @ L + np.diag([1 - eta_a, 1 - eta_a, 1 - eta_b, 1 - eta_b]) / 2


def _no_clicks(s: np.ndarray, p_dark: float) -> tuple[float, float, float]:
    """(no click both, no click Alice, no click Bob) for detected-mode covariance ``s``."""
    both = (1 - p_dark) ** 2 / np.sqrt(np.linalg.det(s + np.eye(4) / 2))
    alice = (1 - p_dark) / np.sqrt(np.linalg.det(s[:2, :2] + np.eye(2) / 2))
    bob = (1 - p_dark) / np.sqrt(np.linalg.det(s[2:, 2:] + np.eye(2) / 2))
    return float(both), float(alice), float(bob)


def gaussian_probabilities(setup: PhotonicSetup, phases: int = 64) -> np.ndarray:
    """``P[x, y, a, b]`` (0 = click), exact up to the phase quadrature of the dephased part."""
    l1, l2 = setup.squeezing()
    eta_a, eta_b = setup.efficiencies
    alice, bob = setup.analyser_angles()
    weights = [(setup.visibility, 0.0)]
    if setup.visibility < 1.0:
        weights += [((1 - setup.visibility) / phases, 2 * np.pi * k / phases) for k in range(phases)]
    P = np.zeros((len(alice), len(bob), 2, 2))
    for w, phi in weights:
        sigma = source_covariance(l1, l2, phi)
        for x, ba in enumerate(alice):
            for y, bb in enumerate(bob):
                nn, na, nb = _no_clicks(_detected(sigma, ba, bb, eta_a, eta_b), setup.dark_count)
                P[x, y] += w * np.array([[1 - na - nb + nn, nb - nn], [na - nn, nn]])
    return P
