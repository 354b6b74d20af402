"""Photonic key rates on top of both layers: the fully optimised link and the efficiency threshold.

Searches (p, p_N and the settings) run with ``search_nodes`` Gauss-Radau nodes; the reported
rate is then certified again with ``nodes``. Every BFF bound is valid for any number of nodes and
more nodes only tighten it, so the search may use a coarse bound and the result stays a
certified lower bound (only the choice of p, p_N and settings may be slightly off-optimal).
"""

from __future__ import annotations

import math
from dataclasses import replace

from protocols.errors import ParameterError
from protocols.optimise import optimise_settings
from protocols.postselection import optimise_postselection, postselected_key_rate, postselection_engine
from protocols.progress import progress
from protocols.validate import real
from qmodels.photonic import PhotonicSetup, photonic_table


def optimise_link(setup: PhotonicSetup, nodes: int = 24, search_nodes: int = 16,
                  start: tuple[float, float] = (0.96, 0.13), settings: bool = True, rounds: int = 1,
                  search_engine=None, max_evaluations: int = 20, steps: tuple[float, float] = (-0.1, -0.05),
                  backend: str = "qutip", cutoff: int | None = None) -> dict:
    """Optimise ``p, p_N`` and (if ``settings``) the state and plate angles, then certify.

    Each round: a minorise-maximise ascent of the settings through the dual at fixed ``p, p_N``
    (:func:`protocols.optimise.optimise_settings`), then Nelder-Mead on ``p, p_N`` at fixed
    settings (``max_evaluations`` solves from the simplex with ``steps``, see
    :func:`protocols.postselection.optimise_postselection`). Returns the certified rate
    (``nodes``), the chosen ``p, p_N``, the optimised setup and the search's own (coarser) rates.
    """
    if rounds < 1 or search_nodes < 2 or nodes < 2:
        raise ParameterError("need rounds >= 1 and at least 2 nodes for the search and the certificate")

    def table_of(link: PhotonicSetup):
        return photonic_table(link, backend=backend, cutoff=cutoff)

    search = search_engine or postselection_engine(table_of(setup), nodes=search_nodes, warm_start=True)
    p, pn = start
    history = []
    for _ in progress(range(rounds), "photonic optimisation: rounds", unit="round"):
        if settings:
            found = optimise_settings(lambda v, link=setup: table_of(link.with_settings(v)),
                                      setup.settings_vector(), p, pn, nodes=search_nodes, engine=search)
            setup = setup.with_settings(found.settings)
            history += found.history
        searched = optimise_postselection(table_of(setup), nodes=search_nodes, start=(p, pn), engine=search,
                                          max_evaluations=max_evaluations, steps=steps)
        p, pn = searched.postselect, searched.noise
        history.append(searched.rate_per_round)
    final = postselected_key_rate(table_of(setup), p, pn, nodes=nodes)
    return {"rate": final, "setup": setup, "postselect": p, "noise": pn, "search_rate": searched.rate_per_round,
            "search_history": history}


def rate_at_efficiency(setup: PhotonicSetup, eta: float, postselect: float | None, noise: float | None,
                       engine) -> float:
    """Post-selected rate per round at symmetric efficiency ``eta`` (p, p_N fixed or optimised)."""
    table = photonic_table(replace(setup, eta_a=eta, eta_b=eta))
    if postselect is not None and noise is not None:
        return postselected_key_rate(table, postselect, noise, engine=engine, nodes=len(engine.t)).rate_per_round
    start = (0.9 if postselect is None else postselect, 0.1 if noise is None else noise)
    return optimise_postselection(table, nodes=len(engine.t), start=start, engine=engine).rate_per_round


#: narrowest bisection bracket accepted by :func:`threshold_efficiency`
MIN_TOLERANCE = 1e-6


def threshold_efficiency(setup: PhotonicSetup, postselect: float | None = None, noise: float | None = None,
                         nodes: int = 8, tolerance: float = 1e-3, low: float = 0.5) -> dict:
    """Lowest symmetric efficiency with a positive certified rate, by bisection on [low, 1].

    Assumes the rate grows with the efficiency (losses only add no-clicks); every evaluated point
    is reported. ``None`` if even eta = 1 gives no key.
    """
    tolerance = real("tolerance", tolerance, MIN_TOLERANCE, 0.5, high_open=True,
                     unit=f"bisection width on eta; below {MIN_TOLERANCE:g} each halving costs a BFF bound "
                          "and gains nothing on a bound certified to ~1e-6")
    low = real("low", low, 0.0, 1.0, high_open=True)
    engine = postselection_engine(photonic_table(setup), nodes=nodes, warm_start=True)
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
    halvings = math.ceil(math.log2((hi - lo) / tolerance)) if hi - lo > tolerance else 0
    for _ in progress(range(halvings), "threshold: bisection on eta", unit="bound"):
        mid = (lo + hi) / 2
        lo, hi = (lo, mid) if positive(mid) else (mid, hi)
    return {"threshold_eta": hi, "bracket": [lo, hi], "evaluations": evaluations}
