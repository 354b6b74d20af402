"""Public messages of the protocol: plain records, a framed and versioned wire format, and their
authentication (Wegman-Carter).

Frame (all integers big-endian)::

    b"DIQK" | version (1 byte) | body length L (4 bytes) | body (L bytes) | tag (8 bytes)
    body = header length H (4 bytes) | header: UTF-8 JSON {kind, seq, sender, fields, blobs} | blob bytes

``blobs`` maps a name to its byte length; the blob bytes follow the header in that order (bit
strings are sent packed, ``numpy.packbits``). ``seq`` is the message's position in the transcript,
so a dropped, replayed or reordered message is caught by its number, and its tag.

Authentication (Wegman & Carter, J. Comput. Syst. Sci. 22, 265 (1981)): the tag of a body sent by
party P as message ``seq`` is ``h_{k_P}(body) xor r_seq`` with the polynomial hash of
:mod:`.gf2_64` (key ``k_P``, 64 bits, reusable) and a fresh one-time pad ``r_seq`` (64 bits,
consumed). A forger who sees any number of tagged messages succeeds with probability at most
``L / 2^64`` per message of ``L`` 64-bit words (the hash is ``L/2^64``-almost-XOR-universal, and the
pad hides the key; Wegman & Carter Sec. 3; Stinson, "Universal hashing and authentication codes",
Des. Codes Cryptogr. 4, 369 (1994)).
"""

from __future__ import annotations

import json
import struct
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import DIQKDError
from . import gf2_64

MAGIC = b"DIQK"
VERSION = 1
#: largest frame accepted (bytes): a 1e8-round protocol sends at most ~13 MB in one message
MAX_FRAME_BYTES = 32 * 2**20
TAG_BYTES = 8
HEADER = struct.Struct(">4sBI")
#: message kinds, in the order the protocol sends them
KINDS = ("round_types", "inputs", "syndrome", "verification", "decision", "privacy_amplification",
         "confirm", "abort")


class ProtocolAbort(DIQKDError):
    """The protocol stops without a key; the message is the reason."""


@dataclass(frozen=True)
class Message:
    """A public message: its kind, its position ``seq`` in the transcript, its sender, small JSON
    ``fields`` and binary ``blobs`` (packed bit strings)."""

    kind: str
    seq: int
    sender: str
    fields: dict[str, Any] = field(default_factory=dict)
    blobs: dict[str, bytes] = field(default_factory=dict)

    def body(self) -> bytes:
        header = json.dumps({"kind": self.kind, "seq": self.seq, "sender": self.sender, "fields": self.fields,
                             "blobs": {k: len(v) for k, v in self.blobs.items()}}, allow_nan=False,
                            separators=(",", ":")).encode()
        return struct.pack(">I", len(header)) + header + b"".join(self.blobs.values())


def frame(message: Message, tag: int) -> bytes:
    """The wire bytes of ``message`` with its 64-bit ``tag``."""
    body = message.body()
    if len(body) + HEADER.size + TAG_BYTES > MAX_FRAME_BYTES:
        raise ProtocolAbort(f"message {message.kind} of {len(body)} bytes exceeds the "
                            f"{MAX_FRAME_BYTES}-byte frame limit")
    return HEADER.pack(MAGIC, VERSION, len(body)) + body + struct.pack(">Q", tag)


def frame_length(header: bytes) -> int:
    """Bytes that follow a frame's 9-byte header (body and tag); checks magic, version and size."""
    if len(header) != HEADER.size:
        raise ProtocolAbort(f"truncated frame header ({len(header)} of {HEADER.size} bytes)")
    magic, version, length = HEADER.unpack(header)
    if magic != MAGIC:
        raise ProtocolAbort(f"malformed message: bad magic {magic!r}")
    if version != VERSION:
        raise ProtocolAbort(f"message format version {version} is not supported (expected {VERSION})")
    if length + HEADER.size + TAG_BYTES > MAX_FRAME_BYTES:
        raise ProtocolAbort(f"oversized message: {length} bytes (limit {MAX_FRAME_BYTES})")
    return length + TAG_BYTES


def parse(data: bytes) -> tuple[Message, bytes, int]:
    """``(message, body, tag)`` from a frame's bytes; :class:`ProtocolAbort` if it is malformed."""
    rest = frame_length(data[: HEADER.size])
    if len(data) != HEADER.size + rest:
        raise ProtocolAbort(f"truncated or padded message: {len(data)} bytes, the header announces "
                            f"{HEADER.size + rest}")
    body = data[HEADER.size : -TAG_BYTES]
    (tag,) = struct.unpack(">Q", data[-TAG_BYTES:])
    try:
        (h,) = struct.unpack(">I", body[:4])
        header = json.loads(body[4 : 4 + h].decode())
        kind, seq, sender = header["kind"], header["seq"], header["sender"]
        fields, sizes = header["fields"], header["blobs"]
        if kind not in KINDS or not isinstance(seq, int) or sender not in ("alice", "bob") \
                or not isinstance(fields, dict) or not isinstance(sizes, dict):
            raise ValueError("bad header values")
        blobs, pos = {}, 4 + h
        for name, size in sizes.items():
            if not isinstance(size, int) or size < 0 or pos + size > len(body):
                raise ValueError(f"blob {name} overruns the body")
            blobs[name] = body[pos : pos + size]
            pos += size
        if pos != len(body):
            raise ValueError("bytes after the last blob")
    except (ValueError, KeyError, TypeError, struct.error, UnicodeDecodeError) as exc:
        raise ProtocolAbort(f"malformed message: {exc}") from None
    return Message(kind, seq, sender, fields, blobs), body, tag


class Authenticator:
    """Wegman-Carter tags (module docstring): a reusable hash key per sender, a one-time pad per ``seq``."""

    def __init__(self, hash_keys: dict[str, int], pads: np.ndarray):
        self.hash_keys = dict(hash_keys)
        self.pads = np.asarray(pads, dtype=np.uint64)

    def tag(self, sender: str, seq: int, body: bytes) -> int:
        if not 0 <= seq < self.pads.size:
            raise ProtocolAbort(f"message {seq} exceeds the {self.pads.size} authentication pads of the pre-shared key")
        return gf2_64.polynomial_hash(self.hash_keys[sender], body) ^ int(self.pads[seq])

    def verify(self, sender: str, seq: int, body: bytes, tag: int) -> bool:
        return self.tag(sender, seq, body) == tag


def pack_bits(bits: np.ndarray) -> bytes:
    return np.packbits(np.asarray(bits, dtype=np.uint8)).tobytes()


def unpack_bits(blob: bytes, count: int, what: str) -> np.ndarray:
    """``count`` bits from a packed blob; :class:`ProtocolAbort` if the blob has the wrong size."""
    if len(blob) != (count + 7) // 8:
        raise ProtocolAbort(f"message field {what} has {len(blob)} bytes, expected {(count + 7) // 8} for {count} bits")
    return np.unpackbits(np.frombuffer(blob, dtype=np.uint8), count=count)
