"""Trapped-ion DIQKD link (Nadlinger et al., seed 003) as Qiskit circuits.

``ion_table(setup)`` returns the exact heralded table (x = 0, 1; y = 0, 1, 2; outcome index = bit;
CHSH on x, y in {0, 1} with win iff a xor b = x y; key pair (0, 2)), with the herald probability
per attempt and Bell pairs per second. ``error_budget`` splits the calibrated imperfections;
``sampled_table`` draws finite counts with a seed.
"""

from .budget import IMPERFECTIONS, error_budget
from .sampler import sample_counts, sampled_table
from .setup import CHSH_MINUS, CHSH_X, CHSH_Y, KEY_PAIR, IonLinkSetup
from .state import HeraldedState, heralded_state
from .table import correlators_closed_form, ion_table, rounds_per_second

__all__ = [
    "CHSH_MINUS",
    "CHSH_X",
    "CHSH_Y",
    "IMPERFECTIONS",
    "KEY_PAIR",
    "HeraldedState",
    "IonLinkSetup",
    "correlators_closed_form",
    "error_budget",
    "heralded_state",
    "ion_table",
    "rounds_per_second",
    "sample_counts",
    "sampled_table",
]
