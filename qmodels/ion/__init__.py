"""Trapped-ion DIQKD link (Nadlinger et al., Nadlinger et al. 2022) as Qiskit circuits.

``ion_table(setup)`` returns the exact heralded table (x = 0, 1; y = 0, 1, 2; outcome index = bit;
CHSH on x, y in {0, 1} with win iff a xor b = x y; key pair (0, 2)), with the herald probability
per attempt and Bob's Bell pairs per second. ``error_budget`` splits the calibrated
imperfections; ``sampled_table`` draws finite counts with a seed.

The description (``IonLinkSetup`` and the setting constants) imports without Qiskit, so the CLI
can show its defaults; everything that simulates is loaded on first use.
"""

from importlib import import_module

from .setup import CHSH_MINUS, CHSH_X, CHSH_Y, KEY_PAIR, IonLinkSetup

_LAZY = {
    "IMPERFECTIONS": "budget", "error_budget": "budget",
    "sample_counts": "sampler", "sampled_table": "sampler",
    "HeraldedState": "state", "heralded_state": "state",
    "correlators_closed_form": "table", "ion_table": "table", "rounds_per_second": "table",
}


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["CHSH_MINUS", "CHSH_X", "CHSH_Y", "KEY_PAIR", "IonLinkSetup", *_LAZY]
