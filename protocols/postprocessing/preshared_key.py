"""The pre-shared key ``K_0`` and its balance sheet (Nadlinger et al. 2022, Table I).

Both parties cut ``K_0`` into the same segments in the same order. A segment is *consumed* when it
may not be used again (one-time pads) and *used (reusable)* when it keys a hash that may be reused
(the authentication hash keys, the Toeplitz seed of verification and privacy amplification).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..errors import ParameterError

#: 64-bit words of one-time pad reserved for message tags (one per message of the transcript)
AUTH_PADS = 8


@dataclass
class PresharedKey:
    """A bit string shared by Alice and Bob before the protocol, cut into named segments."""

    bits: np.ndarray
    position: int = 0
    sheet: dict[str, dict[str, int]] = field(default_factory=dict)

    @classmethod
    def simulated(cls, length: int, rng: np.random.Generator) -> PresharedKey:
        """A uniformly random key of ``length`` bits (the simulation gives both parties a copy)."""
        return cls(rng.integers(0, 2, int(length), dtype=np.uint8))

    def take(self, purpose: str, count: int, reusable: bool | None) -> np.ndarray:
        """The next ``count`` bits for ``purpose``; recorded as used (reusable) or consumed, or not
        recorded (``None``: reserved, :meth:`record` what is actually consumed)."""
        if self.position + count > self.bits.size:
            raise ParameterError(f"the pre-shared key of {self.bits.size} bits is too short: {purpose} needs bits "
                                 f"{self.position}..{self.position + count} (at least {self.position + count} bits)")
        out = self.bits[self.position : self.position + count]
        self.position += count
        if reusable is not None:
            self.record(purpose, **{"used_reusable" if reusable else "consumed": count})
        return out

    def record(self, purpose: str, consumed: int = 0, used_reusable: int = 0, generated: int = 0) -> None:
        """Add to the balance sheet row of ``purpose`` (bits)."""
        row = self.sheet.setdefault(purpose, {"consumed": 0, "used_reusable": 0, "generated": 0})
        row["consumed"] += consumed
        row["used_reusable"] += used_reusable
        row["generated"] += generated

    def balance(self) -> dict:
        """Table I of Nadlinger et al.: per purpose and in total, consumed / used (reusable) /
        generated bits, the net gain (generated - consumed) and the length of ``K_0``."""
        total = {k: sum(r[k] for r in self.sheet.values()) for k in ("consumed", "used_reusable", "generated")}
        return {"rows": {k: dict(v) for k, v in self.sheet.items()}, "total": total,
                "net_gain_bits": total["generated"] - total["consumed"], "preshared_key_bits": int(self.bits.size),
                "units": "bits"}

    def words(self, purpose: str, count: int, reusable: bool | None) -> np.ndarray:
        """``count`` 64-bit words (uint64) for ``purpose``."""
        bits = self.take(purpose, 64 * count, reusable)
        return np.packbits(bits).view(">u8").astype(np.uint64)


def required_bits(n: int, key_length: int, tag_bits: int) -> int:
    """Length of ``K_0`` the protocol cuts: two 64-bit hash keys and :data:`AUTH_PADS` pads for
    authentication, the Toeplitz seed of ``n + tag_bits + key_length - 1`` bits and the
    ``tag_bits`` pad of the verification tag."""
    return 2 * 64 + AUTH_PADS * 64 + (n + tag_bits + key_length - 1) + tag_bits
