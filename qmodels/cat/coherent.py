"""Analytic backend for the ECS link: exact coherent-state algebra, no truncation.

Each two-pulse input is a superposition ``sum_{s,t} c_st |s alpha>|t alpha>`` (``pulses.py``).
Exact steps, each a standard coherent-state identity:

- loss of transmittance ``eta`` on a pulse: ``|beta> -> |sqrt(eta) beta>`` with the environment
  in ``|sqrt(1-eta) beta>``; coherences between ``+alpha`` and ``-alpha`` branches pick up
  ``<-b|b> = exp(-2 |b|^2)``, ``|b|^2 = (1-eta) mu``;
- phase drift on Bob's pulse: ``|gamma> -> |gamma e^{i delta0}>``;
- 50:50 beam splitter: ``|beta>_a |gamma>_b -> |(beta+gamma)/sqrt2>_c |(beta-gamma)/sqrt2>_d``
  (Xie et al. 2021: ``c = (a+b)/sqrt 2`` to D1, ``d = (a-b)/sqrt 2`` to D2);
- vacuum probabilities from ``<0|beta> = e^{-|beta|^2/2}`` and
  ``<beta'|beta> = exp(-|beta|^2/2 - |beta'|^2/2 + conj(beta') beta)``.

Loss before the beam splitter includes the detector efficiency (equal on both detectors, so it
commutes with the beam splitter). This is the closed form of every table entry; the paper's
printed closed forms for Q_zz, S and e_zz (``closed_forms.py``) follow from it.
"""

from __future__ import annotations

import math

import numpy as np

from protocols import CorrelationTable

from .herald import heralded_table, single_click_probabilities
from .pulses import two_pulse_coefficients
from .setup import LinkSetup

SIGNS = np.array([1.0, -1.0])


MISALIGNMENT_MODELS = ("phase", "amplitude-split")


def output_amplitudes(mu: float, eta_a: float, eta_b: float, delta0: float = 0.0, model: str = "phase"):
    """Coherent amplitudes ``c[s, t], d[s, t]`` at the two beam-splitter outputs, branch by branch.

    ``model="phase"``: the physical drift, Bob's pulse ``t sqrt(eta_b) alpha e^{i delta0}``, then
    ``c = (beta + gamma)/sqrt2``, ``d = (beta - gamma)/sqrt2``.
    ``model="amplitude-split"``: the paper's Eq. (5) (symmetric arms only): equal-sign branches
    go to ``(s sqrt(2 eta (1-e_d)) alpha, s sqrt(2 eta e_d) alpha)``, opposite-sign branches to
    ``(s sqrt(2 eta e_d) alpha, s sqrt(2 eta (1-e_d)) alpha)``, all amplitudes real, with
    ``e_d = (1 - cos delta0)/2``. The physical model has the same magnitudes but relative
    phases (``c ~ e^{i delta0/2} cos(delta0/2)``, ``d ~ -i e^{i delta0/2} sin(delta0/2)``).
    """
    alpha = math.sqrt(mu)
    if model == "phase":
        beta = SIGNS * math.sqrt(eta_a) * alpha  # Alice's transmitted amplitude, branch s
        gamma = SIGNS * math.sqrt(eta_b) * alpha * np.exp(1j * delta0)  # Bob's, branch t
        return (beta[:, None] + gamma[None, :]) / math.sqrt(2), (beta[:, None] - gamma[None, :]) / math.sqrt(2)
    if model == "amplitude-split":
        if eta_a != eta_b:
            raise ValueError("the amplitude-split model (seed Eq. 5) needs symmetric arms")
        e_d = (1 - math.cos(delta0)) / 2
        same = np.equal.outer(SIGNS, SIGNS)
        s = SIGNS[:, None] * np.ones((2, 2))
        scale = math.sqrt(2 * eta_a) * alpha
        c = s * scale * np.where(same, math.sqrt(1 - e_d), math.sqrt(e_d))
        d = s * scale * np.where(same, math.sqrt(e_d), math.sqrt(1 - e_d))
        return c.astype(complex), d.astype(complex)
    raise ValueError(f"misalignment model must be one of {MISALIGNMENT_MODELS}, got {model!r}")


def vacuum_probabilities(coeffs: np.ndarray, mu: float, eta_a: float, eta_b: float, delta0: float = 0.0,
                         model: str = "phase"):
    """Unnormalised ``P0_c, P0_d, P00`` for two-pulse states ``coeffs[..., s, t]``.

    Returns three arrays of shape ``coeffs.shape[:-2]``: the probabilities that mode c, mode d,
    and both, are empty, for inputs ``sum c_st |s alpha>|t alpha>`` after loss ``eta_a``, ``eta_b``
    and Bob's phase drift ``delta0`` (radians), in the misalignment ``model`` of
    :func:`output_amplitudes`.
    """
    env_a = np.exp(-(1 - eta_a) * mu * (1 - np.outer(SIGNS, SIGNS)))  # <s'|s> of Alice's lost light
    env_b = np.exp(-(1 - eta_b) * mu * (1 - np.outer(SIGNS, SIGNS)))
    c, d = output_amplitudes(mu, eta_a, eta_b, delta0, model)

    def overlap(z):  # <z[s',t']|z[s,t]> -> array (s', t', s, t)
        zp = z[:, :, None, None]
        zz = z[None, None, :, :]
        return np.exp(-abs(zz) ** 2 / 2 - abs(zp) ** 2 / 2 + np.conj(zp) * zz)

    def vac(z):  # <z[s',t']|0><0|z[s,t]>
        v = np.exp(-abs(z) ** 2 / 2)
        return v[:, :, None, None] * v[None, None, :, :]

    env = env_a[:, None, :, None] * env_b[None, :, None, :]  # (s', t', s, t), real
    kernels = (vac(c) * overlap(d) * env, overlap(c) * vac(d) * env, vac(c) * vac(d) * env)
    out = []
    for K in kernels:
        val = np.einsum("...pq,pqst,...st->...", np.conj(coeffs), K, coeffs)
        out.append(val.real)
    return tuple(out)


def ecs_table_analytic(setup: LinkSetup, misalignment_model: str = "phase") -> CorrelationTable:
    """Heralded ECS table ``P[x, y, a, b]`` from exact coherent-state formulas (no truncation).

    ``misalignment_model``: ``"phase"`` (physical phase drift, default) or ``"amplitude-split"``
    (the paper's Eq. (5)); see :func:`output_amplitudes`.
    """
    if setup.scheme != "ecs":
        raise ValueError("ecs_table_analytic needs scheme='ecs'")
    eta = setup.arm_transmittance
    p0c, p0d, p00 = vacuum_probabilities(two_pulse_coefficients(), setup.mu, eta, eta, setup.phase_drift,
                                         misalignment_model)
    d1, d2 = single_click_probabilities(p0c, p0d, p00, setup.dark_count)
    return heralded_table(d1, d2, setup, backend="analytic", extra_meta={"misalignment_model": misalignment_model})
