"""The two-photon Bell-state heralded scheme (Xie et al. 2021, Fig. 1(a) and Fig. 2 caption).

Each party holds a spin entangled with a photon's polarisation, ``(|+z>|H> + |-z>|V>)/sqrt 2``.
Measuring the spin along ``chi_theta`` with outcome a leaves the photon in the unnormalised
polarisation state ``u[a, H] |H> + u[a, V] |V>`` with the same coefficients as the cat pulse
(``pulses.pulse_coefficients``). Charlie interferes the photons on a 50:50 beam splitter with a
polarising beam splitter and two threshold detectors on each output (cH, cV, dH, dV). Valid
patterns (exactly two detectors click, the other two silent): psi^- = (cH, dV) or (cV, dH), one
photon in each output with orthogonal polarisations; psi^+ = (cH, cV) or (dH, dV). On psi^- Bob
flips his Z outcome, on psi^+ his Z and X outcomes, so both heralds give phi^--like correlations
(our convention; the seed does not state the corrections).

Each photon arrives with probability ``eta`` (fibre and detector efficiency). The closed form,
by the number of photons that arrive (**derived here**; its Q_zz, S and e_zz equal the paper's
Fig. 2 caption exactly, checked in the tests):

- both arrive (``eta^2``): the spins are projected onto psi^+/- with probability
  ``|<psi^+/-|u (x) v>|^2``, times ``(1-p_d)^2`` for the two silent detectors; same-polarisation
  photons bunch into one detector (probability ``|u_H v_H|^2`` or ``|u_V v_V|^2``, spins left in
  ``|+z+z>`` or ``|-z-z>``), and a dark count in one of its two partner detectors (one psi^-,
  one psi^+ partner) completes a valid pattern, ``p_d (1-p_d)^2`` each;
- one arrives (``eta (1-eta)`` each way): the detected photon projects its spin onto its
  polarisation, the lost photon decoheres the other spin in Z; a partner dark count gives each
  herald type with ``p_d (1-p_d)^2``;
- none arrive (``(1-eta)^2``): two dark counts, two patterns per type, ``2 p_d^2 (1-p_d)^2``.
"""

from __future__ import annotations

import math
from itertools import combinations

import numpy as np

from protocols import CorrelationTable

from .._sf_compat import import_strawberryfields
from .herald import conditioned_table, flip_bob
from .pulses import pulse_coefficients
from .setup import ALICE_ANGLES, BOB_ANGLES, KEY_PAIR, LinkSetup

#: Bob's outcome flips per herald type (inputs y whose outcome is relabelled).
FLIPS = {"psi-": (KEY_PAIR[1],), "psi+": (0, 1)}


def _spin_photon_coefficients():
    U = np.array([pulse_coefficients(t) for t in ALICE_ANGLES])  # (x, a, pol) with pol 0 = H, 1 = V
    V = np.array([pulse_coefficients(t) for t in BOB_ANGLES])  # (y, b, pol)
    return U, V


def bell_joint_analytic(setup: LinkSetup) -> dict[str, np.ndarray]:
    """``{herald type: P(a, b, herald | x, y)}`` from the closed form (module docstring)."""
    eta, pd = setup.arm_transmittance, setup.dark_count
    U, V = _spin_photon_coefficients()
    UH, UV, VH, VV = U[..., 0], U[..., 1], V[..., 0], V[..., 1]  # (x, a), (y, b)
    na, nb = UH**2 + UV**2, VH**2 + VV**2  # outcome probabilities ||u_a||^2, ||v_b||^2
    outer = lambda f, g: np.einsum("xa,yb->xyab", f, g)  # noqa: E731
    silent2 = (1 - pd) ** 2
    psi_minus = (outer(UH, VV) - outer(UV, VH)) ** 2 / 2
    psi_plus = (outer(UH, VV) + outer(UV, VH)) ** 2 / 2
    bunched = outer(UH**2, VH**2) + outer(UV**2, VV**2)
    one_photon = outer(na, nb)  # spin marginals when one photon is detected (sum over its polarisation)
    common = (eta**2 * bunched + 2 * eta * (1 - eta) * one_photon) * pd * silent2 \
        + (1 - eta) ** 2 * one_photon * 2 * pd**2 * silent2
    return {"psi-": eta**2 * silent2 * psi_minus + common, "psi+": eta**2 * silent2 * psi_plus + common}


def bell_table_analytic(setup: LinkSetup) -> CorrelationTable:
    """Heralded Bell-scheme table from the closed form."""
    return _table(bell_joint_analytic(setup), setup, "analytic")


def _table(joint: dict[str, np.ndarray], setup: LinkSetup, backend: str) -> CorrelationTable:
    return conditioned_table(sum(flip_bob(joint[k], FLIPS[k]) for k in FLIPS), setup, backend=backend)


# --------------------------------------------------------------------------- Strawberry Fields
#: Detector modes after Charlie's optics (SF's BSgate(pi/4, 0) sends (a+b)/sqrt2 to its 2nd mode).
D_H, D_V, C_H, C_V = 0, 1, 2, 3
PATTERNS = {"psi-": ((C_H, D_V), (C_V, D_H)), "psi+": ((C_H, C_V), (D_H, D_V))}
CUTOFF = 3  # two photons at most: exact, no truncation


def _bell_output_kets(setup: LinkSetup) -> np.ndarray:
    """Eight-mode output kets for the four two-photon inputs |p_A>|p_B> (p in H, V)."""
    sf = import_strawberryfields()
    ops = sf.ops
    theta = math.acos(math.sqrt(setup.fibre_arm_transmittance))
    out = []
    for pa in (0, 1):
        for pb in (0, 1):
            ket = np.zeros((CUTOFF,) * 8, dtype=complex)
            idx = [0] * 8
            idx[pa], idx[2 + pb] = 1, 1  # modes 0 aH, 1 aV, 2 bH, 3 bV; 4-7 their environments
            ket[tuple(idx)] = 1.0
            prog = sf.Program(8)
            with prog.context as q:
                ops.Ket(ket) | q
                for m in range(4):
                    ops.BSgate(theta, 0.0) | (q[m], q[m + 4])  # fibre loss (Stinespring dilation)
                ops.BSgate(math.pi / 4, 0.0) | (q[0], q[2])  # H modes: 0 -> dH, 2 -> cH
                ops.BSgate(math.pi / 4, 0.0) | (q[1], q[3])  # V modes: 1 -> dV, 3 -> cV
            state = sf.Engine("fock", backend_options={"cutoff_dim": CUTOFF, "pure": True}).run(prog).state
            out.append(state.ket().reshape(CUTOFF**4, CUTOFF**4))  # (detector modes, environment)
    return np.array(out)


def bell_joint_strawberryfields(setup: LinkSetup) -> dict[str, np.ndarray]:
    """``{herald type: P(a, b, herald | x, y)}`` simulated in Strawberry Fields (Fock, exact at cutoff 3).

    Threshold detectors: the silent POVM element of one detector on ``n`` photons is
    ``(1 - p_d)(1 - eta_d)^n``; the probability that exactly the detectors in ``C`` click is
    ``sum_{T subset C} (-1)^|T| <prod_{k in rest or T} silent_k>`` (inclusion-exclusion).
    """
    psi = _bell_output_kets(setup)  # (i, detector-config, env)
    n = np.array(np.unravel_index(np.arange(CUTOFF**4), (CUTOFF,) * 4)).T  # photons per detector mode
    silent = (1 - setup.dark_count) * (1 - setup.detector_efficiency) ** n  # (config, detector)
    gram = np.einsum("ike,jke->kij", psi.conj(), psi)  # (config, i, j) with the environment traced

    def all_silent(modes) -> np.ndarray:
        w = np.prod(silent[:, list(modes)], axis=1) if modes else np.ones(len(n))
        return np.einsum("k,kij->ij", w, gram)

    U, V = _spin_photon_coefficients()
    coeffs = np.einsum("xas,ybt->xyabst", U, V).reshape(3, 2, 2, 2, 4)
    joint = {}
    for kind, patterns in PATTERNS.items():
        M = np.zeros((4, 4), dtype=complex)
        for clicks in patterns:
            rest = [m for m in range(4) if m not in clicks]
            for r in range(len(clicks) + 1):
                for T in combinations(clicks, r):
                    M += (-1) ** r * all_silent(rest + list(T))
        joint[kind] = np.einsum("xyabi,ij,xyabj->xyab", coeffs.conj(), M, coeffs).real
    return joint


def bell_table_strawberryfields(setup: LinkSetup) -> CorrelationTable:
    """Heralded Bell-scheme table simulated in Strawberry Fields."""
    return _table(bell_joint_strawberryfields(setup), setup, "strawberryfields")
