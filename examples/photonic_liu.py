"""Reproduce Liu et al., "High-speed device-independent quantum key distribution against
collective attacks" (Liu et al. 2022, arXiv:2110.01480): Table III (rate vs fibre length with p,
p_N re-optimised), the rate versus efficiency with the threshold marked (PNG + CSV),
and the paper's numbers next to ours.
Slow (~15 min on 2 cores).

    python examples/photonic_liu.py [OUTPUT_FOLDER]      (default: results/photonic)
"""

import json
import sys
from pathlib import Path

from diqkd.studies.photonic_liu import run

if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "results/photonic")
    print(json.dumps(run(out), indent=2))
    print(f"figures and tables in {out}/")
