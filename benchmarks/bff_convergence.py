"""How each platform's certified bound settles with the number of nodes m (prints a Markdown table).

    python benchmarks/bff_convergence.py [--nodes 4,6,8,12,16,24,32] [--json FILE]

For each platform's default table (``tests/corpus.py``: photonic 2x3, ion 2x3, cat 3x2; a layer
that is not installed is left out) and each m: the certified H(A|E) (bit, key input 0, no noisy
preprocessing), the certified bracket width (``certified_gap``, bit) and the seconds per bound
(engine built anew for every m). This is what ``diqkd entropy --nodes auto`` walks through; the
README quotes the table.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from protocols.bff import bff_entropy_table

# the corpus lives beside the tests; import the package first (tests/protocols is a plain folder)
sys.path.append(str(Path(__file__).resolve().parents[1] / "tests"))
from corpus import platform_cases  # noqa: E402


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--nodes", default="4,6,8,12,16,24,32", help="comma-separated node counts m")
    parser.add_argument("--json", help="also write the rows to this JSON file")
    args = parser.parse_args(argv)
    nodes = [int(m) for m in args.nodes.split(",")]
    rows = []
    print("| table | m | H(A|E) (bit) | certified_gap (bit) | seconds |")
    print("|---|---|---|---|---|")
    for case in platform_cases():
        for m in nodes:
            t0 = time.perf_counter()
            res = bff_entropy_table(case.table, key_input=case.key_input, noise=case.noise, nodes=m)
            seconds = time.perf_counter() - t0
            rows.append({"table": case.name, "nodes": m, "H_AE": res.H_AE, "certified_gap": res.certified_gap,
                         "seconds": seconds})
            print(f"| {case.name} | {m} | {res.H_AE:.7f} | {res.certified_gap:.1e} | {seconds:.1f} |", flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
