"""Binary entropy in bits."""

from __future__ import annotations

import numpy as np
from scipy.special import entr

from .errors import ParameterError
from .validate import real_array


def binary_entropy(p: float | np.ndarray) -> float | np.ndarray:
    """``h(p) = -p log2 p - (1-p) log2(1-p)`` in bits, with ``h(0) = h(1) = 0``.

    Convention: physics.md, "Common conventions" (Cover & Thomas, Elements of Information
    Theory, Eq. 2.5). Accepts scalars or arrays.

    Raises:
        ParameterError: any ``p`` outside [0, 1] or NaN.
    """
    arr = real_array("binary_entropy argument p", p)
    if np.any(~((arr >= 0) & (arr <= 1))):
        raise ParameterError(f"binary_entropy needs probabilities in [0, 1], got {p!r}")
    h = (entr(arr) + entr(1.0 - arr)) / np.log(2.0)
    return float(h) if np.ndim(h) == 0 else h
