"""Tightness of the certified BFF bound on the corpus (``tests/corpus.py``): prints a table.

    python benchmarks/bff_tightness.py [--nodes 8,16] [--only TEXT] [--independent] [--clarabel] [--json FILE]

Per table and node count m: the certified H(A|E) (bits); ``certified_gap``, the sum over nodes
of w/(t ln 2) x (primal - certified), where ``primal`` is the value of a moment matrix our
interior point found feasible: the relaxation's exact value lies in [certified, primal] at every
node, so this is how far the certified bound can be from the relaxation (target <= 1e-6; <= 1e-5
on the near-boundary tables); the largest single-node width; the seconds per bound (engine built;
one-off set-ups included); how many SDP nodes ended with the interior point's status ``Solved``
(``Solved``) and how many nodes' weighted brackets exceed their share of the bracket budget
(``over``, ``routes.NodeRoutes.node_budget``; the JSON rows also carry ``max_share_ratio``, the
largest ratio of a node's weighted bracket to its share); how many nodes' upper end is a
solver's value that no check found feasible (``unver``, ``NodeReport.primal_verified``: there the
bracket is an estimate); the solver statuses and certificate routes.

``--independent``: an upper bound on the *unreduced* relaxation (no monomial dropped), from a
moment matrix of the unreduced SDP that our moment-form interior point found feasible, and
``independent - ours`` (>= 0 by weak duality; target <= 1e-5): since ours <= reduced relaxation
<= unreduced relaxation <= independent, it bounds how far ours is from the unreduced relaxation.
``--clarabel``: also Clarabel's primal at tight tolerance on the unreduced SDP (uncertified;
measured 1e-5-3e-5 above the bracket, so not a reference at this accuracy; ~5 s a node).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

import numpy as np

from protocols.bff import EntropyEngine
from protocols.errors import SolverError

# the corpus lives beside the tests; import the package first (tests/protocols is a plain folder)
sys.path.append(str(Path(__file__).resolve().parents[1] / "tests"))
from corpus import corpus  # noqa: E402

LN2 = math.log(2.0)
INDEPENDENT = {"tol_gap_abs": 1e-10, "tol_gap_rel": 1e-10, "tol_feas": 1e-10, "max_iter": 400}


def _engine(case, m: int, **kwargs) -> EntropyEngine:
    X, Y, _, _ = case.table.shape
    return EntropyEngine(X, Y, case.key_input, "table", m, case.noise, **kwargs)


def clarabel_value(case, m: int) -> float:
    """Sum over nodes of w/(t ln 2)(1 + Clarabel's primal), unreduced structure (uncertified)."""
    eng = _engine(case, m, solver="clarabel", reduce=False, solver_settings=INDEPENDENT)
    d = eng.table_data(case.table)
    total = 0.0
    for i in eng.node_indices:
        _, primal, _, _ = eng._solve_clarabel(i, d)
        total += eng.w[i] / (eng.t[i] * LN2) * (1.0 + primal)
    return total + eng.w[-1] / LN2 * eng.last_node_value()


def independent_upper(case, m: int) -> float:
    """An upper bound on the unreduced relaxation: per node the least value of a moment matrix of
    the unreduced SDP that our moment-form interior point found feasible (``primal_value``)."""
    eng = _engine(case, m, reduce=False)
    d = eng.table_data(case.table)
    slack = np.broadcast_to(np.asarray(case.slack, dtype=float), d.shape)
    d_lo, d_hi = d - slack, d + slack
    total = 0.0
    for i in eng.node_indices:
        values = []
        for rescaled in (False, True):  # the same SDP at two scales (``EntropyEngine.eve_scale``)
            c, norm2 = eng.node_cost(i, rescaled), eng.node_norm2(i, rescaled)
            try:
                res = eng._solve_ipm(i, d, True, d_lo, d_hi, rescaled)
            except SolverError:
                continue
            value = eng.least_primal_value(i, (it.y for it in res.trail), c, d_lo, d_hi, norm2)
            values += [] if value is None else [value]
        if not values:
            return math.nan
        total += eng.w[i] / (eng.t[i] * LN2) * (1.0 + min(values))
    return total + eng.w[-1] / LN2 * eng.last_node_value()


def measure(case, m: int, independent: bool, clarabel: bool = False) -> dict:
    eng = _engine(case, m)
    start = time.perf_counter()
    res = eng.bound(eng.table_data(case.table), case.slack)
    seconds = time.perf_counter() - start
    costs = [n.weight / (n.t * LN2) * (n.gap or 0.0) for n in res.nodes]
    shares = [eng.node_budget(i) for i in eng.node_indices]
    pairs = list(zip(costs, shares, strict=True))
    row = {"table": case.name, "family": case.family, "m": m, "H_AE": res.H_AE, "certified_gap": res.certified_gap,
           "max_node_gap": max(costs, default=0.0), "seconds": seconds,
           "nodes_solved": sum(":Solved" in n.status for n in res.nodes), "nodes": len(res.nodes),
           "unverified_nodes": res.unverified_nodes,
           "nodes_over_share": sum(cost > share for cost, share in pairs),
           "max_share_ratio": max((cost / share for cost, share in pairs), default=0.0),
           "statuses": sorted({n.status for n in res.nodes}), "routes": sorted({n.route for n in res.nodes})}
    if independent:
        row["independent_upper"] = independent_upper(case, m)
        row["independent_minus_ours"] = row["independent_upper"] - res.H_AE
    if clarabel:
        row["clarabel"] = clarabel_value(case, m)
        row["clarabel_minus_ours"] = row["clarabel"] - res.H_AE
    return row


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--nodes", default="8,16", help="comma-separated node counts m (default 8,16)")
    parser.add_argument("--only", help="run tables whose name contains this text (several: comma-separated)")
    parser.add_argument("--independent", action="store_true",
                        help="also an upper bound on the unreduced relaxation (a feasible moment matrix)")
    parser.add_argument("--clarabel", action="store_true", help="also Clarabel's uncertified primal, unreduced (slow)")
    parser.add_argument("--json", help="write the rows to this JSON file")
    args = parser.parse_args(argv)
    nodes = [int(v) for v in args.nodes.split(",")]
    rows = []
    head = (f"{'table':42s} {'m':>3s} {'H_AE (bit)':>11s} {'cert_gap':>9s} {'max node':>9s} {'s':>6s} "
            f"{'Solved':>6s} {'over':>4s} {'unver':>5s}")
    print(head + ("  indep-ours" if args.independent else "") + ("  clarabel-ours" if args.clarabel else "")
          + "  statuses / certificates", flush=True)
    for case in corpus():
        if args.only and not any(part in case.name for part in args.only.split(",")):
            continue
        for m in nodes:
            row = measure(case, m, args.independent, args.clarabel)
            rows.append(row)
            extra = f"  {row['independent_minus_ours']:+10.2e}" if args.independent else ""
            extra += f"  {row['clarabel_minus_ours']:+12.2e}" if args.clarabel else ""
            print(f"{case.name:42s} {m:3d} {row['H_AE']:11.7f} {row['certified_gap']:9.2e} {row['max_node_gap']:9.2e} "
                  f"{row['seconds']:6.1f} {row['nodes_solved']:3d}/{row['nodes']:<2d} {row['nodes_over_share']:4d}"
                  f" {row['unverified_nodes']:5d}{extra}  {','.join(row['statuses'])} / {','.join(row['routes'])}",
                  flush=True)
    worst = max(rows, key=lambda r: r["certified_gap"], default=None)
    if worst:
        print(f"largest certified_gap: {worst['certified_gap']:.2e} ({worst['table']}, m={worst['m']}); "
              f"target 1e-6 (1e-5 near the boundary)")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1, default=lambda o: np.asarray(o).tolist()))


if __name__ == "__main__":
    main()
