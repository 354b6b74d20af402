"""Protocol layer: correlation tables in, Bell scores, entropy bounds and key rates out.

Nothing here imports :mod:`qmodels`; a protocol never knows which platform made its table.
"""

from .binary_entropy import binary_entropy
from .chsh import TSIRELSON, chsh_score, chsh_winning_probability, correlator, qber
from .errors import (
    DIQKDError,
    InvalidTableError,
    ParameterError,
    SolverError,
    TableFormatError,
)
from .estimation import Estimate, binomial_interval, chsh_estimate, qber_estimate, score_from_omega
from .key_rate import chsh_key_rate, conditional_entropy_ab, devetak_winter_rate, rate_per_second
from .noisy_preprocessing import (
    NoiseOptimum,
    noisy_preprocessing_entropy,
    noisy_preprocessing_error_cost,
    optimal_noise,
)
from .pironio import pironio_entropy_bound
from .plob import fibre_transmittance, plob_bound
from .table import FORMAT, CorrelationTable, signalling_deviation, table_from_dict

__all__ = [
    "FORMAT",
    "TSIRELSON",
    "CorrelationTable",
    "DIQKDError",
    "Estimate",
    "InvalidTableError",
    "NoiseOptimum",
    "ParameterError",
    "SolverError",
    "TableFormatError",
    "binary_entropy",
    "binomial_interval",
    "chsh_estimate",
    "chsh_key_rate",
    "chsh_score",
    "chsh_winning_probability",
    "conditional_entropy_ab",
    "correlator",
    "devetak_winter_rate",
    "fibre_transmittance",
    "noisy_preprocessing_entropy",
    "noisy_preprocessing_error_cost",
    "optimal_noise",
    "pironio_entropy_bound",
    "plob_bound",
    "qber",
    "qber_estimate",
    "rate_per_second",
    "score_from_omega",
    "signalling_deviation",
    "table_from_dict",
]
