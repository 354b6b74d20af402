"""Description of a heralded DIQKD link with a middle station (Xie et al., Xie et al. 2021).

A plain record of the physics: no simulation here. Conventions (Xie et al. 2021):
Charlie sits midway, so each arm has fibre length ``L/2`` and power transmittance
``eta = eta_d * 10^(-beta L / 20)`` (``eta_d``: detector efficiency). The misalignment is a
phase drift ``delta0`` of Bob's pulse relative to Alice's, ``e_d = (1 - cos delta0)/2``.

Measurement settings (seed, Step 1), as angles of ``chi_theta = cos(theta) sigma_z + sin(theta)
sigma_x``: Alice ``x = 0, 1, 2`` -> ``A0 = sigma_z`` (0), ``A1 = (sigma_z + sigma_x)/sqrt 2``
(pi/4), ``A2 = (sigma_z - sigma_x)/sqrt 2`` (-pi/4); Bob ``y = 0, 1`` -> ``B1 = sigma_z`` (0),
``B2 = sigma_x`` (pi/2). Outcome index 0 = +1, 1 = -1. CHSH:
``S = <A1B1> - <A1B2> + <A2B1> + <A2B2>`` (x = 1, 2; y = 0, 1; minus on (1, 1)); key pair (0, 0).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

from protocols.errors import ParameterError, check_probability
from protocols.validate import real

from .closed_forms import MAX_MU

ALICE_ANGLES = (0.0, math.pi / 4, -math.pi / 4)
BOB_ANGLES = (0.0, math.pi / 2)
X_LABELS = ("A0=Z", "A1=(Z+X)/sqrt2", "A2=(Z-X)/sqrt2")
Y_LABELS = ("B1=Z", "B2=X")
OUTCOME_LABELS = (+1, -1)
#: CHSH choice and key pair of the seed, in table indices.
CHSH_X, CHSH_Y, CHSH_MINUS, KEY_PAIR = (1, 2), (0, 1), (1, 1), (0, 0)
SCHEMES = ("ecs", "bell")


@dataclass(frozen=True)
class LinkSetup:
    """Parameters of a heralded link (defaults: the paper's Fig. 2).

    Attributes:
        scheme: ``"ecs"`` (entangled coherent states) or ``"bell"`` (two-photon Bell-state
            measurement baseline).
        distance_km: Alice-Bob distance L (km); each arm is L/2.
        mu: coherent-state intensity ``|alpha|^2`` (ECS only; mean photons per pulse).
        detector_efficiency: ``eta_d`` in [0, 1].
        fiber_db_per_km: fibre loss ``beta`` (dB/km).
        dark_count: dark-count probability per detector per trial ``p_d`` in [0, 1].
        misalignment: ``e_d = (1 - cos delta0)/2`` in [0, 1/2] (ECS only).
    """

    scheme: str = "ecs"
    distance_km: float = 0.0
    mu: float = 0.1
    detector_efficiency: float = 0.8
    fiber_db_per_km: float = 0.2
    dark_count: float = 1e-7
    misalignment: float = 0.0

    def __post_init__(self) -> None:
        if self.scheme not in SCHEMES:
            raise ParameterError(f"scheme must be one of {SCHEMES}, got {self.scheme!r}")
        checked = {
            "distance_km": real("distance_km", self.distance_km, 0.0, unit="km"),
            "mu": real("mu (mean photon number |alpha|^2)", self.mu, 0.0, MAX_MU, low_open=True,
                       unit="photons per pulse; the ECS optimum is below 1"),
            "fiber_db_per_km": real("fiber_db_per_km", self.fiber_db_per_km, 0.0, unit="dB/km"),
            "detector_efficiency": check_probability("detector_efficiency", self.detector_efficiency),
            "dark_count": check_probability("dark_count", self.dark_count),
            "misalignment": check_probability("misalignment e_d", self.misalignment, 0.0, 0.5),
        }
        for name, value in checked.items():  # numpy scalars become floats
            object.__setattr__(self, name, value)

    @property
    def arm_transmittance(self) -> float:
        """Per-arm transmittance ``eta = eta_d 10^(-beta (L/2) / 10)`` (Charlie midway)."""
        return self.detector_efficiency * 10.0 ** (-self.fiber_db_per_km * self.distance_km / 20.0)

    @property
    def fibre_arm_transmittance(self) -> float:
        """Fibre part only, ``10^(-beta (L/2) / 10)``."""
        return 10.0 ** (-self.fiber_db_per_km * self.distance_km / 20.0)

    @property
    def total_transmittance(self) -> float:
        """Alice-to-Bob transmittance used by PLOB, ``eta_AB = eta_d 10^(-beta L / 10)`` (seed Fig. 3)."""
        return self.detector_efficiency * 10.0 ** (-self.fiber_db_per_km * self.distance_km / 10.0)

    @property
    def phase_drift(self) -> float:
        """``delta0 = arccos(1 - 2 e_d)`` (radians) for the misalignment ``e_d``."""
        return math.acos(1.0 - 2.0 * self.misalignment)

    def as_meta(self) -> dict:
        d = asdict(self)
        d["arm_transmittance"] = self.arm_transmittance
        return d
