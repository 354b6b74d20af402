"""Dual certificates: a value that is a lower bound on the SDP whatever the solver's accuracy.

The node SDP in moment form is ``min c.x  s.t.  Gamma(x) = F0 + sum_k x_k F_k >= 0,
G x = d`` (data rows), ``E x <= alpha^2`` (norm rows: ``<Z*Z>, <ZZ*> <= alpha^2``). For any PSD
``Z``, multipliers ``lam`` and ``mu >= 0`` with ``c = F*(Z) + G^T lam - E^T mu`` exactly
(``F*(Z)_k = <F_k, Z>``), weak duality gives, for every feasible x,
``c.x >= -<Z, F0> + lam.d - alpha^2 sum(mu)``: an affine function of the data ``d`` that
lower-bounds the SDP, hence (NPA) the quantum infimum, for *all* data.

A solver returns an approximate ``Z``. We make it exact and PSD in three steps (documented in the
README, "How the entropy bound is certified"):

1. ``lam``, ``mu`` from the solver (``mu`` clipped at 0); the residual
   ``r = c - F*(Z) - G^T lam + E^T mu`` is removed by
   ``Z += sum_k r_k F_k / ||F_k||^2`` (the ``F_k`` have disjoint supports, so this is exact);
2. an optimal dual is singular, so rounding leaves the repaired ``Z`` slightly indefinite. With
   our interior-point solver (``ipm.py``) the point is moved along a recession direction ``D``
   of the dual feasible set (:func:`recession_direction`, :func:`shift_into_cone`); with
   Clarabel/SCS the engine polishes with SCS and, if needed, mixes with a strictly feasible dual
   point ``(Z_c, lam_c)`` computed once per objective, ``(1 - theta)(Z, lam) + theta (Z_c, lam_c)``;
3. what floating point leaves over is paid for rigorously (``certify``): the residual times the
   largest possible moment, and any negative eigenvalue times a bound on ``tr Gamma``, both from
   the norm bound ``||Z_a||^2 <= alpha^2``.

Anything that fails these checks raises :class:`SolverError`: never a number.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from ..errors import SolverError
from .moment_matrix import MomentStructure

SAFETY = 1e-12


@dataclass
class DualPoint:
    """An exactly feasible dual point: ``Z`` (PSD, as svec), data multipliers ``lam``, norm ``mu >= 0``."""

    z: np.ndarray
    lam: np.ndarray
    mu: np.ndarray
    min_eig: float
    penalty: float = 0.0

    def constant(self, struct: MomentStructure, alpha2: float) -> float:
        """The data-independent part ``-<Z, F0> - alpha^2 sum(mu)``."""
        return float(-struct.F0 @ self.z - alpha2 * self.mu.sum())

    def value(self, struct: MomentStructure, alpha2: float, d_lo: np.ndarray, d_hi: np.ndarray) -> float:
        """The certified bound for data in ``[d_lo, d_hi]``, minus the safety margin."""
        worst = np.minimum(self.lam * d_lo, self.lam * d_hi)
        return self.constant(struct, alpha2) + float(worst.sum()) - SAFETY


def make_exact(struct: MomentStructure, G: np.ndarray, E: np.ndarray, c: np.ndarray, z: np.ndarray,
               lam: np.ndarray, mu: np.ndarray) -> DualPoint:
    """Step 1 of the module docstring: an exactly feasible (not yet PSD-checked) dual point."""
    mu = np.maximum(np.asarray(mu, dtype=float), 0.0)
    lam = np.asarray(lam, dtype=float)
    r = c - struct.Fstar @ z - G.T @ lam + E.T @ mu
    z = z + struct.Fstar.T @ (r / struct.F_norm2)
    return DualPoint(z=z, lam=lam, mu=mu, min_eig=float(np.linalg.eigvalsh(struct.smat(z))[0]))


def trace_bound(struct: MomentStructure, alpha2: float) -> float:
    """``sum_u ||u||^2 >= tr Gamma`` for a strategy with ``||Z_a||^2 <= alpha2`` (projectors have norm 1)."""
    return float(sum(alpha2 ** len(u[2]) for u in struct.monomials))


def eigen_penalty(struct: MomentStructure, z: np.ndarray, alpha2: float) -> tuple[float, float]:
    """Upper bound on ``-<Z_-, Gamma>`` for the optimal strategy, and ``lambda_min(Z)``.

    For each eigenpair with ``lambda_j < eps`` (eps covers eigvalsh's rounding),
    ``v_j^T Gamma v_j = ||sum_u v_j(u) u psi||^2 <= (sum_u |v_j(u)| ||u||)^2`` with
    ``||u|| <= alpha^{k(u)}`` (k = number of Eve letters): never more than ``|lambda| tr``-bound
    (Cauchy-Schwarz), usually much less.
    """
    w, V = np.linalg.eigh(struct.smat(z))
    eps = 10 * struct.n * np.finfo(float).eps * max(1.0, float(np.abs(w).max()))
    norms = np.sqrt(np.array([alpha2 ** len(u[2]) for u in struct.monomials]))
    neg = w < eps
    reach = (np.abs(V[:, neg]) * norms[:, None]).sum(axis=0) ** 2
    return float(((eps - w[neg]) * reach).sum()), float(w[0])


def certificate_penalty(struct: MomentStructure, G, E, c, point: DualPoint, alpha2: float) -> float:
    """Rigorous price of a dual point's floating-point leftovers (residual and negative eigenvalues)."""
    residual = c - struct.Fstar @ point.z - G.T @ point.lam + E.T @ point.mu
    return float(np.abs(residual).sum()) * alpha2 + eigen_penalty(struct, point.z, alpha2)[0]



def shift_into_cone(point: DualPoint, direction: DualPoint) -> tuple[DualPoint, float]:
    """``point + theta direction`` with the smallest ``theta >= 0`` that makes ``Z`` PSD (Weyl).

    ``direction`` = ``(D, nu, mu_D)`` is a recession direction of the dual feasible set:
    ``D > 0`` and ``F*(D) + G^T nu - E^T mu_D = 0`` with ``mu_D >= 0``, so the sum stays exactly
    feasible for every ``theta`` and ``lambda_min(Z + theta D) >= lambda_min(Z) + theta lambda_min(D)``.
    Its cost in the bound is ``theta`` times the direction's (data-dependent) value, tiny because
    an interior-point ``Z`` is indefinite only by rounding. Returns the point and ``theta``.
    """
    if point.min_eig >= 0:
        return point, 0.0
    theta = 1.01 * (-point.min_eig) / direction.min_eig
    shifted = DualPoint(z=point.z + theta * direction.z, lam=point.lam + theta * direction.lam,
                        mu=point.mu + theta * direction.mu, min_eig=point.min_eig + theta * direction.min_eig)
    return shifted, float(theta)


def certify(struct: MomentStructure, G: np.ndarray, E: np.ndarray, c: np.ndarray, z: np.ndarray,
            lam: np.ndarray, mu: np.ndarray, interior, alpha2: float,
            value=None) -> tuple[DualPoint, float, float]:
    """An exactly feasible dual point near the solver's, and the penalty to subtract from its value.

    Returns ``(point, theta, penalty)``: ``theta`` is the mixing weight with the interior point
    (0 if not used); ``penalty >= 0`` pays for floating-point leftovers, rigorously: a residual
    ``r`` of the equalities costs ``||r||_1 alpha2`` (every moment is at most ``alpha2`` in
    modulus) and negative eigenvalues cost ``sum_j |lambda_j| (sum_u |v_j(u)| ||u||)^2``
    (:func:`eigen_penalty`, at most ``|lambda_min| trace_bound``). When that penalty is not
    negligible, the point mixed with the strictly feasible ``interior`` point (a
    :class:`DualPoint` or a function returning one) is also tried, and the better certified
    value, by ``value(point)``, is kept: both are valid.
    """
    point = make_exact(struct, G, E, c, z, lam, mu)
    if np.any(point.mu < 0) or not np.all(np.isfinite(point.z)):
        raise SolverError("dual certificate check failed (negative multiplier or non-finite entries)")
    penalty = certificate_penalty(struct, G, E, c, point, alpha2)
    best = (point, 0.0, penalty)
    if penalty > 1e-6:
        interior = interior() if callable(interior) else interior
        if interior is not None and interior.min_eig > 0:
            theta = min(1.0, 1.01 * max(0.0, -point.min_eig) / (interior.min_eig - min(point.min_eig, 0.0)))
            mixed = DualPoint(z=(1 - theta) * point.z + theta * interior.z,
                              lam=(1 - theta) * point.lam + theta * interior.lam,
                              mu=(1 - theta) * point.mu + theta * interior.mu, min_eig=0.0)
            mixed.min_eig = float(np.linalg.eigvalsh(struct.smat(mixed.z))[0])
            mixed_penalty = certificate_penalty(struct, G, E, c, mixed, alpha2)
            if value is None or value(mixed) - mixed_penalty > value(point) - penalty:
                best = (mixed, theta, mixed_penalty)
    if best[2] > 1e-2:
        raise SolverError(f"dual certificate too loose (penalty {best[2]:.3g}); the solve was too inaccurate")
    return best


def interior_dual_point(struct: MomentStructure, G: np.ndarray, E: np.ndarray, c: np.ndarray,
                        alpha2: float) -> DualPoint:
    """A strictly feasible dual point: ``max s  s.t.  Z - s I >= 0, F*(Z) + G^T lam - E^T mu = c,
    mu >= 0, tr Z + alpha^2 sum(mu) <= 10 n``, solved with Clarabel once per objective
    (independent of the data). The budget keeps its bound value moderate, so mixing costs little.

    The norm rows ``E`` make it exist: without them the primal optimum set is unbounded (Eve's
    operators are free where the key projector vanishes), and no dual point is strictly feasible.
    """
    import clarabel

    L, n, nv, nr, ne = struct.L, struct.n, len(c), G.shape[0], E.shape[0]
    eye = struct.svec(np.eye(n))
    f_eye = struct.Fstar @ eye
    # variables: w (L, our svec order), lam (nr), mu (ne), s (1); Z = smat(w) + s I
    A_eq = sp.hstack([struct.Fstar, sp.csr_matrix(G.T), sp.csr_matrix(-E.T), sp.csr_matrix(f_eye.reshape(-1, 1))])
    trace_row = np.concatenate([np.where(eye > 0, 1.0, 0.0), np.zeros(nr), np.full(ne, alpha2), [float(n)]])
    trace_row = trace_row.reshape(1, -1)
    A_mu = sp.hstack([sp.csr_matrix((ne, L + nr)), -sp.identity(ne), sp.csr_matrix((ne, 1))])
    A_psd = sp.hstack([-sp.identity(L), sp.csr_matrix((L, nr + ne + 1))]).tocsr()[struct.clarabel_order]
    A = sp.vstack([A_eq, sp.csr_matrix(trace_row), A_mu, A_psd]).tocsc()
    b = np.concatenate([c, [10.0 * n], np.zeros(ne), np.zeros(L)])
    cost = np.zeros(L + nr + ne + 1)
    cost[-1] = -1.0
    settings = clarabel.DefaultSettings()
    settings.verbose = False
    cones = [clarabel.ZeroConeT(nv), clarabel.NonnegativeConeT(1 + ne), clarabel.PSDTriangleConeT(n)]
    sol = clarabel.DefaultSolver(sp.csc_matrix((len(cost), len(cost))), cost, A, b, cones, settings).solve()
    if str(sol.status) not in ("Solved", "AlmostSolved"):
        raise SolverError(f"no strictly feasible dual point found (Clarabel status {sol.status})")
    x = np.asarray(sol.x)
    z = x[:L] + x[-1] * eye
    return make_exact(struct, G, E, c, z, lam=x[L:L + nr], mu=x[L + nr:L + nr + ne])


def recession_direction(struct: MomentStructure, G: np.ndarray, E: np.ndarray, alpha2: float,
                        data_bound: float) -> DualPoint:
    """A cheap strictly feasible dual point of the zero objective, for :func:`shift_into_cone`.

    ``max lambda_min(D)  s.t.  F*(D) + G^T nu - E^T mu = 0,  mu >= 0,
    <F0, D> + alpha2 sum(mu) + data_bound ||nu||_1 <= 1`` (Clarabel, once per engine). The budget
    bounds what moving along it can cost at any data with ``|d_k| <= data_bound``: at most 1 per
    unit step. It exists because the norm rows bound the primal feasible set.
    """
    import clarabel

    L, n, nv, nr, ne = struct.L, struct.n, struct.Fstar.shape[0], G.shape[0], E.shape[0]
    eye = struct.svec(np.eye(n))
    f_eye = struct.Fstar @ eye
    # variables: w (L), nu+ (nr), nu- (nr), mu (ne), s (1); D = smat(w) + s I
    A_eq = sp.hstack([struct.Fstar, sp.csr_matrix(G.T), sp.csr_matrix(-G.T), sp.csr_matrix(-E.T),
                      sp.csr_matrix(f_eye.reshape(-1, 1))])
    f0_eye = float(struct.F0 @ eye)
    budget = np.concatenate([struct.F0, np.full(2 * nr, data_bound), np.full(ne, alpha2), [f0_eye]]).reshape(1, -1)
    A_nonneg = sp.hstack([sp.csr_matrix((2 * nr + ne, L)), -sp.identity(2 * nr + ne), sp.csr_matrix((2 * nr + ne, 1))])
    A_psd = sp.hstack([-sp.identity(L), sp.csr_matrix((L, 2 * nr + ne + 1))]).tocsr()[struct.clarabel_order]
    A = sp.vstack([A_eq, sp.csr_matrix(budget), A_nonneg, A_psd]).tocsc()
    b = np.concatenate([np.zeros(nv), [1.0], np.zeros(2 * nr + ne), np.zeros(L)])
    cost = np.zeros(L + 2 * nr + ne + 1)
    cost[-1] = -1.0
    settings = clarabel.DefaultSettings()
    settings.verbose = False
    cones = [clarabel.ZeroConeT(nv), clarabel.NonnegativeConeT(1 + 2 * nr + ne), clarabel.PSDTriangleConeT(n)]
    sol = clarabel.DefaultSolver(sp.csc_matrix((len(cost), len(cost))), cost, A, b, cones, settings).solve()
    if str(sol.status) not in ("Solved", "AlmostSolved"):
        raise SolverError(f"no recession direction of the dual found (Clarabel status {sol.status})")
    x = np.asarray(sol.x)
    z = x[:L] + x[-1] * eye
    nu = x[L:L + nr] - x[L + nr:L + 2 * nr]
    return make_exact(struct, G, E, np.zeros(nv), z, lam=nu, mu=x[L + 2 * nr:L + 2 * nr + ne])

