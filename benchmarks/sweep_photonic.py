"""Time a 32-point photonic key-rate sweep on 1 and on 2 local worker processes (issue 16's target).

    python benchmarks/sweep_photonic.py [--points 32] [--nodes 6] [--workers 2,1] [--fixed P,PN]

Each point is ``diqkd keyrate photonic --fiber-m L --nodes NODES --search-nodes NODES``: the
recorded optimised settings (fixed), p and p_N optimised per point through the dual, the bound
certified with NODES nodes; L runs over 0..310 m. ``--fixed P,PN``: p and p_N held fixed instead
(one certified bound per point). The disk cache is off, so every run computes every point.
Prints the seconds per run and the speed-up of each worker count over one.

Measured 2026-12-02 (2 cores, the defaults): 2353 s on 2 workers, 3319 s on 1 (1.41x); 6 nodes
certify no key on this link, so every rate is 0 (the work is that of an optimised sweep). The
README also quotes ``--fixed 0.735,0.026 --nodes 24 --points 8``.
"""

from __future__ import annotations

import argparse
import os
import time

from diqkd import sweep as S


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--points", type=int, default=32)
    parser.add_argument("--nodes", type=int, default=6)
    parser.add_argument("--workers", default="2,1", help="worker counts, in the order run")
    parser.add_argument("--fixed", help="P,PN: hold the post-selection and flip probabilities fixed")
    args = parser.parse_args(argv)
    os.environ["DIQKD_CACHE_DIR"] = "off"
    values = S.parse_values(None, f"0,310,{args.points}", float)
    argv = ["--nodes", str(args.nodes)]
    if args.fixed:
        p, pn = args.fixed.split(",")
        argv += ["--postselect", p, "--noise", pn]
    else:
        argv += ["--search-nodes", str(args.nodes)]
    flags = S.base_flags("photonic", argv, "fiber_m")
    times = {}
    for workers in (int(w) for w in args.workers.split(",")):
        t0 = time.perf_counter()
        res = S.sweep("photonic", "fiber_m", values, flags, workers=workers)
        times[workers] = time.perf_counter() - t0
        rates = [p["rate_per_round"] for p in res["points"]]
        print(f"{args.points} points, {workers} worker(s): {times[workers]:.1f} s "
              f"(rate per pulse from {rates[0]:.3e} at 0 m to {rates[-1]:.3e} at 310 m)", flush=True)
    if 1 in times:
        for workers, seconds in times.items():
            if workers != 1:
                print(f"speed-up of {workers} workers over 1: {times[1] / seconds:.2f}x")


if __name__ == "__main__":
    main()
