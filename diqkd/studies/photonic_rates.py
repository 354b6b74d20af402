"""Photonic key rates on top of both layers: the efficiency threshold by bisection."""

from __future__ import annotations

from dataclasses import replace

from protocols.errors import ParameterError
from protocols.postselection import optimise_postselection, postselected_key_rate, postselection_engine
from qmodels.photonic import PhotonicSetup, photonic_table


def rate_at_efficiency(setup: PhotonicSetup, eta: float, postselect: float | None, noise: float | None,
                       engine) -> float:
    """Post-selected rate per round at symmetric efficiency ``eta`` (p, p_N fixed or optimised)."""
    table = photonic_table(replace(setup, eta_a=eta, eta_b=eta))
    if postselect is not None and noise is not None:
        return postselected_key_rate(table, postselect, noise, engine=engine, nodes=len(engine.t)).rate_per_round
    start = (0.9 if postselect is None else postselect, 0.1 if noise is None else noise)
    return optimise_postselection(table, nodes=len(engine.t), start=start, engine=engine).rate_per_round


def threshold_efficiency(setup: PhotonicSetup, postselect: float | None = None, noise: float | None = None,
                         nodes: int = 8, tolerance: float = 1e-3, low: float = 0.5) -> dict:
    """Lowest symmetric efficiency with a positive certified rate, by bisection on [low, 1].

    Assumes the rate grows with the efficiency (losses only add no-clicks); every evaluated point
    is reported. ``None`` if even eta = 1 gives no key.
    """
    if not 0 < tolerance < 0.5 or not 0 <= low < 1:
        raise ParameterError("need 0 < tolerance < 0.5 and 0 <= low < 1")
    engine = postselection_engine(photonic_table(setup), nodes=nodes)
    evaluations = []

    def positive(eta: float) -> bool:
        r = rate_at_efficiency(setup, eta, postselect, noise, engine)
        evaluations.append({"eta": eta, "rate_per_round": r})
        return r > 0

    lo, hi = low, 1.0
    if not positive(hi):
        return {"threshold_eta": None, "evaluations": evaluations, "reason": "no key even at eta = 1"}
    if positive(lo):
        return {"threshold_eta": lo, "evaluations": evaluations, "reason": f"key already at eta = {lo}"}
    while hi - lo > tolerance:
        mid = (lo + hi) / 2
        lo, hi = (lo, mid) if positive(mid) else (mid, hi)
    return {"threshold_eta": hi, "bracket": [lo, hi], "evaluations": evaluations}
