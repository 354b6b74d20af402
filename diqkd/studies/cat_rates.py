"""Key rates of the heralded links of Xie et al. (seed 004): ECS vs Bell-state scheme vs PLOB.

Sits on top of both layers: the physical layer (``qmodels.cat``) makes the table, the protocol
layer (``protocols``) turns it into a rate. ``R = Q_zz [1 - h(e_zz) - h((1 + sqrt((S/2)^2 - 1))/2)]``
bits per trial (seed Eq. (1)), clipped at 0; mu optimised per distance.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, replace

import numpy as np
from scipy.optimize import minimize_scalar

from protocols import chsh_key_rate, chsh_score, plob_bound, qber
from qmodels.cat import CHSH_MINUS, CHSH_X, CHSH_Y, KEY_PAIR, LinkSetup, cat_table

MU_GRID = np.geomspace(1e-4, 0.6, 28)


@dataclass(frozen=True)
class LinkRate:
    """Rate of one link: bits per trial, and what it came from."""

    rate: float
    mu: float | None
    S: float
    e_zz: float
    Q_zz: float
    #: PLOB bound (bits per channel use); None at unit transmittance, where it is infinite
    plob: float | None
    distance_km: float
    scheme: str

    def as_dict(self) -> dict:
        return asdict(self)


def link_rate(setup: LinkSetup, backend: str = "analytic", **table_kwargs) -> LinkRate:
    """Rate of a link at fixed parameters (seed Eq. (1)), with the PLOB bound at that distance."""
    table = cat_table(setup, backend=backend, **table_kwargs)
    S = chsh_score(table, CHSH_X, CHSH_Y, CHSH_MINUS)
    e = qber(table, KEY_PAIR)
    Q = float(table.herald_probability)
    rate = Q * chsh_key_rate(min(S, 2 * math.sqrt(2)), e)
    eta = setup.total_transmittance
    plob = plob_bound(eta) if eta < 1.0 else None  # a lossless channel: no repeaterless bound to compare with
    return LinkRate(rate, setup.mu if setup.scheme == "ecs" else None, S, e, Q, plob, setup.distance_km, setup.scheme)


def optimise_mu(setup: LinkSetup, backend: str = "analytic") -> LinkRate:
    """The ECS rate maximised over mu: a log-spaced grid, then bounded Brent around the best point."""
    if setup.scheme != "ecs":
        return link_rate(setup, backend)

    def rate(mu: float) -> float:
        return link_rate(replace(setup, mu=float(mu)), "analytic").rate

    values = np.array([rate(mu) for mu in MU_GRID])
    i = int(np.argmax(values))
    best_mu = float(MU_GRID[i])
    if values[i] > 0:
        lo, hi = MU_GRID[max(i - 1, 0)], MU_GRID[min(i + 1, len(MU_GRID) - 1)]
        res = minimize_scalar(lambda m: -rate(m), bounds=(lo, hi), method="bounded", options={"xatol": 1e-6 * hi})
        if res.success and -res.fun >= values[i]:
            best_mu = float(res.x)
    return link_rate(replace(setup, mu=best_mu), backend)
