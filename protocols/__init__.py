"""Protocol layer: correlation tables in, Bell scores, entropy bounds and key rates out.

Nothing here imports :mod:`qmodels`; a protocol never knows which platform made its table.
"""

from importlib import import_module

# eager: the submodule and the function share a name, and numpy is all it needs
from .binary_entropy import binary_entropy

# Imported on first use: ``import protocols`` (and every CLI start) stays fast, and a submodule's
# dependencies (scipy.stats for the estimators) load only when that submodule is used.
_LAZY = {
    "TSIRELSON": "chsh",
    "chsh_score": "chsh",
    "chsh_winning_probability": "chsh",
    "correlator": "chsh",
    "qber": "chsh",
    "DIQKDError": "errors",
    "InvalidTableError": "errors",
    "ParameterError": "errors",
    "SolverError": "errors",
    "TableFormatError": "errors",
    "Estimate": "estimation",
    "binomial_interval": "estimation",
    "chsh_estimate": "estimation",
    "qber_estimate": "estimation",
    "score_from_omega": "estimation",
    "chsh_key_rate": "key_rate",
    "conditional_entropy_ab": "key_rate",
    "devetak_winter_rate": "key_rate",
    "rate_per_second": "key_rate",
    "NoiseOptimum": "noisy_preprocessing",
    "noisy_preprocessing_entropy": "noisy_preprocessing",
    "noisy_preprocessing_error_cost": "noisy_preprocessing",
    "optimal_noise": "noisy_preprocessing",
    "pironio_entropy_bound": "pironio",
    "fibre_transmittance": "plob",
    "plob_bound": "plob",
    "FORMAT": "table",
    "CorrelationTable": "table",
    "signalling_deviation": "table",
    "table_from_dict": "table",
}


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY])


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
