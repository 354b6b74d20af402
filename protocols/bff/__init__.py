"""Brown-Fawzi-Fawzi (BFF) lower bounds on H(A_{x*}|E) from NPA relaxations, certified by duality.

Source: P. Brown, H. Fawzi, O. Fawzi, "Device-independent lower bounds on the conditional von
Neumann entropy", Quantum 8, 1445 (2024), arXiv:2106.13692 (Thm. 2.3 and Sec. 3). Start with
``entropy`` (the public bounds and the engine that puts the parts together); the parts:
``quadrature`` (Gauss-Radau nodes), ``words`` (operator algebra), ``moment_matrix`` (NPA
structure), ``objectives`` (plain, noisy, post-selected node objectives), ``ipm`` and ``solvers``
(solver routes), ``certify`` (dual certificates), ``parallel`` (a bound's nodes in worker
processes).
"""

from .entropy import BFFResult, EntropyEngine, bff_entropy_chsh, bff_entropy_table
from .quadrature import gauss_radau

#: changed whenever a change can move a certified value for the same inputs (the certificate's
#: penalty, a solver route, the solver's rounding): caches of results key on it beside the package version
#: (``diqkd.sweep``), so a development install never reads a key rate its own code would not give
RESULTS_REVISION = "2026-12-03-plain-points"

__all__ = ["BFFResult", "EntropyEngine", "RESULTS_REVISION", "bff_entropy_chsh", "bff_entropy_table",
           "gauss_radau"]
