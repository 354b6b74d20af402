"""Dual certificates: a value that is a lower bound on the SDP whatever the solver's accuracy.

The node SDP in moment form is ``min c.x  s.t.  Gamma(x) = F0 + sum_k x_k F_k >= 0,
G x = d`` (data rows), ``E x <= alpha^2`` (norm rows: ``<Z*Z>, <ZZ*> <= alpha^2``). For any PSD
``Z``, multipliers ``lam`` and ``mu >= 0`` with ``c = F*(Z) + G^T lam - E^T mu`` exactly
(``F*(Z)_k = <F_k, Z>``), weak duality gives, for every feasible x,
``c.x >= -<Z, F0> + lam.d - alpha^2 sum(mu)``: an affine function of the data ``d`` that
lower-bounds the SDP, hence (NPA) the quantum infimum, for *all* data.

A solver returns an approximate ``Z``. We make it exact and PSD in three steps (documented in the
README, "How the entropy bound is certified"):

1. the residual ``r = c - F*(Z) - G^T lam + E^T mu`` is removed exactly. With our interior-point
   solver (``ipm.py``) by the correction that is smallest in the metric of ``Z`` itself
   (:func:`scaled_repair`: ``dZ = Z^1/2 X Z^1/2`` with ``||X||_F`` least, ``dmu = mu xi``), which
   keeps ``Z`` positive semidefinite whenever ``||X|| < 1``: an interior-point ``Z`` has
   eigenvalues down to ~1e-12, far below any plain least-norm correction of a residual of
   ~1e-8 (that correction was the whole certification loss near the efficiency threshold,
   up to 0.02 bit; measured). Where the residual points out of the face of ``Z`` the exact
   correction needs ``||X|| >> 1``; damped (Tikhonov) versions of it, :func:`scaled_repairs`,
   keep ``X`` small and leave a residual of the iterate's own size (measured: one node went from
   a loss of 1e-3 bit to 8e-8). Then, and for the other solvers, the remaining residual is
   removed by ``Z += sum_k r_k F_k / ||F_k||^2`` (the ``F_k`` have disjoint supports, so this
   is exact) (:func:`make_exact`);
2. what is left indefinite is either moved along a recession direction ``D`` of the dual
   feasible set (:func:`recession_direction`, :func:`shift_into_cone`), or mixed with an earlier,
   more central interior-point iterate, or (Clarabel/SCS) polished with SCS and mixed with a
   strictly feasible dual point ``(Z_c, lam_c)`` computed once per objective; every candidate is
   a valid bound and the best certified value is kept (:func:`best_certificate`);
3. what floating point leaves over is paid for rigorously (:func:`certificate_penalty`): the
   residual of the dual equations, evaluated in extended precision, times each moment's own bound
   (:func:`residual_price`), and ``Z``'s indefiniteness against any moment matrix of operators
   with ``||Z_a||^2 <= alpha^2`` (:func:`eigen_penalty`: the negative computed eigenvalues and the
   eigendecomposition's residual, bounded in extended precision).

Anything that fails these checks raises :class:`SolverError`: never a number.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import scipy.linalg as la
import scipy.sparse as sp

from ..errors import SolverError
from .moment_matrix import MomentStructure

SAFETY = 1e-12
#: a certificate penalty below this (bits per node, before the node's weight <= 4) is not worth a
#: further candidate (each costs a least-squares repair, ~0.2 s for a 2x3 table); the rounding of
#: the eigendecomposition alone costs ~1e-9-1e-8 at the small-t nodes (``eigen_penalty``)
GOOD_ENOUGH = 1e-8
SQRT2 = math.sqrt(2.0)
#: a dual residual below this (relative to the cost) is rounding: :func:`scaled_repairs` leaves it to
#: :func:`make_exact` (whose shift of ``Z`` by as much is priced by :func:`eigen_penalty`)
REPAIRED = 1e-12


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


#: damping of :func:`scaled_repairs`, relative to the largest singular value: 0 is the exact
#: least-norm repair; larger values leave more of the residual to :func:`make_exact`
DAMPING = (0.0, 1e-9, 1e-8, 1e-7, 1e-6, 1e-4)


def scaled_repairs(sdp, G: np.ndarray, E: np.ndarray, c: np.ndarray, Z: np.ndarray, lam: np.ndarray,
                   mu: np.ndarray, damping=DAMPING,
                   in_cone: bool = False) -> list[tuple[np.ndarray, np.ndarray, np.ndarray, float]]:
    """Remove the dual residual ``r = c - A*(Z) - G^T lam + E^T mu`` by corrections small in the
    metric of the point itself (**our construction**, the dual-side analogue of the HKM scaling;
    ``sdp`` is an ``ipm.MomentSDP``), one per damping value.

    With ``Z = Q diag(w) Q^T`` and ``Z^1/2 = Q diag(sqrt w)``, the correction is
    ``dZ = Z^1/2 X Z^1/2``, ``dmu = mu * xi`` and a free ``dlam``, with ``x = (X, xi, dlam)``
    solving the (underdetermined) linear equations ``K x = r``, ``K x = A*(dZ) + G^T dlam - E^T dmu``.
    Damping ``rho`` gives the Tikhonov solution ``x = sum_j s_j / (s_j^2 + (rho s_1)^2) (u_j . r) v_j``
    from the SVD ``K = sum_j s_j u_j v_j^T`` (LAPACK gesdd; ``rho = 0``: the least-norm solution,
    singular values below ``s_1 n eps`` dropped); the exact repair alone (``damping = (0,)``) is the
    least-norm solution by the normal equations in Gram form (:func:`_gram_repair`), else by the
    pivoted QR of ``K^T`` (:func:`least_norm_solution`'s second route). ``Z + dZ = Z^1/2 (1 + X) Z^1/2`` is PSD whenever
    ``||X||_2 <= 1`` and ``mu + dmu >= 0`` whenever ``|xi| <= 1``; where the exact repair needs a
    large ``X`` (the residual points out of the face of ``Z``, measured on some nodes), damping
    keeps ``X`` small and leaves a residual of the order of the iterate's own, which
    :func:`make_exact` removes at a rigorously priced cost. Returns, per damping value, the new
    ``(Z, lam, mu)`` (exact only for ``rho = 0``) and ``max(||X||_2, max|xi|)``; with ``in_cone``
    (the exact repair alone), where its ``X`` has an eigenvalue below -1, also a second exact
    repair with ``X`` moved toward ``X >= -1`` (:func:`_into_cone`).
    """
    n = sdp.n
    r = c - sdp.A_adj(Z) - G.T @ lam + E.T @ mu
    if np.abs(r).max() <= REPAIRED * (1.0 + np.abs(c).max()):  # already repaired (``symmetry.py``)
        return [(Z, lam, mu, 0.0) for _ in damping]
    root = sdp.psd_root(Z)
    iu, ju = np.triu_indices(n)
    if len(sdp.blocks) > 1:  # a block-diagonal root: only the blocks' coordinates move anything
        inside = np.zeros((n, n), dtype=bool)
        for b in sdp.blocks:
            inside[b, b] = True
        keep = inside[iu, ju]
        iu, ju = iu[keep], ju[keep]
    built: list[np.ndarray] = []

    def lhs() -> np.ndarray:  # the equations' matrix, formed only where a dense route needs it
        if not built:
            K = sdp.congruences(root)  # (Z^1/2)^T F_k Z^1/2, symmetric
            cols = K[:, iu, ju] * np.where(iu == ju, 1.0, SQRT2)  # coordinates x_ij = sqrt2 X_ij (i < j)
            built.append(np.hstack([cols, G.T, -E.T * mu]) if len(mu) else np.hstack([cols, G.T]))
        return built[0]

    factors = None
    exact_only = tuple(damping) == (0.0,)
    if exact_only:  # the exact repair alone: the normal equations in Gram form, else a QR factorisation
        x = _gram_repair(sdp, root, G, E, mu, r, iu, ju)
        if x is None:
            x, factors = _pivoted_qr_solution(lhs(), r)
        solutions = [x]
    else:
        A = lhs()
        try:
            U, sv, Vt = la.svd(A, full_matrices=False, lapack_driver="gesdd", check_finite=False)
        except la.LinAlgError:  # gesdd rarely fails to converge; gesvd is slower and sturdier
            U, sv, Vt = la.svd(A, full_matrices=False, lapack_driver="gesvd", check_finite=False)
        Ur = U.T @ r
        exact = np.where(sv > sv[0] * max(A.shape) * np.finfo(float).eps, 1.0 / np.maximum(sv, 1e-300), 0.0)
        solutions = [Vt.T @ ((exact if rho == 0.0 else sv / (sv**2 + (rho * sv[0]) ** 2)) * Ur) for rho in damping]
    if in_cone and exact_only and np.linalg.eigvalsh(_unpack(x, n, iu, ju))[0] < -1.0 + INTO_CONE_MARGIN:
        inside = _into_cone(lhs(), x, n, iu, ju, factors)
        if inside is not None:
            solutions.append(inside)
    out = []
    for x in solutions:
        X = _unpack(x, n, iu, ju)
        xi = x[len(iu) + len(lam):]
        dZ = root @ X @ root.T
        size = max(float(np.abs(np.linalg.eigvalsh(X)).max()), float(np.abs(xi).max(initial=0.0)))
        out.append((Z + (dZ + dZ.T) / 2.0, lam + x[len(iu):len(iu) + len(lam)], mu * (1.0 + xi), size))
    return out


def _unpack(x: np.ndarray, n: int, iu: np.ndarray, ju: np.ndarray) -> np.ndarray:
    """The symmetric ``X`` from the first ``len(iu)`` coordinates of ``x`` (``x_ij = sqrt2 X_ij``, i < j)."""
    X = np.zeros((n, n))
    X[iu, ju] = x[:len(iu)] / np.where(iu == ju, 1.0, SQRT2)
    return X + np.triu(X, 1).T


def _pack(X: np.ndarray, iu: np.ndarray, ju: np.ndarray) -> np.ndarray:
    """``x_ij = sqrt2 X_ij`` (i < j), ``x_ii = X_ii`` for a symmetric ``X`` (inverse of :func:`_unpack`)."""
    return X[iu, ju] * np.where(iu == ju, 1.0, SQRT2)


#: :func:`_into_cone` aims at ``lambda_min(X) >= -1 + INTO_CONE_MARGIN`` in at most ``INTO_CONE_ROUNDS`` rounds
INTO_CONE_MARGIN = 0.02
INTO_CONE_ROUNDS = 40


def _into_cone(lhs: np.ndarray, x: np.ndarray, n: int, iu: np.ndarray, ju: np.ndarray,
               factors: tuple | None = None) -> np.ndarray | None:
    """Where the least-norm repair has ``lambda_min(X) < -1`` (``Z + dZ`` indefinite), another
    solution of ``lhs x = r`` with ``X`` closer to ``X >= -1`` (**our construction**): alternating
    projections (von Neumann) between the solutions of the repair's equations and the set ``X >= -1
    + 2 m`` (``m`` = :data:`INTO_CONE_MARGIN`): each round lifts ``X``'s eigenvalues below ``-1 + m`` to
    ``-1 + 2 m`` and removes from that change its component in the row space of ``lhs`` (an
    orthonormal basis from a QR factorisation: ``factors``, the pivoted QR of ``lhs^T`` that
    :func:`least_norm_solution` left, when there is one), so the equations still hold; ``dlam``
    and ``xi`` follow. Returns the solution with the largest ``lambda_min(X)`` met, or ``None`` where the
    repair was inside the cone or nothing improved. The point it gives is priced like any other
    (``best_certificate`` keeps the better). Measured on the smallest node (t = 0.0056) of the
    binned-qubit eta = 0.80 table at m = 16: ``lambda_min(X)`` -1.17 -> -1.02 in 40 rounds (~0.25 s), the
    first route's bracket 2.0e-6 -> 3.4e-7 bit (weighted), the dual value unchanged to 1e-9."""
    X = _unpack(x, n, iu, ju)
    w, Q = np.linalg.eigh(X)
    if w[0] >= -1.0 + INTO_CONE_MARGIN:
        return None
    basis = _row_space_basis(lhs, factors)
    best, best_min = None, float(w[0])
    for _ in range(INTO_CONE_ROUNDS):
        low = w < -1.0 + INTO_CONE_MARGIN
        lift = (Q[:, low] * (-1.0 + 2.0 * INTO_CONE_MARGIN - w[low])) @ Q[:, low].T
        dx = np.zeros_like(x)
        dx[:len(iu)] = _pack(lift, iu, ju)
        x = x + (dx - basis @ (basis.T @ dx))
        w, Q = np.linalg.eigh(_unpack(x, n, iu, ju))
        if w[0] > best_min:
            best, best_min = x.copy(), float(w[0])
        if best_min >= -1.0 + INTO_CONE_MARGIN:
            break
    return best


#: :func:`least_norm_solution` accepts the normal equations' solution when its residual is at most
#: this fraction of the right-hand side and the Cholesky factor's diagonal spans less than
#: :data:`NORMAL_SPAN` (else the pivoted QR)
NORMAL_RESIDUAL = 1e-10
NORMAL_SPAN = 1e10
#: :func:`least_norm_solution` does not try the normal equations where the rows' norms span more
#: than this: ``cond(A) >= max_i ||a_i|| / min_i ||a_i||``, so ``cond(A A^T) > 1e16 ~ 1 / eps``
NORMAL_ROW_SPAN = 1e8


def least_norm_solution(A: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The least-norm solution of the underdetermined ``A x = b`` (``A`` of full row rank).

    First by the normal equations, ``x = A^T (A A^T)^-1 b`` with a Cholesky factorisation and two
    steps of iterative refinement against ``A`` itself (Golub & Van Loan, *Matrix Computations*,
    4th ed., sections 5.6.2 and 3.5.3), kept when the residual is at most :data:`NORMAL_RESIDUAL`
    of ``b`` and the factor's diagonal spans less than :data:`NORMAL_SPAN`. Measured on the
    repairs of a 16-node photonic post-selected bound (690 x 2,361, one BLAS thread): 28-35 ms
    instead of 100-160 ms, the same solution to 1e-10 and residuals as small (1e-22 to 1e-24 for
    right-hand sides of 1e-11 to 4e-11), where ``A A^T`` has condition numbers up to 7e17; at the
    smallest node (2.8e19) the factorisation fails and the QR route runs. Not tried where the
    rows' norms span more than :data:`NORMAL_ROW_SPAN` (a lower bound on ``cond(A)``: ``sigma_max
    >= ||a_i|| >= sigma_min`` for every row): measured on the 2x3 benchmark table at m = 8, spans
    9e8-3e12 and the normal equations failed on every node (~30 ms each); on the 24-node photonic
    point, spans 1e6-2e7, where they succeed on 21 of 23 nodes.

    Otherwise the column-pivoted ``A^T P = Q R``, ``x = Q R^-T P^T b`` (LAPACK geqp3, trtrs, ormqr;
    ibid. sections 5.4.2 and 5.6.2). Where ``R``'s diagonal reveals a near rank deficiency
    (``|R_ii| < rows eps |R_11|``) or the result is not finite, LAPACK gelsy (a complete orthogonal
    factorisation) with its default threshold ``eps``: truncating at ``rows eps`` left the smallest
    node of a pure-state table a residual priced 2e-7 where gelsy's solve left 4e-9 (measured).
    Any solution serves :func:`scaled_repairs`: every repaired point is priced exactly."""
    return _least_norm(A, b)[0]


def _least_norm(A: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, tuple | None]:
    """:func:`least_norm_solution` and the pivoted QR factors ``(qr, tau)`` of ``A^T`` it used
    (``None`` where the normal equations or gelsy gave the solution)."""
    if len(b) and _rows_span_ok((A * A).sum(axis=1)):
        x = _normal_equations(A, b)
        if x is not None:
            return x, None
    return _pivoted_qr_solution(A, b)


def _gram_repair(sdp, root: np.ndarray, G: np.ndarray, E: np.ndarray, mu: np.ndarray, r: np.ndarray,
                 iu: np.ndarray, ju: np.ndarray) -> np.ndarray | None:
    """The least-norm solution of :func:`scaled_repairs`' equations by the normal equations, without
    forming the equations' matrix (**our derivation**), or ``None`` where they are not trusted (the
    tests of :func:`least_norm_solution`: rows' norms spanning more than :data:`NORMAL_ROW_SPAN`,
    the Cholesky factor's diagonal more than :data:`NORMAL_SPAN`, a residual above
    :data:`NORMAL_RESIDUAL` of ``r``).

    With ``R = Z^1/2`` (``root``, ``R R^T = Z_+``) the row of moment ``k`` is ``(K_k, G_:k, -mu E_:k)``,
    ``K_k = R^T F_k R`` in coordinates whose dot product is the Frobenius one, so the Gram matrix is
    ``<K_k, K_l> + (G^T G)_kl + sum_j mu_j^2 E_jk E_jl`` with ``<K_k, K_l> = tr(F_k Z_+ F_l Z_+)``:
    the interior point's Schur complement at ``S^-1 = Z = Z_+`` (``sdp.schur``, a few ms), and the
    rows' norms its diagonal (``sdp.schur_diagonal``, cheaper: the span test runs first). The
    transpose maps ``y`` to ``X = R^T A(y) R``, ``dlam = G y``, ``xi = -mu (E y)``, and the equations
    map ``(X, dlam, xi)`` to ``A*(R X R^T) + G^T dlam - E^T (mu xi)``: products of ``n x n`` matrices
    instead of the dense ``m x n(n+1)/2`` matrix and its ``m^2 n^2 / 2``-flop product (measured on
    the 24-node photonic point: ~15 ms instead of ~60 ms a repair). Two steps of iterative
    refinement against the equations themselves, as in :func:`least_norm_solution`."""
    if not len(r):
        return None
    Zp = root @ root.T
    Em = E.T * mu  # (moments x norm rows)
    norms2 = sdp.schur_diagonal(Zp, Zp) + (G * G).sum(axis=0) + (Em * Em).sum(axis=1)
    if not _rows_span_ok(norms2):
        return None
    gram = sdp.schur(Zp, Zp)
    gram += G.T @ G
    gram += Em @ Em.T
    cf = _trusted_cholesky(gram, overwrite=True)
    if cf is None:
        return None

    def transpose(y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        X = root.T @ sdp.A(y) @ root
        return (X + X.T) / 2.0, G @ y, -mu * (E @ y)

    def equations(X: np.ndarray, dlam: np.ndarray, xi: np.ndarray) -> np.ndarray:
        return sdp.A_adj(root @ X @ root.T) + G.T @ dlam - E.T @ (mu * xi)

    X, dlam, xi = transpose(la.cho_solve(cf, r, check_finite=False))
    for _ in range(2):
        dX, ddlam, dxi = transpose(la.cho_solve(cf, r - equations(X, dlam, xi), check_finite=False))
        X, dlam, xi = X + dX, dlam + ddlam, xi + dxi
    x = np.concatenate([_pack(X, iu, ju), dlam, xi])
    ok = np.all(np.isfinite(x)) and np.abs(equations(X, dlam, xi) - r).max() <= NORMAL_RESIDUAL * np.abs(r).max()
    return x if ok else None


def _normal_equations(A: np.ndarray, b: np.ndarray) -> np.ndarray | None:
    """:func:`least_norm_solution` by the normal equations, or ``None`` where they are not trusted."""
    cf = _trusted_cholesky(A @ A.T, overwrite=True) if len(b) else None
    if cf is None:
        return None
    x = A.T @ la.cho_solve(cf, b, check_finite=False)
    for _ in range(2):
        x = x + A.T @ la.cho_solve(cf, b - A @ x, check_finite=False)
    ok = np.all(np.isfinite(x)) and np.abs(A @ x - b).max() <= NORMAL_RESIDUAL * np.abs(b).max()
    return x if ok else None


def _rows_span_ok(norms2: np.ndarray) -> bool:
    """Whether rows with squared norms ``norms2`` span at most :data:`NORMAL_ROW_SPAN` (else
    ``cond(A A^T) > 1e16``: the normal equations are not tried)."""
    return bool(norms2.min() * NORMAL_ROW_SPAN**2 > norms2.max())


def _trusted_cholesky(gram: np.ndarray, overwrite: bool = False):
    """``cho_factor(gram)`` (lower), or ``None`` where the normal equations are not trusted: the
    factorisation fails, or its diagonal is not finite or spans :data:`NORMAL_SPAN` or more."""
    try:
        cf = la.cho_factor(gram, lower=True, overwrite_a=overwrite, check_finite=False)
    except (la.LinAlgError, ValueError):
        return None
    diag = np.abs(np.diag(cf[0]))
    if not np.all(np.isfinite(diag)) or diag.min() * NORMAL_SPAN <= diag.max():
        return None
    return cf


def _pivoted_qr_solution(A: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, tuple | None]:
    """:func:`least_norm_solution` by column-pivoted QR of ``A^T``, gelsy where it shows rank loss;
    with the factors ``(qr, tau)`` (``None`` after gelsy)."""
    from scipy.linalg import lapack

    At = np.asfortranarray(A.T)  # A is C-ordered: A^T is Fortran-ordered, no copy
    rows = A.shape[0]
    cond = rows * np.finfo(float).eps
    qr, pivots, tau, _, info = lapack.dgeqp3(At, lwork=int(lapack.dgeqp3(At, lwork=-1)[3][0]))
    diag = np.abs(np.diag(qr[:rows, :rows]))
    if info == 0 and rows and diag.min() >= cond * diag.max():
        y = la.solve_triangular(qr[:rows, :rows], b[pivots - 1], trans="T", check_finite=False)
        full = np.zeros(A.shape[1])
        full[:rows] = y
        x, _, info = lapack.dormqr("L", "N", qr, tau, full, int(lapack.dormqr("L", "N", qr, tau, full, -1)[1][0]))
        if info == 0 and np.all(np.isfinite(x)):
            return x, (qr, tau)
    return la.lstsq(A, b, lapack_driver="gelsy", check_finite=False)[0], None


def _row_space_basis(A: np.ndarray, factors: tuple | None) -> np.ndarray:
    """An orthonormal basis (columns) of ``A``'s row space: the ``Q`` of the pivoted ``A^T P = Q R``
    in ``factors`` (LAPACK orgqr; the pivoting permutes the columns of ``A^T``, not their span),
    else from a new QR factorisation of ``A^T``."""
    if factors is None:
        return la.qr(A.T, mode="economic", check_finite=False)[0]
    from scipy.linalg import lapack

    qr, tau = factors
    rows = A.shape[0]
    Q, _, info = lapack.dorgqr(qr[:, :rows], tau, lwork=int(lapack.dorgqr(qr[:, :rows], tau, -1)[1][0]))
    if info != 0:
        return la.qr(A.T, mode="economic", check_finite=False)[0]
    return Q


def scaled_repair(sdp, G: np.ndarray, E: np.ndarray, c: np.ndarray, Z: np.ndarray, lam: np.ndarray,
                  mu: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """The exact (undamped) repair of :func:`scaled_repairs`: ``(Z, lam, mu, ||X||)``."""
    return scaled_repairs(sdp, G, E, c, Z, lam, mu, (0.0,))[0]


def trace_bound(struct: MomentStructure, alpha2: float) -> float:
    """``sum_u ||u||^2 >= tr Gamma`` for a strategy with ``||Z_a||^2 <= alpha2`` (projectors have norm 1)."""
    return float(sum(alpha2 ** len(u[2]) for u in struct.monomials))


def _margin(w: np.ndarray) -> float:
    """``10 n eps max|w|`` for the computed spectrum ``w``: a backward-stable eigensolver's
    eigenvalues are within this of the exact ones."""
    return 10 * len(w) * np.finfo(float).eps * max(1.0, float(np.abs(w).max()))


def rounding_margin(struct: MomentStructure, z: np.ndarray) -> float:
    """:func:`_margin` of ``smat(z)``: a point shifted until its computed eigenvalues clear this has
    none that rounding can make negative (each would be charged at its reach, :func:`eigen_penalty`)."""
    return _margin(np.linalg.eigvalsh(struct.smat(z)))


def eigen_penalty(struct: MomentStructure, z: np.ndarray, alpha2: float,
                  svec_rounding: bool = True) -> tuple[float, float]:
    """Upper bound on ``-<Z, Gamma>`` for every moment matrix ``Gamma`` of a strategy with
    ``||Z_a||^2 <= alpha2``, and ``lambda_min(Z)`` (as computed).

    ``Gamma`` is positive semidefinite with ``|Gamma_uv| <= ||u|| ||v||``, ``||u|| <= alpha^{k(u)}``
    (k = number of Eve letters). For any positive diagonal ``D``, ``<Z, Gamma> = <D Z D, D^-1 Gamma
    D^-1>`` and ``D^-1 Gamma D^-1`` has the same form with norms ``||u|| / D_u``; the bound of
    :func:`_negative_part_bound` is taken in two bases and the least kept (**our construction**):
    ``D = 1``, and ``D_u`` the power of two nearest ``sqrt(||u|| / Z_uu^1/2)``, which balances the
    large entries of ``Z`` on words without Eve letters against the large norms of Eve's words
    (powers of two: ``D Z D`` is computed exactly). A further ``2 eps n^T |Z| n`` pays for the
    rounding of ``Z``'s off-diagonal entries between its svec (``x sqrt 2``) and matrix forms,
    unless ``svec_rounding=False``: :func:`certificate_penalty` prices the residual of the matrix
    form itself (:func:`residual_price`), so there the matrix form is the certificate.
    Measured at the smallest node (t = 0.0056, m = 16) of a Bell table: 3.9e-9 where a rounding
    margin of ``10 n eps max|lambda|`` on the eigenvalues cost 4.9e-7. Tested against an explicit
    strategy's moment matrix in ``tests/protocols/test_bff.py``.
    """
    Zm = struct.smat(z)
    norms = np.sqrt(np.array([alpha2 ** len(u[2]) for u in struct.monomials]))
    smat_rounding = 2.0 * np.finfo(float).eps * float(norms @ np.abs(Zm) @ norms) if svec_rounding else 0.0
    plain, lmin = _negative_part_bound(Zm, norms)
    diag = np.diag(Zm)
    if np.all(diag > 0):
        D = np.exp2(np.round(np.log2(np.sqrt(norms / np.sqrt(diag)))))
        scaled, _ = _negative_part_bound(Zm * D[:, None] * D[None, :], norms / D)
        plain = min(plain, scaled)
    return plain + smat_rounding, lmin


def _negative_part_bound(Zm: np.ndarray, norms: np.ndarray) -> tuple[float, float]:
    """Upper bound on ``-<Zm, Gamma>`` over positive semidefinite ``Gamma`` with ``|Gamma_uv| <=
    norms_u norms_v``, and ``lambda_min(Zm)`` as computed (**our construction**).

    With the computed eigenpairs ``(w_j, v_j)`` of ``Zm``, ``Zm = sum_j w_j v_j v_j^T + R`` holds
    exactly for ``R = Zm - V diag(w) V^T``, whatever the accuracy or orthogonality of ``V``, so
    ``<Zm, Gamma> >= sum_{w_j < 0} w_j v_j^T Gamma v_j - sum_uv |R_uv| |Gamma_uv|
    >= -sum_{w_j < 0} |w_j| (sum_u |v_j(u)| norms_u)^2 - norms^T |R| norms``. ``R`` is evaluated
    in extended precision (``numpy.longdouble``; 64-bit significand on x86-64) and bounded
    entrywise with the standard rounding model (Higham, *Accuracy and Stability of Numerical
    Algorithms*, 2nd ed., section 3.1, ``gamma_k = k u / (1 - k u)`` for a k-term inner product), so
    only the eigensolver's backward error (~``eps ||Zm||``) is charged, and only where Gamma can
    be large. The lesser of that and the margin rule is returned: eigenvalues within ``10 n eps
    max|w|`` of zero charged at that margin times their reach (nothing for a spectrum that clears
    it; better for points well inside the cone, measured on a 32-node photonic bound: 6e-8 bit).
    """
    w, V = np.linalg.eigh(Zm)
    # the margin rule: only eigenvalues below the margin can hide a negative part; when the spectrum
    # clears it (a point well inside the cone) it costs nothing, where the split below does
    margin = _margin(w)
    low = w < margin
    if not low.any():
        return 0.0, float(w[0])
    reach_low = (np.abs(V[:, low]) * norms[:, None]).sum(axis=0) ** 2
    margin_rule = float(((margin - w[low]) * reach_low).sum())
    n = len(w)
    ext = np.longdouble
    u = float(np.finfo(ext).eps) / 2.0
    gamma = (n + 2) * u / (1.0 - (n + 2) * u)
    Vx, wx = V.astype(ext), w.astype(ext)
    R = Zm.astype(ext) - (Vx * wx) @ Vx.T
    size = (np.abs(Vx) * np.abs(wx)) @ np.abs(Vx).T
    bound = (np.abs(R) * (1.0 + 2.0 * u) + 2.0 * gamma * size).astype(float)
    residual = float(norms @ bound @ norms) * (1.0 + 2.0 * (n + 2) * np.finfo(float).eps)
    neg = w < 0
    reach = (np.abs(V[:, neg]) * norms[:, None]).sum(axis=0) ** 2
    split = residual + float((-w[neg] * reach).sum())
    return min(split, margin_rule), float(w[0])


def moment_bounds(struct: MomentStructure, alpha2: float) -> np.ndarray:
    """``B_k >= |y_k|`` for every moment of a strategy with ``||Z_a||^2 <= alpha2``: the least
    ``||u|| ||v||`` over the entries ``(u, v)`` of the moment matrix that hold moment ``k``
    (``|<u* v>| <= ||u|| ||v||``, ``||u|| <= alpha^(Eve letters of u)``; **our construction**).
    Moments without Eve's letters are bounded by 1, not by ``alpha2``."""
    degree = _moment_eve_degree(struct)
    return np.sqrt(float(alpha2)) ** degree


def _moment_eve_degree(struct: MomentStructure) -> np.ndarray:
    """Per moment, the least ``e(u) + e(v)`` over its entries (``e``: number of Eve letters); cached.
    Checks that every entry of every ``F_k`` is 1 (svec value 1 on the diagonal, ``sqrt 2`` off it),
    which :func:`residual_price` uses to evaluate ``<F_k, Z>`` exactly."""
    cached = getattr(struct, "_eve_degree_cache", None)
    if cached is None:
        e = np.array([len(u[2]) for u in struct.monomials])
        rows, cols = struct._tril
        F = struct.Fstar.tocsr()
        expected = np.where(rows == cols, 1.0, SQRT2)[F.indices]
        if not np.array_equal(F.data, expected):
            raise SolverError("moment structure with an entry other than one moment: residual_price does not apply")
        per_entry = (e[rows] + e[cols])[F.indices]
        cached = np.minimum.reduceat(per_entry, F.indptr[:-1]).astype(float)
        struct._eve_degree_cache = cached
    return cached


def residual_price(struct: MomentStructure, G: np.ndarray, E: np.ndarray, c: np.ndarray, point: DualPoint,
                   alpha2: float) -> float:
    """Rigorous upper bound on ``-r.y`` over the strategies with ``||Z_a||^2 <= alpha2``, where
    ``r = c - F*(Z) - G^T lam + E^T mu`` is what floating point leaves of the dual equations
    (**our construction**): ``c.y = <Z, Gamma> - <Z, F0> + lam.G y - mu.E y + r.y``, so a residual
    costs ``sum_k |r_k| B_k`` (:func:`moment_bounds`). ``r`` is evaluated from the matrix
    ``Z = smat(z)`` that :func:`eigen_penalty` checks, in extended precision (``numpy.longdouble``),
    and each ``|r_k|`` is raised by the rounding bound ``gamma_K sum |terms|`` of its ``K``-term sum
    (Higham, *Accuracy and Stability of Numerical Algorithms*, 2nd ed., section 3.1). Until
    2026-12-03 (fifth session) every ``|r_k|`` was priced at ``alpha2`` (up to 7e4 at the smallest nodes): the
    rounding of a repaired ``Z`` (a residual of 2.5e-12 in all) cost 1.7e-7 of the node's value,
    6.4e-7 bit weighted, where this price is 1.4e-10 (measured, pure-state table of
    ``tests/corpus.py``, m = 16, t = 0.0056). Where ``longdouble`` is double precision (some
    platforms) ``gamma_K`` is correspondingly larger and the bound still holds."""
    ext = np.longdouble
    B = moment_bounds(struct, alpha2)  # also checks that each F_k entry is 1
    Zm = struct.smat(point.z)
    rows, cols = struct._tril
    F = struct.Fstar.tocsr()
    weight = np.where(rows == cols, 1.0, 2.0)[F.indices]  # <F_k, Z>: an off-diagonal entry counts twice (exact)
    terms = Zm[rows, cols][F.indices].astype(ext) * weight
    starts = F.indptr[:-1]
    fz = np.add.reduceat(terms, starts)
    fz_abs = np.add.reduceat(np.abs(terms), starts)
    Gl = G.astype(ext) * np.asarray(point.lam, dtype=ext)[:, None]
    El = E.astype(ext) * np.asarray(point.mu, dtype=ext)[:, None]
    r = c.astype(ext) - fz - Gl.sum(axis=0) + El.sum(axis=0)
    size = np.abs(c).astype(ext) + fz_abs + np.abs(Gl).sum(axis=0) + np.abs(El).sum(axis=0)
    n_terms = int(np.diff(F.indptr).max(initial=0)) + G.shape[0] + E.shape[0] + 2
    u = float(np.finfo(ext).eps) / 2.0
    gamma = n_terms * u / (1.0 - n_terms * u)
    bound = (np.abs(r) + gamma * size).astype(float) * (1.0 + 4.0 * np.finfo(float).eps)
    return float(bound @ B) * (1.0 + 2.0 * (len(B) + 2) * np.finfo(float).eps)


def certificate_penalty(struct: MomentStructure, G, E, c, point: DualPoint, alpha2: float) -> float:
    """Rigorous price of a dual point's floating-point leftovers: the residual of the dual
    equations (:func:`residual_price`) and the negative eigenvalues (:func:`eigen_penalty`)."""
    return residual_price(struct, G, E, c, point, alpha2) + eigen_penalty(struct, point.z, alpha2, False)[0]



def shift_into_cone(point: DualPoint, direction: DualPoint, margin: float = 0.0) -> tuple[DualPoint, float]:
    """``point + theta direction`` with the smallest ``theta >= 0`` that makes ``lambda_min(Z) >= margin`` (Weyl).

    ``direction`` = ``(D, nu, mu_D)`` is a recession direction of the dual feasible set:
    ``D > 0`` and ``F*(D) + G^T nu - E^T mu_D = 0`` with ``mu_D >= 0``, so the sum stays exactly
    feasible for every ``theta`` and ``lambda_min(Z + theta D) >= lambda_min(Z) + theta lambda_min(D)``.
    Its cost in the bound is ``theta`` times the direction's (data-dependent) value, tiny because
    an interior-point ``Z`` is indefinite only by rounding. Returns the point and ``theta``.
    """
    if point.min_eig >= margin:
        return point, 0.0
    theta = 1.01 * (margin - point.min_eig) / direction.min_eig
    shifted = DualPoint(z=point.z + theta * direction.z, lam=point.lam + theta * direction.lam,
                        mu=point.mu + theta * direction.mu, min_eig=point.min_eig + theta * direction.min_eig)
    return shifted, float(theta)


def certify(struct: MomentStructure, G: np.ndarray, E: np.ndarray, c: np.ndarray, z: np.ndarray,
            lam: np.ndarray, mu: np.ndarray, interior, alpha2: float,
            value=None) -> tuple[DualPoint, float, float]:
    """An exactly feasible dual point near the solver's, and the penalty to subtract from its value.

    Returns ``(point, theta, penalty)``: ``theta`` is the mixing weight with the interior point
    (0 if not used); ``penalty >= 0`` pays for floating-point leftovers, rigorously: a residual
    ``r`` of the equalities costs ``sum_k |r_k| B_k`` (:func:`residual_price`: ``B_k`` bounds
    moment ``k``, at most ``alpha2``) and negative eigenvalues cost ``sum_j |lambda_j| (sum_u |v_j(u)| ||u||)^2``
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



def _mix(a: DualPoint, b: DualPoint, theta: float, struct: MomentStructure) -> DualPoint:
    z = (1 - theta) * a.z + theta * b.z
    return DualPoint(z=z, lam=(1 - theta) * a.lam + theta * b.lam, mu=(1 - theta) * a.mu + theta * b.mu,
                     min_eig=float(np.linalg.eigvalsh(struct.smat(z))[0]))


#: quick certificates first try this many iterates made exact without a repair (best first).
#: **Our measurement**, 2x3 benchmark table at m = 8, node share 1e-7 bit: the best iterate's plain
#: point was within it on 3 of 7 nodes (4e-9-7e-8 weighted), the iterate before it on 2 more (3.4e-8
#: and 8.6e-8 where the best one's were 1.8e-7 and 1.2e-7); a third never; each saves the ~0.13 s
#: repair (pivoted QR)
PLAIN_TRIES = 2


def best_certificate(struct: MomentStructure, sdp, G: np.ndarray, E: np.ndarray, c: np.ndarray, candidates,
                     alpha2: float, value, recession, quick: bool = False,
                     enough=None) -> tuple[DualPoint, float, str]:
    """The best certified dual point from an interior-point run (step 2 of the module docstring).

    ``candidates``: the solver's best iterate first, then earlier, more central ones
    (``ipm.Iterate``); ``value(point)`` its bound at the data; ``recession()`` the engine's
    recession direction (only computed when a repaired point is indefinite). Every candidate
    point is exactly feasible (:func:`scaled_repair`, :func:`make_exact`) and priced with
    :func:`certificate_penalty`, so each is a valid bound; tried: the repaired iterates as they
    are, moved along the recession direction into the cone, and the best iterate mixed with an
    earlier one that is inside the cone (the mix of two exactly feasible points is exactly
    feasible). Returns ``(point, theta, how)`` with ``point.penalty`` set; ``theta`` is the step
    along the recession direction or the mixing weight. ``quick``: the repaired best iterate only
    (one least-squares repair, ~0.2 s for a 2x3 table, instead of up to ~10); with ``enough`` (a
    test of a certified value), the best iterate and the one before it (:data:`PLAIN_TRIES`), made
    exact by :func:`make_exact` alone, are tried first and the first that passes is kept
    (``iterate-k-plain``, no repair: a penalty and an eigendecomposition, ~10 ms each).
    """
    options: list[tuple[float, DualPoint, float, str]] = []

    def consider(point: DualPoint, theta: float, how: str) -> None:
        point.penalty = certificate_penalty(struct, G, E, c, point, alpha2)
        options.append((value(point) - point.penalty, point, theta, how))

    if quick and enough is not None:
        for k, it in enumerate(candidates[:PLAIN_TRIES]):
            consider(make_exact(struct, G, E, c, struct.svec(it.Z), it.lam, it.mu), 0.0, f"iterate-{k}-plain")
            if np.all(np.isfinite(options[-1][1].z)) and enough(options[-1][0]):
                return options[-1][1], 0.0, options[-1][3]
    if quick:
        candidates = candidates[:1]

    repaired: list[DualPoint] = []
    for k, it in enumerate(candidates):
        exact = scaled_repairs(sdp, G, E, c, it.Z, it.lam, it.mu, (0.0,), in_cone=True)
        for j, (Z, lam, mu, _) in enumerate(exact):
            consider(make_exact(struct, G, E, c, struct.svec(Z), lam, mu), 0.0,
                     f"iterate-{k}" + ("-into-cone" if j else ""))
        best_here = max(options[-len(exact):], key=lambda o: o[0])
        if k == 0 and not quick and best_here[1].penalty > GOOD_ENOUGH:  # the exact repair left the cone: damped ones
            # (for the most accurate iterate only: one SVD, ~0.3 s for a 2x3 table)
            damped = scaled_repairs(sdp, G, E, c, it.Z, it.lam, it.mu, DAMPING[1:])
            for rho, (Z, lam, mu, _) in zip(DAMPING[1:], damped, strict=True):
                consider(make_exact(struct, G, E, c, struct.svec(Z), lam, mu), 0.0, f"iterate-{k}-damped-{rho:.0e}")
                if options[-1][0] > best_here[0]:
                    best_here = options[-1]
        repaired.append(best_here[1])
        if best_here[1].penalty <= GOOD_ENOUGH:
            break  # inside the cone (to the rounding margin): earlier iterates are further from optimal
    first = repaired[0]
    if first.penalty > GOOD_ENOUGH and not quick:
        # eigenvalues within rounding of zero are charged at the worst-case moment size; a little of
        # a more central iterate, or of the recession direction, buys the margin instead
        price = lambda p: certificate_penalty(struct, G, E, c, p, alpha2)  # noqa: E731
        for k, theta, mixed in _mixed_into_cone(struct, first, enumerate(repaired[1:], start=1),
                                                (0.01, 0.02, 0.05, 0.1, 0.2, 0.35, 0.5, 0.75), price):
            options.append((value(mixed) - mixed.penalty, mixed, theta, f"mixed-0-{k}"))
        direction = recession()
        if direction is not None:
            shifted, theta = shift_into_cone(first, direction, rounding_margin(struct, first.z))
            consider(shifted, theta, "recession")
    best = max(options, key=lambda o: o[0])
    if not np.all(np.isfinite(best[1].z)) or best[1].penalty > 1e-2:
        raise SolverError(f"dual certificate too loose (penalty {best[1].penalty:.3g}); the solve was too inaccurate")
    return best[1], best[2], best[3]


def exact_certificate(struct: MomentStructure, G: np.ndarray, E: np.ndarray, c: np.ndarray,
                      points: list[DualPoint], alpha2: float, value) -> tuple[DualPoint, int, float] | None:
    """The best certificate from exactly feasible dual points (the iterates of ``dual_form.py``).

    Each point is priced with :func:`certificate_penalty`; the best one whose smallest eigenvalues
    sit within rounding of zero (charged at the worst-case moment size) is also mixed with each
    point that is further inside the cone (a convex combination of exactly feasible points is
    exactly feasible). Returns ``(point, index of the best point, mixing weight)`` with
    ``point.penalty`` set, or ``None`` if no point is finite.
    """
    scored = []
    for k, point in enumerate(points):
        if not np.all(np.isfinite(point.z)):
            continue
        point.penalty = certificate_penalty(struct, G, E, c, point, alpha2)
        scored.append((value(point) - point.penalty, k, point))
    if not scored:
        return None
    top, k0, first = max(scored, key=lambda o: o[0])
    best = (top, first, k0, 0.0)
    if first.penalty > GOOD_ENOUGH:
        price = lambda p: certificate_penalty(struct, G, E, c, p, alpha2)  # noqa: E731
        others = ((k, point) for _, k, point in scored)
        for _, theta, mixed in _mixed_into_cone(struct, first, others,
                                                (1e-4, 3e-4, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3), price):
            if value(mixed) - mixed.penalty > best[0]:
                best = (value(mixed) - mixed.penalty, mixed, k0, theta)
    return best[1], best[2], best[3]


def _mixed_into_cone(struct: MomentStructure, first: DualPoint, others, thetas, price):
    """Yield ``(k, theta, mixed)``: ``first`` mixed with each ``(k, point)`` of ``others`` that is
    further inside the cone, at increasing weights until the mix has no negative eigenvalue (a
    larger weight then only costs more: the penalty left is the eigendecomposition's rounding)
    (``mixed.penalty`` set by ``price``); every mix of exactly feasible points is exactly feasible."""
    for k, inside in others:
        if inside.min_eig <= first.min_eig:
            continue
        for theta in thetas:
            mixed = _mix(first, inside, theta, struct)
            mixed.penalty = price(mixed)
            yield k, theta, mixed
            if mixed.min_eig >= 0.0:
                break
