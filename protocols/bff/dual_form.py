"""The node SDP's dual written as an LMI in its free parameters: every iterate is an exact certificate.

The dual of the moment SDP (``certify.py``) is ``max d.lam - <F0, Z> - h.mu`` over ``Z >= 0``,
``mu >= 0`` and ``lam`` with ``A*(Z) + G^T lam - E^T mu = c``. ``A*`` sums the entries of ``Z``
over the positions of each moment, so the equalities can be solved for one entry per moment
(its *representative*): with every other lower-triangle entry ``w`` free,

    Z_rep(k) = (c_k - (G^T lam)_k + (E^T mu)_k - sum_{q in k, q != rep} mult_q Z_q) / mult_rep

(``mult`` = 1 on the diagonal, 2 off it). ``Z(v) = C0 + sum_j v_j A_j`` with ``v = (w, lam,
mu)`` is then dual feasible for *every* ``v``, and the dual is the LMI problem
``min cost.v  s.t.  Z(v) >= 0,  mu >= 0`` that ``ipm.SparseLMI`` solves. Its interior-point
iterates are exactly feasible dual points (to one rounding), so the certificate costs nothing
beyond the solver's own duality gap; the moment side (the solver's dual variable, the moment
matrix) carries the residual instead (**our construction**; the motivation, measured: the
moment-form interior point leaves a dual residual of ~1e-8 that no repair removes for less
than ~1e-6 on the nodes near the efficiency threshold, ``certify.py``).

Data rows with an interval ``[d_lo, d_hi]`` get two multipliers ``lam+ , lam- >= 0`` priced at
``d_lo`` and ``d_hi`` (the worst end, as :meth:`certify.DualPoint.value`). The norm rows are
divided by their bound ``h`` so every cost entry is O(1).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .ipm import SparseLMI
from .moment_matrix import SQRT2, MomentStructure


@dataclass
class DualLMI:
    """One node's dual as an LMI: solve ``sdp`` with ``cost`` and the sign rows ``E v <= 0``."""

    sdp: SparseLMI
    cost: np.ndarray
    E: np.ndarray
    h: np.ndarray
    n_free: int
    free_positions: np.ndarray
    lam_rows: list[tuple[int, float]]
    norm_bound: np.ndarray
    n_data: int
    svec_rows: np.ndarray
    svec_cols: np.ndarray

    def unpack(self, v: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(svec Z, lam, mu)`` of parameters ``v`` (``Z`` built exactly as the solver's slack)."""
        Z = self.sdp.F0 + self.sdp.A(v)
        r, c = self.svec_rows, self.svec_cols
        z = np.where(r == c, Z[r, c], Z[r, c] * SQRT2)
        lam = np.zeros(self.n_data)
        for j, (i, sign) in enumerate(self.lam_rows):
            lam[i] += sign * v[self.n_free + j]
        return z, lam, v[self.n_free + len(self.lam_rows):] / self.norm_bound

    def moment_value(self, X: np.ndarray) -> float:
        """The moment side's value ``<C0, X>`` (= ``c.y`` for the moments read off ``X``)."""
        return float(np.sum(self.sdp.F0 * X))


def _sym(r: int, c: int, value: float) -> tuple[list[int], list[int], list[float]]:
    return ([r], [c], [value]) if r == c else ([r, c], [c, r], [value, value])


def dual_lmi(struct: MomentStructure, G: np.ndarray, E: np.ndarray, c: np.ndarray, d_lo: np.ndarray,
             d_hi: np.ndarray, h: np.ndarray) -> DualLMI:
    """The dual of ``min c.y  s.t.  Gamma(y) >= 0,  d_lo <= G y <= d_hi,  E y <= h`` as an LMI in
    its free parameters (module docstring); ``G`` and ``E`` rows as the engine's."""
    n, L = struct.n, struct.L
    rows, cols = struct._tril
    mult = np.where(rows == cols, 1.0, 2.0)
    F = struct.Fstar.tocsr()
    owner = np.full(L, -1)
    Fc = F.tocoo()
    owner[Fc.col] = Fc.row
    rep = np.array([F.indices[F.indptr[k]] for k in range(F.shape[0])])
    is_rep = np.zeros(L, dtype=bool)
    is_rep[rep] = True
    free = np.nonzero(~is_rep)[0]
    C0 = np.zeros((n, n))
    C0[rows[rep], cols[rep]] = c / mult[rep]
    C0[cols[rep], rows[rep]] = c / mult[rep]

    def on_reps(weights: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        rr, cc, vv = [], [], []
        for k in np.nonzero(weights)[0]:
            a, b, w = _sym(rows[rep[k]], cols[rep[k]], weights[k] / mult[rep[k]])
            rr += a
            cc += b
            vv += w
        return np.array(rr, dtype=int), np.array(cc, dtype=int), np.array(vv, dtype=float)

    entries = []
    for q in free:
        rr, cc, vv = _sym(rows[q], cols[q], 1.0)
        k = owner[q]
        if k >= 0:
            a, b, w = _sym(rows[rep[k]], cols[rep[k]], -mult[q] / mult[rep[k]])
            rr, cc, vv = rr + a, cc + b, vv + w
        entries.append((np.array(rr, dtype=int), np.array(cc, dtype=int), np.array(vv, dtype=float)))
    wide = np.asarray(d_hi > d_lo)
    lam_rows: list[tuple[int, float]] = []
    for i in range(G.shape[0]):
        for sign in ((1.0, -1.0) if wide[i] else (1.0,)):
            entries.append(on_reps(-sign * G[i]))
            lam_rows.append((i, sign))
    norm_bound = np.asarray(h, dtype=float)
    for j in range(E.shape[0]):
        entries.append(on_reps(E[j] / norm_bound[j]))
    sdp = SparseLMI(n, C0, entries)
    n_free, n_lam, n_mu = len(free), len(lam_rows), E.shape[0]
    cost = np.zeros(n_free + n_lam + n_mu)
    cost[:n_free] = np.where(struct.F0[free] != 0, mult[free], 0.0)  # + <F0, Z>
    for j, (i, sign) in enumerate(lam_rows):
        cost[n_free + j] = -d_lo[i] if sign > 0 else d_hi[i]  # - (worst) d.lam
    cost[n_free + n_lam:] = 1.0  # + h.mu, with mu scaled by h
    signs = [n_free + j for j, (i, _) in enumerate(lam_rows) if wide[i]] + list(range(n_free + n_lam, len(cost)))
    E_sign = np.zeros((len(signs), len(cost)))
    E_sign[np.arange(len(signs)), signs] = -1.0
    return DualLMI(sdp, cost, E_sign, np.zeros(len(signs)), n_free, free, lam_rows, norm_bound, G.shape[0], rows, cols)
