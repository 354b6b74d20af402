"""A primal-dual interior-point solver for moment SDPs, using that each matrix entry is one moment.

Problem (moment form, as in ``certify.py``)::

    min c.y   s.t.   S = F0 + A(y) >= 0,   G y = d          A(y) = sum_k y_k F_k
    max d.lam - <F0, Z>   s.t.   A*(Z) + G^T lam = c,  Z >= 0

Every entry of a moment matrix is either the constant 1 (``F0``) or exactly one variable, so the
``F_k`` are 0/1 matrices with disjoint supports. General-purpose conic solvers factor a KKT
system with a dense block of the PSD cone's dimension ``n(n+1)/2`` (~2,300 for the 68x68
matrix of a 2x3 scenario); the Schur-complement method of SDPA/CSDP-type solvers factors only
the ``m x m`` matrix ``M_kl = tr(F_k S^-1 F_l Z)`` (m = number of moments, ~700), which is
several times cheaper here (``benchmarks/bench_protocols.py``).

Method: infeasible primal-dual path following with the HKM direction and Mehrotra's
predictor-corrector (Helmberg, Rendl, Vanderbei, Wolkowicz, SIAM J. Optim. 6, 342 (1996);
Kojima, Shindoh, Hara (1997); Monteiro (1997); Mehrotra, SIAM J. Optim. 2, 575 (1992)); the
Newton system is reduced to ``[[M, G^T], [G, 0]]`` and solved by Cholesky of ``M``. Nothing here
needs to be exact: the engine certifies the returned dual (``certify.py``). Inputs are checked
for NaN/inf once per iteration (the Cholesky factorisations), not again in every triangular solve.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.linalg as la
import scipy.sparse as sp

from .moment_matrix import MomentStructure


@dataclass
class IPMResult:
    status: str
    iterations: int
    primal: float
    dual: float
    y: np.ndarray
    Z: np.ndarray
    lam: np.ndarray


class MomentSDP:
    """Index maps of one moment structure for :meth:`solve` (built once, reused for every node)."""

    def __init__(self, struct: MomentStructure) -> None:
        n, m = struct.n, len(struct.variables)
        rows = np.concatenate([np.arange(c, n) for c in range(n)])
        cols = np.concatenate([np.full(n - c, c) for c in range(n)])
        var_svec = np.full(struct.L, -1)
        F = struct.Fstar.tocoo()
        var_svec[F.col] = F.row
        var_of = np.full((n, n), -1)
        var_of[rows, cols] = var_svec
        var_of[cols, rows] = var_svec
        self.n, self.m = n, m
        self.var_of = var_of
        self.F0 = (var_of == -1).astype(float)
        flat = var_of.ravel()
        keep = flat >= 0
        pos = np.nonzero(keep)[0]
        self.P = sp.csr_matrix((np.ones(pos.size), (flat[keep], pos)), shape=(m, n * n))
        a, b = np.divmod(pos, n)
        # F_sp[(k, a), b] = 1 where entry (a, b) holds variable k: F_sp @ Z stacks F_k Z
        self.F_sp = sp.csr_matrix((np.ones(pos.size), (flat[keep] * n + a, b)), shape=(m * n, n))

    def A(self, y: np.ndarray) -> np.ndarray:
        return np.where(self.var_of >= 0, y[np.maximum(self.var_of, 0)], 0.0)

    def A_adj(self, Z: np.ndarray) -> np.ndarray:
        return self.P @ Z.ravel()

    def schur(self, Sinv: np.ndarray, Z: np.ndarray) -> np.ndarray:
        """``M_kl = tr(F_k S^-1 F_l Z)``."""
        n, m = self.n, self.m
        T = (self.F_sp @ Z).reshape(m, n, n)  # F_l Z
        R = np.matmul(Sinv, T).reshape(m, n * n)  # S^-1 F_l Z, row l
        M = np.asarray(self.P @ R.T)  # M[k, l] = <F_k, S^-1 F_l Z>
        return (M + M.T) / 2.0

    def solve(self, c: np.ndarray, G: np.ndarray, d: np.ndarray, tol: float = 1e-8, max_iter: int = 100,
              step: float = 0.95, stall_gap: float = 1e-5) -> IPMResult:
        """Solve the moment SDP; the most accurate iterate (by max of relative gap and
        infeasibilities) is returned, made dual feasible by :meth:`restore_dual_feasibility`.

        Status ``"Solved"`` (all three below ``tol``), ``"AlmostSolved"`` (stalled or stopped by
        rounding with the best below ``stall_gap``), otherwise ``"MaxIter"``/``"NumericalError"``.
        ``step``: fraction of the distance to the cone's boundary taken; measured on the 2x3
        post-selection SDPs (15 nodes, 3 settings): 0.98 stalls at 2-3 nodes per bound with a gap
        of ~1e-5, 0.95 solves all of them to 1e-8 in ~6% fewer iterations.
        """
        n = self.n
        scale = max(10.0, float(np.abs(c).max()))
        y, lam, S, Z = np.zeros(self.m), np.zeros(len(d)), np.eye(n) * scale, np.eye(n) * scale
        status, it = "MaxIter", 0
        gaps: list[float] = []
        best = None  # (merit, y, S, Z, lam) of the most accurate iterate
        for it in range(1, max_iter + 1):  # noqa: B007  (the count is reported)
            Rp, Re, Rd = self.F0 + self.A(y) - S, d - G @ y, c - self.A_adj(Z) - G.T @ lam
            mu = float(np.sum(S * Z)) / n
            pobj, dobj = float(c @ y), float(d @ lam - np.sum(self.F0 * Z))
            gap = abs(pobj - dobj) / (1.0 + abs(pobj) + abs(dobj))
            pinf = max(np.abs(Rp).max(), np.abs(Re).max(initial=0.0)) / (1.0 + np.abs(d).max(initial=0.0))
            dinf = np.abs(Rd).max() / (1.0 + np.abs(c).max())
            merit = max(gap, pinf, dinf)
            if best is None or merit < best[0]:
                best = (merit, y, S, Z, lam)
            if merit < tol:
                status = "Solved"
                break
            gaps.append(gap)
            stalled = len(gaps) > 5 and gaps[-6] < 2 * gap and best[0] < stall_gap
            if stalled or merit > 100 * best[0] and best[0] < stall_gap or mu < 1e-3 * tol * (1 + abs(pobj)):
                break
            try:
                newton = _Newton(self, S, Z, G, Rp, Re, Rd)
            except la.LinAlgError:  # an iterate lost definiteness to rounding: the best one stands
                status = "NumericalError"
                break
            dy, dS, dZ, dlam = newton.direction(-Z, None)  # predictor (affine scaling)
            ap, ad = newton.steps(dS, dZ, step)
            mu_aff = float(np.sum((S + ap * dS) * (Z + ad * dZ))) / n
            sigma = min(1.0, (mu_aff / mu) ** 3) if mu > 0 else 0.0
            dy, dS, dZ, dlam = newton.direction(sigma * mu * newton.Sinv - Z, newton.Sinv @ dS @ dZ)  # corrector
            ap, ad = newton.steps(dS, dZ, step)
            y, S = y + ap * dy, S + ap * dS
            Z, lam = Z + ad * dZ, lam + ad * dlam
            S, Z = (S + S.T) / 2.0, (Z + Z.T) / 2.0
        if status != "Solved" and best is not None:
            merit, y, S, Z, lam = best
            if merit < stall_gap:
                status = "AlmostSolved"
        Z, lam = self.restore_dual_feasibility(Z, lam, c, G)
        pobj, dobj = float(c @ y), float(d @ lam - np.sum(self.F0 * Z))
        return IPMResult(status, it, pobj, dobj, y, Z, lam)

    def restore_dual_feasibility(self, Z: np.ndarray, lam: np.ndarray, c: np.ndarray,
                                 G: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Remove the dual residual ``r = c - A*(Z) - G^T lam`` by the correction that is smallest
        in the norm scaled by ``Z`` itself, ``dZ = Z (sum_k w_k F_k) Z``: it moves ``Z`` along its
        large eigendirections and keeps it positive definite where the plain least-norm repair
        (``certify.make_exact``) would not (an optimal ``Z`` is nearly singular). The weights solve
        ``[[M', G^T], [G, 0]] [w; dlam] = [r; 0]`` with ``M'_kl = tr(F_k Z F_l Z)``. Kept only
        if ``Z + dZ`` is still positive definite."""
        r = c - self.A_adj(Z) - G.T @ lam
        Mp = self.schur(Z, Z)
        cf = _regularised_cholesky(Mp)
        if cf is None:
            return Z, lam
        MiGt = la.cho_solve(cf, G.T, check_finite=False) if len(lam) else np.zeros((self.m, 0))
        GMG = G @ MiGt
        w, dlam = np.zeros(self.m), np.zeros(len(lam))
        r1, r2 = r, np.zeros(len(lam))
        for _ in range(3):
            Mir = la.cho_solve(cf, r1, check_finite=False)
            ddl = la.solve(GMG, G @ Mir - r2, assume_a="sym") if len(lam) else np.zeros(0)
            w, dlam = w + Mir - MiGt @ ddl, dlam + ddl
            r1, r2 = r - (Mp @ w + G.T @ dlam), -(G @ w)
        dZ = Z @ self.A(w) @ Z
        Z_new = Z + (dZ + dZ.T) / 2.0
        try:
            la.cholesky(Z_new, lower=True)
        except la.LinAlgError:
            return Z, lam
        return Z_new, lam + dlam


class _Newton:
    """One iteration's factorised Newton system (HKM direction, Schur complement ``M``)."""

    def __init__(self, sdp: MomentSDP, S, Z, G, Rp, Re, Rd) -> None:
        n = sdp.n
        self.sdp, self.Z, self.G, self.Rp, self.Re, self.Rd = sdp, Z, G, Rp, Re, Rd
        self.Ls, self.Lz = la.cholesky(S, lower=True), la.cholesky(Z, lower=True)
        self.Sinv = la.cho_solve((self.Ls, True), np.eye(n), check_finite=False)
        self.M = sdp.schur(self.Sinv, Z)
        self.cf = _regularised_cholesky(self.M)
        if self.cf is None:
            raise la.LinAlgError("Schur complement not positive definite")
        self.MiGt = la.cho_solve(self.cf, G.T, check_finite=False) if len(Re) else np.zeros((sdp.m, 0))
        self.GMG = G @ self.MiGt

    def direction(self, target: np.ndarray, extra: np.ndarray | None):
        """``dZ = sym(target - S^-1 dS Z [- extra])`` with ``dS = A(dy) + Rp``; solves
        ``[[M, -G^T], [G, 0]] [dy; dlam] = [h; Re]`` with three steps of iterative refinement
        (``M`` is ill-conditioned near the optimum)."""
        sdp, G, Sinv, Z = self.sdp, self.G, self.Sinv, self.Z
        base = target - Sinv @ self.Rp @ Z
        if extra is not None:
            base = base - extra
        h = sdp.A_adj((base + base.T) / 2.0) - self.Rd
        dy, dlam = np.zeros(sdp.m), np.zeros(len(self.Re))
        r1, r2 = h, self.Re
        for _ in range(3):
            Mir = la.cho_solve(self.cf, r1, check_finite=False)
            ddl = la.solve(self.GMG, r2 - G @ Mir, assume_a="sym") if len(self.Re) else np.zeros(0)
            dy, dlam = dy + Mir + self.MiGt @ ddl, dlam + ddl
            r1, r2 = h - (self.M @ dy - G.T @ dlam), self.Re - G @ dy
        dS = sdp.A(dy) + self.Rp
        dZ = base - Sinv @ sdp.A(dy) @ Z
        return dy, dS, (dZ + dZ.T) / 2.0, dlam

    def steps(self, dS: np.ndarray, dZ: np.ndarray, step: float) -> tuple[float, float]:
        """Primal and dual step lengths: ``step`` times the distance to the cone's boundary, at most 1."""
        return min(1.0, step * _max_step(self.Ls, dS)), min(1.0, step * _max_step(self.Lz, dZ))


def _regularised_cholesky(M: np.ndarray):
    """Cholesky of the Schur matrix; near the optimum it is PSD but ill-conditioned, so a
    diagonal shift growing from 1e-14 of its largest entry is added until the factorisation exists.
    A shifted system only changes the search direction, never what is certified."""
    top = max(1.0, float(np.abs(np.diag(M)).max()))
    for shift in (0.0, 1e-14, 1e-12, 1e-10, 1e-8):
        try:
            return la.cho_factor(M + shift * top * np.eye(len(M)), lower=True)
        except la.LinAlgError:
            continue
    return None


def _max_step(L: np.ndarray, dX: np.ndarray) -> float:
    """Largest ``alpha`` with ``X + alpha dX >= 0`` for ``X = L L^T`` (inf if none)."""
    W = la.solve_triangular(L, dX, lower=True, check_finite=False)
    W = la.solve_triangular(L, W.T, lower=True, check_finite=False)
    lmin = float(np.linalg.eigvalsh((W + W.T) / 2.0)[0])
    return np.inf if lmin >= 0 else -1.0 / lmin
