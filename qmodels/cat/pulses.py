"""The pulse left behind by an atom measurement (Xie et al. 2021, Eq. (4)).

The atom-light cat state ``(|+z>|alpha> + |-z>|-alpha>)/sqrt 2``, with the atom measured along
``chi_theta`` with outcome +1 (index 0) or -1 (index 1), leaves the pulse in the *unnormalised*
state ``u_+ |alpha> + u_- |-alpha>`` with

- outcome +1: ``(u_+, u_-) = (cos(theta/2), sin(theta/2)) / sqrt 2``
- outcome -1: ``(u_+, u_-) = (sin(theta/2), -cos(theta/2)) / sqrt 2``

whose squared norm is the outcome probability ``(1 +/- sin(theta) e^{-2 mu}) / 2`` (Eq. (4),
``M^{+/-}``). Both parties' measurements together give the two-pulse state
``sum_{s,t} u_s v_t |s alpha>|t alpha>``, coefficients ``c[x, y, a, b, s, t]`` below.
"""

from __future__ import annotations

import math

import numpy as np

from .setup import ALICE_ANGLES, BOB_ANGLES


def pulse_coefficients(theta: float) -> np.ndarray:
    """``u[a, s]``: amplitude on ``|s alpha>`` (s index 0 = +alpha, 1 = -alpha) for outcome a."""
    c, s = math.cos(theta / 2), math.sin(theta / 2)
    return np.array([[c, s], [s, -c]]) / math.sqrt(2.0)


def two_pulse_coefficients(alice=ALICE_ANGLES, bob=BOB_ANGLES) -> np.ndarray:
    """``c[x, y, a, b, s, t] = u^x[a, s] v^y[b, t]`` for every setting pair and outcome pair."""
    U = np.array([pulse_coefficients(t) for t in alice])  # (X, A, S)
    V = np.array([pulse_coefficients(t) for t in bob])  # (Y, B, T)
    return np.einsum("xas,ybt->xyabst", U, V)
