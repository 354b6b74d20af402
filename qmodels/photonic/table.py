"""The photonic link's correlation table, with the chosen backend's metadata."""

from __future__ import annotations

from protocols import CorrelationTable
from protocols.errors import ParameterError
from protocols.roles import Roles
from protocols.validate import integer, real

from .setup import KEY_PAIR, PhotonicSetup

BACKENDS = ("qutip", "gaussian")
X_LABELS = ("x=0 (Liu et al. x=1)", "x=1 (Liu et al. x=2)")
Y_LABELS = ("y=0 (Liu et al. y=1)", "y=1 (Liu et al. y=2)", "y=2 (Liu et al. y=3)")


def photonic_table(setup: PhotonicSetup | None = None, backend: str = "qutip", cutoff: int | None = None,
                   tolerance: float | None = None) -> CorrelationTable:
    """``P[x, y, a, b]`` with outcome 0 = click, 1 = no click; one round per pulse.

    Args:
        backend: ``"qutip"`` (Fock space) or ``"gaussian"`` (closed form, SPDC source only).
        cutoff: photons per mode kept (qutip); default the smallest meeting ``tolerance``.
        tolerance: bound on each entry's truncation error (default 1e-6); a ``cutoff`` that
            cannot meet it is an error.
    """
    from . import fock

    setup = PhotonicSetup() if setup is None else setup
    if not isinstance(setup, PhotonicSetup):
        raise ParameterError(f"setup must be a PhotonicSetup, got {type(setup).__name__}")
    if backend not in BACKENDS:
        raise ParameterError(f"backend must be one of {BACKENDS}, got {backend!r}")
    tol = fock.DEFAULT_TOLERANCE if tolerance is None else real("tolerance", tolerance, 0.0, 1.0, low_open=True)
    if cutoff is not None:
        if backend == "gaussian" or setup.source == "pair":
            raise ParameterError("cutoff applies to the qutip backend with the SPDC source only (the Gaussian "
                                 "closed form has no truncation; one pair per pulse is exact at cutoff 2)")
        cutoff = integer("cutoff", cutoff, 2, fock.MAX_CUTOFF,
                         reason="the two-mode Fock space per party has cutoff^2 dimensions; memory and the "
                                "rotation eigensystem grow as cutoff^4 and cutoff^6")
    meta = {"platform": "photonic", "backend": backend, "parameters": setup.as_dict(), "key_pair": list(KEY_PAIR),
            "outcomes": "0 = click, 1 = no click", "efficiencies_with_fibre": list(setup.efficiencies)}
    if backend == "gaussian":
        if setup.source != "spdc":
            raise ParameterError("the Gaussian closed form describes the SPDC source only; use backend='qutip'")
        from .gaussian import gaussian_probabilities

        P = gaussian_probabilities(setup)
    else:
        if setup.source == "pair":
            cutoff, err = 2, 0.0
        else:
            l1, l2 = setup.squeezing()
            if cutoff is None:
                cutoff = fock.choose_cutoff(l1, l2, tol)
            err = fock.truncation_error(l1, l2, cutoff)
            if err > tol:
                raise ParameterError(f"cutoff {cutoff} is too small for pair_mean_number {setup.pair_mean_number}: "
                                     f"truncation error {err:.2e} > tolerance {tol:.0e}; use cutoff >= "
                                     f"{fock.choose_cutoff(l1, l2, tol)}")
        P = fock.fock_probabilities(setup, cutoff)
        meta.update(cutoff=cutoff, truncation_error_bound=err)
    slack = meta.get("truncation_error_bound", 0.0) * 16 + 1e-12
    table = CorrelationTable(P, x_labels=X_LABELS, y_labels=Y_LABELS, a_labels=("click", "no-click"),
                             b_labels=("click", "no-click"), rounds_per_second=setup.repetition_rate_hz,
                             meta=meta, normalisation_tol=max(1e-9, slack), signalling_tol=max(1e-9, slack),
                             roles=Roles(chsh_x=(0, 1), chsh_y=(0, 1), chsh_minus=(1, 1), key_pair=KEY_PAIR))
    table.meta["chsh_winning_probability"] = {
        "y=0,1 minus(1,1)": _omega(P, (0, 1), (1, 1)), "y=0,2 minus(1,0)": _omega(P, (0, 2), (1, 0))}
    return table


def _omega(P, ys, minus) -> float:
    """CHSH winning probability on Alice's inputs 0, 1 and Bob's ``ys`` (win iff a xor b = [x,y = minus])."""
    return float(sum(P[x, y, a, b] for x in (0, 1) for y in ys for a in (0, 1) for b in (0, 1)
                     if (a ^ b) == int((x, y) == tuple(minus))) / 4)


__all__ = ["BACKENDS", "photonic_table"]
