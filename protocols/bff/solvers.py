"""The general conic routes for one node SDP: Clarabel (interior point) and SCS (first order).

Our own interior point (``ipm.py``) is the default; these two are kept as independent
cross-checks and as the automatic retry when it fails. Both solve the moment SDP
``min c.y  s.t.  G y = d,  Gamma(y) >= 0`` (``certify.py``) and return
``(status, primal value, Z as svec, lam)`` for the certificate; the norm rows are not in the
solved problem (they only guarantee that the certificate's strictly feasible dual point exists).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from ..errors import SolverError
from .moment_matrix import MomentStructure

#: Polish a dual with SCS when its negative part would cost H(A|E) more than this (bits per node).
POLISH_ABOVE, POLISH_EPS, POLISH_ITERS = 2e-5, 1e-9, 30_000


def solve_clarabel(s: MomentStructure, G: np.ndarray, c: np.ndarray, d: np.ndarray, settings: dict, where: str):
    """Clarabel on the SDP in its own PSD-triangle order (``MomentStructure.clarabel_order``)."""
    import clarabel

    A = sp.vstack([sp.csr_matrix(G), (-s.Fstar.T).tocsr()[s.clarabel_order]]).tocsc()
    b = np.concatenate([d, s.F0[s.clarabel_order]])
    options = clarabel.DefaultSettings()
    options.verbose = False
    for k, v in settings.items():
        setattr(options, k, v)
    cones = [clarabel.ZeroConeT(len(G)), clarabel.PSDTriangleConeT(s.n)]
    sol = clarabel.DefaultSolver(sp.csc_matrix((len(c), len(c))), c, A, b, cones, options).solve()
    status = str(sol.status)
    if status not in ("Solved", "AlmostSolved"):
        raise SolverError(f"Clarabel failed on {where}: status {status}; try --solver scs")
    zc = np.asarray(sol.z)
    z = np.empty(s.L)
    z[s.clarabel_order] = zc[len(G):]
    return status, float(sol.obj_val), z, -zc[:len(G)]


def solve_scs(s: MomentStructure, G: np.ndarray, c: np.ndarray, d: np.ndarray, settings: dict, where: str):
    import scs

    A = sp.vstack([sp.csr_matrix(G), -s.Fstar.T]).tocsc()
    data = {"A": A, "b": np.concatenate([d, s.F0]), "c": c}
    options = {"eps_abs": 1e-7, "eps_rel": 1e-7, "max_iters": 50_000, "verbose": False, **settings}
    sol = scs.SCS(data, {"z": len(G), "s": [s.n]}, **options).solve()
    if sol["info"]["status_val"] not in (1, 2):  # solved, or solved inaccurately: certified below
        raise SolverError(f"SCS failed on {where}: status {sol['info']['status']!r}")
    y = sol["y"]
    return sol["info"]["status"], float(sol["info"]["pobj"]), y[len(G):], -y[:len(G)]


def polish_scs(s: MomentStructure, G: np.ndarray, c: np.ndarray, d: np.ndarray, z: np.ndarray, lam: np.ndarray):
    """Refine a dual point with SCS warm-started from it (first-order, reaches ~1e-9 quickly)."""
    import scs

    A = sp.vstack([sp.csr_matrix(G), -s.Fstar.T]).tocsc()
    b = np.concatenate([d, s.F0])
    solver = scs.SCS({"A": A, "b": b, "c": c}, {"z": len(G), "s": [s.n]},
                     eps_abs=POLISH_EPS, eps_rel=POLISH_EPS, max_iters=POLISH_ITERS, verbose=False)
    sol = solver.solve(warm_start=True, x=np.zeros(len(s.variables)), y=np.concatenate([-lam, z]),
                       s=np.maximum(b, 0.0))
    if sol["info"]["status_val"] not in (1, 2):
        return None
    y = sol["y"]
    return y[len(G):], -y[:len(G)]
