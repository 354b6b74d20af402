"""Parity-check matrices of irregular LDPC codes for one-way (Slepian-Wolf) reconciliation.

A code is fixed by ``(block_length N, checks m, degree distribution, seed)`` and built
deterministically (same arguments, same matrix, wherever numpy's PCG64 generator runs):

1. **Variable (column) degrees** follow an edge-perspective distribution ``lambda(x)``
   (:class:`DegreeDistribution`); node counts ``N lambda_i / i / sum_j(lambda_j / j)`` are
   rounded by largest remainders so they sum to ``N`` (:func:`column_degrees`). The default is
   the rate-0.80 BSC distribution of Elkouss, Leverrier, Alleaume, Boutros, "Efficient
   reconciliation protocol for discrete-variable QKD", ISIT 2009, arXiv:0901.2140, Table I
   (threshold p* = 0.0298; ~6 edges per column), with one change: at most ``m - 1`` columns
   have degree 2 (the surplus gets degree 3), so that they can form the staircase of step 3.
   Measured at the DIQKD design point (N = 125 000, layered BP, scratch runs while choosing):
   with the published lambda_2 (0.28 N degree-2 columns, more than the m ~ 0.18 N checks, so
   they cannot all lie on an acyclic staircase) BP converged to a wrong codeword in 4 of 180
   blocks at f = 1.10-1.15 (the one inspected: 5 degree-2 columns on a cycle); capping the
   degree-2 columns at 0.14 N or 0.12 N instead of 0.17 N (~ m - 1) raised the frame error
   rate at f = 1.10 from 7/96 to 15/96 and 21/96; leaner distributions of our own (max degree
   12-20, 4-5 edges per column) failed in >= 9 of 40 blocks at f = 1.12, against 10 of 1008
   for this one.
2. **Check (row) degrees** are concentrated on ``floor(E/m)`` and ``ceil(E/m)`` for ``E`` edges
   (Richardson, Shokrollahi, Urbanke, IEEE TIT 47, 619 (2001)).
3. **Degree-2 staircase**: degree-2 column ``j`` joins checks ``path[j]`` and ``path[j+1]`` of a
   seeded random permutation ``path`` of the checks, so the degree-2 columns form a path and no
   set of them alone is a codeword (the accumulator of IRA codes, Jin, Khandekar, McEliece,
   "Irregular repeat-accumulate codes", 2nd Int. Symp. on Turbo Codes, 2000).
4. **Socket matching**: the other column sockets are matched to a seeded random permutation of
   the remaining row sockets (the configuration model, Richardson & Urbanke, *Modern Coding
   Theory*, CUP 2008, Sec. 3.3).
5. **Repair**: a repeated entry (a column hitting a row twice) is removed by swapping the row
   ends of two edges, which keeps every row and column degree and the staircase. With
   ``girth6=True`` 4-cycles (two rows sharing two columns) are removed the same way (the edge on
   the lowest-degree shared column moves, its partner comes from a low-degree column, and after
   the first round only rows that received an edge are re-examined): a fast vectorised stand-in
   for progressive edge growth (Hu, Eleftheriou, Arnold, IEEE TIT 51, 386 (2005)), which is
   sequential and too slow in Python at N ~ 1e5. It is *off by default*: at N = 125 000 and
   f = 1.11 it takes 1.2 s instead of 0.2 s and did not change the frame error rate
   measurably (7 vs 8 failures in 480 blocks at f = 1.11, the same noise; the plain matrix has
   ~4e4 4-cycles), and with the degree-26 columns of the distribution a 4-cycle-free graph is
   out of reach of random swaps below N ~ 5e4 (the row pairs the columns use fill > 4 % of all
   row pairs). The repair gives up after :data:`MAX_REPAIR_ROUNDS` rounds (toy sizes);
   a repeat left then is merged (its column loses one degree); :func:`four_cycle_count` tells
   whether a matrix has girth >= 6.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from protocols.errors import ParameterError

#: repair rounds before the repair gives up (duplicates: ~3 rounds; 4-cycles: ~10 at N = 125 000)
MAX_REPAIR_ROUNDS = 50


@dataclass(frozen=True)
class DegreeDistribution:
    """Edge-perspective variable-degree distribution ``lambda(x) = sum_i lambda_i x^(i-1)``.

    ``edges`` holds ``(degree i, lambda_i)`` pairs, the fraction of *edges* attached to variable
    nodes of degree ``i`` (they sum to 1). The check side is not part of it: checks are
    concentrated on two consecutive degrees fixed by the number of edges and checks.
    """

    name: str
    edges: tuple[tuple[int, float], ...]
    source: str

    def __post_init__(self) -> None:
        total = sum(f for _, f in self.edges)
        if any(d < 1 or f < 0 for d, f in self.edges) or abs(total - 1.0) > 1e-4:
            raise ParameterError(f"degree distribution {self.name!r} must have degrees >= 1 and edge fractions "
                                 f">= 0 summing to 1, got {self.edges!r} (sum {total:g})")

    def node_fractions(self) -> dict[int, float]:
        """Node-perspective fractions ``L_i = (lambda_i / i) / sum_j (lambda_j / j)``."""
        w = {d: f / d for d, f in self.edges if f > 0}
        s = sum(w.values())
        return {d: v / s for d, v in sorted(w.items())}

    def mean_variable_degree(self) -> float:
        """Average column weight ``1 / sum_i (lambda_i / i)`` (edges per variable node)."""
        return 1.0 / sum(f / d for d, f in self.edges if f > 0)


#: Elkouss et al., ISIT 2009 (arXiv:0901.2140), Table I, rate 0.80 (BSC threshold p* = 0.0298)
ELKOUSS_R080 = DegreeDistribution(
    "elkouss-r0.80",
    ((2, 0.09420), (3, 0.18088), (6, 0.11972), (7, 0.08550), (8, 0.09816), (17, 0.07194), (26, 0.34960)),
    "Elkouss, Leverrier, Alleaume, Boutros, ISIT 2009, arXiv:0901.2140, Table I (rate 0.80)",
)
DEFAULT_DISTRIBUTION = ELKOUSS_R080


def column_degrees(block_length: int, checks: int, distribution: DegreeDistribution = DEFAULT_DISTRIBUTION
                   ) -> tuple[np.ndarray, np.ndarray]:
    """``(degrees, counts)``: how many of the ``block_length`` columns get each degree.

    Counts are ``block_length * L_i`` (node fractions) rounded by largest remainders, then at
    most ``checks - 1`` columns keep degree 2 (the surplus gets degree 3, see the module
    docstring) and degrees above ``checks`` are capped at ``checks`` (toy sizes only).
    """
    nf = distribution.node_fractions()
    degs = np.array(list(nf), dtype=np.int64)
    exact = np.array(list(nf.values())) * block_length
    cnt = np.floor(exact).astype(np.int64)
    order = np.argsort(-(exact - cnt), kind="stable")
    cnt[order[: block_length - int(cnt.sum())]] += 1
    if 2 in nf:
        i2 = int(np.flatnonzero(degs == 2)[0])
        surplus = max(int(cnt[i2]) - (checks - 1), 0)
        cnt[i2] -= surplus
        degs, cnt = np.append(degs, 3), np.append(cnt, surplus)
    degs = np.minimum(degs, checks)
    out_d, inv = np.unique(degs, return_inverse=True)
    out_c = np.bincount(inv, weights=cnt).astype(np.int64)
    keep = out_c > 0
    return out_d[keep], out_c[keep]


def check_degrees(edges: int, checks: int) -> np.ndarray:
    """Row weights: ``edges mod checks`` rows of ``ceil(edges/checks)``, the rest ``floor(edges/checks)``."""
    base, extra = divmod(edges, checks)
    deg = np.full(checks, base, dtype=np.int64)
    deg[:extra] += 1
    return deg


def four_cycle_count(H: sp.spmatrix) -> int:
    """Number of row pairs sharing two or more columns (0 iff the Tanner graph has girth >= 6)."""
    B = sp.csr_matrix(H, dtype=np.int32, copy=True)
    B.data[:] = 1
    S = sp.triu(B @ B.T, k=1).tocsr()
    return int(np.count_nonzero(S.data >= 2))


def _ragged_arange(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Concatenation of ``arange(s, s + l)`` for each pair (vectorised)."""
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    offs = np.repeat(np.cumsum(lengths) - lengths, lengths)
    return np.repeat(starts, lengths) + (np.arange(total) - offs)


class _Graph:
    """Edge list (row, col): columns fixed and grouped, rows swapped by the repair, except the
    ``fixed`` staircase edges, which never move."""

    def __init__(self, rows: np.ndarray, cols: np.ndarray, fixed: np.ndarray, vdeg: np.ndarray, m: int):
        self.rows, self.cols, self.fixed, self.vdeg, self.m = rows, cols, fixed, vdeg, m
        self.N = len(vdeg)
        self.cstart = np.concatenate(([0], np.cumsum(vdeg)))
        self.E = len(rows)
        self.eid = np.arange(1, self.E + 1, dtype=np.int64)

    def matrices(self) -> tuple[sp.csr_matrix, sp.csr_matrix]:
        """``(H with 0/1 entries, H with edge id + 1 as entries)``; a repeated entry's id is meaningless."""
        shape = (self.m, self.N)
        ones = sp.csr_matrix((np.ones(self.E, np.int32), (self.rows, self.cols)), shape=shape)
        ones.data[:] = 1
        ids = sp.csr_matrix((self.eid, (self.rows, self.cols)), shape=shape)
        return ones, ids

    def duplicates(self, edges: np.ndarray | None) -> np.ndarray:
        """Movable edges (among ``edges``, or all) whose (row, col) entry another edge also holds."""
        if edges is None:
            key = self.rows * self.N + self.cols
            order = np.argsort(key, kind="stable")
            ks = key[order]
            same = ks[1:] == ks[:-1]
            dup = np.union1d(order[1:][same], order[:-1][same])
        else:
            c = self.cols[edges]
            lens = self.vdeg[c]
            others = _ragged_arange(self.cstart[c], lens)
            mine = np.repeat(edges, lens)
            hit = (self.rows[others] == self.rows[mine]) & (others != mine)
            dup = np.unique(mine[hit])
        return dup[~self.fixed[dup]]

    def four_cycle_edges(self, H: sp.csr_matrix, Hid: sp.csr_matrix, check_rows: np.ndarray | None) -> np.ndarray:
        """One movable edge per row pair sharing >= 2 columns (pairs with a row in ``check_rows``,
        or all pairs): the one on the lowest-degree shared column."""
        if check_rows is None:
            S = (H @ H.T).tocsr()
            t_rows = np.arange(self.m)
        else:
            S = (H[check_rows] @ H.T).tocsr()
            t_rows = check_rows
        hit = np.flatnonzero(S.data >= 2)
        t = t_rows[np.searchsorted(S.indptr, hit, side="right") - 1].astype(np.int64)
        r = S.indices[hit].astype(np.int64)
        keep = (t > r) if check_rows is None else (t != r)
        t, r = t[keep], r[keep]
        if t.size == 0:
            return np.zeros(0, dtype=np.int64)
        pairs, ids, cols = [], [], []
        for a, b in ((t, r), (r, t)):  # the edges (a, c) for the columns c shared with row b
            P = H[b].multiply(Hid[a]).tocsr()
            pair = np.repeat(np.arange(t.size), np.diff(P.indptr))
            eid = np.asarray(P.data, dtype=np.int64) - 1
            col = P.indices.astype(np.int64)
            ok = (eid >= 0) & (eid < self.E)
            ok[ok] &= (self.cols[eid[ok]] == col[ok]) & (self.rows[eid[ok]] == a[pair[ok]])  # not a merged repeat
            ok[ok] &= ~self.fixed[eid[ok]]
            pairs.append(pair[ok]), ids.append(eid[ok]), cols.append(col[ok])
        pair, eid, col = (np.concatenate(x) for x in (pairs, ids, cols))
        order = np.lexsort((self.vdeg[col], pair))
        first = np.ones(order.size, dtype=bool)
        first[1:] = pair[order][1:] != pair[order][:-1]
        return np.unique(eid[order][first])


def _construct(block_length: int, checks: int, distribution: DegreeDistribution, seed: int,
               girth6: bool = False) -> sp.csr_matrix:
    N, m = block_length, checks
    rng = np.random.default_rng([seed, N, m])
    degs, cnt = column_degrees(N, m, distribution)
    vdeg = rng.permutation(np.repeat(degs, cnt))
    cols = np.repeat(np.arange(N, dtype=np.int64), vdeg)
    cstart = np.concatenate(([0], np.cumsum(vdeg)))
    E = int(cstart[-1])
    cdeg = check_degrees(E, m)
    rows = np.empty(E, dtype=np.int64)
    fixed = np.zeros(E, dtype=bool)
    if cdeg.min() >= 2:
        # degree-2 columns j = 0..k-1 (k <= m - 1) join checks path[j], path[j+1]: a path, so no
        # set of degree-2 columns alone is a codeword (the accumulator of IRA codes)
        two = np.flatnonzero(vdeg == 2)[: m - 1]
        path = rng.permutation(m)
        k = two.size
        rows[cstart[two]], rows[cstart[two] + 1] = path[:k], path[1 : k + 1]
        fixed[cstart[two]] = fixed[cstart[two] + 1] = True
    free = cdeg - np.bincount(rows[fixed], minlength=m)
    rows[~fixed] = rng.permutation(np.repeat(np.arange(m, dtype=np.int64), free))
    g = _Graph(rows, cols, fixed, vdeg, m)

    # partners for the swaps: movable edges of the lower-degree half of the columns (fewest new 4-cycles)
    median = np.partition(vdeg, N // 2)[N // 2]
    movable = np.flatnonzero(~fixed)
    low = movable[vdeg[cols[movable]] <= median]
    check_rows: np.ndarray | None = None
    changed: np.ndarray | None = None
    for _ in range(MAX_REPAIR_ROUNDS):
        H, Hid = g.matrices()
        bad = g.duplicates(changed)
        if girth6:
            bad = np.union1d(bad, g.four_cycle_edges(H, Hid, check_rows))
        if bad.size == 0:
            break
        pool = np.setdiff1d(low, bad, assume_unique=True)
        if pool.size < bad.size:
            pool = np.setdiff1d(movable, bad, assume_unique=True)
        if pool.size < bad.size:  # toy sizes: nothing left to swap with
            break
        partners = rng.choice(pool, size=bad.size, replace=False)
        g.rows[bad], g.rows[partners] = g.rows[partners], g.rows[bad].copy()
        changed = np.concatenate((bad, partners))
        check_rows = np.unique(g.rows[changed])
    H = sp.csr_matrix((np.ones(g.E, np.uint8), (g.rows, g.cols)), shape=(m, N))
    H.sum_duplicates()
    H.data[:] = 1  # a repeat left by a repair that did not converge counts once
    H.sort_indices()
    return H


@functools.lru_cache(maxsize=8)
def _construct_cached(block_length: int, checks: int, distribution: DegreeDistribution, seed: int,
                      girth6: bool) -> sp.csr_matrix:
    H = _construct(block_length, checks, distribution, seed, girth6)
    for a in (H.data, H.indices, H.indptr):
        a.flags.writeable = False  # shared by every caller
    return H


def construct(block_length: int, checks: int, distribution: DegreeDistribution = DEFAULT_DISTRIBUTION,
              seed: int = 0, girth6: bool = False) -> sp.csr_matrix:
    """The ``checks x block_length`` parity-check matrix (``csr_matrix``, uint8, sorted indices).

    Deterministic in the arguments and cached in-process (the cached arrays are read-only).
    ``girth6`` also removes 4-cycles (best effort, see the module docstring); timing at
    N = 125 000, m = 22 547 on one core: ~0.15 s without, ~1.3 s with.

    Raises:
        ParameterError: ``checks`` not in ``[1, block_length - 1]``.
    """
    if not (isinstance(block_length, (int, np.integer)) and isinstance(checks, (int, np.integer))
            and 1 <= checks < block_length):
        raise ParameterError(f"checks must be an integer in [1, block_length - 1], got checks={checks!r}, "
                             f"block_length={block_length!r}")
    return _construct_cached(int(block_length), int(checks), distribution, int(seed), bool(girth6))
