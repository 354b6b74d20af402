"""What a BFF bound returns: per-node reports and the certified result with its affine certificate."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

LN2 = math.log(2.0)


@dataclass
class NodeReport:
    """One quadrature node: the solver's status and the certified value of ``f_i``.

    ``primal``: with our interior point, the least value of a moment matrix found feasible for the
    node SDP (``primal_verified``), an upper bound on it, so the relaxation's exact value lies in
    ``[certified, primal]``; where no iterate passed that check (``primal_verified`` false: the
    moment matrix of a pure-state table is singular, and its computed eigenvalues fall below the
    tolerance), and with Clarabel or SCS, the solver's own (unverified) primal value.
    """

    t: float
    weight: float
    status: str
    primal: float | None
    certified: float
    theta: float
    route: str = ""
    #: the norm bound of the SDP the certificate belongs to (1: Eve's operators rescaled, else alpha^2)
    norm2: float = 0.0
    #: the start this node hands to its chain successor and (``EntropyEngine(warm_start=True)``) to
    #: the engine's next bound (``routes.NodeRoutes.warm_point``); taken off by ``EntropyEngine.bound``
    warm: tuple | None = field(default=None, repr=False, compare=False)
    #: whether ``primal`` is the value of a moment vector checked feasible (``routes.NodeRoutes.primal_value``)
    primal_verified: bool = False

    @property
    def gap(self) -> float | None:
        """``primal - certified``: the width of the bracket holding the node's relaxation value."""
        return None if self.primal is None else self.primal - self.certified


@dataclass
class BFFResult:
    """A certified lower bound on ``H(A_{x*}|E)`` (bits) and how it was obtained.

    ``affine`` = ``(const, coeffs)``: for *any* data vector ``d`` (same rows as ``data_rows``),
    ``max(0, const + coeffs . d)`` is a valid lower bound on H(A|E) at these settings (this is
    the dual certificate, summed over nodes with their weights).
    """

    H_AE: float
    nodes: list[NodeReport]
    data_rows: list[str]
    data: np.ndarray
    affine: tuple[float, np.ndarray]
    noise: float
    last_node: str
    solver: str = "ipm"
    details: dict = field(default_factory=dict)

    @property
    def certified_gap(self) -> float:
        """Sum over nodes of weight x (primal - certified): the certified bound is at most this far
        below the relaxation's exact value where every node's ``primal`` is verified feasible
        (:attr:`unverified_nodes`; otherwise an estimate at those nodes)."""
        return float(sum(n.weight / (n.t * LN2) * (n.gap or 0.0) for n in self.nodes))

    @property
    def unverified_nodes(self) -> int:
        """How many nodes' ``primal`` is a solver's value, not a moment vector checked feasible."""
        return sum(not n.primal_verified for n in self.nodes)

    def as_dict(self) -> dict:
        return {
            "H_AE": self.H_AE,
            "noise": self.noise,
            "nodes": len(self.nodes) + 1,
            "last_node": self.last_node,
            "solver": self.solver,
            "status": [n.status for n in self.nodes],
            "certified_gap": self.certified_gap,
            "unverified_nodes": self.unverified_nodes,
            "node_values": [{"t": n.t, "weight": n.weight, "primal": n.primal,
                             "primal_verified": n.primal_verified, "certified": n.certified,
                             "mixing_theta": n.theta, "certificate": n.route} for n in self.nodes],
            "affine_bound": {"constant": self.affine[0], "coefficients": self.affine[1].tolist(),
                             "rows": self.data_rows},
            **({"nodes_auto": self.details["nodes_auto"]} if "nodes_auto" in self.details else {}),
            **({"reason": self.details["reason"]} if "reason" in self.details else {}),
        }
