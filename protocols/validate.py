"""One validation layer for what a user hands the package: numbers, counts, arrays, files, JSON.

Every setup record, protocol function and CLI command checks its inputs through these functions,
so a bad value always gets the same kind of answer: a :class:`~protocols.errors.ParameterError`
(or :class:`~protocols.errors.TableFormatError` for files) naming the parameter as the caller
spelled it, the value, and what was expected. Numbers may be Python or numpy scalars; booleans,
strings, complex numbers and ``None`` are refused, as are NaN and infinities unless a range
explicitly allows infinity.

Resource limits (the limit and the reason are in the message):

* JSON documents: at most :data:`MAX_JSON_BYTES` bytes and :data:`MAX_JSON_DEPTH` levels of
  nesting (a correlation table needs 5);
* counts: below 2**53, the largest integer a float (and so every frequency) represents exactly.
"""

from __future__ import annotations

import json
import math
import numbers
from pathlib import Path
from typing import Any

import numpy as np

from .errors import ParameterError, TableFormatError

#: largest JSON document read (bytes); a correlation table of a 4x4 scenario is ~10 kB
MAX_JSON_BYTES = 16 * 2**20
#: deepest nesting of lists/objects accepted in a JSON document (a table needs 5)
MAX_JSON_DEPTH = 32
#: counts at or above this are refused: frequencies are only exact below 2**53
MAX_COUNT = 2**53


def _describe(low: float | None, high: float | None, low_open: bool, high_open: bool) -> str:
    if low is None and high is None:
        return "a finite number"
    if high is None:
        return f"a number {'>' if low_open else '>='} {low:g}"
    if low is None:
        return f"a number {'<' if high_open else '<='} {high:g}"
    return f"a number in {'(' if low_open else '['}{low:g}, {high:g}{')' if high_open else ']'}"


def real(name: str, value: Any, low: float | None = None, high: float | None = None, *,
         low_open: bool = False, high_open: bool = False, unit: str = "", allow_inf: bool = False) -> float:
    """``value`` as a float within ``[low, high]`` (ends open as asked), else :class:`ParameterError`.

    Accepts Python and numpy real scalars (and 0-d arrays); refuses ``bool``, strings, complex,
    ``None``, NaN and (unless ``allow_inf``) infinities. ``unit`` is appended to the message.
    """
    expected = _describe(low, high, low_open, high_open) + (f" ({unit})" if unit else "")
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value[()]
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise ParameterError(f"{name} must be {expected}, got {value!r}")
    try:
        v = float(value)
    except OverflowError as exc:  # a huge Python int
        raise ParameterError(f"{name} must be {expected}, got an integer too large for a float") from exc
    if math.isnan(v) or (math.isinf(v) and not allow_inf):
        raise ParameterError(f"{name} must be {expected}, got {v!r}")
    if low is not None and (v < low or (low_open and v == low)):
        raise ParameterError(f"{name} must be {expected}, got {v!r}")
    if high is not None and (v > high or (high_open and v == high)):
        raise ParameterError(f"{name} must be {expected}, got {v!r}")
    return v


def integer(name: str, value: Any, low: int | None = None, high: int | None = None, *, reason: str = "") -> int:
    """``value`` as an int within ``[low, high]``; integral floats (``1e6``) are accepted.

    ``reason`` explains an upper limit that is a resource limit (it is appended to the message).
    """
    expected = "an integer" + (f" in [{low}, {high}]" if low is not None and high is not None else
                               f" >= {low}" if low is not None else f" <= {high}" if high is not None else "")
    why = f" ({reason})" if reason else ""
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value[()]
    if isinstance(value, (bool, np.bool_)):
        raise ParameterError(f"{name} must be {expected}, got {value!r}")
    if isinstance(value, numbers.Integral):
        v = int(value)
    elif isinstance(value, numbers.Real) and math.isfinite(float(value)) and float(value).is_integer():
        v = int(float(value))
    else:
        raise ParameterError(f"{name} must be {expected}, got {value!r}")
    if low is not None and v < low:
        raise ParameterError(f"{name} must be {expected}, got {v}")
    if high is not None and v > high:
        raise ParameterError(f"{name} must be {expected}{why}, got {v}")
    return v


def real_array(name: str, value: Any, ndim: int | None = None) -> np.ndarray:
    """A finite real float array (numpy or nested lists); complex or non-numeric is refused."""
    try:
        arr = np.asarray(value)
    except (ValueError, TypeError) as exc:
        raise ParameterError(f"{name} must be a real numeric array, got {value!r}") from exc
    if arr.dtype == object or arr.dtype.kind not in "biuf":
        raise ParameterError(f"{name} must be a real numeric array, got dtype {arr.dtype}")
    if ndim is not None and arr.ndim != ndim:
        raise ParameterError(f"{name} must have {ndim} axes, got shape {arr.shape}")
    with np.errstate(over="ignore"):
        arr = arr.astype(float)
    if not np.all(np.isfinite(arr)):
        raise ParameterError(f"{name} must be finite, got NaN or infinite entries")
    return arr


def json_depth(obj: Any) -> int:
    """Nesting depth of a parsed JSON value (iterative: no recursion limit of its own)."""
    deepest, stack = 0, [(obj, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            deepest = max(deepest, depth)
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            deepest = max(deepest, depth)
            stack.extend((v, depth + 1) for v in item)
    return deepest


def parse_json(data: str | bytes, where: str, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """Parse a JSON document from text or bytes (UTF-8), within the size and depth limits.

    Raises:
        TableFormatError: not UTF-8, too large, nested too deeply, or not valid JSON; the message
            starts with ``where``.
    """
    if not isinstance(data, (str, bytes)):
        raise TableFormatError(f"{where}: expected JSON text, got {type(data).__name__}")
    if len(data) > MAX_JSON_BYTES:
        raise TableFormatError(f"{where}: {len(data)} bytes, more than the limit of {MAX_JSON_BYTES} "
                               "(a correlation table is a few kB)")
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise TableFormatError(f"{where}: not UTF-8 text (byte {exc.start} is {data[exc.start]:#04x}); "
                                   "save the JSON as UTF-8") from exc
    try:
        obj = json.loads(data)
    except RecursionError as exc:
        raise TableFormatError(f"{where}: nested more deeply than the limit of {max_depth} levels") from exc
    except json.JSONDecodeError as exc:
        raise TableFormatError(f"{where}: not valid JSON: {exc}") from exc
    except ValueError as exc:  # e.g. an integer literal with more digits than Python converts
        raise TableFormatError(f"{where}: not valid JSON: {exc}") from exc
    if json_depth(obj) > max_depth:
        raise TableFormatError(f"{where}: nested more deeply than the limit of {max_depth} levels "
                               "(a correlation table needs 5)")
    return obj


def read_json_file(path: str | Path, what: str = "file") -> Any:
    """Read and parse a JSON file (``-`` is not handled here), with :func:`parse_json`'s limits."""
    if not isinstance(path, (str, Path)):
        raise TableFormatError(f"cannot read {what}: expected a path, got {type(path).__name__}")
    if str(path) == "" or "\x00" in str(path):
        raise TableFormatError(f"cannot read {what} {str(path)!r}: give the path of a JSON file")
    p = Path(path)
    if p.is_dir():
        raise TableFormatError(f"cannot read {what} {str(path)!r}: it is a folder; give the path of a JSON file")
    try:
        size = p.stat().st_size
        if size > MAX_JSON_BYTES:
            raise TableFormatError(f"{what} {str(path)!r}: {size} bytes, more than the limit of {MAX_JSON_BYTES}")
        data = p.read_bytes()
    except OSError as exc:
        raise TableFormatError(f"cannot read {what} {str(path)!r}: {exc.strerror}") from exc
    return parse_json(data, str(path))


def index_pair(name: str, pair: Any, sizes: tuple[int, int]) -> tuple[int, int]:
    """An ``(x, y)`` pair of input indices with ``0 <= x < sizes[0]``, ``0 <= y < sizes[1]``."""
    if isinstance(pair, (str, bytes)) or not hasattr(pair, "__len__") or len(pair) != 2:
        raise ParameterError(f"{name} must be an (x, y) pair of input indices, got {pair!r}")
    return (integer(f"{name}[0] (Alice's input)", pair[0], 0, sizes[0] - 1),
            integer(f"{name}[1] (Bob's input)", pair[1], 0, sizes[1] - 1))
