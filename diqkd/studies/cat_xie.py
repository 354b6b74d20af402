"""Reproduce Xie et al. 2021 ("Overcoming the rate-distance limit of DIQKD"): Fig. 2 (ECS vs
Bell-state scheme, optimal mu) and Fig. 3 (ECS under misalignment 0-7%, PLOB bound, CHSH at
e_d = 1%), with the paper's claims checked.

Channel (physics.md): beta = 0.2 dB/km, eta_d = 0.8, p_d = 1e-7, per-arm transmittance with L/2,
PLOB with the full distance. Rates in bits per trial, analytic backend (cross-validated against
Strawberry Fields in the tests).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
from scipy.optimize import brentq

from protocols import chsh_score
from qmodels.cat import CHSH_MINUS, CHSH_X, CHSH_Y, LinkSetup, cat_table

from ._io import legend, progress, pyplot, save_figure, write_csv
from .cat_rates import link_rate, optimise_mu

DISTANCES = np.linspace(0.0, 600.0, 201)
#: ``diqkd reproduce --fast``: every 10 km instead of every 3 km
FAST_DISTANCES = np.linspace(0.0, 600.0, 61)
MISALIGNMENTS = (0.0, 0.01, 0.03, 0.05, 0.07)


def sweep(scheme: str, misalignment: float = 0.0, distances=DISTANCES) -> list[dict]:
    """Optimal-mu rate (ECS) or rate (Bell) at each distance."""
    rows = []
    for L in progress(distances, f"{scheme} e_d={misalignment:g}"):
        setup = LinkSetup(scheme=scheme, distance_km=float(L), misalignment=misalignment)
        rows.append(optimise_mu(setup).as_dict() if scheme == "ecs" else link_rate(setup).as_dict())
    return rows


def ideal_violation_limit() -> float:
    """The largest mu with S > 2 for a lossless link, ideal detectors (Xie et al.: mu <= 0.4407).

    Found from the simulated table (analytic backend), not from the paper's formula.
    """
    def excess(mu: float) -> float:
        setup = LinkSetup(distance_km=0.0, mu=mu, detector_efficiency=1.0, dark_count=0.0)
        return chsh_score(cat_table(setup, "analytic"), CHSH_X, CHSH_Y, CHSH_MINUS) - 2.0

    return float(brentq(excess, 0.1, 1.0, xtol=1e-12))


def _crossings(x, y1, y2) -> list[float]:
    """Distances where y1 - y2 changes sign (linear interpolation)."""
    d = np.asarray(y1) - np.asarray(y2)
    out = []
    for i in range(len(d) - 1):
        if d[i] == 0 or d[i] * d[i + 1] < 0:
            out.append(float(x[i] + (x[i + 1] - x[i]) * d[i] / (d[i] - d[i + 1])) if d[i] != d[i + 1] else float(x[i]))
    return out


def _interval(x, where) -> list[float] | None:
    """``[first, last]`` grid distance where the condition holds (None if nowhere)."""
    sel = np.asarray(x)[np.asarray(where)]
    return [float(sel.min()), float(sel.max())] if sel.size else None


def _reach(rows) -> float:
    positive = [r["distance_km"] for r in rows if r["rate"] > 0]
    return max(positive) if positive else 0.0


def run(out: Path, distances=DISTANCES) -> dict:
    """Xie et al.'s Fig. 2 and Fig. 3 on the grid ``distances`` (km) into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    ecs = sweep("ecs", distances=distances)
    bell = sweep("bell", distances=distances)
    fig2 = [{"distance_km": e["distance_km"], "rate_ecs": e["rate"], "mu_opt": e["mu"], "S_ecs": e["S"],
             "e_zz_ecs": e["e_zz"], "rate_bell": b["rate"], "S_bell": b["S"], "plob": e["plob"]}
            for e, b in zip(ecs, bell, strict=True)]
    write_csv(out / "fig2_ecs_vs_bell.csv", fig2)
    curves = {0.0: ecs} | {ed: sweep("ecs", ed, distances) for ed in MISALIGNMENTS if ed > 0}
    fig3 = []
    for i, L in enumerate(distances):
        row = {"distance_km": float(L), "plob": ecs[i]["plob"]}
        for ed, rows in curves.items():
            row[f"rate_ed_{ed:g}"] = rows[i]["rate"]
        row["S_ed_0.01"] = curves[0.01][i]["S"]
        fig3.append(row)
    write_csv(out / "fig3_misalignment.csv", fig3)

    x = np.asarray(distances)
    rate_e, rate_b, plob = (np.array([r[k] for r in fig2]) for k in ("rate_ecs", "rate_bell", "plob"))
    i400 = int(np.argmin(abs(x - 400)))
    base = LinkSetup().as_meta()
    summary = {
        "parameters": {k: base[k] for k in ("detector_efficiency", "fiber_db_per_km", "dark_count")},
        "ecs_beats_bell_km": _interval(x, rate_e > rate_b),
        "max_distance_ecs_km": _reach(ecs),
        "max_distance_bell_km": _reach(bell),
        "ecs_beats_plob_from_km": {f"{ed:g}": (_crossings(x, [r["rate"] for r in rows], plob) or [None])[0]
                                   for ed, rows in curves.items()},
        "rate_ratio_ecs_over_bell_400km_log10": math.log10(rate_e[i400] / rate_b[i400])
        if rate_e[i400] > 0 and rate_b[i400] > 0 else None,
        "rate_ecs_400km": float(rate_e[i400]),
        "rate_bell_400km": float(rate_b[i400]),
        "ideal_violation_mu_max": ideal_violation_limit(),
    }
    (out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    _plot(out, fig2, fig3, curves)
    return summary


def _plot(out: Path, fig2: list[dict], fig3: list[dict], curves: dict) -> None:
    plt = pyplot()
    if plt is None:  # pragma: no cover
        return
    x = [r["distance_km"] for r in fig2]
    mask = lambda v: [r if r > 0 else np.nan for r in v]  # noqa: E731
    fig, ax = plt.subplots(figsize=(6.4, 4.2))
    ax.semilogy(x, mask([r["rate_ecs"] for r in fig2]), color="C0", label=r"ECS scheme, optimal $\mu$ (ours)")
    ax.semilogy(x, mask([r["rate_bell"] for r in fig2]), color="C1", label="Bell-state scheme (ours)")
    ax.semilogy(x, [r["plob"] for r in fig2], "k-", lw=1, label="PLOB bound")
    ax.set_xlabel("distance L (km)")
    ax.set_ylabel("key rate (bits per trial)")
    ax.set_xlim(0, max(x))
    ax.set_ylim(1e-14, 1)
    ax2 = ax.twinx()
    ax2.plot(x, [r["mu_opt"] if r["rate_ecs"] > 0 else np.nan for r in fig2], "--", color="C0", alpha=0.6,
             label=r"optimal $\mu$ of the ECS scheme (right axis)")
    ax2.set_ylabel(r"optimal $\mu$ (mean photon number)")
    ax2.set_ylim(bottom=0)
    legend(ax, ax2, outside=True)
    ax.set_title(r"Xie et al. 2021, Fig. 2: $\beta$ = 0.2 dB/km, $\eta_d$ = 0.8, $p_d = 10^{-7}$", fontsize="medium")
    save_figure(fig, out / "fig2_ecs_vs_bell.png")

    fig, ax = plt.subplots(figsize=(6.4, 4.2))
    for ed in curves:
        ax.semilogy(x, mask([r[f"rate_ed_{ed:g}"] for r in fig3]), label=f"ECS, $e_d$ = {ed:.0%} (ours)")
    ax.semilogy(x, [r["plob"] for r in fig3], "k-", lw=1, label="PLOB bound")
    ax.set_xlabel("distance L (km)")
    ax.set_ylabel("key rate (bits per trial)")
    ax.set_xlim(0, max(x))
    ax.set_ylim(1e-12, 1)
    ax2 = ax.twinx()
    ax2.plot(x, [r["S_ed_0.01"] if r["rate_ed_0.01"] > 0 else np.nan for r in fig3], "--", color="gray",
             label=r"CHSH $S$ at $e_d$ = 1% (right axis)")
    ax2.set_ylabel(r"CHSH value $S$ ($e_d$ = 1%)")
    legend(ax, ax2, outside=True)
    ax.set_title(r"Xie et al. 2021, Fig. 3: ECS scheme with misalignment $e_d$", fontsize="medium")
    save_figure(fig, out / "fig3_misalignment.png")


__all__ = ["run", "sweep", "ideal_violation_limit"]
