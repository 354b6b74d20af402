"""The PLOB repeaterless bound."""

from __future__ import annotations

import math

from .errors import ParameterError, check_probability
from .validate import real


def plob_bound(eta: float) -> float:
    """Secret-key capacity of a pure-loss channel of transmittance ``eta``: ``-log2(1 - eta)`` bits per use.

    Source: Pirandola, Laurenza, Ottaviani, Banchi, Nat. Commun. 8, 15043 (2017), Eq. (19).
    For a fibre of length ``L`` (km) with loss ``beta`` (dB/km) and detector efficiency ``eta_d``,
    ``eta = eta_d 10^(-beta L / 10)`` (Xie et al.'s convention).

    Raises:
        ParameterError: ``eta`` outside [0, 1) (the capacity is infinite at eta = 1).
    """
    e = check_probability("transmittance eta", eta)
    if e >= 1.0:
        raise ParameterError("transmittance eta must be < 1: the PLOB capacity is infinite at eta = 1")
    return -math.log2(1.0 - e) if e > 0 else 0.0


def fibre_transmittance(length_km: float, db_per_km: float = 0.2) -> float:
    """``10^(-db_per_km * length_km / 10)``, the power transmittance of a fibre."""
    L = real("fibre length", length_km, 0.0, unit="km")
    b = real("fibre attenuation", db_per_km, 0.0, unit="dB/km")
    return 10.0 ** (-b * L / 10.0)
