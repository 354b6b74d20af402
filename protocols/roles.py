"""Protocol roles of a table's inputs: which inputs play CHSH, which pair carries the minus sign,
and which pair makes the key.

A CHSH-tested protocol (Pironio et al., NJP 11, 045021 (2009); Nadlinger et al., Nature 607, 682
(2022), Fig. 2) needs, besides P(a,b|x,y), to know its inputs' roles:

* ``chsh_x``, ``chsh_y``: Alice's and Bob's two CHSH inputs (input indices of the table);
* ``chsh_minus``: the ``(x, y)`` pair whose correlator enters ``S`` with a minus sign (default: the
  second of each), so ``S = sum_xy s_xy E_xy`` and a test round is won iff
  ``a xor b = [(x, y) = chsh_minus]``, the CHSH game ``a xor b = x y`` in the usual labelling;
* ``key_pair``: the inputs ``(x*, y*)`` of the key rounds (the QBER is ``P(a != b | x*, y*)``).

A table declares its roles in the JSON field ``roles`` (optional; old files load unchanged and the
commands then use the defaults below).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .errors import InvalidTableError, TableFormatError

ROLE_NAMES = ("chsh_x", "chsh_y", "chsh_minus", "key_pair")


def _pair(name: str, value: Any) -> tuple[int, int]:
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence) or len(value) != 2 \
            or any(isinstance(v, bool) or not isinstance(v, int) or v < 0 for v in value):
        raise InvalidTableError(f"role {name} must be a pair of input indices like [0, 1], got {value!r}")
    return int(value[0]), int(value[1])


@dataclass(frozen=True)
class Roles:
    """The roles of a table's inputs (module docstring); ``chsh_minus=None`` means the second of each."""

    chsh_x: tuple[int, int] = (0, 1)
    chsh_y: tuple[int, int] = (0, 1)
    chsh_minus: tuple[int, int] | None = None
    key_pair: tuple[int, int] = (0, 0)

    def __post_init__(self) -> None:
        for name in ROLE_NAMES:
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, _pair(name, value))
        if self.chsh_minus is None:
            object.__setattr__(self, "chsh_minus", (self.chsh_x[1], self.chsh_y[1]))
        if len(set(self.chsh_x)) != 2 or len(set(self.chsh_y)) != 2:
            raise InvalidTableError(f"roles chsh_x and chsh_y must each name two different inputs, "
                                    f"got {list(self.chsh_x)} and {list(self.chsh_y)}")
        if self.chsh_minus[0] not in self.chsh_x or self.chsh_minus[1] not in self.chsh_y:
            raise InvalidTableError(f"role chsh_minus {list(self.chsh_minus)} is not a pair of CHSH inputs "
                                    f"{list(self.chsh_x)} x {list(self.chsh_y)}")

    def check(self, shape: tuple[int, ...]) -> None:
        """Raise :class:`InvalidTableError` naming the role whose input a table of ``shape`` lacks."""
        nx, ny = shape[0], shape[1]
        for name in ROLE_NAMES:
            x, y = getattr(self, name)
            if name == "chsh_x":
                bad = [v for v in (x, y) if v >= nx]
                who, size = "Alice", nx
            elif name == "chsh_y":
                bad = [v for v in (x, y) if v >= ny]
                who, size = "Bob", ny
            else:
                bad = [x] if x >= nx else [y] if y >= ny else []
                who, size = ("Alice", nx) if x >= nx else ("Bob", ny)
            if bad:
                raise InvalidTableError(f"role {name} = {[x, y]} names {who}'s input {bad[0]}, but the table has "
                                        f"{size} input(s) for {who} (0..{size - 1})")

    def as_dict(self) -> dict[str, list[int]]:
        return {name: list(getattr(self, name)) for name in ROLE_NAMES}

    @classmethod
    def from_dict(cls, d: Any) -> Roles:
        """Roles from the JSON object ``{"chsh_x": [0, 1], ...}`` (missing roles take the defaults)."""
        if not isinstance(d, Mapping):
            raise TableFormatError(f"roles must be an object like {{\"key_pair\": [0, 2]}}, got {d!r}")
        unknown = sorted(set(d) - set(ROLE_NAMES))
        if unknown:
            raise TableFormatError(f"unknown roles {unknown}; expected some of {list(ROLE_NAMES)}")
        return cls(**{k: v for k, v in d.items() if v is not None})
