"""Strawberry Fields backend for the ECS link (Fock backend, truncated, with an error bound).

The optics is simulated in Strawberry Fields' Fock backend as a pure four-mode state: modes 0 and
1 are Alice's and Bob's pulses, modes 2 and 3 the environments that take the light lost in each
arm's fibre. Each input pulse pair is prepared as a Fock-space ket; the fibre loss of each arm is
a ``BSgate`` of transmittance ``eta_f`` coupling the pulse to its environment (the Stinespring
dilation of ``LossChannel``, kept pure so the state stays a vector); ``Rgate(delta0)`` is Bob's
phase drift; ``BSgate(pi/4, 0)`` is Charlie's 50:50 beam splitter. With SF's convention it sends
``|beta>|beta>`` to mode 1 only, so mode 1 is ``c = (a+b)/sqrt2`` (D1) and mode 0 is ``d`` (D2).
The threshold detectors have efficiency ``eta_d``: the no-click POVM element of a detector is
``(1 - p_d)(1 - eta_d)^n`` on ``n`` photons (dark counts and the herald rule: ``herald.py``).

**Linearity.** Every input is ``sum_i c_i |e_i>`` over the four products
``|e_i> = |s alpha>|t alpha>`` and the evolution is unitary, so four SF runs (one per ``e_i``)
give the output for every setting pair and atom outcome.

**Truncation bound.** The kets are truncated to total photon number ``< N`` (cutoff ``N``). The
beam splitters and phase conserve the total photon number, so SF is exact on the kept part
``psi_<``. For a normalised-or-less input ``psi`` the error of any event probability (POVM element
between 0 and 1) is at most ``2 ||psi_>|| + ||psi_>||^2`` (trace norm of
``|psi><psi| - |psi_<><psi_<|``), and ``||psi_>|| <= sum_st |c_st| sqrt(T)``,
``T = P[Poisson(2 mu) >= N]``, with ``sum |c_st| <= 1``. Combining the single-click events (two
terms each), two herald events, and the conditioning on the herald probability ``Q`` (four
outcome pairs) bounds every entry of the conditional table by ``20 eps / (Q - 16 eps)``,
``eps = 2 sqrt(T) + T``.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.special import gammaln
from scipy.stats import poisson

from protocols import CorrelationTable
from protocols.errors import ParameterError, check_probability
from protocols.progress import progress
from protocols.validate import integer, real

from .._sf_compat import import_strawberryfields
from .closed_forms import ecs_closed_form
from .herald import heralded_table, single_click_probabilities
from .pulses import two_pulse_coefficients
from .setup import LinkSetup

DEFAULT_TOLERANCE = 1e-7
MAX_CUTOFF = 40


def truncation_error(mu: float, cutoff: int, herald_probability: float) -> float:
    """Bound on every entry of the conditional table for the given cutoff (module docstring)."""
    cutoff = integer("cutoff", cutoff, 1, MAX_CUTOFF)
    mu = real("mu", mu, 0.0, low_open=True)
    herald_probability = check_probability("herald_probability", herald_probability)
    T = float(poisson.sf(cutoff - 1, 2.0 * mu))
    eps = 2.0 * math.sqrt(T) + T
    if herald_probability - 16 * eps <= 0:
        return math.inf
    return 20.0 * eps / (herald_probability - 16 * eps)


def choose_cutoff(setup: LinkSetup, tolerance: float = DEFAULT_TOLERANCE) -> int:
    """Smallest cutoff whose :func:`truncation_error` is at most ``tolerance``."""
    Q = ecs_closed_form(setup.mu, setup.arm_transmittance, setup.dark_count)[0]
    for n in range(2, MAX_CUTOFF + 1):
        if truncation_error(setup.mu, n, Q) <= tolerance:
            return n
    raise ParameterError(
        f"no cutoff up to {MAX_CUTOFF} reaches the truncation tolerance {tolerance:g} at mu={setup.mu}, "
        f"herald probability {Q:.3g}; lower mu, shorten the link, or loosen the tolerance"
    )


def _coherent_fock(alpha: float, cutoff: int) -> np.ndarray:
    n = np.arange(cutoff)
    with np.errstate(divide="ignore"):
        logamp = -abs(alpha) ** 2 / 2 + n * np.log(abs(alpha)) - 0.5 * gammaln(n + 1)
    amp = np.exp(logamp) * np.sign(alpha) ** n
    if alpha == 0:
        amp = (n == 0).astype(float)
    return amp


def _basis_kets(mu: float, cutoff: int) -> list[np.ndarray]:
    """The four ``|s alpha>|t alpha>`` kets, truncated to total photon number < cutoff."""
    a = math.sqrt(mu)
    plus, minus = _coherent_fock(a, cutoff), _coherent_fock(-a, cutoff)
    keep = np.add.outer(np.arange(cutoff), np.arange(cutoff)) < cutoff
    return [np.outer(u, v) * keep for u in (plus, minus) for v in (plus, minus)]


def sf_output_kets(setup: LinkSetup, cutoff: int) -> np.ndarray:
    """Four-mode output kets ``psi[i, n_d, n_c, n_envA, n_envB]`` for the four basis inputs."""
    sf = import_strawberryfields()
    ops = sf.ops
    theta_loss = math.acos(math.sqrt(setup.fibre_arm_transmittance))
    out = []
    for ket in progress(_basis_kets(setup.mu, cutoff), "Strawberry Fields: basis inputs", total=4, unit="input"):
        norm = math.sqrt(float(np.sum(np.abs(ket) ** 2)))
        full = np.zeros((cutoff,) * 4, dtype=complex)
        full[:, :, 0, 0] = ket / norm
        prog = sf.Program(4)
        with prog.context as q:
            ops.Ket(full) | q
            ops.BSgate(theta_loss, 0.0) | (q[0], q[2])  # Alice's fibre loss
            ops.BSgate(theta_loss, 0.0) | (q[1], q[3])  # Bob's fibre loss
            if setup.phase_drift:
                ops.Rgate(setup.phase_drift) | q[1]
            ops.BSgate(math.pi / 4, 0.0) | (q[0], q[1])  # Charlie: mode 1 = c (D1), mode 0 = d (D2)
        state = sf.Engine("fock", backend_options={"cutoff_dim": cutoff, "pure": True}).run(prog).state
        out.append(state.ket() * norm)
    return np.array(out)


def sf_response_matrices(setup: LinkSetup, cutoff: int) -> np.ndarray:
    """``M[k, i, j] = <psi_i| Pi_k |psi_j>`` for k in (P0_c, P0_d, P00) with lossy detectors.

    ``Pi`` is the vacuum POVM element of detectors of efficiency ``eta_d``: ``(1 - eta_d)^n``.
    """
    psi = sf_output_kets(setup, cutoff)
    keep = (1.0 - setup.detector_efficiency) ** np.arange(cutoff)
    ones = np.ones(cutoff)
    weights = (np.outer(ones, keep), np.outer(keep, ones), np.outer(keep, keep))  # over (n_d, n_c)
    return np.array([np.einsum("idcef,dc,jdcef->ij", psi.conj(), w, psi) for w in weights])


def ecs_table_strawberryfields(
    setup: LinkSetup, cutoff: int | None = None, tolerance: float = DEFAULT_TOLERANCE
) -> CorrelationTable:
    """Heralded ECS table simulated in Strawberry Fields' Fock backend.

    Args:
        setup: the link (scheme ``"ecs"``).
        cutoff: Fock cutoff (total photon number < cutoff); default: the smallest meeting
            ``tolerance``.
        tolerance: required bound on each entry of the conditional table.

    Raises:
        ParameterError: a cutoff too small for the tolerance, or none up to 40 reaching it.
    """
    if setup.scheme != "ecs":
        raise ParameterError("the Strawberry Fields ECS backend needs scheme='ecs'")
    Q = ecs_closed_form(setup.mu, setup.arm_transmittance, setup.dark_count)[0]
    if cutoff is None:
        cutoff = choose_cutoff(setup, tolerance)
    else:
        cutoff = integer("cutoff", cutoff, 2, MAX_CUTOFF,
                         reason="the Fock simulation grows as a power of the cutoff; 40 is far above "
                                "what any link here needs")
        bound = truncation_error(setup.mu, cutoff, Q) if cutoff >= 2 else math.inf
        if bound > tolerance:
            need = choose_cutoff(setup, tolerance)
            raise ParameterError(
                f"cutoff {cutoff} is too small: truncation error bound {bound:.3g} exceeds the tolerance "
                f"{tolerance:g} at mu={setup.mu}; use a cutoff of at least {need}"
            )
    M = sf_response_matrices(setup, cutoff)
    coeffs = two_pulse_coefficients().reshape(3, 2, 2, 2, 4)  # (x, y, a, b, i) with i = 2 s + t
    vac = np.einsum("xyabi,kij,xyabj->kxyab", coeffs.conj(), M, coeffs).real
    d1, d2 = single_click_probabilities(vac[0], vac[1], vac[2], setup.dark_count)
    bound = truncation_error(setup.mu, cutoff, Q)
    return heralded_table(d1, d2, setup, backend="strawberryfields",
                          extra_meta={"cutoff": cutoff, "conditional_error_bound": bound})
