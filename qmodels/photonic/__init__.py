"""Photonic DIQKD link of Liu et al. (Phys. Rev. Lett. 129, 050502 (2022), arXiv:2110.01480):
SPDC polarisation-entangled photon pairs, half-wave plates, polarising beam splitters and
threshold detectors (outcome 0 = click, 1 = no click).

``PhotonicSetup`` describes the link (state and plate angles, efficiencies, fibre, visibility,
dark counts, mean pair number; defaults: the paper's settings with 0.05 pairs per pulse) and
imports without QuTiP; ``source`` is ``"spdc"`` (two two-mode squeezed vacua, multi-pair
emission) or ``"pair"`` (exactly one pair per pulse), and ``ANGLE_CONVENTIONS`` lists the
readings of the plate angles. ``photonic_table(setup)`` loads the simulation on first use and
returns ``P[x, y, a, b]`` with Alice's x = 0, 1 and Bob's y = 0, 1, 2 (the paper's 1, 2 and
1, 2, 3), from the QuTiP Fock-space simulation (``backend="qutip"``, the default; the truncation
error is bounded and stored in ``meta``) or the Gaussian closed form (``backend="gaussian"``, SPDC
source only). The table declares its roles: CHSH on x, y in {0, 1} with the minus sign on (1, 1),
key pair ``KEY_PAIR`` = (0, 2); ``meta["chsh_winning_probability"]`` also gives the game on Bob's
y = 0, 2.

The key rate of this link (random post-selection and noisy preprocessing of the key rounds on
the full-table BFF bound, settings optimised through the dual) is computed from the table by
the protocol layer (``protocols.postselection``, ``protocols.optimise``) and put together with
the link in ``diqkd.studies.photonic_rates`` (``diqkd keyrate photonic``, ``diqkd threshold``).
"""

from importlib import import_module

from .setup import ANGLE_CONVENTIONS, KEY_PAIR, SOURCES, PhotonicSetup, visibility_from_fidelity

_LAZY = {"photonic_table": "table", "BACKENDS": "table"}


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["ANGLE_CONVENTIONS", "KEY_PAIR", "SOURCES", "PhotonicSetup", "visibility_from_fidelity", *_LAZY]
