"""The three platforms compared: secret key per channel use and per second versus distance.

Photonic pairs (Liu et al. 2022, arXiv:2110.01480), trapped ions (Nadlinger et al. 2022,
arXiv:2109.14600) and entangled coherent states (Xie et al. 2021, Opt. Lett. 46, 1632), each with
its own protocol and clock, the PLOB bound of the fibre, and the finite-size key after one day for
the CHSH-tested links. The assumptions are in summary.json and diqkd/studies/comparison.py.

    python examples/platform_comparison.py [OUTPUT_FOLDER] [--fast]   (default: results/comparison)
"""

import json
import sys
from pathlib import Path

from diqkd.studies.comparison import run

if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--fast"]
    out = Path(args[0] if args else "results/comparison")
    summary = run(out, fast="--fast" in sys.argv[1:])
    print(json.dumps({k: summary[k] for k in ("reach_km", "reach_one_day_km", "beats_plob_km")}, indent=2))
    print(f"figure and table in {out}/")
