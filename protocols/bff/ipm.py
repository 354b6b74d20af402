"""A primal-dual interior-point solver for moment SDPs, using that each matrix entry is one moment.

Problem (moment form, as in ``certify.py``)::

    min c.y   s.t.   S = F0 + A(y) >= 0,   G y = d,   E y <= h          A(y) = sum_k y_k F_k
    max d.lam - <F0, Z> - h.mu   s.t.   A*(Z) + G^T lam - E^T mu = c,  Z >= 0,  mu >= 0

``E y <= h`` are the norm rows ``<Z_a* Z_a>, <Z_a Z_a*> <= alpha^2`` (``entropy.py``). They
bound the primal feasible set: without them the relaxation's optimum drifts to ever larger Eve
moments (measured: moments of 300+ at the 2x3 nodes near the efficiency threshold), the dual has
no strictly feasible point, and the solver stalls with a primal-dual gap of ~1e-6.

Every entry of a moment matrix is either the constant 1 (``F0``) or exactly one variable, so the
``F_k`` are 0/1 matrices with disjoint supports. General-purpose conic solvers factor a KKT
system with a dense block of the PSD cone's dimension ``n(n+1)/2`` (~2,300 for the 68x68
matrix of a 2x3 scenario); the Schur-complement method of SDPA/CSDP-type solvers factors only
the ``m x m`` matrix ``M_kl = tr(F_k S^-1 F_l Z) + sum_j E_jk (mu_j / s_j) E_jl`` (m = number of
moments, ~700), which is several times cheaper here (``benchmarks/bench_protocols.py``). ``M``
itself is formed from the nonzeros of each ``F_k`` (:class:`_SchurPlan`), not from dense
``n x n`` products.

Method: infeasible primal-dual path following with the HKM direction and Mehrotra's
predictor-corrector (Helmberg, Rendl, Vanderbei, Wolkowicz, SIAM J. Optim. 6, 342 (1996);
Kojima, Shindoh, Hara (1997); Monteiro (1997); Mehrotra, SIAM J. Optim. 2, 575 (1992)); the
linear block is the usual LP complementarity ``s_j mu_j = sigma mu``. The Newton system is reduced
to ``[[M, G^T], [G, 0]]`` and solved by Cholesky of the Jacobi-scaled ``M`` (its diagonal spans
~10 orders of magnitude near the optimum; scaling halves the iterations' residual floor, measured).
Nothing here needs to be exact: the engine certifies the returned dual (``certify.py``).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import scipy.linalg as la
import scipy.sparse as sp

from . import schur_kernel
from .moment_matrix import MomentStructure


@dataclass
class Iterate:
    """One interior-point iterate: primal ``y`` (moments), dual ``Z``, ``lam``, ``mu``, its merit and ``mu`` gap."""

    merit: float
    y: np.ndarray
    Z: np.ndarray
    lam: np.ndarray
    mu: np.ndarray
    complementarity: float


@dataclass
class IPMResult:
    status: str
    iterations: int
    primal: float
    dual: float
    y: np.ndarray
    Z: np.ndarray
    lam: np.ndarray
    mu: np.ndarray = field(default_factory=lambda: np.zeros(0))
    #: the best iterate first, then up to three earlier (more central) ones, for the certificate
    candidates: list[Iterate] = field(default_factory=list)
    #: every iterate, most recent first (``c.y`` may still improve after the best merit, and
    #: earlier ones are further inside the cone: ``certify.exact_certificate`` mixes them)
    trail: list[Iterate] = field(default_factory=list)
    #: solved on the symmetry-reduced SDP (``symmetry.py``) and lifted
    reduced: bool = False


class SparseLMI:
    """``S = F0 + sum_k y_k F_k`` with sparse symmetric ``F_k`` given by their entries (built once, reused).

    ``entries[k] = (rows, cols, values)`` lists every nonzero of the full symmetric matrix ``F_k``.
    ``P`` (``m x n^2``) holds ``vec F_k`` as rows, so ``A*(Z) = P vec(Z)``; ``F_sp`` stacks the
    ``F_k`` for the Schur complement.
    """

    #: the diagonal blocks of every matrix here (one: the whole matrix; ``block_lmi.BlockLMI`` has several)
    blocks: tuple | list = (slice(None),)

    def __init__(self, n: int, F0: np.ndarray, entries: list[tuple[np.ndarray, np.ndarray, np.ndarray]]) -> None:
        k = np.concatenate([np.full(len(e[0]), j) for j, e in enumerate(entries)]).astype(int)
        r = np.concatenate([e[0] for e in entries]).astype(int)
        c = np.concatenate([e[1] for e in entries]).astype(int)
        v = np.concatenate([e[2] for e in entries]).astype(float)
        self.n, self.m = n, len(entries)
        self.F0 = np.asarray(F0, dtype=float)
        self.P = sp.csr_matrix((v, (k, r * n + c)), shape=(self.m, n * n))
        self._PT = self.P.T.tocsr()
        self.F_sp = sp.csr_matrix((v, (k * n + r, c)), shape=(self.m * n, n))
        self._plan = _SchurPlan(self.P, n)

    def A(self, y: np.ndarray) -> np.ndarray:
        return (self._PT @ y).reshape(self.n, self.n)

    def A_adj(self, Z: np.ndarray) -> np.ndarray:
        return self.P @ Z.ravel()

    def schur(self, Sinv: np.ndarray, Z: np.ndarray) -> np.ndarray:
        """``M_kl = tr(F_k S^-1 F_l Z)`` from the nonzeros of each ``F_l`` (:class:`_SchurPlan`)."""
        return self._plan(Sinv, Z)

    def schur_diagonal(self, Sinv: np.ndarray, Z: np.ndarray) -> np.ndarray:
        """The diagonal ``M_kk = tr(F_k S^-1 F_k Z)`` of :meth:`schur` alone (:meth:`_SchurPlan.diagonal`)."""
        return self._plan.diagonal(Sinv, Z)

    def psd_root(self, Z: np.ndarray) -> np.ndarray:
        """``R`` with ``R R^T = Z`` (``Z``'s negative eigenvalues dropped): ``Q diag(sqrt w)``."""
        w, Q = np.linalg.eigh(Z)
        return Q * np.sqrt(np.maximum(w, 0.0))

    def newton_schur(self, Ls: np.ndarray, Lz: np.ndarray, Sinv: np.ndarray, Z: np.ndarray) -> np.ndarray:
        """The Schur complement of a Newton step, given ``S = Ls Ls^T`` and ``Z = Lz Lz^T`` too: here
        :meth:`schur` (its Gram form, ``block_lmi.BlockLMI.schur_gram``, costs ``m^2 n^2`` flops,
        more than it wins for sparse ``F_k``: measured, binned-qubit 2x3 table at m = 16, one
        process, 52 s instead of 32 s a bound, bracket 9.0e-7 instead of 1.2e-6)."""
        return self.schur(Sinv, Z)

    def congruences(self, R: np.ndarray) -> np.ndarray:
        """``R^T F_k R`` for every ``k`` (``m x n x n``), from the nonzeros of each ``F_k``
        (:meth:`_SchurPlan.congruences`)."""
        return self._plan.congruences(R)

    def dense_schur(self, Sinv: np.ndarray, Z: np.ndarray) -> np.ndarray:
        """``M_kl = tr(F_k S^-1 F_l Z)`` from the dense products ``S^-1 (F_l Z)``: the reference
        :meth:`schur` is tested against (``tests/protocols/test_ipm.py``)."""
        n, m = self.n, self.m
        T = (self.F_sp @ Z).reshape(m, n, n)  # F_l Z
        R = np.matmul(Sinv, T).reshape(m, n * n)  # S^-1 F_l Z, row l
        M = np.asarray(self.P @ R.T)  # M[k, l] = <F_k, S^-1 F_l Z>
        return (M + M.T) / 2.0

    def solve(self, c: np.ndarray, G: np.ndarray, d: np.ndarray, E: np.ndarray | None = None,
              h: np.ndarray | None = None, tol: float = 1e-9, max_iter: int = 80, step: float = 0.95,
              stall_gap: float = 1e-5, patience: int = 4, exact_slack: bool = True,
              start: tuple | None = None) -> IPMResult:
        """Solve the moment SDP; the most accurate iterate (by max of relative gap and
        infeasibilities) is returned, with up to three earlier iterates as ``candidates``.

        Status ``"Solved"`` (all three below ``tol``), ``"AlmostSolved"`` (stopped by rounding,
        ``patience`` iterations without a better merit, with the best below ``stall_gap``),
        otherwise ``"MaxIter"``/``"NumericalError"``. ``step``: fraction of the distance to the
        cone's boundary taken (0.95: measured on the 2x3 post-selection SDPs, 0.98 stalls more often).
        ``exact_slack``: once the primal residual ``F0 + A(y) - S`` is below a tenth of
        ``lambda_min(S)``, ``S`` is replaced by ``F0 + A(y)`` itself (still positive definite by
        Weyl), so from then on the LMI holds exactly at every iterate (up to one rounding).
        ``start``: an initial point ``(y, Z, lam, s, mu)`` with ``F0 + A(y)`` and ``Z`` positive
        definite and ``s, mu > 0`` (a warm start; default: a multiple of the identity).
        """
        n, m = self.n, self.m
        E = np.zeros((0, m)) if E is None else np.asarray(E, dtype=float)
        h = np.zeros(0) if h is None else np.asarray(h, dtype=float)
        ne = len(h)
        scale = max(10.0, float(np.abs(c).max()))
        y, lam, S, Z = np.zeros(m), np.zeros(len(d)), np.eye(n) * scale, np.eye(n) * scale
        s, mu_e = np.maximum(h, 1.0), np.full(ne, scale)
        if start is not None:
            y, Z, lam, s, mu_e = (np.array(v, dtype=float) for v in start)
            S = self.F0 + self.A(y)
        status, it = "MaxIter", 0
        history: list[Iterate] = []
        best_it = 0
        for it in range(1, max_iter + 1):  # noqa: B007  (the count is reported)
            Rp, Re, Rl = self.F0 + self.A(y) - S, d - G @ y, h - E @ y - s
            Rd = c - self.A_adj(Z) - G.T @ lam + E.T @ mu_e
            mu = (float(np.sum(S * Z)) + float(s @ mu_e)) / (n + ne)
            pobj, dobj = float(c @ y), float(d @ lam - np.sum(self.F0 * Z) - h @ mu_e)
            gap = abs(pobj - dobj) / (1.0 + abs(pobj) + abs(dobj))
            pinf = max(np.abs(Rp).max(), np.abs(Re).max(initial=0.0),
                       np.abs(Rl).max(initial=0.0) / (1.0 + np.abs(h).max(initial=0.0)))
            pinf /= 1.0 + np.abs(d).max(initial=0.0)
            dinf = np.abs(Rd).max() / (1.0 + np.abs(c).max())
            merit = max(gap, pinf, dinf)
            history.append(Iterate(merit, y, Z, lam, mu_e, mu))
            if merit < history[best_it].merit:
                best_it = len(history) - 1
            if merit < tol:
                status = "Solved"
                break
            stalled = len(history) - 1 - best_it >= patience and history[best_it].merit < stall_gap
            if stalled or mu < 1e-3 * tol * (1 + abs(pobj)):
                break
            try:
                newton = _Newton(self, S, Z, s, mu_e, G, E, Rp, Re, Rl, Rd)
            except la.LinAlgError:  # an iterate lost definiteness to rounding: the best one stands
                status = "NumericalError"
                break
            lp_aff = -s * mu_e
            dy, dS, dZ, dlam, ds, dmu = newton.direction(-Z, None, lp_aff)  # predictor (affine scaling)
            ap, ad = newton.steps(dS, dZ, ds, dmu, step)
            mu_aff = float(np.sum((S + ap * dS) * (Z + ad * dZ))) + float((s + ap * ds) @ (mu_e + ad * dmu))
            mu_aff /= n + ne
            sigma = min(1.0, (mu_aff / mu) ** 3) if mu > 0 else 0.0
            dy, dS, dZ, dlam, ds, dmu = newton.direction(sigma * mu * newton.Sinv - Z, newton.Sinv @ dS @ dZ,
                                                         sigma * mu - s * mu_e - ds * dmu)  # corrector
            ap, ad = newton.steps(dS, dZ, ds, dmu, step)
            y, S, s = y + ap * dy, S + ap * dS, s + ap * ds
            Z, lam, mu_e = Z + ad * dZ, lam + ad * dlam, mu_e + ad * dmu
            S, Z = (S + S.T) / 2.0, (Z + Z.T) / 2.0
            if exact_slack:
                S = _exact_slack(self, S, y)
        best = history[best_it]
        if status != "Solved" and best.merit < stall_gap:
            status = "AlmostSolved"
        pobj = float(c @ best.y)
        dobj = float(d @ best.lam - np.sum(self.F0 * best.Z) - h @ best.mu)
        earlier = [history[k] for k in range(best_it - 1, max(best_it - 4, -1), -1)]
        return IPMResult(status, it, pobj, dobj, best.y, best.Z, best.lam, best.mu, [best] + earlier,
                         history[::-1])


class MomentSDP(SparseLMI):
    """A moment matrix: every entry is the constant 1 (``F0``) or exactly one variable, so the
    ``F_k`` are 0/1 matrices with disjoint supports (``A(y)`` is a gather)."""

    def __init__(self, struct: MomentStructure) -> None:
        n = struct.n
        rows = np.concatenate([np.arange(c, n) for c in range(n)])
        cols = np.concatenate([np.full(n - c, c) for c in range(n)])
        var_svec = np.full(struct.L, -1)
        F = struct.Fstar.tocoo()
        var_svec[F.col] = F.row
        var_of = np.full((n, n), -1)
        var_of[rows, cols] = var_svec
        var_of[cols, rows] = var_svec
        self._build(var_of, len(struct.variables))

    @classmethod
    def from_entries(cls, var_of: np.ndarray) -> MomentSDP:
        """The LMI whose entry ``(a, b)`` holds moment ``var_of[a, b]`` (-1: the constant 1)."""
        sdp = cls.__new__(cls)
        sdp._build(np.asarray(var_of), int(np.max(var_of)) + 1)
        return sdp

    def _build(self, var_of: np.ndarray, m: int) -> None:
        n = var_of.shape[0]
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
        self._plan = _SchurPlan(self.P, n)

    def A(self, y: np.ndarray) -> np.ndarray:
        return np.where(self.var_of >= 0, y[np.maximum(self.var_of, 0)], 0.0)

    def scaled(self, scale: np.ndarray) -> SparseLMI:
        """The congruent LMI ``D (F0 + A(y)) D`` with ``D = diag(scale)`` (positive): the same
        feasible ``y``; its dual ``Z'`` is ``D^-1 Z D^-1`` of this one's (``routes._equilibration``)."""
        n = self.n
        P = self.P.tocsr()
        a, b = np.divmod(P.indices, n)
        values = scale[a] * scale[b]
        entries = [(a[P.indptr[k]:P.indptr[k + 1]], b[P.indptr[k]:P.indptr[k + 1]],
                    values[P.indptr[k]:P.indptr[k + 1]]) for k in range(self.m)]
        return SparseLMI(n, self.F0 * np.outer(scale, scale), entries)


#: bytes of the products ``S^-1 F_l Z`` that :class:`_SchurPlan` forms at once (they then stay in cache)
CHUNK_BYTES = 1_000_000


class _SchurPlan:
    """``M_kl = tr(F_k S^-1 F_l Z)`` in ``n^2 x nnz(F_l)`` flops per ``F_l`` instead of ``n^3``.

    ``S^-1 F_l Z = sum_(r, c) F_l[r, c] S^-1[:, r] Z[c, :] = S^-1[:, R_l] diag(v_l) Z[C_l, :]`` over
    the nonzeros ``(r, c, v)`` of ``F_l``: a product with inner dimension ``nnz(F_l)`` (1 to ~64
    for a moment matrix, <= 4 for the exact-dual LMI of ``dual_form.py``) instead of the dense
    ``n x n`` one, batched over the ``F_l`` whose nonzero count has the same power-of-two ceiling
    (padded with index ``n``: a zero column of ``S^-1`` and zero row of ``Z``), at most
    :data:`CHUNK_BYTES` of products at a time (``batches``). Then ``M_kl = <F_k, S^-1 F_l Z>``
    (``F_k`` symmetric) is the sparse product ``P vec(S^-1 F_l Z)``. This is the sparse-``F``
    evaluation of Fujisawa, Kojima, Nakata, Math. Program. 79, 235 (1997), as in SDPA. Same values
    as the dense products to rounding (``tests/protocols/test_ipm.py``); measured with one BLAS
    thread (``python benchmarks/run.py --only Schur``): a 2x3 node's moment matrix (690 moments)
    7-16 ms instead of 28 ms, its exact-dual LMI (1,671 parameters) 27 ms instead of 58 ms. Where
    numba is installed the same sums run compiled, without the batched intermediate
    (``schur_kernel.py``, about twice as fast again); :meth:`batched` is the NumPy form.
    """

    def __init__(self, P: sp.csr_matrix, n: int) -> None:
        P = P.tocsr()
        P.sort_indices()
        counts = np.diff(P.indptr)
        rows, cols = np.divmod(P.indices, n)
        self.n, self.m, self.P = n, P.shape[0], P
        self._pairs: tuple | None = None  # for :meth:`diagonal`
        # F_l's nonzeros for the compiled kernel: indptr, flat index r n + c, r, c, value
        self._csr = tuple(np.ascontiguousarray(a, dtype=t) for a, t in
                          ((P.indptr, np.int64), (P.indices, np.int64), (rows, np.int64), (cols, np.int64),
                           (P.data, np.float64)))
        width = 1 << np.ceil(np.log2(np.maximum(counts, 1))).astype(int)
        self.batches: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []
        for w in np.unique(width):
            members = np.nonzero(width == w)[0]
            R = np.full((len(members), w), n)
            C = np.full((len(members), w), n)
            V = np.zeros((len(members), w, 1))
            for j, k in enumerate(members):
                span = slice(P.indptr[k], P.indptr[k + 1])
                R[j, :counts[k]], C[j, :counts[k]], V[j, :counts[k], 0] = rows[span], cols[span], P.data[span]
            chunk = max(8, CHUNK_BYTES // (8 * n * n))  # products formed at once: they stay in cache
            for j in range(0, len(members), chunk):
                part = slice(j, j + chunk)
                self.batches.append((members[part], R[part], C[part], V[part]))

    def __call__(self, Sinv: np.ndarray, Z: np.ndarray) -> np.ndarray:
        """``M``: by the compiled kernel of ``schur_kernel.py`` where numba is installed, else :meth:`batched`."""
        kernel = schur_kernel.compiled()
        if kernel is None:
            return self.batched(Sinv, Z)
        # the kernel reads one triangle: with symmetric S^-1 and Z that is the average of both, which
        # the NumPy form takes (the computed S^-1 is not symmetric: by 3e-5 of its largest entry at
        # the last iterations of a 2x3 node, measured; taken as it is, the bounds lost up to 2e-6 bit)
        M = np.empty((self.m, self.m))
        kernel((Sinv + Sinv.T) * 0.5, (Z + Z.T) * 0.5, *self._csr, M)
        return M

    def batched(self, Sinv: np.ndarray, Z: np.ndarray) -> np.ndarray:
        """``M`` by NumPy's batched products (class docstring)."""
        n, m = self.n, self.m
        Sp = np.zeros((n, n + 1))
        Sp[:, :n] = Sinv
        Zp = np.zeros((n + 1, n))
        Zp[:n] = Z
        M = np.empty((m, m))
        for members, R, C, V in self.batches:
            X = np.matmul(Sp[:, R].transpose(1, 0, 2), Zp[C, :] * V)  # S^-1 F_l Z
            M[:, members] = self.P @ X.reshape(-1, n * n).T
        M += M.T  # symmetrised in place (NumPy buffers the overlapping transpose); / 2 below is exact
        M *= 0.5
        return M

    def diagonal(self, Sinv: np.ndarray, Z: np.ndarray) -> np.ndarray:
        """``M_kk = tr(F_k S^-1 F_k Z) = sum_(i, j) v_i v_j S^-1[c_i, r_j] Z[c_j, r_i]`` over the pairs
        of ``F_k``'s nonzeros ``(r, c, v)``: ``sum_k nnz(F_k)^2`` products (~6e4 for a 2x3 node's
        moment matrix) instead of the whole ``M`` (pairs built on first use)."""
        if self._pairs is None:
            P = self.P
            rows, cols = np.divmod(P.indices, self.n)
            parts = []
            for k in range(self.m):
                span = np.arange(P.indptr[k], P.indptr[k + 1])
                i, j = np.repeat(span, len(span)), np.tile(span, len(span))
                parts.append((np.full(len(i), k), cols[i] * self.n + rows[j], cols[j] * self.n + rows[i],
                              P.data[i] * P.data[j]))
            self._pairs = tuple(np.concatenate(p) for p in zip(*parts, strict=True))
        k, s_at, z_at, vv = self._pairs
        return np.bincount(k, weights=vv * Sinv.ravel()[s_at] * Z.ravel()[z_at], minlength=self.m)

    def congruences(self, R: np.ndarray) -> np.ndarray:
        """``R^T F_k R = sum_(r, c) F_k[r, c] R[r, :]^T R[c, :]`` for every ``k``, batched as
        :meth:`__call__` (``n^2 nnz(F_k)`` flops each instead of ``n^3``)."""
        n = self.n
        Rp = np.zeros((n + 1, R.shape[1]))
        Rp[:n] = R
        out = np.empty((self.m, R.shape[1], R.shape[1]))
        for members, rows, cols, V in self.batches:
            out[members] = np.matmul(Rp[rows].transpose(0, 2, 1), Rp[cols] * V)
        return out


def _exact_slack(sdp: SparseLMI, S: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``F0 + A(y)`` in place of ``S`` when they differ by less than a tenth of ``lambda_min(S)``."""
    exact = sdp.F0 + sdp.A(y)
    if not np.any(exact != S):
        return exact
    # block-diagonal S: its spectrum is its blocks'
    gap = max(float(np.linalg.norm(exact[b, b] - S[b, b], 2)) for b in sdp.blocks)
    if gap <= 0.1 * min(float(np.linalg.eigvalsh(S[b, b])[0]) for b in sdp.blocks):
        return exact
    return S


class _Newton:
    """One iteration's factorised Newton system (HKM direction, Schur complement ``M``)."""

    def __init__(self, sdp: SparseLMI, S, Z, s, mu_e, G, E, Rp, Re, Rl, Rd) -> None:
        n = sdp.n
        self.sdp, self.Z, self.G, self.E, self.Rp, self.Re, self.Rl, self.Rd = sdp, Z, G, E, Rp, Re, Rl, Rd
        self.s, self.mu_e = s, mu_e
        self.Ls, self.Lz = la.cholesky(S, lower=True), la.cholesky(Z, lower=True)
        # per block, L^-1 of both factors for the step lengths (:meth:`steps`); one block: solves instead
        self.inverse_factors = [(None, None)] if len(sdp.blocks) == 1 else \
            [(_triangular_inverse(self.Ls[b, b]), _triangular_inverse(self.Lz[b, b])) for b in sdp.blocks]
        self.Sinv = la.cho_solve((self.Ls, True), np.eye(n), check_finite=False)
        self.ratio = mu_e / s if len(s) else np.zeros(0)
        self.M = sdp.newton_schur(self.Ls, self.Lz, self.Sinv, Z)
        if len(s):  # + E^T diag(mu / s) E, on the moments the inequality rows touch (few: the norm rows)
            touched = np.flatnonzero(np.any(E != 0.0, axis=0))
            Et = E[:, touched]
            self.M[np.ix_(touched, touched)] += (Et.T * self.ratio) @ Et
        self.jacobi = 1.0 / np.sqrt(np.maximum(np.diag(self.M), np.finfo(float).tiny))
        self.cf = _regularised_cholesky(self.M, self.jacobi)
        if self.cf is None:
            raise la.LinAlgError("Schur complement not positive definite")
        self.MiGt = self.solve_M(G.T) if len(Re) else np.zeros((sdp.m, 0))
        self.GMG = None
        if len(Re):  # factorised once, not per refinement step
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", la.LinAlgWarning)
                self.GMG = la.lu_factor(G @ self.MiGt, check_finite=False)
            if not np.all(np.isfinite(self.GMG[0])) or np.any(np.diag(self.GMG[0]) == 0.0):
                raise la.LinAlgError("data rows' Schur complement singular")

    def solve_M(self, b: np.ndarray) -> np.ndarray:
        j = self.jacobi if b.ndim == 1 else self.jacobi[:, None]
        return j * la.cho_solve(self.cf, j * b, check_finite=False)

    def direction(self, target: np.ndarray, extra: np.ndarray | None, lp_target: np.ndarray):
        """``dZ = sym(target - S^-1 dS Z [- extra])`` with ``dS = A(dy) + Rp``, and for the linear
        block ``dmu = lp_target / s - (mu / s) ds`` with ``ds = -E dy + Rl``; solves
        ``[[M, -G^T], [G, 0]] [dy; dlam] = [h; Re]`` with three steps of iterative refinement."""
        sdp, G, E, Sinv, Z = self.sdp, self.G, self.E, self.Sinv, self.Z
        base = target - Sinv @ self.Rp @ Z
        if extra is not None:
            base = base - extra
        h = sdp.A_adj((base + base.T) / 2.0) - self.Rd
        if len(self.s):
            h = h - E.T @ (lp_target / self.s - self.ratio * self.Rl)
        dy, dlam = np.zeros(sdp.m), np.zeros(len(self.Re))
        r1, r2 = h, self.Re
        for step in range(3):
            Mir = self.solve_M(r1)
            ddl = la.lu_solve(self.GMG, r2 - G @ Mir, check_finite=False) if len(self.Re) else np.zeros(0)
            dy, dlam = dy + Mir + self.MiGt @ ddl, dlam + ddl
            if step < 2:  # the residual for the next step (after the last one it would go unused)
                r1, r2 = h - (self.M @ dy - G.T @ dlam), self.Re - G @ dy
        dS = sdp.A(dy) + self.Rp
        dZ = base - Sinv @ sdp.A(dy) @ Z
        ds = -E @ dy + self.Rl
        dmu = lp_target / self.s - self.ratio * ds if len(self.s) else np.zeros(0)
        return dy, dS, (dZ + dZ.T) / 2.0, dlam, ds, dmu

    def steps(self, dS, dZ, ds, dmu, step: float) -> tuple[float, float]:
        """Primal and dual step lengths: ``step`` times the distance to the cones' boundary, at most 1.
        Factors of block-diagonal matrices are block diagonal: taken block by block, with several
        blocks by the inverse factors formed once for the predictor and the corrector (:func:`_max_step`)."""
        ap = ad = np.inf
        for b, (Ls_inv, Lz_inv) in zip(self.sdp.blocks, self.inverse_factors, strict=True):
            ap = min(ap, _max_step(self.Ls[b, b], dS[b, b], Ls_inv))
            ad = min(ad, _max_step(self.Lz[b, b], dZ[b, b], Lz_inv))
        ap = min(1.0, step * ap, step * _max_linear_step(self.s, ds))
        ad = min(1.0, step * ad, step * _max_linear_step(self.mu_e, dmu))
        return ap, ad


def _regularised_cholesky(M: np.ndarray, scale: np.ndarray):
    """Cholesky factor (``cho_factor`` form, lower) of the Schur matrix in the Jacobi scaling
    ``D M D``, ``D = diag(scale)``; near the optimum it is PSD but ill-conditioned, so a diagonal
    shift growing from 1e-14 of its largest entry is added until the factorisation exists.
    A shifted system only changes the search direction, never what is certified. One fresh
    ``m x m`` array per attempt, factorised in place (the Schur matrix of a 2x3 node is 690 x 690:
    each extra pass over it costs about as much as a tenth of the factorisation, measured)."""
    n = len(M)
    top = None
    for shift in (0.0, 1e-14, 1e-12, 1e-10, 1e-8):
        A = M * scale[:, None]
        A *= scale[None, :]
        if shift:
            top = max(1.0, float(np.abs(np.diag(A)).max())) if top is None else top
            A.flat[::n + 1] += shift * top
        try:
            L, lower = la.cho_factor(A, lower=True, overwrite_a=True, check_finite=False)
        except la.LinAlgError:
            continue
        if np.all(np.isfinite(np.diag(L))):  # a NaN or inf in the lower triangle reaches the diagonal
            return L, lower
    return None


def _triangular_inverse(L: np.ndarray) -> np.ndarray:
    """``L^-1`` of a lower-triangular Cholesky factor (LAPACK trtri)."""
    inverse, info = la.lapack.dtrtri(L, lower=1)
    if info != 0:
        raise la.LinAlgError(f"triangular factor singular (trtri info {info})")
    return inverse


def _max_step(L: np.ndarray, dX: np.ndarray, L_inv: np.ndarray | None = None) -> float:
    """Largest ``alpha`` with ``X + alpha dX >= 0`` for ``X = L L^T`` (inf if none):
    ``-1 / lambda_min(L^-1 dX L^-T)``, by two triangular solves, or by products with ``L_inv``
    where given. The products serve the symmetry-reduced SDPs' blocks of 10-14, where SciPy's
    per-call overhead made the solves cost most (measured: 46 us a call instead of 18 us; the step
    lengths took a third of a CHSH bound's time); on one large block they would save ~2% of an
    iteration and change the iterates' last bits, which reroutes some nodes of the tightness
    corpus (measured: its m = 8 and 16 bounds 8% slower in all, in two runs each)."""
    if L_inv is None:
        W = la.solve_triangular(L, dX, lower=True, check_finite=False)
        W = la.solve_triangular(L, W.T, lower=True, check_finite=False)
    else:
        W = L_inv @ dX @ L_inv.T
    lmin = float(np.linalg.eigvalsh((W + W.T) / 2.0)[0])
    return np.inf if lmin >= 0 else -1.0 / lmin


def _max_linear_step(x: np.ndarray, dx: np.ndarray) -> float:
    """Largest ``alpha`` with ``x + alpha dx >= 0`` (inf if none)."""
    neg = dx < 0
    return float(np.min(-x[neg] / dx[neg])) if np.any(neg) else np.inf
