"""The heralded, corrected two-ion state: Qiskit density-matrix evolution of the link circuit."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from qiskit.quantum_info import DensityMatrix

from protocols.errors import ParameterError

from . import channels
from .circuits import HERALDS, correction_circuit, ion_noise_circuit, link_circuit
from .setup import IonLinkSetup

#: Phi+ = (|00> + |11>)/sqrt 2, the target state after Bob's correction.
PHI_PLUS = DensityMatrix(np.array([1, 0, 0, 1], dtype=complex) / np.sqrt(2))


@dataclass(frozen=True)
class HeraldedState:
    """The two-ion state after a herald (qubit 0 = Alice), with the herald statistics.

    Attributes:
        rho: ion-ion density matrix after correction and ion noise (before readout).
        herald_probability: heralds per attempt, true plus dark-count heralds.
        false_herald_fraction: share of heralds caused by a dark count.
        pattern_probabilities: probability of each psi pattern given a true herald.
    """

    rho: DensityMatrix
    herald_probability: float
    false_herald_fraction: float
    pattern_probabilities: dict

    @property
    def fidelity(self) -> float:
        """``<Phi+| rho |Phi+>``: fidelity to the target maximally entangled state."""
        return float(np.real(self.rho.expectation_value(PHI_PLUS)))


def _postselect(rho4: np.ndarray, bits: tuple[int, int]) -> np.ndarray:
    """Unnormalised two-ion block of the 4-qubit matrix for photon bits (q1, q2) = ``bits``."""
    t = rho4.reshape([2] * 8)  # axes: q3 q2 q1 q0 | q3' q2' q1' q0'
    b1, b2 = bits
    return t[:, b2, b1, :, :, b2, b1, :].reshape(4, 4)  # (q3 q0 | q3' q0') = (B A | B' A')


def heralded_state(setup: IonLinkSetup) -> HeraldedState:
    """Evolve the link circuit, post-select the psi patterns, correct, add ion noise."""
    rho4 = DensityMatrix.from_label("0000").evolve(link_circuit(setup)).data
    total = np.zeros((4, 4), dtype=complex)
    pattern_p = {}
    for pattern, bits in HERALDS.items():
        block = _postselect(rho4, bits)
        p = float(np.real(np.trace(block)))
        pattern_p[pattern] = p
        total += DensityMatrix(block).evolve(correction_circuit(pattern)).data
    p_psi = sum(pattern_p.values())  # 1/2 for an ideal BSM
    rho = DensityMatrix(total / p_psi)
    p_true, p_false = channels.herald_probabilities(setup.detected_photon_efficiency, setup.dark_count_probability,
                                                    p_psi)
    herald = p_true + p_false
    if not herald > 0:
        raise ParameterError(f"no attempt is ever heralded (photon efficiency at the BSM "
                             f"{setup.detected_photon_efficiency:.3g}, dark-count "
                             f"probability per window {setup.dark_count_probability:.3g}: every detector clicks "
                             "or none does)")
    false_fraction = p_false / herald if herald > 0 else 0.0
    rho = rho.evolve(ion_noise_circuit(setup, false_fraction))
    return HeraldedState(rho, herald, false_fraction, {k: v / p_psi for k, v in pattern_p.items()})
