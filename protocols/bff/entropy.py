"""BFF lower bounds on H(A_{x*}|E), certified, with the dual as an affine function of the data.

Bound (BFF, arXiv:2106.13692, Thm. 2.3 with the Gauss-Radau rule):
``H(A|X=x*, E) >= sum_{i=1}^{m} w_i / (t_i ln 2) * (1 + f_i)``, with
``f_i = inf sum_a < M_a (Z_a + Z_a* + (1 - t_i) Z_a* Z_a) + t_i Z_a Z_a* >`` over quantum
strategies compatible with the data, each lower-bounded by the NPA relaxation of
``moment_matrix.py`` and certified by ``certify.py``. Noisy preprocessing with flip probability
p (Ho et al., PRL 124, 230502 (2020)) enters as ``M_0 = (1-p) A + p (1-A)``, ``M_1 = 1 - M_0``
in the first term only.

Norm bound: BFF show that the infimum may be restricted to ``||Z_a|| <= alpha_i =
(3/2) max(1/t_i, 1/(1-t_i))`` (arXiv:2106.13692, Sec. 3); we impose the weaker
``<Z_a* Z_a>, <Z_a Z_a*> <= alpha_i^2`` (valid under either reading of that bound, as a norm of
Z or of Z*Z). It bounds the relaxation's feasible set, which makes strictly feasible dual points
exist, which the certificate needs (``certify.py``), and our interior point solves with these rows
(without them the optimum drifts to ever larger Eve moments and the solve stalls, ``ipm.py``).

The ``t_m = 1`` node (no norm bound is known there, so its SDP cannot be certified this way):
``last_node="bound"`` (default) uses ``1 + f_m >= 0``, always valid;
``last_node="square"`` uses ``1 + f_m >= 2p(1-p)`` (**derived here**: at t = 1 the objective is
``sum_a <(Z_a + M_a)(Z_a + M_a)*> - <M_a^2>`` because ``Z_a`` commutes with ``M_a``, and
``sum_a <M_a^2> = 1 - 2p(1-p)`` for a projective key measurement; equal to "bound" at p = 0).

Rescaling (**our construction**, ``EntropyEngine.eve_scale``): the same SDP with Eve's
operators rescaled to ``Z_a / alpha_i`` (norm bound 1), a change of variables that leaves the
value and the data multipliers unchanged and keeps every moment O(1) (unscaled, Eve's moments
reach ~alpha^2 ~ 4e3 at the smallest node); a retry route (``routes.py``).

How each node is solved and certified: ``routes.py`` (the routes and the policy that chains
them); the parts: ``moment_matrix.py`` (NPA structure), ``objectives.py`` (plain, noisy,
post-selected node objectives), ``ipm.py`` (our interior point), ``dual_form.py`` (the dual as
an LMI, whose iterates are exact certificates), ``solvers.py`` (Clarabel, SCS), ``certify.py``
(certificates), ``result.py`` (what a bound returns). This module is the front: the engine's
problem data and :meth:`EntropyEngine.bound`, and the two public functions.

Constraints: ``"chsh"`` fixes the CHSH score (S = E00 + E01 + E10 - E11 on inputs 0, 1) and,
by the symmetry of relabelling every outcome together with ``Z_0 <-> Z_1`` (which leaves the
objective and S unchanged), uniform marginals; ``"table"`` fixes every ``<A_x>``, ``<B_y>`` and
``<A_x B_y>`` of the table. Either may carry slack intervals ``[lo, hi]`` per constraint.
"""

from __future__ import annotations

import contextlib
import math
import os

import numpy as np

from ..errors import ParameterError, check_probability
from ..local import is_local
from ..npa import NPA1_TOL, npa1_margin
from ..pironio import TSIRELSON, check_chsh_score
from ..table import CorrelationTable, require_table
from ..validate import integer, real, real_array
from . import words as W
from .certify import DualPoint
from .moment_matrix import MomentStructure
from .objectives import objective_words, plain_objective, postselected_objective
from .parallel import solve_nodes
from .quadrature import gauss_radau
from .result import BFFResult
from .routes import NodeRoutes

LN2 = math.log(2.0)
SOLVERS = ("ipm", "clarabel", "scs")
LAST_NODE_MODES = ("bound", "square")


class EntropyEngine(NodeRoutes):
    """The BFF relaxation for one scenario, built once; bounds for new data reuse it.

    Args:
        n_a: Alice's number of (binary) inputs, at least 2 (2 and 3 tested).
        n_b: Bob's number of (binary) inputs, at least 2 (2 and 3 tested).
        key_input: Alice's key input x*.
        constraint: ``"chsh"`` (inputs 0, 1 of each) or ``"table"`` (every input).
        nodes: Gauss-Radau nodes m (>= 2).
        noise: flip probability p in [0, 1/2].
        last_node: ``"bound"`` or ``"square"`` (module docstring).
        solver: ``"ipm"`` (our Schur-complement interior point, ``ipm.py``; default),
            ``"clarabel"`` (general conic interior point) or ``"scs"`` (first order).
        solver_settings: overrides of the solver's settings.
        workers: nodes solved at once, in this process and ``workers - 1`` worker processes
            (``parallel.py``; threads where processes cannot start); default: the number of CPU cores.
        reduce: drop the monomials that cannot tighten the relaxation (``moment_matrix.py``);
            ``False`` keeps the full monomial set (an independent cross-check, slower).
        rescale: solve each node first with Eve's operators rescaled to norm 1 (:meth:`eve_scale`)
            instead of the original SDP (the other is the first retry; the same value).
        symmetry: with the CHSH constraint, our interior point solves the SDP on the moments
            invariant under the relabellings that fix the objective and the data
            (``symmetry.py``); the certificate is still checked in the full SDP.
        warm_start: start each node's first interior-point route from a centred iterate of the
            same node in this engine's previous bound (``routes.NodeRoutes.warm_point``): for
            searches, whose successive bounds differ a little in ``p, p_N``, the settings or the
            table. Every bound stays certified; its last digits then depend on the bound before.
    """

    def __init__(self, n_a: int = 2, n_b: int = 2, key_input: int = 0, constraint: str = "chsh",
                 nodes: int = 8, noise: float = 0.0, last_node: str = "bound",
                 solver: str = "ipm", solver_settings: dict | None = None, workers: int | None = None,
                 postselect: float | None = None, bob_key_input: int | None = None, reduce: bool = True,
                 rescale: bool = False, symmetry: bool = True, warm_start: bool = False) -> None:
        if constraint not in ("chsh", "table"):
            raise ParameterError(f"constraint must be 'chsh' or 'table', got {constraint!r}")
        n_a = integer("n_a (Alice's inputs)", n_a, 2, 4, reason="the moment matrix grows fast; 2..4 tested")
        n_b = integer("n_b (Bob's inputs)", n_b, 2, 4, reason="the moment matrix grows fast; 2..4 tested")
        key_input = integer("key_input", key_input, 0, n_a - 1)
        if last_node not in LAST_NODE_MODES:
            raise ParameterError(f"last_node must be one of {LAST_NODE_MODES}, got {last_node!r}")
        self.noise = check_probability("flip probability p", noise, 0.0, 0.5)
        self.postselect, self.bob_key_input, self.objective_scale = None, None, 1.0
        if postselect is not None:
            if constraint != "table" or last_node != "bound":
                raise ParameterError("random post-selection needs constraint='table' and last_node='bound'")
            if bob_key_input is None or not 0 <= bob_key_input < n_b:
                raise ParameterError(f"Bob's key input must be one of 0..{n_b - 1}, got {bob_key_input}")
            self.postselect = check_probability("post-selection probability", postselect)
            self.bob_key_input = int(bob_key_input)
        self.t, self.w = gauss_radau(nodes)
        self.n_a, self.n_b, self.key_input, self.constraint, self.last_node = n_a, n_b, key_input, constraint, last_node
        data_words = {W.key(W.word(("A", x))) for x in range(n_a)} | {W.key(W.word(("B", y))) for y in range(n_b)}
        data_words |= {W.key(W.word(("A", x), ("B", y))) for x in range(n_a) for y in range(n_b)}
        words = objective_words(key_input, self.bob_key_input)
        self.struct = MomentStructure(n_a, n_b, key_input, frozenset(words | data_words), reduce=reduce)
        self.G, self.data_rows = self._data_matrix()
        if solver not in SOLVERS:
            raise ParameterError(f"solver must be one of {SOLVERS}, got {solver!r}")
        self.solver = solver
        self.workers = integer("workers", workers or os.cpu_count() or 1, 1, 256)
        self.solver_settings = dict(solver_settings or {})
        self._cache: dict = {}
        self._interior: dict[int, DualPoint] = {}
        self._recession: DualPoint | None = None
        self.warm_start = bool(warm_start)
        self._warm: dict[int, tuple] = {}  # node -> interior-point start, from the previous bound
        self.node_indices = list(range(len(self.t) - 1))
        self.rescale = bool(rescale)
        if not isinstance(symmetry, (bool, np.bool_)):
            raise ParameterError(f"symmetry must be True or False, got {symmetry!r}")
        self.symmetry = bool(symmetry) and constraint == "chsh"
        self._eve_degree = np.array([W.eve_degree(w) for w in self.struct.variables], dtype=float)
        self.E = np.array([np.eye(len(self.struct.variables))[self.struct.var(*w)]
                           for a in range(2) for w in ((("Zs", a), ("Z", a)), (("Z", a), ("Zs", a)))])

    def __getstate__(self) -> dict:
        """Pickled without the rebuildable solver data (``parallel.py`` sends engines to workers)."""
        return {**self.__dict__, "_cache": {}, "_warm": {}}  # warm starts travel with their node

    def alpha2(self, i: int) -> float:
        """Squared norm bound at node i: ``(3/2 max(1/t, 1/(1-t)))^2``."""
        t = self.t[i]
        return (1.5 * max(1.0 / t, 1.0 / (1.0 - t))) ** 2

    def eve_scale(self, i: int) -> np.ndarray:
        """``alpha_i^k`` per SDP variable, k = the number of Eve letters of its word.

        The rescaled SDP of node i is for Eve's operators ``Z_a / alpha_i`` (norm at most 1): the
        moment ``y_k`` of the original operators is ``alpha_i^k`` times the rescaled one, the
        moment matrix is ``D Gamma' D`` with ``D = diag(alpha_i^k(u))`` (Eve's letters obey no
        relation, so every entry of a variable has the same k), and its cost
        vector is ``c * eve_scale``. The data and norm rows keep their form (data words have no Eve
        letter; a norm row ``<Z*Z> <= alpha^2`` becomes ``<Z'*Z'> <= 1``), and a dual certificate
        of the rescaled SDP is one of the original with the same value and data multipliers.
        Without it the moments span 1 to ~alpha^2 ~ 4e3 at the smallest node (measured: Eve
        moments of ~3e3 there, and ~700 at the largest t < 1).
        """
        return math.sqrt(self.alpha2(i)) ** self._eve_degree

    def _rescaled(self, rescaled: bool | None) -> bool:
        """Whether a route solves the rescaled SDP (``None``: the engine's ``rescale``)."""
        return self.rescale if rescaled is None else rescaled

    def node_norm2(self, i: int, rescaled: bool | None = None) -> float:
        """The norm bound ``<Z*Z>, <ZZ*> <= node_norm2`` in node i's SDP: 1 when rescaled, else ``alpha_i^2``."""
        return 1.0 if self._rescaled(rescaled) else self.alpha2(i)

    def node_cost(self, i: int, rescaled: bool | None = None) -> np.ndarray:
        """The cost vector of node i's SDP, rescaled (:meth:`eve_scale`) unless ``rescaled=False``
        (default: the engine's ``rescale``; the Clarabel and SCS routes solve the original SDPs:
        measured, Clarabel stops with NumericalError on some rescaled 2x2 nodes)."""
        c = self.objective(self.t[i])
        return c * self.eve_scale(i) if self._rescaled(rescaled) else c

    def last_node_value(self) -> float:
        """Lower bound on ``1 + f_m`` at t = 1 (module docstring)."""
        return 0.0 if self.last_node == "bound" else 2.0 * self.noise * (1.0 - self.noise)

    # ---------------------------------------------------------------- problem data
    def _data_matrix(self) -> tuple[np.ndarray, list[str]]:
        s = self.struct
        rows, names = [], []

        def unit(k: int) -> np.ndarray:
            v = np.zeros(len(s.variables))
            v[k] = 1.0
            return v

        if self.constraint == "chsh":
            for x in range(2):
                rows.append(unit(s.var(("A", x))))
                names.append(f"<A{x}>")
            for y in range(2):
                rows.append(unit(s.var(("B", y))))
                names.append(f"<B{y}>")
            g = np.zeros(len(s.variables))
            for x in range(2):
                for y in range(2):
                    g[s.var(("A", x), ("B", y))] += 4.0 * (-1.0 if (x, y) == (1, 1) else 1.0)
            rows.append(g)
            names.append("4*sum_xy s_xy <A_x B_y> (= S + 2 at uniform marginals)")
        else:
            for x in range(self.n_a):
                rows.append(unit(s.var(("A", x))))
                names.append(f"<A{x}> = P_A(0|{x})")
            for y in range(self.n_b):
                rows.append(unit(s.var(("B", y))))
                names.append(f"<B{y}> = P_B(0|{y})")
            for x in range(self.n_a):
                for y in range(self.n_b):
                    rows.append(unit(s.var(("A", x), ("B", y))))
                    names.append(f"<A{x}B{y}> = P(0,0|{x},{y})")
        return np.array(rows), names

    def objective(self, t: float) -> np.ndarray:
        """Cost vector ``c`` of the node SDP at ``t`` (``objectives.py``), with the flip ``p``
        and, after random post-selection, divided by the current ``p_V``."""
        if self.postselect is not None:
            return self.objective_scale * postselected_objective(self.struct, t, self.key_input, self.bob_key_input,
                                                                 self.noise, self.postselect)
        return plain_objective(self.struct, t, self.key_input, self.noise)

    def offset(self) -> float:
        """The part of the bound that is not scaled by the objective: ``sum_i w_i/(t_i ln 2) + last``
        (the "1" of every ``1 + f_i`` and the t = 1 node); ``result.affine`` minus it is linear in
        the node infima."""
        nodes = sum(self.w[i] / (self.t[i] * LN2) for i in self.node_indices)
        return float(nodes + self.w[-1] / LN2 * self.last_node_value())

    def set_postprocessing(self, postselect: float, noise: float) -> None:
        """Change ``p`` and ``p_N`` of a post-selection engine; the moment structure, the solver data
        and the recession direction do not depend on them and are reused."""
        if self.postselect is None:
            raise ParameterError("this engine was built without random post-selection")
        self.postselect = check_probability("post-selection probability", postselect)
        self.noise = check_probability("flip probability p", noise, 0.0, 0.5)

    def survival_probability(self, d: np.ndarray) -> float:
        """``p_V`` from table data ``d`` (rows of :meth:`table_data`) on the key pair."""
        x, y, q = self.key_input, self.bob_key_input, self.postselect
        pa, pb = d[x], d[self.n_a + y]
        p00 = d[self.n_a + self.n_b + x * self.n_b + y]
        P = np.array([[p00, pa - p00], [pb - p00, 1 - pa - pb + p00]])
        return float((np.outer([1.0, q], [1.0, q]) * P).sum())

    def chsh_data(self, S: float) -> np.ndarray:
        return np.array([0.5, 0.5, 0.5, 0.5, S + 2.0])

    def table_data(self, table: CorrelationTable) -> np.ndarray:
        pa, pb = table.alice_marginal(), table.bob_marginal()
        d = [pa[x, 0] for x in range(self.n_a)] + [pb[y, 0] for y in range(self.n_b)]
        d += [table.P[x, y, 0, 0] for x in range(self.n_a) for y in range(self.n_b)]
        return np.array(d)

    def bound(self, d: np.ndarray, slack: np.ndarray | float = 0.0) -> BFFResult:
        """Certified H(A|E) for data ``d`` (rows as ``data_rows``), each row allowed +/- ``slack``."""
        d = real_array("data", d)
        if d.shape != (len(self.G),):
            raise ParameterError(f"data must have {len(self.G)} rows ({self.data_rows}), got shape {d.shape}")
        rows = slice(0, 4) if self.constraint == "chsh" else slice(None)
        if np.any(d[rows] < 0) or np.any(d[rows] > 1):
            raise ParameterError(f"data rows {self.data_rows[rows]} are probabilities in [0, 1], "
                                 f"got {d[rows].tolist()}")
        if self.constraint == "chsh":
            check_chsh_score(d[4] - 2.0, "CHSH score S (data row 5 minus 2)")
        slack = real_array("slack", slack)
        if slack.shape not in ((), d.shape):
            raise ParameterError(f"slack must be one number or one per data row ({d.shape[0]}), "
                                 f"got shape {slack.shape}")
        slack = np.broadcast_to(slack, d.shape)
        if np.any(slack < 0):
            raise ParameterError(f"slack must be >= 0 on every data row, got {slack.min():g}")
        d_lo, d_hi = d - slack, d + slack
        if self.postselect is not None:
            if np.any(slack > 0):
                raise ParameterError("slack intervals are not supported with random post-selection")
            p_v = self.survival_probability(d)
            if p_v <= 0:
                raise ParameterError("no key round survives the post-selection (p_V = 0)")
            self.objective_scale = 1.0 / p_v
        reports, const, coeffs = [], 0.0, np.zeros(len(d))
        H = 0.0
        if self.solver == "ipm":  # build shared data before the threads start
            self._moment_sdp()
        # the nodes are independent SDPs: solved at once in this process and in worker processes
        with _one_blas_thread():
            solved = solve_nodes(self, d, d_lo, d_hi)
        for i, (rep, point) in zip(self.node_indices, solved, strict=True):
            if self.warm_start and rep.warm is not None:
                self._warm[i] = rep.warm
            rep.warm = None
            weight = self.w[i] / (self.t[i] * LN2)
            H += weight * (1.0 + rep.certified)
            reports.append(rep)
            const += weight * (1.0 + point.constant(self.struct, rep.norm2) - point.penalty - 1e-12)
            coeffs += weight * point.lam
        last = self.w[-1] / LN2 * self.last_node_value()
        H = max(0.0, H + last)
        const += last
        return BFFResult(H, reports, self.data_rows, d, (const, coeffs), self.noise, self.last_node, self.solver)


def _one_blas_thread():
    """Limit BLAS to one thread while the nodes are solved: their matrices are small, and BLAS
    threads cost more than they save (measured on 2 cores, 2x3 table at m = 8 with ``workers=1``:
    21.3 s with two BLAS threads, 6.5 s with one; with the nodes in parallel threads, 2.6x)."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover  (optional: without it BLAS keeps its own threads)
        return contextlib.nullcontext()
    return threadpool_limits(limits=1, user_api="blas")


#: ``nodes="auto"`` without a tolerance: stop when two successive bounds differ by less than this (bit)
DEFAULT_TOLERANCE = 1e-4


def _auto_nodes(nodes: int | str, engine: EntropyEngine | None, tolerance: float | None, max_nodes: int,
                progress_line, bound) -> BFFResult | None:
    """``nodes="auto"``: the converged bound (``convergence.converge_in_nodes``); else ``None``."""
    if nodes != "auto":
        if tolerance is not None:
            raise ParameterError("tolerance goes with nodes='auto' (a fixed node count has nothing to converge)")
        return None
    if engine is not None:
        raise ParameterError("nodes='auto' builds one engine per node count; pass no engine")
    from .convergence import converge_in_nodes

    return converge_in_nodes(bound, DEFAULT_TOLERANCE if tolerance is None else tolerance, max_nodes,
                             report=progress_line)


def bff_entropy_chsh(S: float, noise: float = 0.0, nodes: int | str = 8, slack: float = 0.0,
                     last_node: str = "bound", solver: str = "ipm",
                     engine: EntropyEngine | None = None, tolerance: float | None = None,
                     max_nodes: int = 32, progress_line=None) -> BFFResult:
    """Certified BFF lower bound on H(A_0|E) from a CHSH score S alone (2 inputs each).

    ``S <= 2`` gives 0 without a solve (a local strategy reaches it); ``S > 2 sqrt 2`` is an error.
    ``nodes="auto"``: raise m (4, 6, 8, 12, ... up to ``max_nodes``) until two successive bounds
    differ by less than ``tolerance`` bit (default :data:`DEFAULT_TOLERANCE`) and return the best
    one, with the sequence in ``details["nodes_auto"]`` (``convergence.py``); ``progress_line``
    receives one line per m.
    """
    s = check_chsh_score(S)
    slack = real("slack", slack, 0.0)
    auto = _auto_nodes(nodes, engine, tolerance, max_nodes, progress_line,
                       lambda m: bff_entropy_chsh(s, noise, m, slack, last_node, solver))
    if auto is not None:
        return auto
    if engine is None:
        engine = EntropyEngine(2, 2, 0, "chsh", nodes, noise, last_node, solver)
    elif not isinstance(engine, EntropyEngine) or engine.constraint != "chsh":
        raise ParameterError("bff_entropy_chsh needs an engine built with constraint='chsh'")
    if s - slack <= 2.0:
        return BFFResult(0.0, [], engine.data_rows, engine.chsh_data(s), (0.0, np.zeros(5)), engine.noise, last_node,
                         details={"reason": "S <= 2: a local strategy attains it, the bound is 0"})
    slack_vec = np.array([0, 0, 0, 0, slack])
    return engine.bound(engine.chsh_data(s), slack_vec)


def bff_entropy_table(table: CorrelationTable, key_input: int = 0, noise: float = 0.0, nodes: int | str = 8,
                      slack: float | np.ndarray = 0.0, last_node: str = "bound", solver: str = "ipm",
                      engine: EntropyEngine | None = None, tolerance: float | None = None,
                      max_nodes: int = 32, progress_line=None) -> BFFResult:
    """Certified BFF lower bound on H(A_{x*}|E) constrained by every ``<A_x>, <B_y>, <A_x B_y>`` of a table.

    ``nodes="auto"``, ``tolerance``, ``max_nodes``, ``progress_line``: as :func:`bff_entropy_chsh`.

    A table with a local model (``protocols.local``, to 1e-9 per entry) gives 0 without a solve:
    Eve may hold the local variable. A table that violates Tsirelson's bound on some pair of
    inputs, or lies outside the first level of the NPA hierarchy (``protocols.npa``), is not a
    quantum behaviour and is refused before any solve.

    Raises:
        ParameterError: non-binary outcomes, a key input out of range, too many inputs, or a
            table that is not a quantum behaviour.
    """
    auto = _auto_nodes(nodes, engine, tolerance, max_nodes, progress_line,
                       lambda m: bff_entropy_table(table, key_input, noise, m, slack, last_node, solver))
    if auto is not None:
        return auto
    X, Y, A, B = require_table(table).shape
    if (A, B) != (2, 2):
        raise ParameterError(f"the BFF engine needs binary outcomes, the table has |A|={A}, |B|={B}")
    if not (2 <= X <= 4 and 2 <= Y <= 4):
        raise ParameterError(f"the BFF engine takes 2..4 inputs per party, the table has |X|={X}, |Y|={Y}")
    key_input = integer("key_input", key_input, 0, X - 1)
    worst = max_chsh(table)
    if worst > TSIRELSON + 1e-9:
        raise ParameterError(f"the table is not a quantum behaviour: a CHSH score of {worst:.6f} on its inputs "
                             f"exceeds Tsirelson's bound 2 sqrt 2 = {TSIRELSON:.6f}")
    margin = npa1_margin(table)
    if margin < -NPA1_TOL:
        raise ParameterError(f"the table is not a quantum behaviour: it lies outside the first level of the NPA "
                             f"hierarchy (no completion of its moment matrix is positive semidefinite; smallest "
                             f"eigenvalue at best {margin:.3g})")
    if engine is None:
        engine = EntropyEngine(X, Y, key_input, "table", nodes, noise, last_node, solver)
    elif not isinstance(engine, EntropyEngine) or engine.constraint != "table":
        raise ParameterError("bff_entropy_table needs an engine built with constraint='table'")
    d = engine.table_data(table)
    if np.all(np.asarray(slack) == 0) and is_local(table):
        return BFFResult(0.0, [], engine.data_rows, d, (0.0, np.zeros(len(d))), engine.noise, last_node, solver,
                         details={"reason": "the table has a local model: Eve may know every outcome, the bound is 0"})
    return engine.bound(d, slack)


def max_chsh(table: CorrelationTable) -> float:
    """Largest CHSH score of a binary table over its pairs of inputs and the four sign choices."""
    E = table.P[:, :, 0, 0] + table.P[:, :, 1, 1] - table.P[:, :, 0, 1] - table.P[:, :, 1, 0]
    best = -np.inf
    X, Y = E.shape
    for x0 in range(X):
        for x1 in range(x0 + 1, X):
            for y0 in range(Y):
                for y1 in range(y0 + 1, Y):
                    e = np.array([E[x0, y0], E[x0, y1], E[x1, y0], E[x1, y1]])
                    for minus in range(4):
                        sign = np.ones(4)
                        sign[minus] = -1.0
                        best = max(best, abs(float(sign @ e)))
    return float(best)
