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

from ._io import legend, pyplot, save_figure, write_csv


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
    _plot(out, qs, rows, summary)
    return summary


def _plot(out: Path, qs, rows: list[dict], summary: dict) -> None:
    """Rate vs QBER with both threshold QBERs (the ones computed in ``run``) marked."""
    plt = pyplot()
    if plt is None:  # pragma: no cover
        return
    fig, ax = plt.subplots(figsize=(5.5, 4))
    q = qs * 100
    curves = (("rate_pironio", "threshold_qber_pironio", "C0", "no preprocessing (Pironio et al. 2009)"),
              ("rate_noisy_preprocessing", "threshold_qber_noisy_preprocessing", "C1",
               "noisy preprocessing (Ho et al. 2020)"))
    for key, _, color, label in curves:
        rate = [r[key] if r[key] > 0 else np.nan for r in rows]
        ax.semilogy(q, rate, color=color, label=label)
    for (key, threshold, color, _), side in zip(curves, (-1, 1), strict=True):
        qt = 100 * summary[threshold]
        name = "no preprocessing" if key == "rate_pironio" else "noisy preprocessing"
        ax.axvline(qt, color=color, ls="--", lw=1, label=f"threshold, {name}: Q = {qt:.2f}%")
        ax.annotate(f"Q = {qt:.1f}%", xy=(qt, 0.97), xycoords=("data", "axes fraction"), xytext=(3 * side, 0),
                    textcoords="offset points", rotation=90, ha="right" if side < 0 else "left", va="top",
                    fontsize="small", color=color)
    ax.set_xlim(0, 10)
    ax.set_ylim(1e-4, 1.1)
    ax.set_xlabel("quantum bit error rate Q (%)")
    ax.set_ylabel("asymptotic key rate (bits per round)")
    top = ax.secondary_xaxis("top", functions=(lambda x: depolarised_chsh(x / 100),
                                               lambda s: 50 * (1 - s / (2 * math.sqrt(2)))))
    top.set_xlabel("CHSH value S = 2√2 (1 − 2Q)")
    ax.set_title("Depolarised Bell state: Pironio et al. 2009 vs Ho et al. 2020", fontsize="medium")
    legend(ax, loc="lower left")
    save_figure(fig, out / "rate_vs_qber.png")
