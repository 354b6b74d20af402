"""Each imperfection of the ion link as a Qiskit quantum channel (Kraus form) or rate formula.

Pauli matrices act on the qubit basis |0>, |1> (ion: the two Zeeman levels; photon: H, V).

* Ion-photon infidelity: a depolarising channel with parameter ``lam = 4 (1 - F) / 3`` on the
  photon, which turns the ideal pair into a Werner state of fidelity ``F``.
* Polarisation drift: a rotation ``exp(-i theta Y / 2)`` with Gaussian ``theta`` (rms ``sigma``)
  averages to a Y flip with probability ``(1 - exp(-sigma^2 / 2)) / 2`` (the odd cross terms
  vanish for a symmetric distribution).
* Mode mismatch: a partially distinguishable photon carries which-path information that
  removes the coherence between the |HV> and |VH> amplitudes of the heralded patterns; as a
  channel, dephasing of one photon in the H/V basis, coherence kept with factor ``M``
  (Kraus ``sqrt((1+M)/2) I``, ``sqrt((1-M)/2) Z``). Heralding probabilities are unchanged.
* Ion dephasing: exponential loss of coherence during the wait ``t``: a Z flip with probability
  ``(1 - exp(-t / T2)) / 2`` on each ion.
* Dark counts: a herald from one photon plus a dark count leaves the ion pair in a product state
  with one maximally mixed ion; averaged over patterns, ``I/4``. With ``p_d`` per detector and
  per-photon efficiency ``eta``: ``P_true = eta^2 / 2`` (the two psi patterns of an ideal BSM),
  ``P_false = 2 p_d 2 eta (1 - eta) + 4 p_d^2 (1 - eta)^2`` (a photon's click has two valid
  partner detectors; two dark counts form 4 of the 6 detector pairs, all valid ones). Multi-photon
  and bunched-photon plus dark-count terms (order ``eta^2 p_d``) are neglected. The false fraction
  ``P_false / (P_true + P_false)`` enters as a two-qubit depolarising channel.
* Readout: a symmetric confusion matrix ``[[1-r, r], [r, 1-r]]`` per ion on the outcome
  distribution (not a channel on the state: state fidelity excludes it, as tomography with
  readout correction would).
"""

from __future__ import annotations

import itertools
import math

import numpy as np
from qiskit.quantum_info import Kraus

I2 = np.eye(2, dtype=complex)
X = np.array([[0, 1], [1, 0]], dtype=complex)
Y = np.array([[0, -1j], [1j, 0]], dtype=complex)
Z = np.array([[1, 0], [0, -1]], dtype=complex)
PAULIS = (I2, X, Y, Z)


def depolarising(lam: float, qubits: int = 1) -> Kraus:
    """``rho -> (1 - lam) rho + lam I/d`` on ``qubits`` qubits, as Pauli Kraus operators."""
    d2 = 4**qubits
    ops = []
    for k, paulis in enumerate(itertools.product(PAULIS, repeat=qubits)):
        op = paulis[0]
        for p in paulis[1:]:
            op = np.kron(p, op)
        weight = 1.0 - lam + lam / d2 if k == 0 else lam / d2
        ops.append(math.sqrt(weight) * op)
    return Kraus(ops)


def pauli_flip(pauli: np.ndarray, p: float) -> Kraus:
    """``rho -> (1 - p) rho + p P rho P``."""
    return Kraus([math.sqrt(1.0 - p) * I2, math.sqrt(p) * pauli])


def ion_photon_depolarisation(fidelity: float) -> Kraus:
    """Depolarising channel on the photon giving an ion-photon Werner state of ``fidelity``."""
    return depolarising(4.0 * (1.0 - fidelity) / 3.0)


def polarisation_drift_flip_probability(sigma_rad: float) -> float:
    """Y-flip probability ``(1 - exp(-sigma^2/2)) / 2`` of a Gaussian polarisation rotation."""
    return (1.0 - math.exp(-sigma_rad * sigma_rad / 2.0)) / 2.0  # product, not **: inf, not OverflowError


def polarisation_drift(sigma_rad: float) -> Kraus:
    return pauli_flip(Y, polarisation_drift_flip_probability(sigma_rad))


def mode_mismatch(overlap: float) -> Kraus:
    """Dephasing of one photon keeping coherence ``overlap``: Z flip with ``(1 - M)/2``."""
    return pauli_flip(Z, (1.0 - overlap) / 2.0)


def ion_dephasing_flip_probability(wait_s: float, t2_s: float) -> float:
    return (1.0 - math.exp(-wait_s / t2_s)) / 2.0


def ion_dephasing(wait_s: float, t2_s: float) -> Kraus:
    return pauli_flip(Z, ion_dephasing_flip_probability(wait_s, t2_s))


def herald_probabilities(eta: float, p_dark: float) -> tuple[float, float]:
    """``(P_true, P_false)`` per attempt (module docstring)."""
    p_true = eta * eta / 2.0
    p_false = 4.0 * p_dark * eta * (1.0 - eta) + 4.0 * p_dark**2 * (1.0 - eta) ** 2
    return p_true, p_false


def readout_confusion(r: float) -> np.ndarray:
    """``C[reported, true]`` for a symmetric readout error ``r``."""
    return np.array([[1.0 - r, r], [r, 1.0 - r]])
