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
  ``P_false = 2 p_d 2 eta (1 - eta) + 4 p_d^2 (1 - eta)^2`` to first order (a photon's click has
  two valid partner detectors; two dark counts form 4 of the 6 detector pairs, all valid ones);
  :func:`herald_probabilities` gives the exact count of "exactly two clicks on a valid pair",
  with the bunched-photon term and the two silent detectors. ``p_d = 1 - exp(-rate window)``
  (Poissonian dark counts, at least one in the window). The false fraction
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


def herald_probabilities(eta: float, p_dark: float, valid_fraction: float = 0.5) -> tuple[float, float]:
    """``(P_true, P_false)`` per attempt: exactly two clicks on a valid detector pair (module docstring).

    **Derived here** for threshold detectors with independent dark counts ``p_d`` and the four BSM
    detectors (two ports x two polarisations, each with two valid partners): ``silent = (1-p_d)^2``
    for the two detectors that must stay dark, and
    ``P_true = eta^2 q silent`` (both photons arrive in a psi pattern, probability ``q``; 1/2 for
    an ideal BSM), ``P_false = [4 p_d eta (1-eta) + 4 p_d^2 (1-eta)^2 + 2 eta^2 (1-q) p_d] silent``
    (one photon plus a dark count at one of its two valid partners; dark counts on one of the 4
    valid pairs; both photons bunched in one detector plus a dark count at a valid partner). Exact
    for every ``p_d`` in [0, 1] (no herald at ``p_d = 1``: all four detectors click); tested against
    a Monte Carlo of the clicks (``tests/qmodels/test_ion.py``). To first order in ``p_d`` it is
    the earlier ``eta^2/2``, ``4 p_d eta (1-eta) + 4 p_d^2 (1-eta)^2``.
    """
    q, silent = valid_fraction, (1.0 - p_dark) ** 2
    p_true = eta * eta * q * silent
    p_false = (4.0 * p_dark * eta * (1.0 - eta) + 4.0 * p_dark**2 * (1.0 - eta) ** 2
               + 2.0 * eta * eta * (1.0 - q) * p_dark) * silent
    return p_true, p_false


def readout_confusion(r: float) -> np.ndarray:
    """``C[reported, true]`` for a symmetric readout error ``r``."""
    return np.array([[1.0 - r, r], [r, 1.0 - r]])
