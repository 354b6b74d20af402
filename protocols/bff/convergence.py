"""Converged BFF values on demand: raise the number of nodes m until the bound stops moving.

Every m gives a valid lower bound on H(A|E) (BFF arXiv:2106.13692, Thm. 2.3: the Gauss-Radau
rule with m nodes under-estimates the integral for every m), but the bound is not monotone in m
(measured: the ion, photonic and cat tables are 3e-6 to 2.6e-5 bit lower at m = 16 than at
m = 8). So the rule here (**ours**) is: walk up a ladder of node counts, stop when two successive
certified bounds differ by less than the tolerance, and return the *largest* bound met on the way,
with the whole sequence so the reader sees how the value settled.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import replace

from ..errors import ParameterError
from .quadrature import MAX_NODES
from .result import BFFResult

#: node counts tried by ``nodes="auto"``, in order (each ~1.5x the one before)
NODE_LADDER = (4, 6, 8, 12, 16, 24, 32, 48)
#: below this (bit) two bounds are not distinguishable: the certified brackets at m = 16 are
#: up to ~6e-5 bit wide on the corpus tables near the boundary (``benchmarks/bff_tightness.py``)
MIN_TOLERANCE = 1e-6


def check_tolerance(tolerance: float) -> float:
    """A tolerance in bits: finite, at least :data:`MIN_TOLERANCE`, below 1."""
    try:
        tol = float(tolerance)
    except (TypeError, ValueError):
        raise ParameterError(f"tolerance must be a number of bits, got {tolerance!r}") from None
    if not math.isfinite(tol) or not MIN_TOLERANCE <= tol < 1.0:
        raise ParameterError(f"tolerance must be in [{MIN_TOLERANCE:g}, 1) bit (differences below ~1e-6 bit are "
                             f"within the certificates' own accuracy), got {tolerance!r}")
    return tol


def converge_in_nodes(bound: Callable[[int], BFFResult], tolerance: float, max_nodes: int = 32,
                      ladder: tuple[int, ...] = NODE_LADDER, report: Callable[[str], None] | None = None) -> BFFResult:
    """The largest certified bound over m = ``ladder`` (up to ``max_nodes``), stopping once two
    successive bounds differ by less than ``tolerance`` bit.

    ``bound(m)`` computes the certified bound with m nodes. The returned result is the best one,
    with ``details["nodes_auto"]`` = ``{"tolerance", "converged", "nodes"`` (the m of the best
    bound) ``, "sequence"}``; each
    sequence entry holds m, H_AE (bit), certified_gap (bit) and the seconds it took.
    ``converged`` is false when ``max_nodes`` was reached first (the best bound is still valid).
    ``report``: called with one line per m (the CLI prints it on stderr).
    """
    tol = check_tolerance(tolerance)
    if not isinstance(max_nodes, int) or not ladder[0] < max_nodes <= MAX_NODES:
        raise ParameterError(f"max_nodes must be an integer in ({ladder[0]}, {MAX_NODES}], got {max_nodes!r}")
    steps = [m for m in ladder if m <= max_nodes]
    sequence: list[dict] = []
    best: BFFResult | None = None
    best_m, converged = 0, False
    for m in steps:
        t0 = time.perf_counter()
        result = bound(m)
        seconds = time.perf_counter() - t0
        sequence.append({"nodes": m, "H_AE": result.H_AE, "certified_gap": result.certified_gap,
                         "seconds": seconds})
        if report is not None:
            report(f"m = {m:2d}: H(A|E) >= {result.H_AE:.7f} bit (bracket {result.certified_gap:.1e} bit, "
                   f"{seconds:.1f} s)")
        if best is None or result.H_AE > best.H_AE:
            best, best_m = result, m
        if len(sequence) >= 2 and abs(sequence[-1]["H_AE"] - sequence[-2]["H_AE"]) < tol:
            converged = True
            break
        if result.H_AE == 0.0 and "reason" in result.details:  # no solve at all (local table, S <= 2)
            converged = True
            break
    assert best is not None
    auto = {"tolerance": tol, "converged": converged, "nodes": best_m, "sequence": sequence}
    return replace(best, details={**best.details, "nodes_auto": auto})
