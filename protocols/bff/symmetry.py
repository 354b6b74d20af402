"""Relabelling symmetries of a node SDP, and the smaller SDP on the moments they leave invariant.

A relabelling maps each of Alice's projectors ``A_x`` to ``A_x'`` or ``1 - A_x'`` (an input
permutation and outcome flips), Bob's likewise, and permutes Eve's ``Z_a``. It maps a quantum
strategy to a quantum strategy, hence the moments ``y`` of a feasible point to the affine image
``rho_g y + b_g``: the moment matrix of the image is ``R_g^T Gamma(y) R_g``, with ``R_g`` the
expansion of each monomial's image in the monomials (``(1 - A_0) Z_1 = Z_1 - A_0 Z_1``). When
the objective, the data constraints (for the data at hand) and the norm rows are invariant, the
group average of any feasible point is feasible with the same value, so the SDP may be solved on
the invariant moments ``y = y0 + T z`` alone: the symmetry reduction of moment SDPs (Gatermann &
Parrilo, J. Pure Appl. Algebra 192, 95 (2004); for Bell scenarios Tavakoli, Rosset, Renou,
PRL 122, 070501 (2019)). For the CHSH constraint at uniform marginals the group has four
elements (every outcome flipped with ``Z_0 <-> Z_1``; ``A_1`` flipped with ``B_0 <-> B_1``; their
product), and the m = 8 node SDP's 322 moments become 84, its 49 x 49 moment matrix four blocks of 10-14
(``tests/protocols/test_symmetry.py``).

How it is solved (**our construction**): in a basis ``V`` of common eigenvectors of the ``R_g``
(:func:`adapted_basis`) every invariant moment matrix is block diagonal, ``V^T Gamma V = D_g V^T
Gamma V D_g``, and the interior point of ``ipm.py`` solves the block LMI (``block_lmi.py``). Its
dual candidates are repaired there (``certify.scaled_repair`` on the reduced SDP: ~1 ms a repair
instead of ~20 ms in the full SDP, measured) and lifted to ``Z = V Zr V^T`` (positive semidefinite, and invariant since
``R_g V = V D_g``), with the norm multipliers averaged over the group and the data multipliers
refitted in the full rows (measured: full dual residual 2e-15 to 4e-13).

Nothing here is trusted by the certificate: ``certify.py`` removes whatever residual the lifted
point has in the full SDP and prices it like every other dual point, and the lifted primal
iterates ``y0 + T z`` have the same moment matrix as the reduced ones, so their values bound the
full relaxation from above as before. A wrong reduction could cost tightness, never soundness.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np
import scipy.linalg as la
import scipy.sparse as sp

from . import words as W
from .block_lmi import BlockLMI
from .certify import scaled_repair
from .ipm import IPMResult, Iterate
from .moment_matrix import MomentStructure

#: invariance checks: the maps are exact 0, +-1 expansions, so anything above rounding is a broken symmetry
EXACT = 1e-9


@dataclass(frozen=True)
class Relabelling:
    """``A_x -> A_{alice[x][0]}`` (or ``1 - A_{alice[x][0]}`` if ``alice[x][1]``), Bob's
    likewise, ``Z_a -> Z_{eve[a]}``."""

    alice: tuple[tuple[int, bool], ...]
    bob: tuple[tuple[int, bool], ...]
    eve: tuple[int, int]

    def letter(self, letter: W.Letter) -> list[tuple[float, W.Letter | None]]:
        """The image of one letter as ``[(coefficient, letter or None for the identity)]``."""
        kind, i = letter
        if kind in ("Z", "Zs"):
            return [(1.0, (kind, self.eve[i]))]
        target, flip = (self.alice if kind == "A" else self.bob)[i]
        image = (kind, target)
        return [(1.0, None), (-1.0, image)] if flip else [(1.0, image)]

    def monomial(self, u: W.Word) -> dict[W.Word, float]:
        """The image of a monomial, expanded: ``{canonical word: coefficient}``."""
        out: dict[W.Word, float] = {}
        letters = [l for part in u for l in part]
        for choice in itertools.product(*(self.letter(l) for l in letters)):
            coef = 1.0
            for c, _ in choice:
                coef *= c
            w = W.word(*(l for _, l in choice if l is not None))
            out[w] = out.get(w, 0.0) + coef
        return {w: c for w, c in out.items() if c != 0.0}


def candidate_relabellings(n_a: int, n_b: int, key_input: int) -> list[Relabelling]:
    """The relabellings that can leave a BFF objective invariant: the key input ``x*`` keeps its
    place, and Eve's ``Z_0, Z_1`` swap exactly when its outcomes do (the objective pairs ``Z_a`` with
    the key outcome ``a``); any permutation and flips of the other inputs."""
    def party(n: int, fixed: int | None):
        for perm in itertools.permutations(range(n)):
            if fixed is not None and perm[fixed] != fixed:
                continue
            for flips in itertools.product((False, True), repeat=n):
                yield tuple(zip(perm, flips, strict=True))

    return [Relabelling(a, b, (1, 0) if a[key_input][1] else (0, 1))
            for a in party(n_a, key_input) for b in party(n_b, None)]


@dataclass
class MomentAction:
    """A relabelling's action on the moments: ``Gamma(rho y + b) = R^T Gamma(y) R``; on the data
    rows ``G rho = M G``."""

    R: np.ndarray
    rho: np.ndarray
    b: np.ndarray
    M: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    #: ``E rho = E[perm]``: the norm rows permuted
    perm: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))


def moment_action(struct: MomentStructure, g: Relabelling) -> MomentAction | None:
    """The action of ``g`` on ``struct``'s moments, or ``None`` if the kept monomials are not
    closed under it (it is then not used)."""
    position = {u: k for k, u in enumerate(struct.monomials)}
    n = struct.n
    R = np.zeros((n, n))
    for k, u in enumerate(struct.monomials):
        for w, coef in g.monomial(u).items():
            if w not in position:
                return None
            R[position[w], k] += coef
    F = struct.Fstar.tocsr()
    rows, cols = struct._tril
    rep = F.indices[F.indptr[:-1]]  # one entry (row >= col) of each variable: its image is read there
    K = (R[:, rows[rep]].T[:, :, None] * R[:, cols[rep]].T[:, None, :]).reshape(len(rep), n * n)
    P0, P = _vec_basis(struct)
    rho = np.asarray((P @ K.T).T)
    b = K @ P0
    probe = np.random.default_rng(0).standard_normal(len(struct.variables))
    image = R.T @ _gamma(struct, probe) @ R
    if not np.allclose(image, _gamma(struct, rho @ probe + b), rtol=0.0, atol=EXACT * (1 + np.abs(image).max())):
        return None  # not a moment matrix of the kept words: the monomials are not closed
    return MomentAction(R, rho, b)


def _vec_basis(struct: MomentStructure) -> tuple[np.ndarray, sp.csr_matrix]:
    """``vec F0`` and the ``vec F_k`` as rows of a sparse matrix."""
    n = struct.n
    F = struct.Fstar.tocoo()
    rows, cols = struct._tril
    r, c = rows[F.col], cols[F.col]
    P = sp.csr_matrix((np.ones(2 * len(r)), (np.concatenate([F.row, F.row]), np.concatenate([r * n + c, c * n + r]))),
                      shape=(len(struct.variables), n * n))
    P.data[:] = 1.0  # a diagonal entry was listed twice
    return _gamma(struct, np.zeros(len(struct.variables))).ravel(), P


def _gamma(struct: MomentStructure, y: np.ndarray) -> np.ndarray:
    """The moment matrix of moments ``y``."""
    return struct.smat(struct.F0 + struct.Fstar.T @ y)


class SymmetryGroup:
    """The relabellings of :func:`candidate_relabellings` under which the kept monomials are
    closed, the norm rows ``E`` are permuted and the data rows ``G`` are mapped into their span;
    :meth:`reduction` keeps those that also fix a cost vector and a data vector."""

    def __init__(self, struct: MomentStructure, G: np.ndarray, E: np.ndarray, key_input: int) -> None:
        self.struct, self.G, self.E = struct, G, E
        self.actions: list[MomentAction] = []
        for g in candidate_relabellings(struct.n_a, struct.n_b, key_input):
            action = moment_action(struct, g)
            if action is None:
                continue
            perm = _row_permutation(E, action.rho)
            M = _row_map(G, action.rho)
            if perm is None or M is None or np.abs(E @ action.b).max() > EXACT:
                continue
            action.perm, action.M = perm, M
            self.actions.append(action)
        self._reductions: dict[tuple[int, ...], Reduction] = {}

    def reduction(self, c: np.ndarray, d: np.ndarray) -> Reduction | None:
        """The reduced SDP for cost ``c`` and data ``G y = d``, or ``None`` if only the identity fixes them."""
        keep = tuple(k for k, a in enumerate(self.actions)
                     if np.abs(c @ a.rho - c).max() <= EXACT * (1 + np.abs(c).max()) and abs(c @ a.b) <= EXACT
                     and np.abs(a.M @ d + self.G @ a.b - d).max() <= EXACT)
        if len(keep) <= 1:
            return None
        if keep not in self._reductions:
            group = [self.actions[k] for k in keep]
            basis = adapted_basis(group, np.array([len(u[2]) for u in self.struct.monomials]))
            red = None if basis is None else Reduction(self.struct, group, self.G, *basis)
            self._reductions[keep] = red if red is not None and red.block_diagonal else None
        red = self._reductions[keep]
        return red if red is not None and red.consistent(d) else None


def _row_permutation(E: np.ndarray, rho: np.ndarray) -> np.ndarray | None:
    """``p`` with ``E rho = E[p]``, or ``None``."""
    p = []
    for row in E @ rho:
        match = np.nonzero(np.abs(E - row).max(axis=1) <= EXACT)[0]
        if len(match) != 1:
            return None
        p.append(int(match[0]))
    return np.array(p)


def _row_map(G: np.ndarray, rho: np.ndarray) -> np.ndarray | None:
    """``M`` with ``G rho = M G``, or ``None`` if a row of ``G rho`` leaves the row space of ``G``."""
    image = G @ rho
    M = np.linalg.lstsq(G.T, image.T, rcond=None)[0].T
    return M if np.abs(M @ G - image).max() <= EXACT * (1 + np.abs(image).max()) else None


class Reduction:
    """The invariant moments ``y = y0 + T z`` of a group of :class:`MomentAction`, and their moment
    matrix in a basis ``V`` adapted to the group: ``V^T Gamma(y0 + T z) V`` block diagonal
    (``block_lmi.BlockLMI``); the data rows that stay informative (``rows``)."""

    def __init__(self, struct: MomentStructure, group: list[MomentAction], G: np.ndarray, V: np.ndarray,
                 blocks: list[tuple[int, int]]) -> None:
        self.group, self.struct, self.G, self.V = group, struct, G, V
        Pi = sum(a.rho for a in group) / len(group)  # the projector onto the invariant directions
        self.y0 = sum(a.b for a in group) / len(group)  # the image of y = 0: an invariant point
        _, r, piv = la.qr(Pi, mode="economic", pivoting=True)
        rank = int(np.sum(np.abs(np.diag(r)) > 1e-8 * abs(r[0, 0])))
        self.T = Pi[:, np.sort(piv[:rank])]  # columns of Pi: exact small rationals
        GT = G @ self.T
        self.rows = _independent_rows(GT)
        self.G_red = GT[self.rows]
        self._coef = np.linalg.lstsq(self.G_red.T, GT.T, rcond=None)[0].T  # G T = coef G_red
        n = struct.n
        P0, P = _vec_basis(struct)
        F0 = V.T @ (P0 + P.T @ self.y0).reshape(n, n) @ V
        lin = np.asarray((P.T @ sp.csc_matrix(self.T)).todense()).T.reshape(-1, n, n)  # Gamma_lin(T_j)
        F = np.matmul(np.matmul(V.T, lin), V)
        self.lmi = BlockLMI(F0, F, blocks)
        inside = np.zeros((n, n), dtype=bool)
        for a, b in blocks:
            inside[a:b, a:b] = True
        off = max(np.abs(F[:, ~inside]).max(initial=0.0), np.abs(F0[~inside]).max(initial=0.0))
        self.block_diagonal = bool(off <= EXACT * (1.0 + np.abs(F).max()))

    def lift(self, z: np.ndarray) -> np.ndarray:
        """The full moment vector ``y0 + T z`` of reduced moments ``z``."""
        return self.y0 + self.T @ z

    def consistent(self, d: np.ndarray) -> bool:
        """Whether data ``d`` is met by the invariant point's fixed part on the rows the reduction drops."""
        resid = d - self.G @ self.y0
        return bool(np.abs(resid - self._coef @ resid[self.rows]).max() <= EXACT)

    def solve(self, c: np.ndarray, d: np.ndarray, E: np.ndarray, h: np.ndarray, **settings) -> IPMResult:
        """Solve the reduced SDP (``ipm.SparseLMI.solve`` on the block LMI) and return the result
        in the full SDP's coordinates: moments ``y0 + T z``, the dual ``V Z V^T`` (invariant), data
        multipliers refitted in the full rows (module docstring)."""
        c_red, E_red = self.T.T @ c, E @ self.T
        res = self.lmi.solve(c_red, self.G_red, (d - self.G @ self.y0)[self.rows], E_red, h - E @ self.y0,
                             **settings)
        lifted = {id(it): self._lift(it, c, E) for it in res.trail}
        for it in res.candidates:  # the certificate's candidates: their residual removed here, in the
            # reduced SDP (the same repair as certify.scaled_repair's, at a fraction of its cost)
            try:
                Z, lam, mu, _ = scaled_repair(self.lmi, self.G_red, E_red, c_red, it.Z, it.lam, it.mu)
            except (np.linalg.LinAlgError, ValueError):
                continue
            if np.all(np.isfinite(Z)):
                lifted[id(it)] = self._lift(Iterate(it.merit, it.y, Z, lam, mu, it.complementarity), c, E)
        best = lifted[id(res.candidates[0])]
        F0 = _gamma(self.struct, np.zeros(len(self.struct.variables)))
        return IPMResult(res.status, res.iterations, float(c @ best.y),
                         float(d @ best.lam - np.sum(F0 * best.Z) - h @ best.mu),
                         best.y, best.Z, best.lam, best.mu, [lifted[id(it)] for it in res.candidates],
                         [lifted[id(it)] for it in res.trail], reduced=True)

    def _lift(self, it: Iterate, c: np.ndarray, E: np.ndarray) -> Iterate:
        Z = self.V @ it.Z @ self.V.T
        Z = (Z + Z.T) / 2.0
        mu = sum(it.mu[a.perm] for a in self.group) / len(self.group) if len(it.mu) else it.mu
        # the data multipliers in the full rows: G^T lam = c - A*(Z) + E^T mu in least squares
        target = c - self.struct.Fstar @ self.struct.svec(Z) + (E.T @ mu if len(mu) else 0.0)
        lam = np.linalg.lstsq(self.G.T, target, rcond=None)[0]
        return Iterate(it.merit, self.lift(it.y), Z, lam, mu, it.complementarity)


def adapted_basis(group: list[MomentAction], degree: np.ndarray) -> tuple[np.ndarray, list[tuple[int, int]]] | None:
    """``V`` whose column blocks are the common eigenspaces of the ``R_g`` (then ``V^T Gamma V`` is
    block diagonal for every invariant ``Gamma``: ``V^T Gamma V = D_g V^T Gamma V D_g``), for a
    group of commuting involutions; ``None`` for any other group. Each column lives on monomials
    with one number of Eve letters (``degree``; relabellings keep it): a column mixing them would
    mix moments of sizes 1 and ``alpha^2`` at the small-t nodes."""
    n = group[0].R.shape[0]
    eye = np.eye(n)
    for a in group:
        if not np.allclose(a.R @ a.R, eye, atol=EXACT) or any(not np.allclose(a.R @ b.R, b.R @ a.R, atol=EXACT)
                                                               for b in group):
            return None
    spaces = [((), eye[:, degree == k]) for k in np.unique(degree)]
    for a in group:
        split = []
        for signs, B in spaces:
            for sign in (1.0, -1.0):
                U, s, _ = np.linalg.svd((B + sign * a.R @ B) / 2.0, full_matrices=False)
                k = int(np.sum(s > 1e-8 * max(1.0, s[0] if s.size else 0.0)))
                if k:
                    split.append(((*signs, sign), U[:, :k]))
        spaces = split
    blocks: dict[tuple, list[np.ndarray]] = {}
    for signs, B in spaces:
        blocks.setdefault(signs, []).append(B)
    columns = [np.hstack(parts) for parts in blocks.values()]
    if sum(B.shape[1] for B in columns) != n:
        return None
    edges = np.cumsum([0] + [B.shape[1] for B in columns])
    return np.hstack(columns), [(int(a), int(b)) for a, b in zip(edges[:-1], edges[1:], strict=True)]


def _independent_rows(A: np.ndarray) -> np.ndarray:
    """Indices of a maximal set of linearly independent rows of ``A`` (pivoted QR of ``A^T``)."""
    if not len(A) or np.abs(A).max() == 0:
        return np.zeros(0, dtype=int)
    _, r, piv = la.qr(A.T, mode="economic", pivoting=True)
    rank = int(np.sum(np.abs(np.diag(r)) > 1e-9 * abs(r[0, 0])))
    return np.sort(piv[:rank])
