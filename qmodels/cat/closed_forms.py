"""The paper's printed closed forms for Q_zz, S and e_zz (Xie et al., Xie et al. 2021).

``eta`` is the per-arm transmittance (detector efficiency included), ``p_d`` the dark-count
probability per detector, ``mu = |alpha|^2``. Each function returns ``(Q_zz, S, e_zz)``.
"""

from __future__ import annotations

import math

from protocols.errors import check_probability
from protocols.validate import real

#: largest coherent-state intensity accepted by the closed forms (they hold exp(2 mu))
MAX_MU = 50.0


def _check(mu: float | None, eta: float, p_d: float, e_d: float = 0.0) -> tuple:
    """The arguments as floats in their domains (``mu`` in (0, 50], probabilities in [0, 1])."""
    m = None if mu is None else real("mu (mean photon number |alpha|^2)", mu, 0.0, MAX_MU, low_open=True)
    return (m, check_probability("eta (arm transmittance)", eta), check_probability("p_d (dark count)", p_d),
            check_probability("e_d (misalignment)", e_d, 0.0, 0.5))


def ecs_closed_form(mu: float, eta: float, p_d: float) -> tuple[float, float, float]:
    """ECS, no misalignment (Xie et al. 2021, text after Eq. (4)).

    ``Q_zz = (1-p_d)[1 - (1-2p_d) e^{-2 mu eta}]``,
    ``S = 2 sqrt2 {sinh(2mu) - cosh[2mu(1-eta)] + (1-p_d) e^{-2mu(1-eta)}} / [e^{2mu} - (1-2p_d) e^{2mu(1-eta)}]``,
    ``e_zz = p_d e^{2mu(1-eta)} / [e^{2mu} - (1-2p_d) e^{2mu(1-eta)}]``.
    """
    mu, eta, p_d, _ = _check(mu, eta, p_d)
    den = math.exp(2 * mu) - (1 - 2 * p_d) * math.exp(2 * mu * (1 - eta))
    Q = (1 - p_d) * (1 - (1 - 2 * p_d) * math.exp(-2 * mu * eta))
    S = 2 * math.sqrt(2) * (math.sinh(2 * mu) - math.cosh(2 * mu * (1 - eta))
                            + (1 - p_d) * math.exp(-2 * mu * (1 - eta))) / den
    e = p_d * math.exp(2 * mu * (1 - eta)) / den
    return Q, S, e


def ecs_misaligned_closed_form(mu: float, eta: float, p_d: float, e_d: float) -> tuple[float, float, float]:
    """ECS with misalignment ``e_d``, the paper's amplitude-split model (Xie et al. 2021, Eq. (5) and after).

    ``Q_zz = (1-p_d)[e^{-2mu eta e_d} + e^{2mu(-eta+eta e_d)} - 2(1-p_d) e^{-2mu eta}]``,
    ``S = sqrt2 w / [e^{2mu(1-eta e_d)} + e^{2mu(1-eta+eta e_d)} - 2(1-p_d) e^{2mu(1-eta)}]`` with
    ``w = 2 sinh[2mu(1-eta e_d)] - 2 cosh[2mu(1-eta+eta e_d)] + 2(1-p_d) e^{-2mu(1-eta)}``,
    ``e_zz = [e^{2mu(1-eta+eta e_d)} - (1-p_d) e^{2mu(1-eta)}] / (same denominator)``.
    At ``e_d = 0`` it reduces to :func:`ecs_closed_form`.
    """
    mu, eta, p_d, e_d = _check(mu, eta, p_d, e_d)
    den = (math.exp(2 * mu * (1 - eta * e_d)) + math.exp(2 * mu * (1 - eta + eta * e_d))
           - 2 * (1 - p_d) * math.exp(2 * mu * (1 - eta)))
    Q = (1 - p_d) * (math.exp(-2 * mu * eta * e_d) + math.exp(2 * mu * (-eta + eta * e_d))
                     - 2 * (1 - p_d) * math.exp(-2 * mu * eta))
    w = (2 * math.sinh(2 * mu * (1 - eta * e_d)) - 2 * math.cosh(2 * mu * (1 - eta + eta * e_d))
         + 2 * (1 - p_d) * math.exp(-2 * mu * (1 - eta)))
    S = math.sqrt(2) * w / den
    e = (math.exp(2 * mu * (1 - eta + eta * e_d)) - (1 - p_d) * math.exp(2 * mu * (1 - eta))) / den
    return Q, S, e


def bell_closed_form(eta: float, p_d: float) -> tuple[float, float, float]:
    """Two-photon Bell-state heralded scheme (Xie et al. 2021, Fig. 2 caption).

    ``Q_zz = (1-p_d)^2 [eta^2/2 + (4 eta - 3 eta^2) p_d + 4 (1-eta)^2 p_d^2]``,
    ``S = 2 sqrt2 eta^2 (1-p_d) / D``, ``e_zz = [1 - eta^2 (1-2p_d) / D] / 2`` with
    ``D = 8 eta (1-2p_d) p_d + 8 p_d^2 + eta^2 (1 - 6 p_d + 8 p_d^2)``.
    """
    _, eta, p_d, _ = _check(None, eta, p_d)
    D = 8 * eta * (1 - 2 * p_d) * p_d + 8 * p_d**2 + eta**2 * (1 - 6 * p_d + 8 * p_d**2)
    Q = (1 - p_d) ** 2 * (eta**2 / 2 + (4 * eta - 3 * eta**2) * p_d + 4 * (1 - eta) ** 2 * p_d**2)
    S = 2 * math.sqrt(2) * eta**2 * (1 - p_d) / D
    e = 0.5 * (1 - eta**2 * (1 - 2 * p_d) / D)
    return Q, S, e
