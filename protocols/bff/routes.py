"""How one node SDP is solved and certified: the solver routes and the policy that chains them.

Routes (``EntropyEngine.solve_node`` tries them in this order, keeping the best certificate, and
stops as soon as a node's bracket is within its share of :data:`BRACKET_BUDGET`):

1. the moment form with our interior point (``ipm.MomentSDP``) and the certificate of its
   best iterate (``certify.best_certificate``, quick: made exact without a repair where that is
   within the node's share of the budget, else repaired); its primal-feasible iterates give
   the upper bound reported as ``primal``, so the relaxation's exact value lies in
   ``[certified, primal]``;
2. the same SDP on the equilibrated moment matrix ``D Gamma D`` (unit diagonal at route 1's
   solution, :meth:`NodeRoutes._equilibration`), quick certificate;
3. the dual as an LMI in its free parameters (``dual_form.py``), warm-started from route 1: its
   iterates are exactly feasible dual points, so nothing is lost to repairing a residual
   (measured on the binned qubit tables near the efficiency threshold: 2-4e-6 bit of the bound
   recovered at m = 8); then route 1's thorough certificate (earlier iterates, damped repairs,
   mixing, the recession direction);
4. the moment form at the other scale (Eve's operators rescaled to norm 1), then at the engine's
   scale with shorter steps (0.85 of the way to the cone's boundary); where every route so far
   raised, without the norm rows, then Clarabel.

Before all of these, a node that a symmetry reduction fits (``symmetry.py``: the CHSH
constraint at uniform marginals, no slack) is solved reduced at both scales, with the quick
certificate, at a fifth of the cost; the routes above follow only where its bracket is still
wider than its share (alone, the reduced routes left the smallest nodes at m = 16 and 32
at 1e-6 and 8e-6 instead of 8e-8 and 9e-7, measured).

``solver="clarabel"``/``"scs"`` use that conic solver alone, polished by SCS and mixed with a
strictly feasible dual point (``certify.certify``). Every route returns a valid bound; a failed
check is a :class:`SolverError`, never a number.
"""

from __future__ import annotations

import contextlib
import math

import numpy as np

from ..errors import SolverError
from .certify import (
    DualPoint,
    best_certificate,
    certify,
    eigen_penalty,
    exact_certificate,
    interior_dual_point,
    make_exact,
    recession_direction,
    scaled_repair,
)
from .dual_form import dual_lmi
from .result import NodeReport
from .solvers import POLISH_ABOVE, polish_scs, solve_clarabel, solve_scs

LN2 = math.log(2.0)
#: the recession direction is priced for data rows up to this size (CHSH's S + 2 <= 2 + 2 sqrt 2)
RECESSION_DATA_BOUND = 5.0
#: the bracket a bound may leave in all (bit; ``certified_gap``, the sum over nodes of weight x
#: (primal - certified)): each SDP node gets an equal share (:meth:`NodeRoutes.node_budget`) and
#: further routes run only while its bracket exceeds that share: at m = 8 1.1e-7 a node, at m = 16
#: 5.3e-8 (until 2026-12-03 a fixed 1e-7 a node, so the m = 16 brackets summed to 1.1-1.4e-6 on
#: the binned-qubit tables near threshold). Below issue 11's 1e-6, for margin.
BRACKET_BUDGET = 8e-7
#: no node's share is below this (bit, weighted), so beyond m = 16 the budget grows with m (the
#: tightness target is for m <= 16): measured, the photonic post-selected rate point at m = 24
#: (``benchmarks/bench_photonic.py``) took 9.0 s with equal shares of 3.5e-8, 6.4-6.6 s with this
#: floor, 6.1-7.0 s with the fixed 1e-7 a node of before
SHARE_FLOOR = 5e-8
#: the smallest-t node's share is this many shares (:meth:`NodeRoutes.node_budget`)
SMALLEST_T_SHARES = 2
#: the exact-dual route starts from the moment-form iterate whose ``mu`` is just above this
#: (measured on the 2x3 corpus tables at m = 8: from 1e-6 the route takes ~30% less time than from
#: 1e-4 with the same bounds to 1e-7 bit; from 1e-7 one table lost 7e-7 bit)
WARM_MU = 1e-6
#: above this many LMI parameters (3x3 tables: 2,920; 2x3: 1,671) the exact-dual route runs only
#: where the bracket exceeds :data:`EXACT_DUAL_ABOVE_LARGE` too: its Schur complement grows like the
#: square of the parameters (measured, 3x3 table at m = 8: 110 s a bound with a 1e-7 rule, 100 s
#: with this one, the same bound and bracket 2.6e-6)
EXACT_DUAL_LARGE = 2000
EXACT_DUAL_ABOVE_LARGE = 1e-6
#: the interior point's stopping tolerance per node (:meth:`NodeRoutes.node_tolerance`) lies in
#: [TOL_TIGHT, TOL_LOOSE] (relative merit; ``ipm.SparseLMI.solve``'s default was 1e-9 for every node)
TOL_TIGHT = 1e-9
TOL_LOOSE = 1e-8
#: :meth:`NodeRoutes.primal_value` checks a moment vector's constraints to this (absolute)
PRIMAL_TOL = 1e-12
#: a warm start (for the node's chain successor, ``parallel.chain_predecessors``, and with
#: ``EntropyEngine(warm_start=True)`` for the next bound) is the first iterate whose
#: complementarity is at most this (:meth:`NodeRoutes.warm_point`)
WARM_FROM = 1e-3


class NodeRoutes:
    """The solver routes of :class:`entropy.EntropyEngine` (a mixin: it uses the engine's
    ``struct``, ``G``, ``E``, ``t``, ``w``, ``node_cost``, ``node_norm2`` and settings)."""

    def interior(self, i: int) -> DualPoint:
        """Strictly feasible dual point for node i (cached; needed only if a solver's dual is not PSD)."""
        if i not in self._interior:
            self._interior[i] = interior_dual_point(self.struct, self.G, self.E, self.node_cost(i, False),
                                                    self.node_norm2(i, False))
        return self._interior[i]

    def recession_direction(self) -> DualPoint:
        """A strictly feasible dual point of the zero objective (cached; independent of t and data):
        ``D > 0`` with ``F*(D) + G^T nu - E^T mu = 0``, ``mu >= 0`` (``certify.shift_into_cone``)."""
        if self._recession is None:
            # priced with the largest norm bound of the node SDPs (1 for all when rescaled), and
            # data rows up to 2 + 2 sqrt 2 (CHSH)
            norm2 = max(self.node_norm2(i) for i in self.node_indices)
            self._recession = self._cached_recession(norm2, RECESSION_DATA_BOUND)
            if self._recession.min_eig <= 0:
                raise SolverError("no strictly feasible recession direction of the dual (certificate impossible)")
        return self._recession

    def _cached_recession(self, norm2: float, data_bound: float) -> DualPoint:
        """:func:`certify.recession_direction`, kept on disk (``protocols.diskcache``) because it
        costs a Clarabel solve per engine (2.4 s for the CHSH engine, measured) and depends only on
        the moment structure, the data and norm rows and the norm bound. A loaded direction is not
        trusted: it is made exactly feasible again (``make_exact``) and used only if its smallest
        eigenvalue, recomputed, is positive; otherwise it is recomputed."""
        from .. import diskcache

        F = self.struct.Fstar.tocsr()
        key = diskcache.cache_key("bff-recession-v1", F.indptr, F.indices, F.data, self.G, self.E,
                                  float(norm2).hex(), float(data_bound).hex())
        stored = diskcache.load("bff", key)
        if stored is not None and {"z", "lam", "mu"} <= set(stored):
            try:
                point = make_exact(self.struct, self.G, self.E, np.zeros(self.struct.Fstar.shape[0]),
                                   stored["z"], stored["lam"], stored["mu"])
            except ValueError:  # wrong shapes: not ours
                point = None
            if point is not None and point.min_eig > 0 and np.all(np.isfinite(point.z)):
                return point
        point = recession_direction(self.struct, self.G, self.E, norm2, data_bound)
        diskcache.store("bff", key, {"z": point.z, "lam": point.lam, "mu": point.mu})
        return point

    def _solve_clarabel(self, i: int, d: np.ndarray):
        return solve_clarabel(self.struct, self.G, self.node_cost(i, False), d, self.solver_settings,
                              f"node t={self.t[i]:.4f}")

    def _solve_scs(self, i: int, d: np.ndarray):
        return solve_scs(self.struct, self.G, self.node_cost(i, False), d, self.solver_settings,
                         f"node t={self.t[i]:.4f}")

    def _moment_sdp(self):
        """The interior-point solver's index maps (``ipm.MomentSDP``), built once per engine."""
        if "ipm" not in self._cache:
            from .ipm import MomentSDP

            self._cache["ipm"] = MomentSDP(self.struct)
        return self._cache["ipm"]

    def _symmetry_group(self):
        """The relabelling symmetries of the moment structure (``symmetry.SymmetryGroup``), built once per engine."""
        if "symmetry" not in self._cache:
            from .symmetry import SymmetryGroup

            self._cache["symmetry"] = SymmetryGroup(self.struct, self.G, self.E, self.key_input)
        return self._cache["symmetry"]

    def _reducible(self, i: int, d: np.ndarray, d_lo: np.ndarray, d_hi: np.ndarray) -> bool:
        """Whether node i's SDP has a symmetry reduction for these data (``symmetry.py``; not with slack)."""
        if not self.symmetry or np.any(d_hi > d_lo):
            return False
        return self._symmetry_group().reduction(self.node_cost(i), d) is not None

    def _solve_ipm(self, i: int, d: np.ndarray, norm_rows: bool = True, d_lo: np.ndarray | None = None,
                   d_hi: np.ndarray | None = None, rescaled: bool | None = None, settings: dict | None = None,
                   symmetric: bool = False, scale: np.ndarray | None = None, start: tuple | None = None):
        """Our interior point (``ipm.py``) on node i's rescaled SDP, with the norm rows
        ``E y <= 1`` unless ``norm_rows=False`` (then the candidates carry ``mu = 0``).

        Data rows with an interval ``d_lo < d_hi`` (slack) enter as the two inequality rows
        ``G y <= d_hi`` and ``-G y <= -d_lo``, so the solve is the relaxation over the whole
        interval (its primal is that value); their multipliers come back as one ``lam = mu_lo -
        mu_hi`` per row, which :meth:`DualPoint.value` prices at the worst end of the interval.
        Returns the full result with the candidates in the engine's rows (``lam`` per data row).
        ``start``: the interior point's initial ``(y, Z, lam, s, mu)`` (:meth:`_warm_start_for`).
        """
        d_lo = d if d_lo is None else d_lo
        d_hi = d if d_hi is None else d_hi
        wide = d_hi > d_lo
        eq = ~wide
        n_norm = len(self.E) if norm_rows else 0
        E = np.vstack([self.E[:n_norm], self.G[wide], -self.G[wide]])
        h = np.concatenate([np.full(n_norm, self.node_norm2(i, rescaled)), d_hi[wide], -d_lo[wide]])
        c = self.node_cost(i, rescaled)
        reduced = self._symmetry_group().reduction(c, d) if symmetric and self.symmetry and not wide.any() else None
        settings = {"tol": self.node_tolerance(i), **self.solver_settings, **(settings or {})}
        if reduced is not None:  # the SDP on the invariant moments, lifted back (``symmetry.py``)
            res = reduced.solve(c, d, E, h, **settings)
        elif scale is not None:  # the moment matrix D Gamma D (:meth:`_equilibration`); Z = D Z' D
            res = self._moment_sdp().scaled(scale).solve(c, self.G[eq], d[eq], E, h, **settings)
            for it in [res, *res.trail]:
                it.Z = it.Z * np.outer(scale, scale)
        else:
            res = self._moment_sdp().solve(c, self.G[eq], d[eq], E, h, **settings, start=start)
        if res.status not in ("Solved", "AlmostSolved") and res.candidates[0].merit > 1e-3:
            raise SolverError(f"interior-point solver failed on node t={self.t[i]:.4f}: status {res.status} "
                              f"after {res.iterations} iterations")
        k = int(wide.sum())
        for it in [res, *res.trail]:  # the candidates are iterates of the trail
            lam = np.zeros(len(self.G))
            lam[eq] = it.lam
            lam[wide] = it.mu[n_norm + k:] - it.mu[n_norm:n_norm + k]
            it.lam = lam
            it.mu = it.mu[:n_norm] if norm_rows else np.zeros(len(self.E))
        return res

    def solve_node(self, i: int, d: np.ndarray, d_lo: np.ndarray, d_hi: np.ndarray,
                   warm: tuple | None = None) -> tuple[NodeReport, DualPoint]:
        """Solve node i's SDP and certify its dual (``certify.py``).

        With ``solver="ipm"`` the routes of the module docstring are tried in turn: with norm rows,
        at the engine's scale (original unless ``rescale``); equilibrated; the exact dual and the
        first route's thorough certificate; at the other scale; at the engine's scale with shorter
        steps (0.85 of the way to the boundary); without norm rows (only when every route before
        it raised); Clarabel. The next route runs only while the node's bracket, weighted, exceeds its share
        of :data:`BRACKET_BUDGET` (:meth:`node_budget`; the exact dual also needs
        :data:`EXACT_DUAL_ABOVE_LARGE` on large LMIs). Every certificate is a valid bound, so the
        best one is kept, and the report's ``primal`` is the least value of a moment vector checked
        feasible (:meth:`primal_value`) that any route found, else (``primal_verified`` false) the
        least unverified one (measured: a node that one route leaves at a loss of 5e-4 bit, another
        certifies to 1e-6).

        ``warm``: a start for the first unreduced route (:meth:`warm_point` of this node in an earlier
        bound; ignored with slack or where it is not strictly feasible; a warm run that fails is
        run again cold). The report carries the node's :meth:`warm_point` (for its successor in the
        bound's chain, ``parallel.chain_predecessors``, and with ``warm_start`` for the next bound).
        """
        if self.solver != "ipm":
            solve = {"clarabel": self._solve_clarabel, "scs": self._solve_scs}[self.solver]
            return self._certify_conic(i, d, d_lo, d_hi, solve)
        weight = self.w[i] / (self.t[i] * LN2)
        budget = self.node_budget(i)
        errors: list[str] = []
        best: tuple[NodeReport, DualPoint] | None = None
        upper = unverified = np.inf  # the least primal value checked feasible / of any route
        first, other = self.rescale, not self.rescale
        other_label = " (rescaled)" if other else " (original scale)"
        # (norm rows, rescaled, settings, label, kind)
        routes = [(True, first, {}, "", "full"), (True, first, {}, " (equilibrated)", "equilibrated"),
                  (True, other, {}, other_label, "full"),
                  (True, first, {"step": 0.85}, " (rescaled, shorter steps)" if first else " (shorter steps)", "full"),
                  (False, first, {}, " (without norm rows)", "full")]
        if self._reducible(i, d, d_lo, d_hi):  # the reduced SDP at both scales first, at a fifth of the cost
            routes[:0] = [(True, first, {}, " (symmetry-reduced)", "reduced"),
                          (True, other, {}, f" (symmetry-reduced){other_label}", "reduced")]
        first_full: tuple | None = None  # (result, rescaled, settings) of the first unreduced route
        warm_next = None

        def keep(candidate: tuple[NodeReport, DualPoint]) -> None:
            nonlocal best
            if best is None or candidate[0].certified > best[0].certified:
                best = candidate

        def ceiling() -> float:  # the primal value the bracket is measured from
            return upper if np.isfinite(upper) else unverified

        def over_budget() -> bool:
            return best is None or weight * (ceiling() - best[0].certified) > budget

        for norm_rows, rescaled, settings, label, kind in routes:
            if not norm_rows and best is not None:
                break  # a looser SDP: a fallback where every route with the norm rows failed (it won
                # no node of the tightness corpus at m = 8 or 16 as a retry)
            if kind == "equilibrated" and first_full is None:
                continue
            scale = self._equilibration(first_full[0]) if kind == "equilibrated" else None
            start = warm if kind == "full" and first_full is None else None
            try:  # the first routes' certificates are quick: the later routes usually do better
                report, point, res = self._certify_ipm(i, d, d_lo, d_hi, norm_rows, rescaled, settings,
                                                       quick=kind != "full" or first_full is None,
                                                       symmetric=kind == "reduced", scale=scale, start=start)
                report.status += label
                if norm_rows:  # without them it is a looser SDP: its primal bounds that one only
                    if report.primal_verified:
                        upper = min(upper, report.primal)
                    else:
                        unverified = min(unverified, report.primal)
                keep((report, point))
                if kind == "full" and first_full is None:
                    first_full = (res, rescaled, settings)
                    warm_next = self.warm_point(i, res, rescaled)
            except SolverError as exc:
                errors.append(str(exc))
            if kind == "equilibrated" and over_budget():
                # the exact dual, warm-started from the first unreduced route, then that route's
                # thorough certificate (never from a symmetry-reduced route: module docstring)
                res0, rescaled0, settings0 = first_full
                if weight * (ceiling() - best[0].certified) > self._exact_dual_above():
                    try:
                        keep(self._certify_exact_dual(i, d, d_lo, d_hi, rescaled0, settings0, warm=res0))
                    except SolverError as exc:
                        errors.append(str(exc))
                if over_budget():
                    report, point = self._moment_certificate(i, res0, d_lo, d_hi, True, rescaled0, quick=False)
                    keep((report, point))
            if best is not None and np.isfinite(ceiling()):
                best[0].primal, best[0].primal_verified = ceiling(), bool(np.isfinite(upper))
            if not over_budget():
                best[0].warm = warm_next
                return best
        if best is not None:
            best[0].warm = warm_next
            return best
        try:
            report, point = self._certify_conic(i, d, d_lo, d_hi, self._solve_clarabel)
        except SolverError as exc:
            raise SolverError(f"{'; '.join(errors)}; Clarabel retry: {exc}") from exc
        report.status = f"clarabel-retry:{report.status}"
        return report, point

    def _certify_ipm(self, i: int, d: np.ndarray, d_lo: np.ndarray, d_hi: np.ndarray, norm_rows: bool = True,
                     rescaled: bool | None = None, settings: dict | None = None, quick: bool = False,
                     symmetric: bool = False, scale: np.ndarray | None = None, start: tuple | None = None):
        """Our interior point on the moment form and the best certificate of its duals
        (:meth:`_moment_certificate`). Returns the report, the certificate and the solver's
        result (its iterates warm-start :meth:`_certify_exact_dual`). ``start``: a
        :meth:`warm_point`, used where it fits (:meth:`_warm_start_for`); if the warm run fails
        the SDP is solved again from the default start."""
        start = self._warm_start_for(i, start, norm_rows, rescaled, d_lo, d_hi) if not symmetric and scale is None \
            else None
        if start is not None:
            with contextlib.suppress(SolverError):  # a warm run that fails is solved again below, cold
                res = self._solve_ipm(i, d, norm_rows, d_lo, d_hi, rescaled, settings, start=start)
                if res.status in ("Solved", "AlmostSolved"):
                    return (*self._moment_certificate(i, res, d_lo, d_hi, norm_rows, rescaled, quick), res)
        res = self._solve_ipm(i, d, norm_rows, d_lo, d_hi, rescaled, settings, symmetric, scale)
        return (*self._moment_certificate(i, res, d_lo, d_hi, norm_rows, rescaled, quick), res)

    def _moment_certificate(self, i: int, res, d_lo: np.ndarray, d_hi: np.ndarray, norm_rows: bool,
                            rescaled: bool | None, quick: bool) -> tuple[NodeReport, DualPoint]:
        """The certificate of a moment-form run (``certify.best_certificate``; ``quick``: the
        best iterate made exact without a repair where that is within the node's share of the
        bracket budget (:meth:`node_budget`), else repaired). ``primal`` in the report is the least value of an iterate
        that is primal feasible (:meth:`primal_value`): an upper bound on the relaxation, so the
        relaxation's exact value lies in ``[certified, primal]``; where none is, the solver's value
        (``primal_verified`` false)."""
        norm2, c = self.node_norm2(i, rescaled), self.node_cost(i, rescaled)
        upper = self.least_primal_value(i, (it.y for it in res.trail[:8]), c, d_lo, d_hi,
                                        norm2 if norm_rows else np.inf)
        primal = res.primal if upper is None else upper
        weight, budget = self.w[i] / (self.t[i] * LN2), self.node_budget(i)
        point, theta, how = best_certificate(self.struct, self._moment_sdp(), self.G, self.E, c,
                                             res.candidates, norm2,
                                             value=lambda p: p.value(self.struct, norm2, d_lo, d_hi),
                                             recession=self.recession_direction, quick=quick,
                                             enough=lambda v: weight * (primal - v) <= budget)
        value = point.value(self.struct, norm2, d_lo, d_hi) - point.penalty
        report = NodeReport(float(self.t[i]), float(self.w[i]), f"ipm:{res.status}", primal, value, theta, how,
                            norm2, primal_verified=upper is not None)
        return report, point

    def least_primal_value(self, i: int, moments, c: np.ndarray, d_lo: np.ndarray, d_hi: np.ndarray,
                           norm2: float) -> float | None:
        """The least :meth:`primal_value` of the moment vectors ``moments``, or ``None`` if none is feasible."""
        values = [self.primal_value(i, y, c, d_lo, d_hi, norm2) for y in moments]
        values = [v for v in values if v is not None]
        return min(values) if values else None

    def primal_value(self, i: int, y: np.ndarray, c: np.ndarray, d_lo: np.ndarray, d_hi: np.ndarray,
                     norm2: float) -> float | None:
        """``c.y`` if the moments ``y`` are feasible for node i's SDP (moment matrix positive
        semidefinite, data rows within ``[d_lo, d_hi]`` and norm rows within ``norm2``, each to
        :data:`PRIMAL_TOL`), else ``None``. A feasible point's value is an upper bound on the SDP's
        infimum: with the certified lower bound it brackets the relaxation's exact value (a
        measurement of tightness, not part of the certificate). The tolerance admits points of
        the SDP relaxed by ``tau`` = :data:`PRIMAL_TOL`, whose infimum is below the SDP's by at most
        ``tau (tr Z + |lam|_1 + sum mu)`` for an optimal dual point (weak duality, as in
        ``certify.py``): ~1e-11 bit or less beside brackets of ~1e-8-1e-7. Without it the moment
        matrix of a pure-state table, singular at the optimum, never passed: its computed smallest
        eigenvalue sat at -2e-13 to -1e-12, the rounding of entries up to ~3e3 (measured on the
        binned-qubit table at eta = 1, m = 8)."""
        g = self.G @ y
        if np.any(g < d_lo - PRIMAL_TOL) or np.any(g > d_hi + PRIMAL_TOL) or np.any(self.E @ y > norm2 + PRIMAL_TOL):
            return None
        sdp = self._moment_sdp()
        if float(np.linalg.eigvalsh(sdp.F0 + sdp.A(y))[0]) < -PRIMAL_TOL:
            return None
        return float(c @ y)

    def _equilibration(self, res) -> np.ndarray:
        """The diagonal scaling ``D = diag(Gamma)^-1/2`` of the moment matrix ``Gamma`` at a solver
        result's best iterate (entries below 1e-12 of the largest held there), normalised to
        geometric mean 1: the LMI ``D Gamma D >= 0`` (unit diagonal at that point) has the same
        feasible moments, and its iterates' ``Z' `` give the dual ``Z = D Z' D``. **Our measurement**
        (binned-qubit nodes at t ~ 0.006-0.02, where Eve's second moments reach ~1/t^2: the
        unscaled dual's smallest eigenvalues stall at the rounding of its largest, ~1e-15):
        brackets 1.0e-6 -> 4.4e-7 and 2.9e-7 -> 4.5e-8 bit, in a quarter of the time."""
        sdp = self._moment_sdp()
        diag = np.diag(sdp.F0 + sdp.A(res.y))
        diag = np.maximum(diag, 1e-12 * float(diag.max()))
        scale = diag ** -0.5
        return scale / np.exp(np.mean(np.log(scale)))

    def warm_point(self, i: int, res, rescaled: bool | None) -> tuple | None:
        """The start node i hands to its chain successor in the bound and, with ``warm_start``, to
        its own solve in the engine's next bound: the first iterate of a
        moment-form run whose complementarity ``mu`` is at most :data:`WARM_FROM` and whose moment
        matrix is positive definite, as ``(rescaled, y, Z, lam, mu)`` (``None`` if there is none).
        Not an optimum but a centred point near it: the next SDP, a little different, starts inside
        both cones close to its own central path. **Our measurement** (post-selected photonic nodes,
        m = 16, ``p, p_N`` moved by (0.015, 0.003)): 11-14 instead of 20-22 iterations from ``mu`` ~
        1e-3; from ~3e-2 a start often fails at its first step (its moment matrix is indefinite
        before the primal residual has closed)."""
        sdp = self._moment_sdp()
        for it in reversed(res.trail):  # in the order they were taken
            if it.complementarity > WARM_FROM:
                continue
            try:
                np.linalg.cholesky(sdp.F0 + sdp.A(it.y))
                np.linalg.cholesky(it.Z)
            except np.linalg.LinAlgError:
                continue
            return (self._rescaled(rescaled), it.y.copy(), it.Z.copy(), it.lam.copy(), it.mu.copy())
        return None

    def _warm_start_for(self, i: int, warm: tuple | None, norm_rows: bool, rescaled: bool | None,
                        d_lo: np.ndarray, d_hi: np.ndarray) -> tuple | None:
        """``(y, Z, lam, s, mu)`` for the interior point from a :meth:`warm_point` of node i, or
        ``None`` where it does not fit: another scale, no norm rows, slack rows (their
        multipliers are not kept), or a norm row that the start's moments do not hold strictly."""
        if warm is None or not norm_rows or np.any(d_hi > d_lo):
            return None
        scaled, y, Z, lam, mu = warm
        if scaled != self._rescaled(rescaled) or len(y) != len(self.struct.variables) or len(mu) != len(self.E):
            return None
        s = self.node_norm2(i, rescaled) - self.E @ y
        if np.any(s <= 0) or np.any(mu <= 0):
            return None
        return y, Z, lam, s, mu

    def node_budget(self, i: int) -> float:
        """Node i's share of :data:`BRACKET_BUDGET` (bit, weighted): equal shares, at least
        :data:`SHARE_FLOOR` each, except that the node of smallest t gets :data:`SMALLEST_T_SHARES`
        of them, so brackets within their shares sum to at most the budget (for m <= 16). That
        node carries the largest weight ``w/(t ln 2)`` and is the hardest to solve: measured on the
        2x3 benchmark table at m = 8 (``benchmarks/run.py``), its first route's bracket scattered
        between 7.8e-8 and 1.4e-7 with the rounding of the Schur complement (NumPy or compiled),
        around an equal share of 1.1e-7, and above it the node ran three more routes (the bound
        4.5-5.2 s instead of ~3 s) while the other six nodes used 4e-9-4e-8 of their shares.
        (Shares in proportion to the nodes' weights were tried: they sent every mid node through
        the exact-dual route, twice the time for brackets ~20% narrower, measured on the
        binned-qubit tables at m = 16. So was, on 2026-12-03, a budget spent in two passes: every
        node within the whole budget first, then further routes for the nodes over their share
        only where the sum exceeded it: 2x3 table at m = 8 3.0-3.3 s instead of 3.8-4.2 s, but the
        brackets grew towards the budget, e.g. eta = 0.96 at m = 8 from 4.3e-7 to 9.0e-7 and
        eta = 0.80 at m = 16 to 1.14e-6, and rounds of one or two nodes left a core idle.)"""
        share = max(BRACKET_BUDGET / (len(self.node_indices) + SMALLEST_T_SHARES - 1), SHARE_FLOOR)
        smallest = min(self.node_indices, key=lambda k: self.t[k])
        return SMALLEST_T_SHARES * share if i == smallest else share

    def node_tolerance(self, i: int) -> float:
        """The interior point's stopping tolerance on node i's moment form (its relative merit:
        gap and infeasibilities; ``ipm.SparseLMI.solve``): what the node's share of
        :data:`BRACKET_BUDGET` needs, ``share / (12 weight)`` (the weighted gap ``weight |p - d|``
        is at most ``3 weight`` times the merit for node values in [-1, 0], and a quarter of the
        share is left to it), between :data:`TOL_TIGHT` and :data:`TOL_LOOSE`. Measured on the 2x3
        benchmark table at m = 8 (``benchmarks/run.py``): a fixed 1e-8 for every node took the bound
        from 4.1 s to 3.0-3.3 s with its bracket 1.4e-7 -> 1.7e-7 and 4 of 7 nodes Solved instead
        of 2; a fixed 3e-8 took 6.1-6.3 s (nodes over their share ran further routes)."""
        weight = self.w[i] / (self.t[i] * LN2)
        return float(np.clip(self.node_budget(i) / (12.0 * weight), TOL_TIGHT, TOL_LOOSE))

    def _exact_dual_above(self) -> float:
        """A floor under the bracket (bit, weighted) above which the exact-dual route runs: 0, or
        :data:`EXACT_DUAL_ABOVE_LARGE` when the LMI has more than :data:`EXACT_DUAL_LARGE`
        parameters (one per lower-triangle entry of ``Z`` that is not a moment's representative,
        plus the data and norm multipliers)."""
        params = self.struct.L - len(self.struct.variables) + 2 * len(self.G) + len(self.E)
        return 0.0 if params <= EXACT_DUAL_LARGE else EXACT_DUAL_ABOVE_LARGE

    def _certify_exact_dual(self, i: int, d: np.ndarray, d_lo: np.ndarray, d_hi: np.ndarray,
                            rescaled: bool | None = None, settings: dict | None = None,
                            warm=None) -> tuple[NodeReport, DualPoint]:
        """Node i's dual solved as an LMI in its free parameters (``dual_form.py``): every iterate
        is an exactly feasible dual point, so the certificate is the solver's own value, less a
        rounding penalty. Of the iterates the best certified one (or a mix of it with an earlier,
        more central one) is kept; ``primal`` is the moment side's value at it, never verified
        (``primal_verified`` false): the moment side carries the LMI's residual (``dual_form.py``),
        and read off as moments (the mean of each moment's entries) it failed :meth:`primal_value`
        on every exact-dual run measured (binned-qubit eta = 0.80 and 0.96, cat table, m = 8), so
        :meth:`solve_node` takes the node's upper end from its moment-form routes.

        ``warm``: the moment-form interior point's result on the same SDP (same ``rescaled``); its
        iterate at ``mu ~`` :data:`WARM_MU` is a centred point of this problem too (the roles of ``S``
        and ``Z`` swap), made exactly feasible by :func:`certify.scaled_repair`. Measured: ~10 instead
        of ~25 iterations, and without it the LMI's own residual never closes (an infeasible start
        leaves ``Z(v)`` indefinite by ~1e-12, charged at the worst-case moment size).
        """
        c, norm2 = self.node_cost(i, rescaled), self.node_norm2(i, rescaled)
        form = dual_lmi(self.struct, self.G, self.E, c, d_lo, d_hi, np.full(len(self.E), norm2))
        start = None if warm is None else self._warm_start(form, warm, c, d_lo, d_hi, norm2)
        if start is None:
            raise SolverError(f"exact-dual interior point on node t={self.t[i]:.4f}: no interior starting point")
        res = form.sdp.solve(form.cost, np.zeros((0, form.sdp.m)), np.zeros(0), form.E, form.h,
                             **{**self.solver_settings, **(settings or {})}, start=start)
        points: list[tuple[DualPoint, float]] = []
        for it in res.trail:  # every iterate (the candidates among them)
            z, lam, mu = form.unpack(it.y)
            points.append((make_exact(self.struct, self.G, self.E, c, z, lam, mu), form.moment_value(it.Z)))
        value_of = lambda p: p.value(self.struct, norm2, d_lo, d_hi)  # noqa: E731
        best = exact_certificate(self.struct, self.G, self.E, c, [p for p, _ in points], norm2, value_of)
        if best is None:
            raise SolverError(f"exact-dual interior point failed on node t={self.t[i]:.4f}: status {res.status}")
        point, k, theta = best
        value = value_of(point) - point.penalty
        report = NodeReport(float(self.t[i]), float(self.w[i]), f"dual-ipm:{res.status}", points[k][1], value,
                            theta, "exact-dual" + (f"-mixed-{k}" if theta else ""), norm2)
        return report, point

    def _warm_start(self, form, warm, c: np.ndarray, d_lo: np.ndarray, d_hi: np.ndarray, norm2: float):
        """A strictly feasible start for the exact-dual LMI from a moment-form iterate at ``mu``
        just above :data:`WARM_MU` (``_certify_exact_dual``; if its repair leaves the cone, one of
        the two before it), or ``None``."""
        for it in [it for it in warm.trail if it.complementarity >= WARM_MU][:3]:
            Z, lam, mu, size = scaled_repair(self._moment_sdp(), self.G, self.E, c, it.Z, it.lam, it.mu)
            if size < 0.9 and np.all(mu > 0):
                break
        else:  # no iterate (of the three closest to WARM_MU) repairs inside the cone
            return None
        rows, cols = self.struct._tril
        free = form.free_positions
        wide = d_hi > d_lo
        g = self.G @ it.y
        lam_v, lam_dual = [], []
        for row, sign in form.lam_rows:
            if not wide[row]:
                lam_v.append(lam[row])
                continue
            lam_v.append(max(sign * lam[row], 0.0) + 1e-6)  # strictly inside lam+/- >= 0
            lam_dual.append(max(g[row] - d_lo[row], 1e-9) if sign > 0 else max(d_hi[row] - g[row], 1e-9))
        v0 = np.concatenate([Z[rows[free], cols[free]], lam_v, mu * norm2])
        slack_norm = np.maximum(norm2 - self.E @ it.y, 1e-12) / norm2
        signs_v = np.concatenate([[lv for (row, _), lv in zip(form.lam_rows, lam_v, strict=True) if wide[row]],
                                  mu * norm2])
        moment = self._moment_sdp()
        X0 = moment.F0 + moment.A(it.y)
        if float(np.linalg.eigvalsh(form.sdp.F0 + form.sdp.A(v0))[0]) <= 0.0:
            return None
        return v0, X0, np.zeros(0), signs_v, np.concatenate([lam_dual, slack_norm])

    def _certify_conic(self, i: int, d: np.ndarray, d_lo: np.ndarray, d_hi: np.ndarray,
                       solve) -> tuple[NodeReport, DualPoint]:
        """Clarabel or SCS: polish with SCS if needed, mix with a strictly feasible point (``certify.certify``)."""
        status, primal, z, lam = solve(i, d)
        c, norm2 = self.node_cost(i, False), self.node_norm2(i, False)
        first = make_exact(self.struct, self.G, self.E, c, z, lam, np.zeros(len(self.E)))
        weight = self.w[i] / (self.t[i] * LN2)
        if eigen_penalty(self.struct, first.z, norm2)[0] * weight > POLISH_ABOVE:
            polished = polish_scs(self.struct, self.G, c, d, z, lam)
            if polished is not None:
                z, lam = polished
                status += "+scs-polish"
        # mu = 0: the norm rows are not in the solved problem; they only guarantee that a strictly
        # feasible dual point exists for the repair (certify.py)
        point, theta, penalty = certify(self.struct, self.G, self.E, c, z, lam, np.zeros(len(self.E)),
                                        lambda: self.interior(i), norm2,
                                        value=lambda p: p.value(self.struct, norm2, d_lo, d_hi))
        point.penalty = penalty
        value = point.value(self.struct, norm2, d_lo, d_hi) - penalty
        route = "mixed" if theta else "exact"
        return NodeReport(float(self.t[i]), float(self.w[i]), status, primal, value, theta, route, norm2), point
