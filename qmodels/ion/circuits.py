"""The ion link as Qiskit circuits.

Qubit order of the link circuit: 0 = Alice's ion, 1 = Alice's photon, 2 = Bob's photon,
3 = Bob's ion (Qiskit little-endian: qubit 0 is the lowest bit of a basis index).

1. Emission at each node: ``H`` on the ion, ``CX`` ion -> photon, giving (|0H> + |1V>)/sqrt 2.
2. Photon channels (``channels``): ion-photon depolarisation and polarisation drift on both
   photons, mode mismatch on one.
3. Bell-state measurement: for single photons in polarisation qubits the 50:50 beam splitter,
   two PBSs and four detectors resolve psi+ (both photons in one output, orthogonal
   polarisations) and psi- (one photon in each output, orthogonal polarisations); phi+- give no
   valid two-detector pattern. As a circuit: ``CX`` photon A -> photon B, ``H`` on photon A, then
   the photon bits (q1, q2) = (0, 1) herald psi+ and (1, 1) herald psi-.
4. Bob's correction maps the heralded ion state to Phi+: ``X`` after psi+, ``X`` then ``Z`` after
   psi- (our convention; the seed does not state its frame).
5. Measurement of a setting angle theta (``cos theta Z + sin theta X``): ``RY(-theta)``, then Z.
"""

from __future__ import annotations

from qiskit import QuantumCircuit

from . import channels
from .setup import IonLinkSetup

ION_A, PHOTON_A, PHOTON_B, ION_B = 0, 1, 2, 3
#: Photon bits (q1, q2) of the heralded patterns, and Bob's correction gates for each.
HERALDS = {"psi+": (0, 1), "psi-": (1, 1)}
CORRECTIONS = {"psi+": ("x",), "psi-": ("x", "z")}


def link_circuit(setup: IonLinkSetup) -> QuantumCircuit:
    """Emission, photon channels and the BSM unitary (steps 1-3), before post-selection."""
    qc = QuantumCircuit(4, name="ion link")
    for ion, photon in ((ION_A, PHOTON_A), (ION_B, PHOTON_B)):
        qc.h(ion)
        qc.cx(ion, photon)
    for photon in (PHOTON_A, PHOTON_B):
        if setup.ion_photon_fidelity < 1.0:
            qc.append(channels.ion_photon_depolarisation(setup.ion_photon_fidelity), [photon])
        if setup.polarisation_drift_rad > 0.0:
            qc.append(channels.polarisation_drift(setup.polarisation_drift_rad), [photon])
    if setup.mode_overlap < 1.0:
        qc.append(channels.mode_mismatch(setup.mode_overlap), [PHOTON_A])
    qc.cx(PHOTON_A, PHOTON_B)
    qc.h(PHOTON_A)
    return qc


def correction_circuit(pattern: str) -> QuantumCircuit:
    """Bob's correction after a herald (step 4), on the two-ion register (0 = A, 1 = B)."""
    qc = QuantumCircuit(2, name=f"correct {pattern}")
    for gate in CORRECTIONS[pattern]:
        getattr(qc, gate)(1)
    return qc


def ion_noise_circuit(setup: IonLinkSetup, false_herald_fraction: float) -> QuantumCircuit:
    """Ion dephasing during the wait and the dark-count admixture, on the two-ion register."""
    qc = QuantumCircuit(2, name="ion noise")
    if setup.total_wait_time_s > 0.0:
        for q in (0, 1):
            qc.append(channels.ion_dephasing(setup.total_wait_time_s, setup.ion_coherence_time_s), [q])
    if false_herald_fraction > 0.0:
        qc.append(channels.depolarising(false_herald_fraction, qubits=2), [0, 1])
    return qc


def measurement_circuit(theta_a: float, theta_b: float) -> QuantumCircuit:
    """Rotate each ion so that a Z measurement measures its setting (step 5)."""
    qc = QuantumCircuit(2, name="settings")
    qc.ry(-theta_a, 0)
    qc.ry(-theta_b, 1)
    return qc
