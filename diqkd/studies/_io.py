"""Shared helpers of the reproduction studies: CSV output, progress bars, matplotlib import."""

from __future__ import annotations

import csv
from pathlib import Path


def write_csv(path: Path, rows: list[dict]) -> None:
    """Rows of equal keys to a CSV file with a header."""
    with open(path, "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)


def progress(iterable, desc: str):
    """``tqdm`` progress bar on stderr when tqdm is installed."""
    try:
        from tqdm import tqdm

        return tqdm(iterable, desc=desc, leave=False)
    except ImportError:  # pragma: no cover
        return iterable


def pyplot():
    """``matplotlib.pyplot`` on the Agg backend, or None when matplotlib is missing."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:  # pragma: no cover
        return None
    return plt


def save_figure(fig, path: Path) -> None:
    """Lay out, write as a 150-dpi PNG, and close (frees the figure's memory)."""
    import matplotlib.pyplot as plt

    fig.tight_layout()
    fig.savefig(path, dpi=150)
    plt.close(fig)
