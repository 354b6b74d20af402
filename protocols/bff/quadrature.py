"""Gauss-Radau quadrature on [0, 1] with the fixed node t_m = 1."""

from __future__ import annotations

import numpy as np
from scipy.special import roots_jacobi

from ..errors import ParameterError


def gauss_radau(m: int) -> tuple[np.ndarray, np.ndarray]:
    """Nodes ``t_1 < ... < t_m = 1`` and weights ``w_i`` (sum 1, ``w_m = 1/m^2``) on [0, 1].

    Right Radau rule for the weight 1: the ``m - 1`` free nodes on [-1, 1] are the zeros of the
    Jacobi polynomial ``P^{(1,0)}_{m-1}`` with weights ``w^J_i / (1 - x_i)`` (``w^J`` the
    Gauss-Jacobi weights for ``(1-x)``), the fixed node ``x = 1`` has weight ``2/m^2``
    (Abramowitz & Stegun 25.4.31; BFF arXiv:2106.13692 Sec. 2.2 uses this rule). Exact for
    polynomials of degree ``2m - 2``. Mapped to [0, 1] by ``t = (1 + x)/2``.

    Raises:
        ParameterError: ``m < 2``.
    """
    if int(m) != m or m < 2:
        raise ParameterError(f"the number of Gauss-Radau nodes m must be an integer >= 2, got {m!r}")
    m = int(m)
    x, wj = roots_jacobi(m - 1, 1.0, 0.0)
    w = wj / (1.0 - x)
    t = np.append((1.0 + x) / 2.0, 1.0)
    weights = np.append(w / 2.0, 1.0 / m**2)
    return t, weights
