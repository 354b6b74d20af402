"""Shared helpers of the reproduction studies: CSV output, progress bars, matplotlib import,
legends and figure output."""

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
    """A progress bar on stderr when wanted (:func:`protocols.progress.progress`: a terminal, or
    ``DIQKD_PROGRESS=1``; never with ``--quiet``)."""
    from protocols.progress import progress as bar

    return bar(iterable, desc)


def pyplot():
    """``matplotlib.pyplot`` on the Agg backend, or None when matplotlib is missing."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:  # pragma: no cover
        return None
    return plt


def legend(*axes, outside: bool = False, **kwargs):
    """One legend holding every labelled line of ``axes`` (e.g. an axis and its ``twinx``), in
    small type. ``outside=True`` puts it below the first axis, clear of the curves
    (``save_figure`` crops to fit); otherwise matplotlib picks the least crowded place."""
    handles, labels = [], []
    for ax in axes:
        h, lab = ax.get_legend_handles_labels()
        handles += h
        labels += lab
    kwargs.setdefault("fontsize", "small")
    if outside:
        kwargs.setdefault("loc", "upper center")
        kwargs.setdefault("bbox_to_anchor", (0.5, -0.18))
        kwargs.setdefault("ncol", 2)
        kwargs.setdefault("frameon", False)
    else:
        kwargs.setdefault("loc", "best")
        kwargs.setdefault("framealpha", 0.9)
    return axes[0].legend(handles, labels, **kwargs)


def save_figure(fig, path: Path) -> None:
    """Lay out, write as a 150-dpi PNG cropped to its content (legends placed outside the axes
    included), and close (frees the figure's memory)."""
    import matplotlib.pyplot as plt

    fig.tight_layout()
    fig.savefig(path, dpi=150, bbox_inches="tight", pad_inches=0.05)
    plt.close(fig)
