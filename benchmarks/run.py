"""Benchmarks: print a table of timings (seconds). Targets are reported, never asserted.

Run: ``python benchmarks/run.py`` (or ``tox -e bench``); ``--only TEXT`` runs a subset.
Every ``bench_*.py`` beside this file registers its benchmarks; one whose layer is not
installed is skipped with a notice.
"""

from __future__ import annotations

import argparse
import importlib
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from registry import BENCHMARKS  # noqa: E402


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", help="run benchmarks whose name contains this text")
    args = parser.parse_args(argv)
    for path in sorted(HERE.glob("bench_*.py")):
        try:
            importlib.import_module(path.stem)
        except ImportError as exc:
            print(f"# {path.stem} skipped: {exc}")
    rows = []
    for name, (target, setup, repeat, warmup) in BENCHMARKS.items():
        if args.only and args.only not in name:
            continue
        fn = setup()
        if warmup:
            fn()
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
        rows.append((name, statistics.median(times), min(times), repeat, target))
    if not rows:
        print("no benchmark selected")
        return
    width = max(len(r[0]) for r in rows)
    print(f"{'benchmark':<{width}}  {'median s':>10}  {'min s':>10}  {'n':>3}  target")
    for name, med, mn, n, target in rows:
        print(f"{name:<{width}}  {med:10.4g}  {mn:10.4g}  {n:3d}  {target}")


if __name__ == "__main__":
    main()
