"""Rounds of the CHSH-tested protocol drawn from a correlation table (the simulated devices).

Protocol of Nadlinger et al. (Nature 607, 682 (2022), arXiv:2109.14600, Fig. 2): each heralded
round is a test round with probability ``gamma`` (inputs uniform over the CHSH inputs) or a key
round (the key pair ``(x*, y*)``); the outcomes are drawn from ``P(a, b | x, y)``. The table's
protocol roles (which inputs play CHSH, which pair carries the minus sign, the key pair) are a
:class:`protocols.roles.Roles`; :func:`roles_of` reads those a table declares.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from ..errors import InvalidTableError, ParameterError
from ..roles import ROLE_NAMES, Roles
from ..table import CorrelationTable, require_table
from ..validate import integer, real

#: largest number of rounds simulated (each round costs ~30 bytes while it is sampled)
MAX_ROUNDS = 10**8


def check_binary(table: CorrelationTable) -> None:
    """The CHSH protocol reads outcome index 0/1 as the bit; other tables are refused by name."""
    na, nb = table.shape[2:]
    if (na, nb) != (2, 2):
        raise InvalidTableError(f"the CHSH protocol needs binary outcomes (2 x 2), the table has {na} x {nb}")


def roles_of(table: CorrelationTable, default: Roles | None = None) -> Roles:
    """The roles the table declares (``table.roles``; older ion tables: the same keys in ``meta``),
    else ``default``, else :class:`~protocols.roles.Roles` with the key pair ``(0, 2)`` when Bob
    has three inputs (a dedicated key setting, as in Nadlinger et al. and Liu et al.) and ``(0, 0)``
    otherwise. Checked against the table."""
    table = require_table(table)
    if table.roles is not None:
        roles = table.roles
    elif isinstance(table.meta, Mapping) and any(k in table.meta for k in ROLE_NAMES):
        roles = Roles.from_dict({k: table.meta[k] for k in ROLE_NAMES if k in table.meta})
    else:
        roles = default or Roles(key_pair=(0, 2) if table.shape[1] >= 3 else (0, 0))
    roles.check(table.shape)
    check_binary(table)
    return roles


@dataclass(frozen=True)
class Rounds:
    """``n`` sampled rounds (uint8 arrays): round type (1 = test), inputs and outcomes."""

    test: np.ndarray
    x: np.ndarray
    y: np.ndarray
    a: np.ndarray
    b: np.ndarray

    @property
    def n(self) -> int:
        return int(self.test.size)


def sample_rounds(table: CorrelationTable, n: int, gamma: float, roles: Roles,
                  rng: np.random.Generator, extra_noise: float = 0.0) -> Rounds:
    """Draw ``n`` rounds (module docstring); with ``extra_noise`` each of Bob's outcomes is then
    flipped with that probability (a tampered channel). Vectorised, O(n) memory."""
    table = require_table(table)
    roles.check(table.shape)
    check_binary(table)
    n = integer("rounds", n, 1, MAX_ROUNDS)
    gamma = real("gamma (test-round probability)", gamma, 0.0, 1.0, low_open=True, high_open=True)
    extra_noise = real("extra noise (flip probability of Bob's outcomes)", extra_noise, 0.0, 1.0)
    if not isinstance(rng, np.random.Generator):
        raise ParameterError(f"rng must be a numpy Generator, got {type(rng).__name__}")
    test = (rng.random(n) < gamma).astype(np.uint8)
    cx = rng.integers(0, 2, n, dtype=np.uint8)
    cy = rng.integers(0, 2, n, dtype=np.uint8)
    x = np.where(test == 1, np.array(roles.chsh_x, dtype=np.uint8)[cx], np.uint8(roles.key_pair[0]))
    y = np.where(test == 1, np.array(roles.chsh_y, dtype=np.uint8)[cy], np.uint8(roles.key_pair[1]))
    # joint outcome index 2a + b by inverse CDF within each of the (at most 5) input pairs used
    u = rng.random(n)
    joint = np.empty(n, dtype=np.uint8)
    code = x.astype(np.int64) * table.shape[1] + y
    for c in np.unique(code):
        sel = code == c
        cdf = np.cumsum(table.P[c // table.shape[1], c % table.shape[1]].reshape(-1))
        joint[sel] = np.minimum(np.searchsorted(cdf / cdf[-1], u[sel], side="right"), 3)
    a = (joint >> 1).astype(np.uint8)
    b = (joint & 1).astype(np.uint8)
    if extra_noise > 0:
        b ^= (rng.random(n) < extra_noise).astype(np.uint8)
    return Rounds(test, x, y, a, b)
