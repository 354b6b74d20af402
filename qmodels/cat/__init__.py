"""Heralded DIQKD with entangled coherent states (Xie et al., Xie et al. 2021), and its Bell-state baseline.

``cat_table(setup, backend=...)`` returns the heralded correlation table (inputs x = A0, A1, A2;
y = B1, B2; outcome index 0 = +1) with ``herald_probability`` = Q_zz. Backends:
``"strawberryfields"`` (the optics simulated in SF's Fock backend) and ``"analytic"`` (exact
closed forms). The paper's printed closed forms for Q_zz, S, e_zz are in ``closed_forms``.
"""

from __future__ import annotations

from protocols import CorrelationTable
from protocols.errors import ParameterError

from .bell_scheme import bell_table_analytic, bell_table_strawberryfields
from .closed_forms import bell_closed_form, ecs_closed_form, ecs_misaligned_closed_form
from .coherent import ecs_table_analytic
from .setup import CHSH_MINUS, CHSH_X, CHSH_Y, KEY_PAIR, LinkSetup
from .strawberry import DEFAULT_TOLERANCE, choose_cutoff, ecs_table_strawberryfields, truncation_error

BACKENDS = ("strawberryfields", "analytic")


def cat_table(
    setup: LinkSetup,
    backend: str = "strawberryfields",
    cutoff: int | None = None,
    tolerance: float = DEFAULT_TOLERANCE,
) -> CorrelationTable:
    """The heralded table of a link (ECS or Bell-state scheme) from the chosen backend.

    ``cutoff`` and ``tolerance`` apply to the Strawberry Fields ECS simulation only (the Bell
    scheme holds two photons at most and is exact at cutoff 3).
    """
    if not isinstance(setup, LinkSetup):
        raise ParameterError(f"setup must be a LinkSetup, got {type(setup).__name__}")
    if backend not in BACKENDS:
        raise ParameterError(f"backend must be one of {BACKENDS}, got {backend!r}")
    if cutoff is not None and (backend != "strawberryfields" or setup.scheme == "bell"):
        raise ParameterError("cutoff applies to the Strawberry Fields ECS simulation only (the analytic backend "
                             "has no truncation; the Bell scheme is exact at cutoff 3)")
    if setup.scheme == "bell":
        if setup.misalignment:
            raise ParameterError("the Bell-state scheme has no misalignment model; use misalignment 0")
        return bell_table_analytic(setup) if backend == "analytic" else bell_table_strawberryfields(setup)
    if backend == "analytic":
        return ecs_table_analytic(setup)
    return ecs_table_strawberryfields(setup, cutoff=cutoff, tolerance=tolerance)


__all__ = [
    "BACKENDS",
    "CHSH_MINUS",
    "CHSH_X",
    "CHSH_Y",
    "KEY_PAIR",
    "LinkSetup",
    "bell_closed_form",
    "cat_table",
    "choose_cutoff",
    "ecs_closed_form",
    "ecs_misaligned_closed_form",
    "truncation_error",
]
