"""Photonic DIQKD link of Liu et al. (seed 000): SPDC polarisation pairs, half-wave plates,
polarising beam splitters and threshold detectors (outcome 0 = click, 1 = no click).

``photonic_table(setup)`` returns ``P[x, y, a, b]`` (x = 0, 1; y = 0, 1, 2; key pair (0, 2)) from the
QuTiP Fock-space simulation (``backend="qutip"``, truncation error bounded and stored in ``meta``)
or the Gaussian closed form (``backend="gaussian"``, SPDC source only). The key-rate side of the
seed (random post-selection, noisy preprocessing, full-table BFF bound) is not built yet.
"""

from importlib import import_module

from .setup import ANGLE_CONVENTIONS, KEY_PAIR, SOURCES, PhotonicSetup, visibility_from_fidelity

_LAZY = {"photonic_table": "table", "BACKENDS": "table"}


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["ANGLE_CONVENTIONS", "KEY_PAIR", "SOURCES", "PhotonicSetup", "visibility_from_fidelity", *_LAZY]
