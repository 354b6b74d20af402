"""Reproduce Nadlinger et al., "Experimental quantum key distribution certified by Bell's theorem"
(Nadlinger et al. 2022, arXiv:2109.14600): the calibrated ion table (S, Q, fidelity), the error
budget (PNG + CSV) and the finite-size key rate versus n (Nadlinger et al. Fig. 4, PNG + CSV),
with the paper's numbers next to ours.

    python examples/ion_nadlinger.py [OUTPUT_FOLDER]      (default: results/ion)
"""

import json
import sys
from pathlib import Path

from diqkd.studies.ion_nadlinger import run

if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "results/ion")
    print(json.dumps(run(out), indent=2))
    print(f"figures and tables in {out}/")
