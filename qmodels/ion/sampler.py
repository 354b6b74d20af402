"""Finite-statistics sampling of the ion link: counts from the exact table with a seeded RNG."""

from __future__ import annotations

import numpy as np

from protocols import CorrelationTable
from protocols.table import require_table
from protocols.validate import MAX_COUNT, integer


def sample_counts(table: CorrelationTable, shots_per_setting: int, seed: int) -> np.ndarray:
    """Counts ``N[x, y, a, b]``: ``shots_per_setting`` heralded rounds for each setting pair.

    Each block is one multinomial draw from ``P(., .|x, y)`` with ``numpy.random.default_rng(seed)``;
    the same seed gives the same counts.
    """
    shots_per_setting = integer("shots_per_setting", shots_per_setting, 1, MAX_COUNT // 64,
                                reason="the table's total count must stay below 2**53")
    seed = integer("seed", seed, 0)
    rng = np.random.default_rng(seed)
    X, Y, A, B = require_table(table).shape
    counts = np.empty((X, Y, A, B), dtype=np.int64)
    for x in range(X):
        for y in range(Y):
            p = table.block(x, y).ravel()
            counts[x, y] = rng.multinomial(int(shots_per_setting), p / p.sum()).reshape(A, B)
    return counts


def sampled_table(table: CorrelationTable, shots_per_setting: int, seed: int) -> CorrelationTable:
    """A table of frequencies (with its counts) from :func:`sample_counts`."""
    counts = sample_counts(table, shots_per_setting, seed)
    return CorrelationTable.from_counts(
        counts, x_labels=table.x_labels, y_labels=table.y_labels, a_labels=table.a_labels,
        b_labels=table.b_labels, herald_probability=table.herald_probability,
        rounds_per_second=table.rounds_per_second,
        meta={**table.meta, "sampled": {"shots_per_setting": int(shots_per_setting), "seed": seed}},
    )
