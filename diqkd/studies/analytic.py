"""Analytic CHSH-based rates on the depolarised maximally entangled state.

For a Werner-type state of visibility ``v`` measured at the optimal CHSH settings,
``S = 2 sqrt(2) v`` and ``Q = (1 - v)/2``, i.e. ``S = 2 sqrt(2) (1 - 2Q)``. On that line the
Pironio bound (no preprocessing) gives a positive key up to Q ~ 7.1% (Pironio et al., NJP 11,
045021 (2009), Sec. 4) and noisy preprocessing extends it to Q ~ 8.1% (Ho et al., PRL 124,
230502 (2020), Fig. 1).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
from scipy.optimize import brentq

from protocols import (
    binary_entropy,
    noisy_preprocessing_entropy,
    noisy_preprocessing_error_cost,
    optimal_noise,
    pironio_entropy_bound,
)

from ._io import pyplot, save_figure, write_csv


def depolarised_chsh(Q: float) -> float:
    """``S = 2 sqrt(2) (1 - 2Q)`` for the depolarised Bell state with QBER ``Q``."""
    return 2.0 * math.sqrt(2.0) * (1.0 - 2.0 * Q)


def rate_without_noise(Q: float) -> float:
    """``1 - h((1 + sqrt((S/2)^2 - 1))/2) - h(Q)`` on the depolarised line (may be negative)."""
    return pironio_entropy_bound(depolarised_chsh(Q)) - float(binary_entropy(Q))


def rate_with_noise(Q: float) -> float:
    """The Ho et al. rate with the optimal flip probability (may be negative)."""
    return optimal_noise(depolarised_chsh(Q), Q).rate


def threshold_qber(rate) -> float:
    """The QBER at which ``rate`` crosses zero on the depolarised line (Brent's method)."""
    return float(brentq(rate, 0.01, 0.12, xtol=1e-10))


def rate_near_full_flip(Q: float, delta: float = 1e-4) -> float:
    """The noisy-preprocessing rate at ``p = 1/2 - delta``, scaled by ``1/delta^2``.

    The optimal rate is never negative (``p = 1/2`` gives exactly 0), and near the noise
    threshold the optimal flip tends to 1/2 (Ho et al. 2020), so the threshold is where this
    leading-order coefficient changes sign.
    """
    p = 0.5 - delta
    S = depolarised_chsh(Q)
    return (noisy_preprocessing_entropy(S, p) - noisy_preprocessing_error_cost(Q, p)) / delta**2


def run(out: Path) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    qs = np.linspace(0.0, 0.1, 101)
    rows = []
    for q in qs:
        rows.append({"Q": float(q), "S": depolarised_chsh(q),
                     "rate_pironio": max(0.0, rate_without_noise(q)),
                     "rate_noisy_preprocessing": max(0.0, rate_with_noise(q))})
    write_csv(out / "rate_vs_qber.csv", rows)
    summary = {
        "threshold_qber_pironio": threshold_qber(rate_without_noise),
        "threshold_qber_noisy_preprocessing": threshold_qber(rate_near_full_flip),
    }
    (out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    plt = pyplot()
    if plt is None:  # pragma: no cover
        return summary
    fig, ax = plt.subplots(figsize=(5, 3.5))
    ax.semilogy(qs * 100, [r["rate_pironio"] for r in rows], label="Pironio et al. 2009")
    ax.semilogy(qs * 100, [r["rate_noisy_preprocessing"] for r in rows],
                label="noisy preprocessing (Ho et al. 2020)")
    ax.set_xlabel("QBER Q (%)  [S = 2√2 (1 − 2Q)]")
    ax.set_ylabel("key rate (bits/round)")
    ax.set_ylim(1e-4, 1.1)
    ax.legend()
    save_figure(fig, out / "rate_vs_qber.png")
    return summary
