"""Threshold detectors with dark counts, the herald rule, and assembling the table.

Shared by every backend: a backend supplies, for each setting pair (x, y) and atom outcomes
(a, b), the *unnormalised* probabilities that the output modes hold no photon. This module turns
them into click patterns and the heralded, post-flip correlation table.
"""

from __future__ import annotations

import numpy as np

from protocols import CorrelationTable
from protocols.errors import ParameterError
from protocols.roles import Roles

from .setup import CHSH_MINUS, CHSH_X, CHSH_Y, KEY_PAIR, OUTCOME_LABELS, X_LABELS, Y_LABELS, LinkSetup


def single_click_probabilities(p0_c, p0_d, p00, dark_count: float):
    """Probabilities that only D1 (mode c) or only D2 (mode d) clicks.

    A threshold detector with dark-count probability ``p_d`` stays silent iff no photon reaches
    it and no dark count occurs: ``P(silent) = (1 - p_d) P(vacuum)``. Hence
    ``P(D1 only) = P(D2 silent) - P(both silent) = (1-p_d) P0_d - (1-p_d)^2 P00`` and likewise
    for D2 (Xie et al. 2021, text before Eq. (1): herald = exactly one click). Arguments may be arrays.
    """
    s = 1.0 - dark_count
    return s * np.asarray(p0_d) - s * s * np.asarray(p00), s * np.asarray(p0_c) - s * s * np.asarray(p00)


def flip_bob(joint, inputs) -> np.ndarray:
    """Relabel Bob's outcome (+1 <-> -1) for the listed inputs ``y`` of ``joint[x, y, a, b]``."""
    out = np.array(joint, dtype=float)
    for y in inputs:
        out[:, y] = out[:, y, :, ::-1]
    return out


def heralded_table(d1, d2, setup: LinkSetup, backend: str, extra_meta: dict | None = None) -> CorrelationTable:
    """The ECS table conditioned on a herald, with Bob's Z outcome flipped on a D2 herald (Xie et al. 2021, Step 2).

    Args:
        d1, d2: arrays ``[x, y, a, b]`` of the joint probabilities P(a, b, D1 only | x, y) and
            P(a, b, D2 only | x, y) (unnormalised: they sum to the herald probability).
    """
    return conditioned_table(np.asarray(d1, dtype=float) + flip_bob(d2, [KEY_PAIR[1]]), setup, backend, extra_meta)


def conditioned_table(joint, setup: LinkSetup, backend: str, extra_meta: dict | None = None) -> CorrelationTable:
    """Normalise ``joint[x, y, a, b]`` = P(a, b, herald | x, y) (after Bob's flips) into a table.

    The herald probability is the same for every setting pair (no-signalling from the atoms to
    Charlie); the table stores the mean over setting pairs as ``herald_probability`` (Q_zz).
    """
    joint = np.asarray(joint, dtype=float)
    herald = joint.sum(axis=(2, 3))
    if not np.all(herald > 0):
        raise ParameterError("no trial is ever heralded at these parameters (herald probability 0): "
                             "the conditional table does not exist")
    P = joint / herald[:, :, None, None]
    meta = {"platform": "entangled-coherent-states" if setup.scheme == "ecs" else "bell-state-heralded",
            "backend": backend, "source": "Xie et al., Xie et al. 2021", **setup.as_meta()}
    if extra_meta:
        meta.update(extra_meta)
    tol = max(1e-8, float(meta.get("conditional_error_bound", 0.0)))
    return CorrelationTable(
        P=P, x_labels=X_LABELS, y_labels=Y_LABELS, a_labels=OUTCOME_LABELS, b_labels=OUTCOME_LABELS,
        herald_probability=float(herald.mean()), meta=meta, normalisation_tol=tol, signalling_tol=10 * tol,
        roles=Roles(CHSH_X, CHSH_Y, CHSH_MINUS, KEY_PAIR),
    )
