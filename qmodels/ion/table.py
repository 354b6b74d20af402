"""Exact correlation table of the ion link, readout error applied as confusion matrices."""

from __future__ import annotations

import math

import numpy as np

from protocols import CorrelationTable, chsh_score, qber
from protocols.errors import ParameterError, check_probability
from protocols.roles import Roles

from . import channels
from .circuits import measurement_circuit
from .setup import CHSH_MINUS, CHSH_X, CHSH_Y, KEY_PAIR, X_LABELS, Y_LABELS, IonLinkSetup
from .state import HeraldedState, heralded_state


def rounds_per_second(setup: IonLinkSetup, herald_probability: float) -> float:
    """Heralded rounds per second: ``1 / (1 / (R_att P_herald) + t_overhead)``.

    Attempts run at ``R_att`` (``attempt_rate_hz``, slowed over a distance by the herald's return,
    :attr:`IonLinkSetup.effective_attempt_rate_hz`) until a herald; each heralded round then costs
    ``round_overhead_s`` (shuttling, measurement, reset) before the link reconnects.
    """
    herald_probability = check_probability("herald_probability", herald_probability)
    if herald_probability == 0.0:
        return 0.0
    return 1.0 / (1.0 / (setup.effective_attempt_rate_hz * herald_probability) + setup.round_overhead_s)


def setting_probabilities(state: HeraldedState, theta_a: float, theta_b: float, readout_error: float) -> np.ndarray:
    """``P[a, b]`` for one setting pair: rotate, measure Z on both ions, apply readout confusion."""
    probs = state.rho.evolve(measurement_circuit(theta_a, theta_b)).probabilities()  # index a + 2 b
    P = probs.reshape(2, 2).T  # [a, b]
    C = channels.readout_confusion(readout_error)
    return C @ P @ C.T


def ion_table(setup: IonLinkSetup | None = None) -> CorrelationTable:
    """The heralded correlation table ``P[x, y, a, b]`` (x = 0, 1; y = 0, 1, 2; index = bit).

    ``herald_probability`` is per attempt; ``rounds_per_second`` the Bell pairs per second;
    ``meta`` holds the parameters, the state fidelity, S, Q and the false-herald fraction.
    """
    setup = IonLinkSetup() if setup is None else setup
    if not isinstance(setup, IonLinkSetup):
        raise ParameterError(f"setup must be an IonLinkSetup, got {type(setup).__name__}")
    state = heralded_state(setup)
    P = np.empty((2, 3, 2, 2))
    for x, ta in enumerate(setup.alice_angles):
        for y, tb in enumerate(setup.bob_angles):
            P[x, y] = setting_probabilities(state, ta, tb, setup.readout_error)
    table = CorrelationTable(
        P,
        x_labels=X_LABELS,
        y_labels=Y_LABELS,
        a_labels=(0, 1),
        b_labels=(0, 1),
        herald_probability=state.herald_probability,
        rounds_per_second=rounds_per_second(setup, state.herald_probability),
        meta={"platform": "ion", "model": "qiskit density matrix", "parameters": setup.as_dict(),
              "fidelity": state.fidelity, "false_herald_fraction": state.false_herald_fraction,
              "chsh_x": list(CHSH_X), "chsh_y": list(CHSH_Y), "chsh_minus": list(CHSH_MINUS),
              "key_pair": list(KEY_PAIR)},
        roles=Roles(CHSH_X, CHSH_Y, CHSH_MINUS, KEY_PAIR),
    )
    table.meta["S"] = chsh_score(table, CHSH_X, CHSH_Y, CHSH_MINUS)
    table.meta["Q"] = qber(table, KEY_PAIR)
    return table


def correlators_closed_form(setup: IonLinkSetup) -> dict[str, float]:
    """Independent route: the correlators of the model from its channels' Pauli factors.

    All channels are Pauli channels on a Bell state, so the corrected state is Bell-diagonal
    with ``<ZZ> = D P``, ``<XX> = D P M T``, ``<YY> = -D M T`` where ``D = (1 - lam)^2 (1 - f)``
    (photon depolarisation ``lam`` and dark-count fraction ``f``), ``P = (1 - 2 p_y)^2`` (drift),
    ``M`` the mode overlap and ``T = exp(-2 t / T2)`` (ion dephasing). A setting pair
    ``(theta_a, theta_b)`` then has ``E = R (cos ta cos tb <ZZ> + sin ta sin tb <XX>)`` with the
    readout factor ``R = (1 - 2 r)^2``; the fidelity is ``(1 + <XX> - <YY> + <ZZ>) / 4``.
    """
    lam = 4.0 * (1.0 - setup.ion_photon_fidelity) / 3.0
    p_true, p_false = channels.herald_probabilities(setup.detected_photon_efficiency, setup.dark_count_probability)
    f = p_false / (p_true + p_false) if p_true + p_false > 0 else 0.0
    D = (1.0 - lam) ** 2 * (1.0 - f)
    Pd = (1.0 - 2.0 * channels.polarisation_drift_flip_probability(setup.polarisation_drift_rad)) ** 2
    T = math.exp(-2.0 * setup.total_wait_time_s / setup.ion_coherence_time_s)
    zz, xx, yy = D * Pd, D * Pd * setup.mode_overlap * T, -D * setup.mode_overlap * T
    return {"zz": zz, "xx": xx, "yy": yy, "readout": (1.0 - 2.0 * setup.readout_error) ** 2,
            "fidelity": (1.0 + xx - yy + zz) / 4.0}
