"""How the BFF engine's cost grows with the scenario and the number of nodes (prints a table).

    python benchmarks/bff_scaling.py

For each case: moment-matrix size n, number of moments m, seconds to build the engine (incl.
the recession direction, once per engine) and seconds per bound afterwards (median of 2).
"""

from __future__ import annotations

import statistics
import time

import numpy as np

from protocols import CorrelationTable
from protocols.bff import EntropyEngine


def _table(n_a: int, n_b: int) -> CorrelationTable:
    X, Z = np.array([[0, 1], [1, 0]]), np.diag([1, -1])
    rho = 0.95 * np.outer([1, 0, 0, 1], [1, 0, 0, 1]) / 2 + 0.05 * np.eye(4) / 4
    a_angles = np.linspace(0, np.pi / 2, n_a)
    b_angles = [np.pi / 4, -np.pi / 4, 0.0, np.pi / 8][:n_b]

    def proj(theta):
        O = np.sin(theta) * X + np.cos(theta) * Z
        return [(np.eye(2) + O) / 2, (np.eye(2) - O) / 2]

    P = np.array([[[[np.trace(rho @ np.kron(proj(ta)[a], proj(tb)[b])).real for b in range(2)] for a in range(2)]
                   for tb in b_angles] for ta in a_angles])
    return CorrelationTable(P)


def case(label: str, n_a: int, n_b: int, constraint: str, nodes: int) -> dict:
    t0 = time.perf_counter()
    engine = EntropyEngine(n_a, n_b, 0, constraint, nodes=nodes)
    d = engine.chsh_data(2.7) if constraint == "chsh" else engine.table_data(_table(n_a, n_b))
    engine.bound(d)
    first = time.perf_counter() - t0
    times = []
    for _ in range(2):
        t = time.perf_counter()
        engine.bound(d)
        times.append(time.perf_counter() - t)
    return {"case": label, "n": engine.struct.n, "m": len(engine.struct.variables), "first_s": first,
            "per_bound_s": statistics.median(times)}


if __name__ == "__main__":
    cases = [("CHSH 2x2, m=4", 2, 2, "chsh", 4), ("CHSH 2x2, m=8", 2, 2, "chsh", 8),
             ("CHSH 2x2, m=12", 2, 2, "chsh", 12), ("table 2x2, m=8", 2, 2, "table", 8),
             ("table 2x3, m=8", 2, 3, "table", 8), ("table 3x3, m=8", 3, 3, "table", 8)]
    print(f"{'case':<18} {'n':>4} {'m':>5} {'first s':>9} {'per bound s':>12}")
    for c in cases:
        r = case(*c)
        print(f"{r['case']:<18} {r['n']:>4} {r['m']:>5} {r['first_s']:>9.2f} {r['per_bound_s']:>12.2f}", flush=True)
