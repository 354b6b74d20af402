"""Bad-input corpus for the ``diqkd`` CLI and the public API: data only, no tests.

Contents:

* ``TABLE_FILES``: ``name -> bytes``, table files (valid and malformed) for the CLI and the API.
* ``CLI_CASES``: ``(argv, expect, note)``. ``expect`` is ``"error"`` (the input is invalid: the
  CLI must print exactly one line on stderr and return 1, or exit 2 with argparse's usage
  message for a usage error) or ``"ok"`` (return 0 with a correct, finite result; with
  ``--json`` one JSON object without NaN). An argv element may contain ``{file:NAME}``: the
  runner writes ``TABLE_FILES[NAME]`` to a temporary folder and substitutes its path.
* ``STDIN_CASES``: ``(argv, stdin_name, expect, note)``; ``argv`` contains ``-`` (only ``chsh``
  reads a table from stdin) and ``TABLE_FILES[stdin_name]`` is fed on stdin as bytes.
* ``API_CASES``: ``(callable_path, args, kwargs, expect, note)``; ``"error"`` means the call must
  raise ``protocols.errors.DIQKDError`` (never TypeError, OverflowError, ZeroDivisionError,
  RecursionError, UnicodeDecodeError, AttributeError, IndexError or a bare ValueError, and never
  return); ``"ok"`` means it returns (numpy scalars must be accepted like Python numbers).
  Arguments that are project objects are given as markers the runner builds first:
  ``Table(name)`` (``CorrelationTable.from_json`` of ``TABLE_FILES[name]``), ``File(name)`` (the
  path of the written file), ``Lazy(path, args, kwargs)`` (the result of calling ``path``).

Note conventions: a note starting with ``slow:`` marks a case that takes more than a few
seconds; ``[check KEY=VALUE]`` in a note of an ``"ok"`` case asks the runner to compare the JSON
field ``KEY`` with ``VALUE`` (absolute tolerance 1e-9); ``ignored:`` marks a flag that the
command silently ignores in that combination (the input should be refused, not ignored).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field

import numpy as np

FORMAT = "diqkd-behaviour/1"
NAN, INF = float("nan"), float("inf")
SQRT2 = math.sqrt(2.0)


# ---------------------------------------------------------------------------------- markers
@dataclass(frozen=True)
class Table:
    """A ``CorrelationTable`` read from ``TABLE_FILES[name]`` (``signalling_tol`` as in from_json)."""

    name: str


@dataclass(frozen=True)
class File:
    """The path of ``TABLE_FILES[name]`` once written to disk."""

    name: str


@dataclass(frozen=True)
class Lazy:
    """The value of ``path(*args, **kwargs)`` (markers inside are resolved first)."""

    path: str
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)


# ---------------------------------------------------------------------------------- tables
def _doc(P, **extra) -> dict:
    d = {"format": FORMAT, "P": P}
    d.update(extra)
    return d


def _dump(d) -> bytes:
    return json.dumps(d).encode()


def _bell(S: float) -> list:
    """Tsirelson table mixed with white noise to CHSH score S (2x2; minus on (1, 1))."""
    v = S / (2 * SQRT2)
    E = v * np.array([[1, 1], [1, -1]]) / SQRT2
    P = np.empty((2, 2, 2, 2))
    for x in range(2):
        for y in range(2):
            for a in range(2):
                for b in range(2):
                    P[x, y, a, b] = (1 + (1 if a == b else -1) * E[x, y]) / 4
    return P.tolist()


def _qubit_2x3(visibility: float = 0.95) -> list:
    """Phi+ with white noise, settings cos t Z + sin t X: Alice (0, 90) deg, Bob (45, -45, 0) deg."""
    ta, tb = (0.0, math.pi / 2), (math.pi / 4, -math.pi / 4, 0.0)
    P = np.empty((2, 3, 2, 2))
    for x, a_ in enumerate(ta):
        for y, b_ in enumerate(tb):
            E = visibility * math.cos(a_ - b_)
            for a in range(2):
                for b in range(2):
                    P[x, y, a, b] = (1 + (1 if a == b else -1) * E) / 4
    return P.tolist()


def _uniform(X=2, Y=2, A=2, B=2) -> list:
    return np.full((X, Y, A, B), 1.0 / (A * B)).tolist()


def _pr_box() -> list:
    return [
        [[[0.5 if (a ^ b) == x * y else 0.0 for b in range(2)] for a in range(2)] for y in range(2)] for x in range(2)
    ]


def _local_zeros() -> list:
    """Deterministic local strategy: a = b = 0 always (exact zeros elsewhere)."""
    return [
        [[[1.0 if (a, b) == (0, 0) else 0.0 for b in range(2)] for a in range(2)] for y in range(2)] for x in range(2)
    ]


def _counts_for(P, n: int = 1000) -> tuple[list, list]:
    """Integer counts with n rounds per setting pair close to P, and the exact frequencies."""
    P = np.asarray(P)
    N = np.rint(P * n).astype(int)
    for x in range(P.shape[0]):
        for y in range(P.shape[1]):
            N[x, y, 0, 0] += n - N[x, y].sum()
    return N.tolist(), (N / n).tolist()


def _nested(depth: int, leaf: str = "0.25") -> bytes:
    return b"[" * depth + leaf.encode() + b"]" * depth


_BELL = _bell(2.7)
_VALID_TEXT = json.dumps(_doc(_BELL, meta={"city": "Z\u00fcrich"}), ensure_ascii=False)
_COUNTS, _FREQ = _counts_for(_BELL)
_BIG = "9" * 400

TABLE_FILES: dict[str, bytes] = {
    # ---- valid
    "bell_valid": _dump(
        _doc(
            _BELL,
            x_labels=["A0", "A1"],
            herald_probability=0.5,
            rounds_per_second=10.0,
            meta={"model": "depolarised Bell", "S": 2.7},
        )
    ),
    "bell_tsirelson": _dump(_doc(_bell(2 * SQRT2))),
    "bell_nulls": _dump(_doc(_BELL, x_labels=None, herald_probability=None, rounds_per_second=None, meta=None)),
    "local_zeros": _dump(_doc(_local_zeros(), meta={"model": "deterministic a = b = 0"})),
    "local_int_entries": _dump(_doc([[[[1, 0], [0, 0]], [[1, 0], [0, 0]]], [[[1, 0], [0, 0]], [[1, 0], [0, 0]]]])),
    "uniform": _dump(_doc(_uniform())),
    "qubit_2x3": _dump(_doc(_qubit_2x3(0.95))),
    "counts_valid": _dump(_doc(_FREQ, counts=_COUNTS)),
    "tiny_negative_ok": _dump(_doc([[[[0.5 + 1e-13, -1e-13], [0.0, 0.5]]] * 2] * 2)),
    "wide_60x60": _dump(_doc(_uniform(60, 60))),
    "pr_box": _dump(_doc(_pr_box(), meta={"model": "PR box, S = 4: no-signalling, not quantum"})),
    "counts_2e40": _dump(_doc(_uniform(), counts=np.full((2, 2, 2, 2), 2**40, dtype=object).tolist())),
    # ---- encodings and syntax
    "invalid_json": b'{"format": "diqkd-behaviour/1", "P": [[[[0.25, 0.25], [0.25, 0.25]]]',
    "empty": b"",
    "whitespace": b"  \n\t \n",
    "binary_garbage": bytes(range(256)),
    "utf16": _VALID_TEXT.encode("utf-16"),
    "utf16_le_nobom": _VALID_TEXT.encode("utf-16-le"),
    "utf8_bom": b"\xef\xbb\xbf" + _VALID_TEXT.encode("utf-8"),
    "latin1": _VALID_TEXT.encode("utf-8").replace("Z\u00fcrich".encode(), "Z\u00fcrich".encode("latin-1")),
    "trailing_garbage": _dump(_doc(_BELL)) + b" trailing",
    "json_comment": b"// a table\n" + _dump(_doc(_BELL)),
    "top_list": b"[1, 2, 3]",
    "top_null": b"null",
    "top_string": b'"diqkd-behaviour/1"',
    "top_number": b"42",
    "deep_P": b'{"format": "diqkd-behaviour/1", "P": ' + _nested(100_000) + b"}",
    "deep_meta": b'{"format": "diqkd-behaviour/1", "P": '
    + json.dumps(_BELL).encode()
    + b', "meta": {"x": '
    + _nested(100_000, "1")
    + b"}}",
    "deep_P_2000": b'{"format": "diqkd-behaviour/1", "P": ' + _nested(2000) + b"}",
    # ---- numbers
    "bigint_P": _dump(_doc("@")).replace(b'"@"', ("[[[[" + _BIG + ", 0], [0, 0]]]]").encode()),
    "bigint_counts": _dump(_doc(_uniform(), counts="@")).replace(
        b'"@"', ("[[[[" + _BIG + ", 1], [1, 1]], [[1, 1], [1, 1]]], [[[1, 1], [1, 1]], [[1, 1], [1, 1]]]]").encode()
    ),
    "float_overflow_literal": _dump(_doc("@")).replace(b'"@"', b"[[[[1e400, 0], [0, 0]]]]"),
    "nan_token": _dump(_doc([[[[NAN, 0.5], [0.25, 0.25]]] * 2] * 2)),
    "infinity_token": _dump(_doc([[[[INF, 0.0], [0.0, 0.0]]] * 2] * 2)),
    "neg_infinity_token": _dump(_doc([[[[-INF, 0.5], [0.25, 0.25]]] * 2] * 2)),
    "nan_herald": _dump(_doc(_BELL, herald_probability=NAN)),
    "inf_rounds_per_second": _dump(_doc(_BELL, rounds_per_second=INF)),
    "nan_counts": _dump(_doc(_uniform(), counts=[[[[NAN, 1], [1, 1]]] * 2] * 2)),
    "huge_entries": _dump(_doc([[[[1e300, 1e300], [1e300, 1e300]]] * 2] * 2)),
    "tiny_entries": _dump(_doc([[[[1e-300, 1e-300], [1e-300, 1e-300]]] * 2] * 2)),
    # ---- invariants
    "negative_probabilities": _dump(_doc([[[[0.6, -0.1], [0.0, 0.5]]] * 2] * 2)),
    "above_one": _dump(_doc([[[[1.5, -0.5], [0.0, 0.0]]] * 2] * 2)),
    "non_normalised": _dump(_doc([[[[0.2, 0.2], [0.2, 0.2]]] * 2] * 2)),
    "all_zero": _dump(_doc([[[[0.0, 0.0], [0.0, 0.0]]] * 2] * 2)),
    "signalling": _dump(
        _doc(
            [[[[0.5, 0.0], [0.0, 0.5]], [[1.0, 0.0], [0.0, 0.0]]], [[[0.5, 0.0], [0.0, 0.5]], [[0.5, 0.0], [0.0, 0.5]]]]
        )
    ),
    "counts_contradict_P": _dump(_doc(_BELL, counts=[[[[1000, 0], [0, 0]]] * 2] * 2)),
    "counts_sum_2e64": _dump(_doc(_uniform(), counts=np.full((2, 2, 2, 2), 2**62, dtype=object).tolist())),
    "counts_2e64": _dump(_doc(_uniform(), counts=np.full((2, 2, 2, 2), 2**64, dtype=object).tolist())),
    "counts_2e63": _dump(_doc(_uniform(), counts=np.full((2, 2, 2, 2), 2**63, dtype=object).tolist())),
    "counts_negative": _dump(_doc(_uniform(), counts=[[[[-1, 1], [1, 1]]] * 2] * 2)),
    "counts_fractional": _dump(_doc(_uniform(), counts=[[[[1.5, 1], [1, 1]]] * 2] * 2)),
    "counts_wrong_shape": _dump(_doc(_uniform(), counts=[[[[1, 1], [1, 1]]]])),
    "counts_zero_block": _dump(
        _doc(_uniform(), counts=[[[[0, 0], [0, 0]], [[1, 1], [1, 1]]], [[[1, 1], [1, 1]], [[1, 1], [1, 1]]]])
    ),
    # ---- shape and schema
    "shape_3d": _dump(_doc([[[0.5, 0.5]]])),
    "shape_5d": _dump(_doc([[[[[0.5, 0.5]]]]])),
    "ragged": _dump(_doc([[[[0.5, 0.5], [0.0]]]])),
    "empty_P": _dump(_doc([])),
    "P_scalar": _dump(_doc(1.0)),
    "P_string": _dump(_doc("0.25")),
    "P_object": _dump(_doc({"0": 0.25})),
    "P_bool": _dump(_doc([[[[True, False], [False, False]]]])),
    "P_string_entries": _dump(_doc([[[["0.5", "0.5"], ["0", "0"]]]])),
    "three_outcomes": _dump(_doc(_uniform(2, 2, 3, 3))),
    "one_input": _dump(_doc(_uniform(1, 1))),
    "missing_format": _dump({"P": _BELL}),
    "wrong_format": _dump({"format": "diqkd-behaviour/2", "P": _BELL}),
    "missing_P": _dump({"format": FORMAT}),
    "unknown_field": _dump(_doc(_BELL, colour="blue")),
    "labels_wrong_length": _dump(_doc(_BELL, x_labels=["only one"])),
    "labels_not_list": _dump(_doc(_BELL, a_labels="ab")),
    "herald_string": _dump(_doc(_BELL, herald_probability="0.5")),
    "herald_bool": _dump(_doc(_BELL, herald_probability=True)),
    "herald_above_one": _dump(_doc(_BELL, herald_probability=1.5)),
    "rounds_negative": _dump(_doc(_BELL, rounds_per_second=-1)),
    "meta_list": _dump(_doc(_BELL, meta=[1, 2])),
}

#: Files that are valid tables (everything else in TABLE_FILES must be refused by the loader,
#: except where a command-specific expectation says otherwise).
VALID_TABLES = {
    "bell_valid",
    "bell_tsirelson",
    "bell_nulls",
    "local_zeros",
    "local_int_entries",
    "uniform",
    "qubit_2x3",
    "counts_valid",
    "tiny_negative_ok",
    "wide_60x60",
    "pr_box",
    "counts_2e40",
}

# ---------------------------------------------------------------------------------- CLI
CLI_CASES: list[tuple[list[str], str, str]] = []
#: values every float flag must refuse whatever its range (shared by value lists below)
_NOT_FINITE_OR_HUGE = [("nan", "nan"), ("inf", "inf"), ("-inf", "-inf"), ("1e300", "huge"),
                       ("-1e300", "huge negative")]


def _add(argv, expect, note):
    CLI_CASES.append((list(argv), expect, note))


# ---- top level
_add([], "error", "usage: no command")
_add(["bogus"], "error", "usage: unknown command")
_add(["--version"], "ok", "version")
_add(["table"], "error", "usage: table without platform")
_add(["keyrate"], "error", "usage: keyrate without platform")
_add(["threshold"], "error", "usage: threshold without platform")
_add(["table", "bogus"], "error", "usage: unknown platform")
_add(["rate", "--S"], "error", "usage: option without value")

# ---- rate
RATE = ["rate", "--S", "2.7", "--Q", "0.02", "--json"]


def _set(base, opt, value):
    """``base`` with option ``opt`` set to ``value`` as ``opt=value`` (appended when absent)."""
    out, skip = [], False
    for tok in base:
        if skip:
            skip = False
            continue
        if tok == opt:
            skip = True
            continue
        if tok.startswith(opt + "="):
            continue
        out.append(tok)
    if value is None:
        return out
    flag_at = out.index("--json") if "--json" in out else len(out)
    return out[:flag_at] + [f"{opt}={value}"] + out[flag_at:]


_add(RATE, "ok", "rate: valid")
_add(["rate", "--S", "2.7", "--Q", "0.02"], "ok", "rate: valid, text output")
_add(_set(RATE, "--S", "2.8284271247461903"), "ok", "rate: S = Tsirelson")
_add(_set(RATE, "--S", "2"), "ok", "rate: S = 2 gives rate 0 [check rate=0]")
_add(_set(RATE, "--S", "0"), "ok", "zero: S = 0 gives rate 0 [check rate=0]")
_add(_set(RATE, "--S", "-2.5"), "ok", "negative: S = -2.5 is a quantum score, rate 0 [check rate=0]")
_add(_set(RATE, "--S", "1e-300"), "ok", "tiny: S = 1e-300, rate 0 [check rate=0]")
_add(_set(RATE, "--S", " 2.7 "), "ok", "whitespace around a float is accepted by float()")
for v, why in [
    *_NOT_FINITE_OR_HUGE,
    ("2.83", "just above Tsirelson"),
    ("-3", "below -2 sqrt 2: no quantum table has it"),
    ("abc", "wrong type"),
    ("", "wrong type: empty"),
    ("2,7", "wrong type: comma decimal"),
]:
    _add(_set(RATE, "--S", v), "error", f"{why}: rate --S={v!r}")
_add(["rate", "--S", "-3", "--Q", "0.02"], "error", "below -2 sqrt 2, S given as a separate token")
_add(["rate", "--S=-3", "--Q", "0.02", "--noise", "0.1"], "error", "below -2 sqrt 2 with noisy preprocessing")
_add(["rate", "--S=-3", "--Q", "0.02", "--optimise-noise"], "error", "below -2 sqrt 2 with --optimise-noise")
_add(["rate", "--S=-inf", "--Q", "0.02", "--optimise-noise"], "error", "-inf with --optimise-noise")
for v, why in [("nan", "nan"), ("inf", "inf"), ("-0.01", "negative"), ("1.5", "above 1"), ("abc", "wrong type")]:
    _add(_set(RATE, "--Q", v), "error", f"{why}: rate --Q={v!r}")
for v, why in [
    ("0", "zero Q"),
    ("1", "Q = 1 (anti-correlated): h(Q) = 0"),
    ("0.5", "Q = 1/2"),
    ("1e-300", "tiny Q"),
    ("-0.0", "negative zero"),
]:
    _add(_set(RATE, "--Q", v), "ok", f"{why}: rate --Q={v}")
for v, why in [("nan", "nan"), ("inf", "inf"), ("-0.1", "negative"), ("0.6", "above 1/2"), ("abc", "wrong type")]:
    _add(RATE + [f"--noise={v}"], "error", f"{why}: rate --noise={v!r}")
for v in ("0", "0.5"):
    _add(RATE + [f"--noise={v}"], "ok", f"rate --noise={v}")
_add(RATE + ["--optimise-noise"], "ok", "rate --optimise-noise")
_add(["rate", "--S=nan", "--Q", "0.02", "--optimise-noise"], "error", "nan S with --optimise-noise")
_add(["rate", "--S", "2.7", "--Q=nan", "--optimise-noise"], "error", "nan Q with --optimise-noise")
_add(RATE + ["--noise", "0.1", "--optimise-noise"], "error", "usage: mutually exclusive --noise/--optimise-noise")
_add(["rate", "--Q", "0.02"], "error", "usage: missing --S")
_add(["rate", "--S", "2.7"], "error", "usage: missing --Q")

# ---- chsh (files)
_CHSH_OK = {
    "bell_valid": "[check S=2.7]",
    "bell_tsirelson": "[check S=2.8284271247461903]",
    "bell_nulls": "[check S=2.7]",
    "local_zeros": "[check S=2]",
    "local_int_entries": "[check S=2]",
    "uniform": "[check S=0]",
    "qubit_2x3": "",
    "counts_valid": "",
    "tiny_negative_ok": "",
    "wide_60x60": "[check S=0]",
    "utf8_bom": "a UTF-8 byte-order mark is still UTF-8 JSON [check S=2.7]",
    "pr_box": "chsh only measures: S = 4 is the correct report [check S=4]",
    "counts_2e40": "valid counts, 2**40 per cell [check S=0]",
}
for name in TABLE_FILES:
    if name in _CHSH_OK:
        _add(["chsh", f"{{file:{name}}}", "--json"], "ok", f"chsh valid table {name} {_CHSH_OK[name]}")
    else:
        _add(["chsh", f"{{file:{name}}}", "--json"], "error", f"chsh malformed table {name}")
_add(["chsh", "{file:counts_valid}", "--json", "--method", "clopper-pearson"], "ok", "chsh counts, clopper-pearson")
_add(["chsh", "{file:counts_valid}", "--json", "--method", "hoeffding"], "ok", "chsh counts, hoeffding")
_add(["chsh", "{file:counts_valid}", "--json", "--confidence", "0.999999"], "ok", "chsh counts, high confidence")
_add(["chsh", "{file:counts_valid}", "--json", "--confidence", "1e-300"], "ok", "tiny confidence (in (0, 1))")
for v, why in [
    ("nan", "nan"),
    ("inf", "inf"),
    ("0", "zero"),
    ("1", "one"),
    ("-0.5", "negative"),
    ("abc", "wrong type"),
]:
    _add(
        ["chsh", "{file:counts_valid}", "--json", f"--confidence={v}"],
        "error",
        f"{why}: chsh --confidence={v!r} on a counts table",
    )
for v in ("nan", "5"):
    _add(
        ["chsh", "{file:bell_valid}", "--json", f"--confidence={v}"],
        "error",
        f"ignored: --confidence={v} is invalid but the table has no counts, so it is never checked",
    )
_add(
    ["chsh", "{file:bell_valid}", "--json", "--method", "hoeffding"],
    "error",
    "ignored: --method has no effect on a table without counts",
)
_add(["chsh", "{file:bell_valid}", "--json", "--method", "bogus"], "error", "usage: bad --method")
for opt, v, why in [
    ("--x", "0,0", "x not distinct"),
    ("--x", "0,5", "x out of range"),
    ("--x=-1,0", None, "x negative"),
    ("--y", "1,1", "y not distinct"),
    ("--y", "0,9", "y out of range"),
    ("--minus", "5,5", "minus not among inputs"),
    ("--minus", "0,7", "minus out of range"),
    ("--key", "5,5", "key out of range"),
    ("--key=-1,0", None, "key negative"),
    ("--key", "0,9", "key y out of range"),
    ("--x", "a,b", "usage: x not integers"),
    ("--x", "0,1,2", "usage: three inputs"),
    ("--x", "0.5,1", "usage: float"),
    ("--key", "99999999999999999999999,0", "huge index"),
]:
    argv = ["chsh", "{file:bell_valid}", "--json"] + ([opt] if v is None else [opt, v])
    _add(argv, "error", f"chsh {why}")
_add(["chsh", "{file:qubit_2x3}", "--json", "--y", "0,2", "--key", "0,2"], "ok", "chsh 2x3 with y = 0,2")
_add(["chsh", "{file:bell_valid}", "--json", "--minus", "0,0"], "ok", "chsh minus (0,0)")
_add(["chsh", "/nonexistent/table.json", "--json"], "error", "missing file")
_add(["chsh", "/", "--json"], "error", "a directory")
_add(["chsh", "", "--json"], "error", "chsh '': empty path")
_add(["chsh", "/dev/null", "--json"], "error", "empty device")
_add(["chsh", "{file:bell_valid}/child", "--json"], "error", "path below a file")
_add(["chsh", "bad\x00name", "--json"], "error", "NUL byte in path")
_add(["chsh"], "error", "usage: missing table")

# ---- entropy
ENT = ["entropy", "--chsh", "2.7", "--nodes", "4", "--json"]
_add(ENT, "ok", "entropy --chsh 2.7, 4 nodes")
_add(_set(ENT, "--chsh", "2.8284271247461903"), "ok", "entropy at Tsirelson, 4 nodes")
_add(_set(ENT, "--chsh", "2.0000001"), "ok", "entropy just above 2")
_add(_set(ENT, "--chsh", "2"), "ok", "entropy S = 2 gives 0 [check H_AE=0]")
_add(_set(ENT, "--chsh", "0"), "ok", "zero S gives 0 [check H_AE=0]")
_add(_set(ENT, "--chsh", "1e-300"), "ok", "tiny S gives 0 [check H_AE=0]")
_add(_set(ENT, "--chsh", "-2.5"), "ok", "negative quantum S gives 0 [check H_AE=0]")
for v, why in [
    *_NOT_FINITE_OR_HUGE,
    ("3", "above Tsirelson"),
    ("-3", "below -2 sqrt 2"),
    ("abc", "wrong type"),
    ("", "empty"),
]:
    _add(_set(ENT, "--chsh", v), "error", f"{why}: entropy --chsh={v!r}")
for v, why in [
    ("0", "zero nodes"),
    ("1", "one node"),
    ("-5", "negative nodes"),
    ("1000000000", "resource abuse: 1e9 nodes"),
    ("100000", "resource abuse: 1e5 nodes"),
    ("2.5", "usage: float nodes"),
    ("1e3", "usage: float syntax"),
    ("abc", "usage: wrong type"),
    ("99999999999999999999999", "resource abuse: nodes beyond int64"),
]:
    _add(_set(ENT, "--nodes", v), "error", f"{why}: entropy --nodes={v}")
_add(
    ["entropy", "--chsh", "1", "--nodes", "1000000000", "--json"],
    "error",
    "resource abuse: 1e9 nodes with a local S (answer 0 needs no solve, but nodes must still be refused)",
)
_add(["entropy", "--chsh", "1", "--nodes", "0", "--json"], "error", "zero nodes with a local S")
_add(_set(ENT, "--nodes", "2"), "ok", "entropy 2 nodes")
_add(_set(ENT, "--nodes", "3"), "ok", "entropy 3 nodes")
for v, why in [
    ("nan", "nan"),
    ("inf", "inf"),
    ("-0.1", "negative"),
    ("0.6", "above 1/2"),
    ("1e300", "huge"),
    ("abc", "wrong type"),
]:
    _add(ENT + [f"--noise={v}"], "error", f"{why}: entropy --noise={v!r}")
_add(["entropy", "--chsh", "1", "--nodes", "4", "--json", "--noise=nan"], "error", "nan noise with a local S")
_add(ENT + ["--noise", "0.1"], "ok", "entropy with noise 0.1")
_add(ENT + ["--noise", "0.5"], "ok", "entropy with noise 1/2")
_add(ENT + ["--noise", "0.1", "--last-node", "square"], "ok", "entropy, noise, last node square")
_add(_set(ENT, "--nodes", "3") + ["--solver", "clarabel"], "ok", "entropy clarabel, 3 nodes")
_add(_set(ENT, "--nodes", "2") + ["--solver", "scs"], "ok", "entropy scs, 2 nodes")
_add(ENT + ["--solver", "bogus"], "error", "usage: bad solver")
_add(ENT + ["--last-node", "bogus"], "error", "usage: bad last node")
_add(ENT + ["--key-input", "0"], "error", "--key-input with --chsh")
_add(["entropy", "--nodes", "4"], "error", "usage: neither --chsh nor --table")
_add(["entropy", "--chsh", "2.7", "--table", "{file:bell_valid}"], "error", "usage: both --chsh and --table")
_ENT_MALFORMED = {
    "invalid_json",
    "utf16",
    "latin1",
    "deep_P",
    "bigint_P",
    "nan_token",
    "negative_probabilities",
    "signalling",
    "counts_contradict_P",
    "counts_sum_2e64",
    "three_outcomes",
    "one_input",
    "shape_3d",
}
ENT_T = ["entropy", "--nodes", "3", "--json", "--key-input", "0", "--table"]
for name in TABLE_FILES:
    if name == "wide_60x60":
        _add(
            ENT_T + [f"{{file:{name}}}"], "error", "60x60 inputs: the engine takes 2..4 inputs; refuse before any work"
        )
    elif name == "pr_box":
        _add(ENT_T + [f"{{file:{name}}}"], "error", "PR box: not a quantum behaviour")
    elif name in ("local_zeros", "local_int_entries", "uniform"):
        _add(ENT_T + [f"{{file:{name}}}"], "ok", f"local table {name}: entropy 0 without a solve [check H_AE=0]")
    elif name in ("bell_valid", "bell_nulls", "bell_tsirelson", "counts_valid", "tiny_negative_ok"):
        _add(ENT_T + [f"{{file:{name}}}"], "ok", f"entropy of valid 2x2 table {name}, 3 nodes")
    elif name == "qubit_2x3":
        _add(ENT_T + [f"{{file:{name}}}"], "ok", "entropy of a valid 2x3 table, 3 nodes")
    elif name == "counts_2e40":
        _add(ENT_T + [f"{{file:{name}}}"], "ok", "uniform table with large counts: local, 0 [check H_AE=0]")
    elif name in _ENT_MALFORMED:
        _add(ENT_T + [f"{{file:{name}}}"], "error", f"entropy --table malformed {name}")
_add(["entropy", "--table", "{file:bell_valid}", "--nodes", "3"], "error", "--table without --key-input")
for v, why in [("5", "key input out of range"), ("-1", "negative key input"), ("2", "key input = |X|")]:
    _add(["entropy", "--table", "{file:bell_valid}", "--nodes", "3", f"--key-input={v}"], "error", why)
_add(["entropy", "--table", "{file:bell_valid}", "--nodes", "3", "--key-input", "0.5"], "error", "usage: float key")
_add(
    ["entropy", "--table", "{file:qubit_2x3}", "--nodes", "3", "--key-input", "1", "--json"],
    "ok",
    "slow: key input 1 of a 2x3 table (~7 s)",
)
_add(
    ["entropy", "--table", "{file:bell_valid}", "--nodes=100000", "--key-input", "0"],
    "error",
    "resource abuse: 1e5 nodes with a table",
)
_add(
    ["entropy", "--table", "{file:local_zeros}", "--nodes=1000000000", "--key-input", "0"],
    "error",
    "resource abuse: 1e9 nodes with a local table",
)
_add(["entropy", "--table", "-", "--key-input", "0", "--nodes", "3"], "error", "entropy does not read stdin: '-'")
_add(["entropy", "--table", "/nonexistent.json", "--key-input", "0"], "error", "missing file")

# ---- finite-key
FK = [
    "finite-key",
    "--n",
    "1500000",
    "--gamma",
    "0.05",
    "--S",
    "2.64",
    "--Q",
    "0.018",
    "--eps-sound",
    "1e-10",
    "--json",
]
_add(FK, "ok", "finite-key at the seed's point")
_add(_set(FK, "--n", "1.5e6"), "ok", "finite-key n in float syntax (1.5e6 is a whole number)")
_add(_set(FK, "--n", "1"), "ok", "finite-key n = 1: key 0 [check key_length=0]")
_add(_set(FK, "--n", "1000"), "ok", "finite-key small n: key 0 [check key_length=0]")
_add(_set(FK, "--n", "1e9"), "ok", "finite-key n = 1e9")
_add(_set(FK, "--gamma", "1e-300"), "ok", "tiny gamma (in (0, 1)): key 0")
_add(_set(FK, "--gamma", "0.999999"), "ok", "gamma close to 1")
_add(_set(FK, "--S", "2.8284271247461903"), "ok", "finite-key at Tsirelson")
_add(_set(FK, "--Q", "0"), "ok", "finite-key Q = 0")
_add(_set(FK, "--Q", "0.5"), "ok", "finite-key Q = 1/2: key 0 [check key_length=0]")
_add(_set(FK, "--eps-sound", "0.5"), "ok", "finite-key eps 1/2")
_add(
    _set(FK, "--eps-sound", "1e-300"),
    "error",
    "tiny eps-sound: refused with the documented limit 1e-100 (its parts squared underflow)",
)
_add(FK + ["--leak-ec", "0"], "ok", "no leakage")
_add(FK + ["--leak-ec", "1e300"], "ok", "huge leakage: key 0 [check key_length=0]")
for opt, vals in {
    "--n": [
        ("nan", "nan"),
        ("inf", "inf"),
        ("-inf", "-inf"),
        ("0", "zero"),
        ("-1", "negative"),
        ("0.5", "fraction"),
        ("1.5", "non-integer"),
        ("1e20", "beyond 2**53: not a whole number of rounds"),
        ("1e300", "huge"),
        ("abc", "wrong type"),
        ("", "empty"),
    ],
    "--gamma": [("nan", "nan"), ("inf", "inf"), ("0", "zero"), ("1", "one"), ("abc", "wrong type")],
    "--S": [
        ("nan", "nan"),
        ("-inf", "-inf"),
        ("2", "no violation"),
        ("-3", "below -2 sqrt 2"),
        ("2.9", "above Tsirelson"),
    ],
    "--Q": [("nan", "nan"), ("-0.1", "negative"), ("1.1", "above 1")],
    "--eps-sound": [("nan", "nan"), ("inf", "inf"), ("0", "zero"), ("1", "one"), ("-1e-10", "negative")],
    "--leak-ec": [("nan", "nan"), ("inf", "inf"), ("-1", "negative"), ("abc", "wrong type")],
}.items():
    for v, why in vals:
        _add(_set(FK, opt, v), "error", f"{why}: finite-key {opt}={v!r}")
_add(["finite-key", "--n", "1500000"], "error", "usage: missing options")
_add(_set(FK, "--n", "1e20") + ["--curve"], "error", "finite-key --curve at n = 1e20")
_add(_set(FK, "--n", "2000") + ["--curve"], "ok", "slow: finite-key --curve (50 optimisations)")

# ---- pipeline (the classical protocol; runs that need sampling are in tests/protocols/postprocessing)
PL = ["pipeline", "--table", "{file:bell_valid}", "--rounds", "1000", "--seed", "1", "--json"]
_add(PL, "ok", "pipeline with too few rounds: a clean abort, no key [check key_length=0]")
_add(_set(PL, "--rounds", "1e3"), "ok", "pipeline rounds in float syntax [check key_length=0]")
for opt, vals in {
    "--rounds": [("nan", "nan"), ("0", "zero"), ("-1", "negative"), ("1.5", "non-integer"),
                 ("1e20", "beyond the simulation limit"), ("abc", "wrong type")],
    "--seed": [("-1", "negative"), ("x", "wrong type")],
    "--gamma": [("nan", "nan"), ("0", "zero"), ("1", "one"), ("inf", "inf")],
    "--omega-thr": [("nan", "nan"), ("1.5", "above 1")],
    "--design-S": [("3", "above Tsirelson"), ("2", "no violation"), ("nan", "nan")],
    "--design-Q": [("-0.1", "negative"), ("0.6", "above 1/2")],
    "--extra-noise": [("nan", "nan"), ("-0.1", "negative"), ("1.1", "above 1")],
    "--eps-sound": [("0", "zero"), ("1", "one")],
    "--efficiency": [("0.5", "below the Slepian-Wolf limit"), ("nan", "nan")],
    "--timeout": [("0", "zero"), ("-1", "negative"), ("inf", "inf")],
    "--transport": [("carrier-pigeon", "unknown transport")],
}.items():
    for v, why in vals:
        _add(_set(PL, opt, v), "error", f"{why}: pipeline {opt}={v!r}")
for name in ("three_outcomes", "one_input", "local_zeros", "missing_P", "pr_box"):
    _add(_set(PL, "--table", f"{{file:{name}}}"), "error", f"pipeline on table {name}")
_add(["pipeline", "--rounds", "1000", "--seed", "1"], "error", "usage: neither --platform nor --table")
_add(PL + ["--platform", "ion"], "error", "usage: both --platform and --table")
_add(_set(PL, "--table", "/nonexistent.json"), "error", "missing file")

# ---- table photonic
PH = ["table", "photonic", "--json"]
_add(PH, "ok", "photonic default table")
_add(PH + ["--backend", "gaussian"], "ok", "photonic gaussian backend")
_add(PH + ["--source", "pair"], "ok", "photonic one-pair source")
_add(PH + ["--eta", "0"], "ok", "zero efficiency: no clicks but dark counts, a valid table")
_add(PH + ["--eta", "1"], "ok", "unit efficiency")
_add(PH + ["--eta-a", "0.9", "--eta-b", "0.8"], "ok", "asymmetric efficiencies")
_add(PH + ["--theta-deg", "0"], "ok", "product state")
_add(PH + ["--theta-deg", "45"], "ok", "maximally entangled")
_add(PH + ["--theta-deg=-20"], "ok", "negative theta")
_add(PH + ["--visibility", "0"], "ok", "visibility 0")
_add(PH + ["--dark-count", "0"], "ok", "no dark counts")
_add(PH + ["--dark-count", "1"], "ok", "dark count probability 1: every detector always clicks")
_add(PH + ["--fiber-m", "0"], "ok", "no fibre")
_add(PH + ["--fiber-m", "1e300"], "ok", "huge fibre: transmittance 0, a valid table")
_add(PH + ["--pair-mean-number", "1e-300"], "ok", "tiny pair number: almost always vacuum")
_add(PH + ["--alice-angles=-88.22,54.29", "--bob-angles=9.75,21.45,-1.07"], "ok", "explicit seed angles")
_add(PH + ["--angle-convention", "hwp"], "ok", "hwp convention")
_add(PH + ["--cutoff", "10"], "ok", "explicit sufficient cutoff (9 is the smallest at the defaults)")
for opt, vals in {
    "--eta": [("nan", "nan"), ("inf", "inf"), ("-0.1", "negative"), ("1.1", "above 1"), ("abc", "wrong type")],
    "--eta-b": [("2", "above 1")],
    "--theta-deg": [("nan", "nan"), ("inf", "inf"), ("-inf", "-inf"), ("abc", "wrong type")],
    "--visibility": [("nan", "nan"), ("1.1", "above 1")],
    "--dark-count": [("nan", "nan"), ("-1e-7", "negative")],
    "--fiber-m": [("nan", "nan"), ("inf", "inf"), ("-1", "negative")],
    "--pair-mean-number": [
        ("nan", "nan"),
        ("inf", "inf"),
        ("0", "zero"),
        ("-0.05", "negative"),
        ("1e300", "huge: no truncation reaches the tolerance"),
        ("abc", "wrong type"),
    ],
    "--cutoff": [
        ("0", "zero"),
        ("-5", "negative"),
        ("2", "too small for the tolerance"),
        ("60", "resource abuse: beyond the maximum 40"),
        ("1000", "resource abuse"),
        ("1000000000", "resource abuse"),
        ("2.5", "usage: float"),
    ],
    "--alice-angles": [("nan,0", "nan angle"), ("inf,0", "inf angle"), ("1,2,3", "usage: three angles")],
    "--bob-angles": [("0,0,nan", "nan angle"), ("0,0", "usage: two angles")],
    "--backend": [("bogus", "usage: bad backend")],
}.items():
    for v, why in vals:
        _add(PH + [f"{opt}={v}"], "error", f"{why}: table photonic {opt}={v!r}")
_add(
    PH + ["--pair-mean-number", "1e300", "--backend", "gaussian"],
    "error",
    "huge pair number, closed form: refused like the Fock backend (unphysical for DIQKD)",
)
_add(PH + ["--eta", "0.9", "--eta-b", "0.8"], "error", "--eta with --eta-b")
_add(PH + ["--eta", "0.9", "--eta-a", "0.8"], "error", "usage: --eta with --eta-a")
_add(PH + ["--source", "pair", "--cutoff", "5"], "error", "ignored: --cutoff with the one-pair source")
_add(PH + ["--backend", "gaussian", "--cutoff", "5"], "error", "ignored: --cutoff with the gaussian backend")
_add(PH + ["--backend", "gaussian", "--source", "pair"], "error", "gaussian backend needs the SPDC source")
_add(
    PH + ["--source", "pair", "--pair-mean-number", "0.3"],
    "error",
    "ignored: --pair-mean-number with the one-pair source",
)
_add(PH + ["--source", "pair", "--cutoff=-5"], "error", "negative cutoff with the one-pair source")
_add(PH + ["--source", "pair", "--cutoff", "1000"], "error", "resource abuse: cutoff 1000 with the one-pair source")

# ---- keyrate photonic (fixed p, p_N, few nodes)
KP = ["keyrate", "photonic", "--postselect", "0.9", "--noise", "0.1", "--nodes", "3", "--json"]
_add(KP, "ok", "photonic key rate, fixed p and p_N, 3 nodes")
_add(_set(KP, "--postselect", "1"), "ok", "postselect 1 (keep every no-click)")
_add(_set(KP, "--noise", "0"), "ok", "no noise")
_add(_set(KP, "--noise", "0.5"), "ok", "noise 1/2: rate <= 0, reported as 0 [check rate_per_round=0]")
_add(KP + ["--eta", "0.5"], "ok", "low efficiency: rate 0")
for opt, vals in {
    "--postselect": [("nan", "nan"), ("inf", "inf"), ("-0.1", "negative"), ("1.1", "above 1"), ("abc", "wrong type")],
    "--noise": [("nan", "nan"), ("-0.1", "negative"), ("0.6", "above 1/2"), ("inf", "inf")],
    "--nodes": [
        ("0", "zero nodes"),
        ("1", "one node"),
        ("-1", "negative nodes"),
        ("1000000000", "resource abuse"),
        ("100000", "resource abuse"),
        ("2.5", "usage: float"),
    ],
    "--eta": [("nan", "nan"), ("1.5", "above 1")],
    "--cutoff": [("1000", "resource abuse"), ("60", "resource abuse: beyond 40"), ("=-5", "negative")],
}.items():
    for v, why in vals:
        arg = f"{opt}{v}" if v.startswith("=") else f"{opt}={v}"
        _add(_set(KP, opt, None) + [arg], "error", f"{why}: keyrate photonic {opt}={v.lstrip('=')!r}")
_add(KP + ["--search-nodes", "0"], "error", "ignored: invalid --search-nodes with fixed p, p_N (never used)")
_add(KP + ["--search-nodes", "5"], "error", "ignored: --search-nodes with fixed p, p_N")
_add(
    ["keyrate", "photonic", "--nodes", "0", "--json"],
    "error",
    "zero nodes on the optimising path: must fail before the search",
)
_add(["keyrate", "photonic", "--search-nodes", "0", "--json"], "error", "zero search nodes on the optimising path")
_add(["keyrate", "photonic", "--nodes", "1000000000", "--json"], "error", "resource abuse on the optimising path")
_add(["keyrate", "photonic", "--postselect", "nan", "--json"], "error", "nan start point for the optimiser")
_add(["keyrate", "photonic", "--noise", "0.9", "--json"], "error", "bad start p_N for the optimiser")
_add(["keyrate", "photonic", "--eta=nan", "--json"], "error", "nan efficiency on the optimising path")

# ---- threshold photonic
TH = [
    "threshold",
    "photonic",
    "--postselect",
    "0.9",
    "--noise",
    "0.1",
    "--nodes",
    "2",
    "--tolerance",
    "0.3",
    "--low",
    "0.95",
    "--json",
]
_add(TH, "ok", "slow: threshold with a coarse bracket, 2 nodes")
for opt, vals in {
    "--tolerance": [
        ("nan", "nan"),
        ("0", "zero"),
        ("-0.1", "negative"),
        ("0.5", "too wide"),
        ("inf", "inf"),
        ("1e-300", "tiny: bisection cannot get below float spacing (never ends)"),
    ],
    "--low": [("nan", "nan"), ("-1", "negative"), ("1", "one"), ("1.5", "above 1"), ("inf", "inf")],
    "--nodes": [("0", "zero"), ("1", "one"), ("1000000000", "resource abuse")],
    "--postselect": [("nan", "nan"), ("2", "above 1")],
    "--noise": [("nan", "nan"), ("0.6", "above 1/2")],
    "--eta": [("nan", "nan")],
}.items():
    for v, why in vals:
        _add(_set(TH, opt, v), "error", f"{why}: threshold photonic {opt}={v!r}")

# ---- table ion / keyrate ion
ION = ["table", "ion", "--json"]
KI = ["keyrate", "ion", "--json"]
_add(ION, "ok", "ion default table")
_add(KI, "ok", "ion default key rate")
_ION_OK = [
    ("--dark-count-rate-hz", "1e4", "large dark-count rate (probability 1e-3): valid"),
    ("--dark-count-rate-hz", "1e5", "large dark-count rate (probability 1e-2): valid"),
    ("--dark-count-rate-hz", "0", "no dark counts"),
    ("--photon-efficiency", "0", "zero efficiency with dark counts: only false heralds, a valid table"),
    ("--photon-efficiency", "1", "unit efficiency"),
    ("--ion-photon-fidelity", "0.25", "lowest fidelity"),
    ("--mode-overlap", "0", "no interference"),
    ("--readout-error", "0.5", "random readout"),
    ("--polarisation-drift-rad", "1e300", "huge drift: polarisation fully scrambled (flip probability 1/2)"),
    ("--ion-coherence-time-s", "1e-300", "tiny T2: fully dephased"),
    ("--ion-wait-time-s", "1e300", "huge wait: fully dephased"),
    ("--round-overhead-s", "0", "no overhead"),
    ("--round-overhead-s", "1e300", "huge overhead: ~0 rounds per second"),
    ("--detection-window-s", "0", "zero window"),
    ("--attempt-rate-hz", "1e300", "huge attempt rate"),
    ("--bob-angles-deg=-45,45,0", "", "negative Bob angle with ="),
    ("--distance-km", "100", "100 km of fibre: a valid (noisy, slow) link"),
    ("--distance-km", "1e5", "1e5 km: photons never arrive, dark counts alone herald: a valid (useless) link"),
    ("--fiber-db-per-km", "0", "lossless fibre"),
]
# Poissonian dark counts with the exact herald count (qmodels/ion/channels.py): any rate is a valid link
for _v in ("1e6", "5e6", "1e7", "1e8"):
    _add(_set(ION, "--dark-count-rate-hz", _v), "ok", f"large dark-count rate {_v} Hz: a valid (noisy) link")
_add(_set(ION, "--dark-count-rate-hz", "1e9"), "error",
     "dark counts in every window (p_d rounds to 1, herald probability ~e^-200): never heralded")
_ION_ERR = {
    "--ion-photon-fidelity": [("nan", "nan"), ("0.2", "below 1/4"), ("abc", "wrong type")],
    "--mode-overlap": [("nan", "nan"), ("1.1", "above 1")],
    "--polarisation-drift-rad": [("nan", "nan"), ("inf", "inf"), ("-0.1", "negative")],
    "--ion-coherence-time-s": [("nan", "nan"), ("0", "zero"), ("-1", "negative"), ("inf", "inf: infinities refused")],
    "--ion-wait-time-s": [("nan", "nan"), ("inf", "inf"), ("-1", "negative")],
    "--readout-error": [("nan", "nan"), ("0.6", "above 1/2")],
    "--photon-efficiency": [("nan", "nan"), ("-0.1", "negative"), ("1.1", "above 1"), ("1e300", "huge")],
    "--dark-count-rate-hz": [
        ("nan", "nan"),
        ("inf", "inf"),
        ("-1", "negative"),
    ],
    "--detection-window-s": [
        ("nan", "nan"),
        ("inf", "inf"),
        ("-1e-7", "negative"),
        ("1e300", "huge window: dark-count probability > 1"),
    ],
    "--attempt-rate-hz": [("nan", "nan"), ("inf", "inf: not a rate"), ("0", "zero"), ("-1", "negative")],
    "--round-overhead-s": [("nan", "nan"), ("inf", "inf"), ("-1", "negative")],
    "--distance-km": [("nan", "nan"), ("inf", "inf"), ("-1", "negative")],
    "--fiber-db-per-km": [("nan", "nan"), ("-0.2", "negative")],
    "--alice-angles-deg": [("nan,0", "nan angle"), ("0,inf", "inf angle"), ("0", "usage: one angle")],
    "--bob-angles-deg": [("0,0,nan", "nan angle"), ("0,0", "usage: two angles")],
}
#: the keyrate command shares the link arguments: a subset is enough there
_KI_OK = {
    "--dark-count-rate-hz",
    "--photon-efficiency",
    "--polarisation-drift-rad",
    "--ion-coherence-time-s",
    "--round-overhead-s",
    "--attempt-rate-hz",
    "--distance-km",
}
_KI_ERR = {
    ("--distance-km", "-1"),
    ("--fiber-db-per-km", "nan"),
    ("--attempt-rate-hz", "inf"),
    ("--attempt-rate-hz", "0"),
    ("--dark-count-rate-hz", "inf"),
    ("--dark-count-rate-hz", "1e8"),
    ("--photon-efficiency", "nan"),
    ("--polarisation-drift-rad", "nan"),
    ("--ion-photon-fidelity", "abc"),
    ("--alice-angles-deg", "nan,0"),
}
for base, cmd in ((ION, "table ion"), (KI, "keyrate ion")):
    for opt, v, why in _ION_OK:
        if base is KI and opt not in _KI_OK:
            continue
        _add(base + ([opt] if not v else [f"{opt}={v}"]), "ok", f"{cmd}: {why}")
    for opt, vals in _ION_ERR.items():
        for v, why in vals:
            if base is KI and (opt, v) not in _KI_ERR:
                continue
            _add(base + [f"{opt}={v}"], "error", f"{why}: {cmd} {opt}={v!r}")
    _add(base + ["--distance-km", "1e5", "--dark-count-rate-hz", "0"], "error",
         f"{cmd}: 1e5 km without dark counts: the photons' transmittance underflows, no herald ever")
    _add(
        base + ["--photon-efficiency", "0", "--dark-count-rate-hz", "0"],
        "error",
        f"{cmd}: zero efficiency and no dark counts: no herald ever, no table",
    )

# ---- table cat / keyrate cat
CAT = ["table", "cat", "--distance-km", "10", "--backend", "analytic", "--json"]
CAT_SF = ["table", "cat", "--distance-km", "10", "--json"]
KC = ["keyrate", "cat", "--distance-km", "10", "--json"]
_add(CAT, "ok", "cat analytic table")
_add(CAT_SF, "ok", "slow: cat Strawberry Fields table (~10 s)")
_add(CAT + ["--scheme", "bell"], "ok", "bell scheme analytic")
_add(CAT_SF + ["--scheme", "bell"], "ok", "slow: bell scheme, Strawberry Fields (~10 s)")
_add(KC, "ok", "cat key rate, mu optimised")
_add(KC + ["--mu", "0.1"], "ok", "cat key rate at fixed mu")
_add(KC + ["--scheme", "bell"], "ok", "bell key rate")
_add(["keyrate", "cat", "--distance-km", "0", "--json"], "ok", "distance 0 (eta_d = 0.8): PLOB finite")
_add(
    ["keyrate", "cat", "--distance-km", "0", "--detector-efficiency", "1", "--json"],
    "ok",
    "distance 0, efficiency 1: the key rate is defined although PLOB is infinite",
)
_add(
    ["keyrate", "cat", "--distance-km", "0", "--detector-efficiency", "1", "--mu", "0.1", "--json"],
    "ok",
    "distance 0, efficiency 1, fixed mu: key rate defined, PLOB infinite",
)
_add(
    ["keyrate", "cat", "--distance-km", "0", "--detector-efficiency", "1", "--scheme", "bell", "--json"],
    "ok",
    "distance 0, efficiency 1, bell scheme: key rate defined, PLOB infinite",
)
_add(
    ["keyrate", "cat", "--distance-km", "0", "--fiber-db-per-km", "0", "--detector-efficiency", "1", "--json"],
    "ok",
    "lossless link: key rate defined, PLOB infinite",
)
_add(
    ["table", "cat", "--distance-km", "0", "--detector-efficiency", "1", "--backend", "analytic", "--json"],
    "ok",
    "lossless table",
)
for base, cmd in ((CAT, "table cat"), (KC, "keyrate cat")):
    _add(base + ["--distance-km=1e300"], "ok", f"{cmd}: huge distance: transmittance 0, no key, a valid answer")
    _add(base + ["--fiber-db-per-km=0"], "ok", f"{cmd}: lossless fibre")
    _add(base + ["--detector-efficiency=0"], "ok", f"{cmd}: zero efficiency: heralds from dark counts only")
    _add(base + ["--dark-count=0"], "ok", f"{cmd}: no dark counts")
    _add(base + ["--misalignment=0.5"], "ok", f"{cmd}: maximal misalignment")
    _add(base + ["--mu=1e-300"], "ok", f"{cmd}: tiny mu")
    _add(base + ["--mu=1e300"], "error", f"{cmd} (analytic): huge mu: unphysical, refused")
    for opt, vals in {
        "--distance-km": [("nan", "nan"), ("inf", "inf"), ("-1", "negative"), ("abc", "wrong type")],
        "--mu": [("nan", "nan"), ("inf", "inf"), ("0", "zero"), ("-0.1", "negative")],
        "--detector-efficiency": [("nan", "nan"), ("-0.1", "negative"), ("1.1", "above 1")],
        "--fiber-db-per-km": [("nan", "nan"), ("inf", "inf"), ("-0.2", "negative")],
        "--dark-count": [
            ("nan", "nan"),
            ("-1e-7", "negative"),
            ("1.5", "above 1"),
            ("1", "probability 1: both detectors always click, no herald"),
        ],
        "--misalignment": [("nan", "nan"), ("0.6", "above 1/2")],
        "--backend": [("bogus", "usage: bad backend")],
    }.items():
        for v, why in vals if base is CAT else vals[:2]:  # keyrate shares the link arguments: fewer
            _add(_set(base, opt, v), "error", f"{why}: {cmd} {opt}={v!r}")
    _add(base + ["--scheme", "bell", "--mu", "0.1"], "error", f"{cmd}: --mu with the bell scheme")
    _add(base + ["--scheme", "bell", "--misalignment", "0.1"], "error", f"{cmd}: misalignment with the bell scheme")
_add(["table", "cat", "--json"], "error", "usage: missing --distance-km")
_add(CAT + ["--cutoff", "5"], "error", "ignored: table cat --backend analytic --cutoff 5")
_add(CAT_SF + ["--scheme", "bell", "--cutoff", "5"], "error", "ignored: --cutoff with the bell scheme")
for v, why in [
    ("0", "zero"),
    ("=-5", "negative"),
    ("2", "too small for the tolerance"),
    ("60", "resource abuse: beyond the maximum 40"),
    ("1000", "resource abuse"),
    ("1000000000", "resource abuse"),
    ("2.5", "usage: float"),
]:
    arg = f"--cutoff{v}" if v.startswith("=") else f"--cutoff={v}"
    _add(CAT_SF + [arg], "error", f"{why}: table cat --cutoff={v.lstrip('=')}")
    if v in ("=-5", "60", "1000"):
        _add(
            KC + ["--mu", "0.1", "--backend", "strawberryfields", arg],
            "error",
            f"{why}: keyrate cat strawberryfields --cutoff={v.lstrip('=')}",
        )
_add(KC + ["--cutoff", "5"], "error", "keyrate cat --cutoff with the analytic backend")
_add(KC + ["--mu", "0.1", "--optimise-mu"], "error", "usage: --mu with --optimise-mu")
_add(KC + ["--scheme", "bell", "--optimise-mu"], "error", "--optimise-mu with the bell scheme")
_add(CAT_SF + ["--mu=1e300"], "error", "table cat --mu 1e300 (Strawberry Fields backend)")

# ---- reproduce (error paths only: the studies themselves take minutes)
_add(["reproduce", "--only", "bogus"], "error", "usage: bad --only")
_add(["reproduce", "--out", "{file:bell_valid}", "--only", "analytic"], "error", "--out is an existing file")
_add(["reproduce", "--out", "{file:bell_valid}/sub", "--only", "analytic"], "error", "--out below a file")
_add(["reproduce", "--out", "/proc/diqkd-cannot-create", "--only", "analytic"], "error", "--out not creatable")

# ---- sweep (error paths; the points themselves are in tests/cli/test_cli_sweep.py)
SW = ["sweep", "cat", "--mu", "0.1", "--param"]
_add(["sweep", "bogus", "--param", "x", "--values", "1", "--out", "/proc/x.csv"], "error", "usage: unknown platform")
_add(SW + ["colour", "--values", "1", "--out", "/proc/x.csv"], "error", "sweep: unknown --param")
_add(SW + ["distance_km", "--range", "5,1,3", "--out", "/proc/x.csv"], "error", "sweep: reversed --range")
_add(SW + ["distance_km", "--range", "5,5,3", "--out", "/proc/x.csv"], "error", "sweep: empty --range")
_add(SW + ["distance_km", "--range", "0,1,0", "--out", "/proc/x.csv"], "error", "sweep: --range of 0 points")
_add(SW + ["distance_km", "--values", "nan", "--out", "/proc/x.csv"], "error", "sweep: NaN value")
_add(SW + ["distance_km", "--values", "10", "--out", "{file:bell_valid}/sub.csv"], "error", "sweep: --out below a file")
_add(SW + ["distance_km", "--values", "10", "--range", "0,1,2", "--out", "/proc/x.csv"], "error",
     "usage: --values with --range")
_add(SW + ["distance_km", "--values", "10", "--out", "/proc/x.csv", "--workers", "0"], "error", "sweep: --workers 0")

STDIN_CASES: list[tuple[list[str], str, str, str]] = []
for name in ("bell_valid", "counts_valid", "pr_box", "utf8_bom"):
    STDIN_CASES.append((["chsh", "-", "--json"], name, "ok", f"chsh stdin valid {name}"))
for name in (
    "empty",
    "invalid_json",
    "utf16",
    "utf16_le_nobom",
    "latin1",
    "binary_garbage",
    "deep_P",
    "deep_meta",
    "bigint_P",
    "nan_token",
    "counts_2e64",
    "counts_contradict_P",
    "signalling",
    "top_list",
):
    STDIN_CASES.append((["chsh", "-", "--json"], name, "error", f"chsh stdin malformed {name}"))

# ---------------------------------------------------------------------------------- API
API_CASES: list[tuple[str, tuple, dict, str, str]] = []


def _api(path, args=(), kwargs=None, expect="error", note=""):
    API_CASES.append((path, tuple(args), dict(kwargs or {}), expect, note))


F32, F64, I64 = np.float32, np.float64, np.int64
BELL, COUNTS, Q23, LOCAL, PR, THREE = (
    Table("bell_valid"),
    Table("counts_valid"),
    Table("qubit_2x3"),
    Table("local_zeros"),
    Table("pr_box"),
    Table("three_outcomes"),
)
ARR = np.full((2, 2, 2, 2), 0.25)

# binary_entropy
for v, why in [
    (NAN, "nan"),
    (INF, "inf"),
    (-0.1, "negative"),
    (1.1, "above 1"),
    ("abc", "str"),
    (None, "None"),
    (0.5 + 0.5j, "complex"),
    ([0.1, NAN], "list with nan"),
    (np.array([0.2, 1.5]), "array"),
]:
    _api("protocols.binary_entropy", (v,), note=f"binary_entropy {why}")
for v, why in [(F32(0.3), "np.float32"), (I64(0), "np.int64"), (0.5, "float"), (np.array([0.1, 0.9]), "array")]:
    _api("protocols.binary_entropy", (v,), expect="ok", note=f"binary_entropy {why}")

# pironio / chsh_key_rate / devetak_winter / rate_per_second
for v, why in [
    (-INF, "-inf"),
    (INF, "inf"),
    (NAN, "nan"),
    (-3.0, "below -2 sqrt 2"),
    (3.0, "above Tsirelson"),
    ("abc", "str"),
    (None, "None"),
    (2.5 + 0j, "complex"),
    ([2.5], "list"),
    (np.array([2.5, 2.6]), "array"),
    (F64(NAN), "np.float64 nan"),
    (1e300, "huge"),
]:
    _api("protocols.pironio_entropy_bound", (v,), note=f"pironio {why}")
for v, why in [
    (F32(2.7), "np.float32"),
    (I64(2), "np.int64"),
    (2 * SQRT2, "Tsirelson"),
    (1e-300, "tiny"),
    (0.0, "zero"),
    (-2.5, "negative quantum S"),
    (np.array(2.7), "0-d array"),
]:
    _api("protocols.pironio_entropy_bound", (v,), expect="ok", note=f"pironio {why}")
for args, why in [
    ((2.7, NAN), "nan Q"),
    ((NAN, 0.01), "nan S"),
    ((-3.0, 0.01), "S below -2 sqrt 2"),
    ((2.7, -0.01), "negative Q"),
    ((2.7, 1.5), "Q above 1"),
    ((2.7, "x"), "str Q"),
    ((2.7, None), "None Q"),
]:
    _api("protocols.chsh_key_rate", args, note=f"chsh_key_rate {why}")
_api("protocols.chsh_key_rate", (F32(2.7), F32(0.02)), expect="ok", note="chsh_key_rate np.float32")
_api("protocols.chsh_key_rate", (I64(2), I64(0)), expect="ok", note="chsh_key_rate np.int64")
for args, why in [
    ((NAN, 0.1), "nan H_AE"),
    ((0.5, NAN), "nan H_AB"),
    ((1.5, 0.1), "H_AE above 1"),
    ((-0.1, 0.1), "negative H_AE"),
    ((0.5, INF), "H_AB = inf"),
    ((0.5, -0.1), "negative H_AB"),
    (("a", 0.1), "str"),
]:
    _api("protocols.devetak_winter_rate", args, note=f"devetak_winter_rate {why}")
_api("protocols.devetak_winter_rate", (F32(0.5), I64(0)), expect="ok", note="devetak_winter_rate numpy scalars")
for args, why in [
    ((NAN,), "nan rate"),
    ((-1.0,), "negative rate"),
    ((INF,), "inf rate"),
    ((0.5, 1.5), "herald > 1"),
    ((0.5, None, NAN), "nan rounds/s"),
    ((0.5, None, INF), "inf rounds/s"),
    (("abc",), "str rate"),
    ((None,), "None rate"),
    ((0.5, None, "abc"), "str rounds/s"),
]:
    _api("protocols.rate_per_second", args, note=f"rate_per_second {why}")
_api("protocols.rate_per_second", (F32(0.5), F64(0.1), I64(1000)), expect="ok", note="rate_per_second numpy scalars")

# noisy preprocessing
for args, why in [
    ((2.7, NAN), "nan p"),
    ((NAN, 0.1), "nan S"),
    ((2.7, 0.6), "p above 1/2"),
    ((2.7, -0.1), "negative p"),
    ((-3.0, 0.1), "S below -2 sqrt 2"),
    ((-INF, 0.1), "-inf S"),
]:
    _api("protocols.noisy_preprocessing_entropy", args, note=f"noisy_preprocessing_entropy {why}")
_api("protocols.noisy_preprocessing_entropy", (F32(2.7), F32(0.1)), expect="ok", note="np.float32")
_api("protocols.noisy_preprocessing_entropy", (1.0, 0.1), expect="ok", note="local S: h(p)")
for args, why in [((NAN, 0.1), "nan Q"), ((0.1, NAN), "nan p"), ((1.1, 0.1), "Q above 1"), ((0.1, 0.6), "p above 1/2")]:
    _api("protocols.noisy_preprocessing_error_cost", args, note=f"noisy_preprocessing_error_cost {why}")
_api("protocols.noisy_preprocessing_error_cost", (I64(0), F32(0.1)), expect="ok", note="numpy scalars")
for args, kw, why in [
    ((-INF, 0.0), {}, "-inf S"),
    ((NAN, 0.01), {}, "nan S"),
    ((2.7, NAN), {}, "nan Q"),
    ((2.7, 1.5), {}, "Q above 1"),
    ((-3.0, 0.01), {}, "S below -2 sqrt 2"),
    ((2.7, 0.02), {"grid": 0}, "grid 0"),
    ((2.7, 0.02), {"grid": -5}, "negative grid"),
    ((2.7, 0.02), {"grid": 2.5}, "float grid"),
    ((2.7, 0.02), {"grid": 10**9}, "resource abuse: grid 1e9"),
    ((2.7, 0.02), {"grid": NAN}, "nan grid"),
]:
    _api("protocols.optimal_noise", args, kw, note=f"optimal_noise {why}")
_api("protocols.optimal_noise", (2.7, 0.02), expect="ok", note="optimal_noise valid")
_api("protocols.optimal_noise", (F32(2.7), F32(0.02)), {"grid": I64(51)}, expect="ok", note="optimal_noise numpy")
_api("protocols.optimal_noise", (2.7, 0.02), {"grid": 1}, note="optimal_noise grid 1: a one-point grid is no search")

# tables in, numbers out
for args, why in [
    ((ARR,), "np.ndarray instead of a table"),
    ((None,), "None"),
    (({"P": 1},), "dict"),
    (("table.json",), "str path"),
    (([[[[0.25]]]],), "nested list"),
    ((BELL, (0, 0)), "x not distinct"),
    ((BELL, (0, 1, 2)), "three x"),
    ((BELL, (0, 1), (0, 1), (5, 5)), "bad minus"),
    ((BELL, ("a", "b")), "str inputs"),
    ((BELL, (0.5, 1)), "float input index (truncated to 0)"),
    ((THREE,), "three outcomes"),
]:
    _api("protocols.chsh_score", args, note=f"chsh_score {why}")
_api("protocols.chsh_score", (BELL,), expect="ok", note="chsh_score valid")
_api("protocols.chsh_score", (BELL, (I64(0), I64(1)), (I64(0), I64(1))), expect="ok", note="chsh_score np.int64 inputs")
_api("protocols.chsh_winning_probability", (ARR,), note="chsh_winning_probability ndarray")
_api("protocols.chsh_winning_probability", (PR,), expect="ok", note="PR box: omega = 1 is what it is")
for args, why in [
    ((BELL, 0, 5), "y out of range"),
    ((BELL, -1, 0), "negative x"),
    ((BELL, 0.5, 0), "float x"),
    ((ARR, 0, 0), "ndarray"),
    ((THREE, 0, 0), "three outcomes"),
    ((BELL, "0", 0), "str x"),
]:
    _api("protocols.correlator", args, note=f"correlator {why}")
_api("protocols.correlator", (BELL, I64(1), I64(1)), expect="ok", note="correlator np.int64")
for args, why in [
    ((BELL, (0, 5)), "key out of range"),
    ((BELL, (0,)), "one index"),
    ((BELL, None), "None key"),
    ((ARR, (0, 0)), "ndarray"),
    ((BELL, (0.5, 0)), "float index"),
]:
    _api("protocols.qber", args, note=f"qber {why}")
_api("protocols.qber", (BELL, (I64(0), I64(0))), expect="ok", note="qber np.int64 key")
for args, kw, why in [
    ((BELL, (0, 0), NAN), {}, "nan noise"),
    ((BELL, (0, 0), 0.6), {}, "noise above 1/2"),
    ((BELL, (5, 5)), {}, "key out of range"),
    ((BELL, (0,)), {}, "one index"),
    ((BELL, "ab"), {}, "str key"),
    ((BELL, None), {}, "None key"),
    ((ARR,), {}, "ndarray"),
    ((THREE, (0, 0), 0.1), {}, "noise with three outcomes"),
]:
    _api("protocols.conditional_entropy_ab", args, kw, note=f"conditional_entropy_ab {why}")
_api(
    "protocols.conditional_entropy_ab", (BELL, (0, 0), F32(0.1)), expect="ok", note="conditional_entropy_ab np.float32"
)

# estimation
for args, why in [
    ((1.5, 3), "fractional k"),
    ((3, 2), "k > n"),
    ((-1, 3), "negative k"),
    ((0, 0), "n = 0"),
    ((1, 3, NAN), "nan confidence"),
    ((1, 3, 1.5), "confidence above 1"),
    ((1, 3, 1.0), "confidence 1"),
    ((1, 3, 0.95, "bogus"), "bad method"),
    ((NAN, 3), "nan k"),
    ((1, INF), "inf n"),
    ((1, NAN), "nan n"),
    ((1, 10**400), "400-digit n"),
    (("1", 3), "str k"),
    ((None, 3), "None k"),
    ((1, 3.5), "fractional n"),
]:
    _api("protocols.binomial_interval", args, note=f"binomial_interval {why}")
for args, why in [
    ((1, 3), "wilson"),
    ((0, 3, 0.95, "clopper-pearson"), "clopper-pearson k = 0"),
    ((3, 3, 0.95, "clopper-pearson"), "clopper-pearson k = n"),
    ((1, 3, 0.95, "hoeffding"), "hoeffding"),
    ((I64(1), I64(3), F32(0.95)), "numpy scalars"),
    ((1, 3, 1e-300), "tiny confidence"),
]:
    _api("protocols.binomial_interval", args, expect="ok", note=f"binomial_interval {why}")
_api("protocols.chsh_estimate", (COUNTS,), expect="ok", note="chsh_estimate valid")
_api("protocols.chsh_estimate", (BELL,), note="chsh_estimate without counts")
_api("protocols.chsh_estimate", (COUNTS,), {"confidence": NAN}, note="chsh_estimate nan confidence")
_api("protocols.chsh_estimate", (COUNTS,), {"method": "bogus"}, note="chsh_estimate bad method")
_api("protocols.chsh_estimate", (ARR,), note="chsh_estimate ndarray")
_api("protocols.chsh_estimate", (Table("counts_2e40"),), expect="ok", note="chsh_estimate, 2**40 counts per cell")
_api("protocols.qber_estimate", (COUNTS, (0, 0)), expect="ok", note="qber_estimate valid")
_api("protocols.qber_estimate", (COUNTS, (5, 5)), note="qber_estimate key out of range")
_api("protocols.qber_estimate", (COUNTS, (0,)), note="qber_estimate one index")
_api("protocols.qber_estimate", (COUNTS, (0, 0), 2.0), note="qber_estimate confidence 2")
_api("protocols.score_from_omega", (None,), note="score_from_omega None")

# plob / fibre
for v, why in [
    (NAN, "nan"),
    (1.0, "eta = 1: infinite capacity"),
    (1.5, "above 1"),
    (-0.1, "negative"),
    (INF, "inf"),
    ("abc", "str"),
    (None, "None"),
]:
    _api("protocols.plob_bound", (v,), note=f"plob_bound {why}")
for v, why in [(0.0, "zero"), (0.5, "half"), (F32(0.5), "np.float32"), (I64(0), "np.int64")]:
    _api("protocols.plob_bound", (v,), expect="ok", note=f"plob_bound {why}")
for args, why in [
    ((NAN,), "nan length"),
    ((-1.0,), "negative length"),
    ((INF,), "inf length"),
    ((10.0, NAN), "nan loss"),
    ((10.0, -0.2), "negative loss"),
    (("abc",), "str length"),
    ((None,), "None length"),
]:
    _api("protocols.fibre_transmittance", args, note=f"fibre_transmittance {why}")
for args, why in [
    ((1e300,), "huge length: 0"),
    ((10.0, 1e300), "huge loss: 0"),
    ((F32(10.0),), "np.float32"),
    ((I64(10), I64(0)), "np.int64"),
]:
    _api("protocols.fibre_transmittance", args, expect="ok", note=f"fibre_transmittance {why}")

# CorrelationTable and friends
_api("protocols.signalling_deviation", (ARR,), expect="ok", note="signalling_deviation ndarray")
_api("protocols.signalling_deviation", ("abc",), note="signalling_deviation str")
_api("protocols.signalling_deviation", (np.zeros((2, 2, 2)),), note="signalling_deviation 3-d array")
CT = "protocols.CorrelationTable"
_api(CT, (ARR,), expect="ok", note="CorrelationTable uniform")
_api(CT, (ARR.astype(np.float32),), expect="ok", note="CorrelationTable float32 P")
_api(CT, (ARR + 0.1j,), note="complex P with nonzero imaginary part")
_api(CT, (ARR.astype(complex),), note="complex P (imaginary 0): not a real array")
_api(CT, ([[[[0.25 + 0j, 0.25], [0.25, 0.25]]]],), note="complex P as a nested list")
_api(CT, (ARR,), {"normalisation_tol": NAN}, note="NaN normalisation tolerance")
_api(CT, (np.full((2, 2, 2, 2), 0.2),), {"normalisation_tol": NAN}, note="NaN tolerance lets a non-normalised P in")
_api(CT, (ARR,), {"signalling_tol": NAN}, note="NaN signalling tolerance")
_api(
    CT,
    (np.array(json.loads(TABLE_FILES["signalling"])["P"]),),
    {"signalling_tol": NAN},
    note="NaN signalling tolerance lets a signalling P in",
)
_api(CT, (ARR,), {"normalisation_tol": -1.0}, note="negative normalisation tolerance")
_api(CT, (ARR,), {"signalling_tol": "bogus"}, note="str signalling tolerance")
_api(CT, (ARR,), {"normalisation_tol": "bogus"}, note="str normalisation tolerance")
for kw, why in [
    ({"herald_probability": NAN}, "nan herald"),
    ({"herald_probability": 1.5}, "herald above 1"),
    ({"rounds_per_second": NAN}, "nan rounds/s"),
    ({"rounds_per_second": -1}, "negative rounds/s"),
    ({"rounds_per_second": INF}, "inf rounds/s"),
    ({"rounds_per_second": "abc"}, "str rounds/s"),
    ({"counts": np.full((2, 2, 2, 2), NAN)}, "nan counts"),
    ({"counts": np.full((2, 2, 2, 2), 2.0**64)}, "counts 2**64"),
    ({"counts": np.full((2, 2, 2, 2), 2.0**63)}, "counts 2**63"),
    ({"counts": np.array([[[[1000, 0], [0, 0]]] * 2] * 2)}, "counts contradict P"),
    ({"counts": np.full((2, 2, 2, 2), 1.5)}, "fractional counts"),
    ({"counts": np.ones((2, 2))}, "counts wrong shape"),
    ({"meta": "abc"}, "str meta"),
    ({"meta": [1, 2]}, "list meta"),
    ({"x_labels": ("a",)}, "labels too short"),
    ({"x_labels": 5}, "int labels"),
]:
    _api(CT, (ARR,), kw, note=f"CorrelationTable {why}")
_api(CT, (ARR,), {"counts": np.full((2, 2, 2, 2), 250, dtype=np.int64)}, expect="ok", note="consistent int64 counts")
for v, why in [
    (None, "None"),
    ("abc", "str"),
    (np.zeros((2, 2, 2)), "3-d"),
    (np.full((2, 2, 2, 2, 1), 0.25), "5-d"),
    (np.full((2, 2, 2, 2), NAN), "nan"),
    (np.full((2, 2, 2, 2), INF), "inf"),
    (np.full((2, 2, 2, 2), 1e300), "huge"),
    ([[[[10**400, 0], [0, 0]]]], "400-digit int entry"),
    ([], "empty"),
]:
    _api(CT, (v,), note=f"CorrelationTable P {why}")
_api(CT + ".from_probabilities", ([[[[10**400, 0], [0, 0]]]],), note="from_probabilities 400-digit int")
_api(CT + ".from_probabilities", ([[[[0.5, 0.5], [0, 0]]]],), expect="ok", note="from_probabilities 1x1x2x2")
for v, why in [
    (np.full((2, 2, 2, 2), NAN), "nan"),
    (np.full((2, 2, 2, 2), -1.0), "negative"),
    (np.zeros((2, 2, 2, 2)), "zero blocks"),
    (np.full((2, 2, 2, 2), 2.0**64), "2**64 counts"),
    ([[[[10**400, 1], [1, 1]]]], "400-digit count"),
    (None, "None"),
    (np.full((2, 2, 2, 2), 1.5), "fractional"),
]:
    _api(CT + ".from_counts", (v,), note=f"from_counts {why}")
_api(CT + ".from_counts", (np.full((2, 2, 2, 2), 5, dtype=np.int64),), expect="ok", note="from_counts int64")
for text, why in [
    ("{", "invalid JSON"),
    ("[" * 100_000 + "]" * 100_000, "nesting depth 100000"),
    (TABLE_FILES["bigint_P"].decode(), "400-digit integer in P"),
    ("NaN", "bare NaN"),
    (TABLE_FILES["deep_meta"].decode(), "deep meta"),
    (TABLE_FILES["counts_2e64"].decode(), "counts 2**64"),
    (TABLE_FILES["counts_contradict_P"].decode(), "counts contradict P"),
    ("", "empty"),
]:
    _api(CT + ".from_json", (text,), note=f"from_json {why}")
_api(CT + ".from_json", (None,), note="from_json None")
_api(CT + ".from_json", (b"\xff\xfe\x00",), note="from_json undecodable bytes")
_api(CT + ".from_json", (TABLE_FILES["bell_valid"].decode(),), expect="ok", note="from_json valid")
_api(CT + ".from_json", (TABLE_FILES["bell_valid"].decode(),), {"signalling_tol": NAN}, note="from_json NaN tolerance")
for name in ("utf16", "latin1", "deep_P", "bigint_P", "binary_garbage", "counts_2e64"):
    _api(CT + ".load", (File(name),), note=f"load {name}")
_api(CT + ".load", ("/nonexistent.json",), note="load missing file")
_api(CT + ".load", ("/",), note="load a directory")
_api(CT + ".load", (None,), note="load None")
_api(CT + ".load", (File("bell_valid"),), expect="ok", note="load valid")
for d, why in [
    ({}, "empty dict"),
    ([], "list"),
    (None, "None"),
    ({"format": FORMAT, "P": [[[[NAN, 1.0], [0, 0]]]]}, "nan P"),
    ({"format": FORMAT, "P": [[[[10**400, 0], [0, 0]]]]}, "400-digit int P"),
    ({"format": FORMAT, "P": np.array(_BELL)}, "ndarray P (not a list)"),
]:
    _api("protocols.table_from_dict", (d,), note=f"table_from_dict {why}")
_api("protocols.table_from_dict", (_doc(_BELL),), expect="ok", note="table_from_dict valid")
_api("protocols.table_from_dict", (_doc(_BELL),), {"signalling_tol": "bogus"}, note="table_from_dict str tolerance")
_api("protocols.table_from_dict", (_doc(_BELL),), {"signalling_tol": NAN}, note="table_from_dict NaN tolerance")
_api(CT + ".mix", (BELL, "uniform", NAN), note="mix nan weight")
_api(CT + ".mix", (BELL, "uniform", 1.5), note="mix weight above 1")
_api(CT + ".mix", (BELL, "bogus", 0.1), note="mix bad noise name")
_api(CT + ".mix", (BELL, ARR, 0.1), note="mix with an ndarray")
_api(CT + ".mix", (BELL, Q23, 0.1), note="mix shape mismatch")
_api(CT + ".mix", (BELL, "uniform", F32(0.1)), expect="ok", note="mix np.float32 weight")
_api(CT + ".select_inputs", (BELL, [5]), note="select_inputs out of range")
_api(CT + ".select_inputs", (BELL, []), note="select_inputs empty")
_api(CT + ".select_inputs", (BELL, [0.5]), note="select_inputs float index")
_api(CT + ".select_inputs", (BELL, ["a"]), note="select_inputs str index")
_api(CT + ".relabel_outputs", (BELL, "C", [0, 1]), note="relabel bad party")
_api(CT + ".relabel_outputs", (BELL, "A", [0, 0]), note="relabel not a permutation")
_api(CT + ".relabel_outputs", (BELL, "A", ["a", "b"]), note="relabel str permutation")
_api(CT + ".relabel_outputs", (BELL, "A", [1, 0], [7]), note="relabel input out of range")
_api(CT + ".relabel_outputs", (BELL, "B", [1, 0]), expect="ok", note="relabel valid")
_api(CT + ".block", (BELL, 0.5, 0), note="block float index")
_api(CT + ".block", (BELL, 5, 0), note="block out of range")
_api(CT + ".block", (BELL, I64(1), I64(1)), expect="ok", note="block np.int64")
_api(
    CT + ".to_json",
    (Lazy(CT, (ARR,), {"meta": {"x": NAN}}),),
    note="to_json of a table whose meta holds NaN: invalid JSON",
)
_api(CT + ".to_json", (Lazy(CT, (ARR,), {"meta": {"s": {1, 2}}}),), note="to_json of meta with a set")
_api(CT + ".to_json", (Lazy(CT, (ARR,), {"x_labels": (NAN, 1)}),), note="to_json of NaN labels: invalid JSON")

# local
_api("protocols.local.is_local", (LOCAL,), expect="ok", note="is_local local table")
_api("protocols.local.is_local", (BELL,), {"tol": NAN}, note="is_local nan tolerance")
_api("protocols.local.local_deviation", (ARR,), note="local_deviation ndarray")

# BFF
BC = "protocols.bff.bff_entropy_chsh"
_api(BC, (2.7,), {"slack": NAN, "nodes": 4}, note="bff_entropy_chsh slack nan")
_api(BC, (2.7,), {"slack": -0.1, "nodes": 4}, note="bff_entropy_chsh negative slack")
_api(BC, (2.7,), {"slack": 1.0, "nodes": 4}, expect="ok", note="bff_entropy_chsh slack 1: bound 0")
for v, why in [
    (NAN, "nan"),
    (INF, "inf"),
    (-INF, "-inf"),
    (-3.0, "below -2 sqrt 2"),
    (1e300, "huge"),
    ("abc", "str"),
    (None, "None"),
    (2.7 + 0j, "complex"),
]:
    _api(BC, (v,), {"nodes": 4}, note=f"bff_entropy_chsh S {why}")
for kw, why in [
    ({"nodes": 1}, "one node"),
    ({"nodes": 2.5}, "float nodes"),
    ({"nodes": "4"}, "str nodes"),
    ({"nodes": None}, "None nodes"),
    ({"nodes": NAN}, "nan nodes"),
    ({"nodes": INF}, "inf nodes"),
    ({"nodes": 10**9}, "resource abuse: 1e9 nodes"),
    ({"nodes": 100_000}, "resource abuse: 1e5 nodes"),
    ({"nodes": 4, "noise": NAN}, "nan noise"),
    ({"nodes": 4, "noise": 0.6}, "noise above 1/2"),
    ({"nodes": 4, "last_node": "x"}, "bad last node"),
    ({"nodes": 4, "solver": "x"}, "bad solver"),
    ({"nodes": 4, "engine": "abc"}, "str engine"),
]:
    _api(BC, (2.7,), kw, note=f"bff_entropy_chsh {why}")
_api(BC, (F32(2.7),), {"nodes": 3}, expect="ok", note="bff_entropy_chsh np.float32 S")
_api(BC, (2.7,), {"nodes": I64(3)}, expect="ok", note="bff_entropy_chsh np.int64 nodes")
_api(BC, (2.7,), {"nodes": 3, "noise": F32(0.1)}, expect="ok", note="bff_entropy_chsh np.float32 noise")
_api(BC, (2.5,), {"nodes": 2, "solver": "clarabel"}, expect="ok", note="bff_entropy_chsh clarabel")
_api(BC, (1.0,), {"nodes": 4}, expect="ok", note="bff_entropy_chsh local S: 0")
BT = "protocols.bff.bff_entropy_table"
_api(BT, (BELL,), {"nodes": 3}, expect="ok", note="bff_entropy_table valid")
_api(BT, (LOCAL,), {"nodes": 3}, expect="ok", note="bff_entropy_table local: 0")
_api(
    BT,
    (Q23,),
    {"nodes": 3, "key_input": I64(1)},
    expect="ok",
    note="slow: bff_entropy_table np.int64 key input, 2x3 (~7 s)",
)
for args, kw, why in [
    ((BELL,), {"nodes": 3, "key_input": 5}, "key input out of range"),
    ((BELL,), {"nodes": 3, "key_input": -1}, "negative key input"),
    ((BELL,), {"nodes": 3, "key_input": 0.5}, "float key input (truncated)"),
    ((BELL,), {"nodes": 3, "key_input": None}, "None key input"),
    ((ARR,), {"nodes": 3}, "np.ndarray instead of a table"),
    ((None,), {"nodes": 3}, "None table"),
    ((PR,), {"nodes": 3}, "PR box"),
    ((THREE,), {"nodes": 3}, "three outcomes"),
    ((Table("wide_60x60"),), {"nodes": 3}, "60x60 inputs"),
    ((BELL,), {"nodes": 3, "slack": NAN}, "nan slack"),
    ((BELL,), {"nodes": 3, "slack": -0.1}, "negative slack"),
    ((BELL,), {"nodes": 3, "slack": np.zeros(3)}, "slack of the wrong shape"),
    ((BELL,), {"nodes": 3, "noise": NAN}, "nan noise"),
    ((BELL,), {"nodes": 0}, "zero nodes"),
]:
    _api(BT, args, kw, note=f"bff_entropy_table {why}")
EE = "protocols.bff.EntropyEngine"
_api(EE, (), {"n_a": 5}, note="EntropyEngine 5 inputs")
_api(EE, (), {"n_a": 2.5}, note="EntropyEngine float inputs")
_api(EE, (), {"n_a": "2"}, note="EntropyEngine str inputs")
_api(EE, (), {"nodes": 1}, note="EntropyEngine one node")
_api(EE, (), {"constraint": "x"}, note="EntropyEngine bad constraint")
_api(EE, (), {"workers": "abc", "nodes": 3}, note="EntropyEngine str workers")
_api(
    EE,
    (),
    {"constraint": "table", "postselect": NAN, "bob_key_input": 1, "nodes": 3},
    note="EntropyEngine nan post-selection",
)
_api(EE, (), {"nodes": 3}, expect="ok", note="EntropyEngine valid")
_api(EE, (), {"n_a": I64(2), "n_b": I64(2), "nodes": I64(3)}, expect="ok", note="EntropyEngine np.int64 arguments")
_api(EE + ".bound", (Lazy(EE, (), {"nodes": 3}), [0.0] * 3), note="bound data of the wrong length")
_api(EE + ".bound", (Lazy(EE, (), {"nodes": 3}), [NAN] * 5), note="bound nan data")
_api(EE + ".bound", (Lazy(EE, (), {"nodes": 3}), [0.0, 0.0, 0.0, 0.0, 2.7], NAN), note="bound nan slack")
_api(EE + ".bound", (Lazy(EE, (), {"nodes": 3}), [0.0, 0.0, 0.0, 0.0, 9.0]), note="bound data beyond Tsirelson")
for v, why in [
    (1, "one"),
    (2.5, "float"),
    (NAN, "nan"),
    (INF, "inf"),
    ("3", "str"),
    (-1, "negative"),
    (10**9, "resource abuse: 1e9"),
    (None, "None"),
]:
    _api("protocols.bff.gauss_radau", (v,), note=f"gauss_radau {why}")
_api("protocols.bff.gauss_radau", (I64(5),), expect="ok", note="gauss_radau np.int64")

# post-selection (2x3 table, key pair (0, 2))
PS = "protocols.postselection."
_api(PS + "survival_probability", (Q23, 0.9), expect="ok", note="survival_probability valid")
_api(PS + "survival_probability", (Q23, NAN), note="survival_probability nan p")
_api(PS + "survival_probability", (Q23, 1.5), note="survival_probability p above 1")
_api(PS + "survival_probability", (Q23, 0.9, (0, 5)), note="survival_probability key out of range")
_api(PS + "survival_probability", (ARR, 0.9), note="survival_probability ndarray")
_api(PS + "postselected_error_cost", (Q23, 0.9, NAN), note="postselected_error_cost nan noise")
_api(PS + "postselected_error_cost", (Q23, F32(0.9), F32(0.1)), expect="ok", note="postselected_error_cost np.float32")
_api(
    PS + "postselected_key_rate",
    (Q23, 0.9, 0.1),
    {"nodes": 3},
    expect="ok",
    note="slow: postselected_key_rate 3 nodes (~6 s)",
)
_api(PS + "postselected_key_rate", (Q23, NAN, 0.1), {"nodes": 3}, note="postselected_key_rate nan p")
_api(PS + "postselected_key_rate", (Q23, 0.9, 0.1), {"nodes": 0}, note="postselected_key_rate zero nodes")
_api(
    PS + "postselected_key_rate", (Table("local_zeros"), 0.9, 0.1), {"nodes": 3}, note="local_zeros has no input y = 2"
)

# finite key
FKL = "protocols.finite_key.finite_key_length"
SEED = (1_500_000, 0.05, 2.64, 0.018, 1e-10)
_api(FKL, SEED, expect="ok", note="finite_key_length at the seed's point")
_api(
    FKL,
    (I64(1_500_000), F32(0.05), F32(2.64), F32(0.018), F64(1e-10)),
    expect="ok",
    note="finite_key_length numpy scalars",
)
_api(FKL, SEED, {"omega_thr": NAN}, note="finite_key_length omega_thr nan")
_api(FKL, SEED, {"omega_thr": 1.5}, note="finite_key_length omega_thr above 1")
_api(FKL, SEED, {"omega_thr": -INF}, note="finite_key_length omega_thr -inf")
_api(FKL, SEED, {"omega_thr": "abc"}, note="finite_key_length omega_thr str")
_api(FKL, SEED, {"leak_ec": NAN}, note="finite_key_length leak nan")
_api(FKL, SEED, {"leak_ec": "abc"}, note="finite_key_length leak str")
_api(FKL, SEED, {"split": Lazy("protocols.finite_key.EpsilonSplit", (), {"ec": NAN})}, note="epsilon split with nan")
_api(FKL, SEED, {"split": Lazy("protocols.finite_key.EpsilonSplit", (), {"ec": -0.5})}, note="negative epsilon share")
_api(FKL, SEED, {"split": Lazy("protocols.finite_key.EpsilonSplit", (), {"ec": 0.0})}, note="zero epsilon share")
for v, why in [("abc", "str n"), (None, "None n"), (1e20, "n beyond 2**53"), (True, "bool n")]:
    _api(FKL, (v,) + SEED[1:], note=f"finite_key_length {why}")
_api(FKL, (SEED[0], "abc") + SEED[2:], note="finite_key_length str gamma")
_api(FKL, (SEED[0], None) + SEED[2:], note="finite_key_length None gamma")
_api(FKL, SEED[:4] + (None,), note="finite_key_length None eps")
_api(FKL, SEED[:4] + (1e-300,), note="finite_key_length eps 1e-300: below the documented limit 1e-100")
_api(FKL, SEED[:4] + (1e-100,), expect="ok", note="finite_key_length eps 1e-100: the documented limit")
_api(FKL, (SEED[0], SEED[1], -3.0) + SEED[3:], note="finite_key_length S below -2 sqrt 2")
_api("protocols.finite_key.finite_key_curve", (["a"],) + SEED[1:], note="finite_key_curve str n")
_api("protocols.finite_key.finite_key_curve", ([0],) + SEED[1:], note="finite_key_curve n = 0")
_api("protocols.finite_key.threshold_winning_probability", (0, 0.05, 0.83), note="threshold n = 0")
_api("protocols.finite_key.threshold_winning_probability", (1e6, 0.0, 0.83), note="threshold gamma = 0")
_api("protocols.finite_key.threshold_winning_probability", (1e6, 0.05, NAN), note="threshold nan omega")
_api("protocols.finite_key.max_entropy_of_test_outputs", (1000, 0.05, 0.0, 1e-3), note="k* with eps_2 = 0")
_api("protocols.finite_key.max_entropy_of_test_outputs", (1000, NAN, 1e-3, 1e-3), note="k* with nan gamma")
_api("protocols.eat.chsh_entropy_rate", (NAN,), note="chsh_entropy_rate nan")
_api("protocols.eat.chsh_entropy_rate", (F32(0.85),), expect="ok", note="chsh_entropy_rate np.float32")
_api("protocols.eat.smoothing_penalty", (0.0,), note="smoothing_penalty 0")

# qmodels: photonic
PHS = "qmodels.photonic.PhotonicSetup"
for kw, why in [
    ({"eta_a": NAN}, "nan eta"),
    ({"theta_deg": NAN}, "nan theta"),
    ({"theta_deg": "abc"}, "str theta"),
    ({"theta_deg": None}, "None theta"),
    ({"pair_mean_number": None}, "None pair number"),
    ({"pair_mean_number": "0.05"}, "str pair number"),
    ({"pair_mean_number": 0.0}, "zero pair number"),
    ({"pair_mean_number": INF}, "inf pair number"),
    ({"repetition_rate_hz": NAN}, "nan repetition rate"),
    ({"repetition_rate_hz": INF}, "inf repetition rate"),
    ({"repetition_rate_hz": "abc"}, "str repetition rate"),
    ({"source": "x"}, "bad source"),
    ({"angle_convention": None}, "None convention"),
    ({"alice_angles_deg": (1.0,)}, "one Alice angle"),
    ({"alice_angles_deg": ("a", "b")}, "str angles"),
    ({"alice_angles_deg": 5}, "int angles"),
    ({"dark_count": 1.5}, "dark count above 1"),
    ({"visibility": 0.9 + 0j}, "complex visibility"),
    ({"fiber_m": NAN}, "nan fibre"),
    ({"fiber_m": "20"}, "str fibre"),
    ({"fiber_db_per_km": -0.2}, "negative loss"),
]:
    _api(PHS, (), kw, note=f"PhotonicSetup {why}")
for kw, why in [
    ({}, "defaults"),
    ({"eta_a": F32(0.8)}, "np.float32 eta"),
    ({"fiber_m": F32(20.0)}, "np.float32 fibre"),
    ({"fiber_m": I64(20)}, "np.int64 fibre"),
    ({"fiber_db_per_km": F32(0.2)}, "np.float32 loss"),
    ({"theta_deg": F32(20.0)}, "np.float32 theta"),
    ({"pair_mean_number": F32(0.05)}, "np.float32 pair number"),
    ({"repetition_rate_hz": I64(2_000_000)}, "np.int64 repetition rate"),
    ({"alice_angles_deg": np.array([-88.22, 54.29])}, "ndarray angles"),
]:
    _api(PHS, (), kw, expect="ok", note=f"PhotonicSetup {why}")
_api(PHS + ".with_settings", (Lazy(PHS), [NAN] * 6), note="with_settings nan")
_api(PHS + ".with_settings", (Lazy(PHS), [1.0] * 5), note="with_settings 5 values")
_api("qmodels.photonic.visibility_from_fidelity", (NAN, 20.0), note="visibility_from_fidelity nan fidelity")
_api("qmodels.photonic.visibility_from_fidelity", (0.99, NAN), note="visibility_from_fidelity nan theta")
_api("qmodels.photonic.visibility_from_fidelity", (1.5, 20.0), note="visibility_from_fidelity above 1")
_api("qmodels.photonic.visibility_from_fidelity", ("abc", 20.0), note="visibility_from_fidelity str")
_api(
    "qmodels.photonic.visibility_from_fidelity",
    (F32(0.995), F32(20.0)),
    expect="ok",
    note="visibility_from_fidelity np.float32",
)
PT = "qmodels.photonic.photonic_table"
_api(PT, (), expect="ok", note="photonic_table default")
_api(PT, (Lazy(PHS),), {"backend": "x"}, note="photonic_table bad backend")
for kw, why in [
    ({"cutoff": 1}, "cutoff 1"),
    ({"cutoff": 0}, "cutoff 0"),
    ({"cutoff": -5}, "cutoff -5"),
    ({"cutoff": 2.5}, "float cutoff"),
    ({"cutoff": 1000}, "resource abuse: cutoff 1000"),
    ({"cutoff": 60}, "resource abuse: cutoff 60"),
    ({"tolerance": NAN}, "nan tolerance"),
    ({"tolerance": 0.0}, "zero tolerance"),
    ({"tolerance": -1.0}, "negative tolerance"),
    ({"tolerance": "abc"}, "str tolerance"),
    ({"tolerance": INF}, "inf tolerance"),
]:
    _api(PT, (Lazy(PHS),), kw, note=f"photonic_table {why}")
_api(PT, (ARR,), note="photonic_table with an ndarray setup")
_api(PT, (Lazy(PHS, (), {"pair_mean_number": 1e300}),), note="photonic_table pair number 1e300")
_api(PT, (Lazy(PHS),), {"cutoff": I64(10)}, expect="ok", note="photonic_table np.int64 cutoff")

# qmodels: ion
IS = "qmodels.ion.IonLinkSetup"
IT = "qmodels.ion.ion_table"
for kw, why in [
    ({"ion_photon_fidelity": NAN}, "nan fidelity"),
    ({"ion_photon_fidelity": 0.2}, "fidelity below 1/4"),
    ({"readout_error": 0.6}, "readout above 1/2"),
    ({"attempt_rate_hz": INF}, "inf attempt rate"),
    ({"attempt_rate_hz": "abc"}, "str attempt rate"),
    ({"ion_coherence_time_s": None}, "None T2"),
    ({"dark_count_rate_hz": "20"}, "str dark counts"),
    ({"alice_angles": (NAN, 0.0)}, "nan angle"),
    ({"bob_angles": (0.0, 0.0)}, "two Bob angles"),
    ({"photon_efficiency": 1.5}, "efficiency above 1"),
]:
    _api(IS, (), kw, note=f"IonLinkSetup {why}")
for kw, why in [
    ({}, "defaults"),
    ({"ion_coherence_time_s": F32(3e-3)}, "np.float32 T2"),
    ({"attempt_rate_hz": I64(1_000_000)}, "np.int64 attempt rate"),
    ({"dark_count_rate_hz": F32(20.0)}, "np.float32 dark counts"),
    ({"dark_count_rate_hz": I64(20)}, "np.int64 dark counts"),
    ({"round_overhead_s": F32(3.4e-3)}, "np.float32 overhead"),
    ({"photon_efficiency": F32(0.02)}, "np.float32 efficiency"),
    ({"polarisation_drift_rad": F64(0.084)}, "np.float64 drift"),
    ({"ion_wait_time_s": I64(0)}, "np.int64 wait"),
    ({"alice_angles": np.array([0.0, 1.0])}, "ndarray angles"),
]:
    _api(IS, (), kw, expect="ok", note=f"IonLinkSetup {why}")
_api(
    IT,
    (Lazy(IS, (), {"photon_efficiency": 0.0, "dark_count_rate_hz": 0.0}),),
    note="ion link with zero efficiency and zero dark counts: no herald, no table",
)
_api(
    IT,
    (Lazy(IS, (), {"photon_efficiency": 0.0}),),
    expect="ok",
    note="zero efficiency with dark counts: false heralds only",
)
_api(IT, (Lazy(IS, (), {"polarisation_drift_rad": 1e300}),), expect="ok", note="ion_table drift 1e300: fully scrambled")
_api(IT, (Lazy(IS, (), {"dark_count_rate_hz": 1e6}),), expect="ok", note="ion_table large dark-count rate")
_api(IS, (), {"ion_coherence_time_s": INF}, note="IonLinkSetup T2 = inf: infinities refused")
_api(IT, ("abc",), note="ion_table str setup")
_api(IT, (), expect="ok", note="ion_table default")
_api("qmodels.ion.rounds_per_second", (Lazy(IS), NAN), note="rounds_per_second nan herald")
_api("qmodels.ion.rounds_per_second", (Lazy(IS), 1.5), note="rounds_per_second herald above 1")
_api("qmodels.ion.rounds_per_second", (Lazy(IS), -0.5), note="rounds_per_second negative herald")
_api("qmodels.ion.sampled_table", (Lazy(IT), -1, 0), note="sampled_table negative shots")
_api("qmodels.ion.sampled_table", (Lazy(IT), 1.5, 0), note="sampled_table fractional shots")
_api("qmodels.ion.sampled_table", (Lazy(IT), NAN, 0), note="sampled_table nan shots")
_api("qmodels.ion.sampled_table", (Lazy(IT), 100, -1), note="sampled_table negative seed")
_api("qmodels.ion.sampled_table", (Lazy(IT), 100, "abc"), note="sampled_table str seed")
_api("qmodels.ion.sampled_table", (Lazy(IT), I64(100), I64(1)), expect="ok", note="sampled_table numpy ints")
_api("qmodels.ion.sampled_table", (ARR, 100, 0), note="sampled_table ndarray")

# qmodels: cat
LS = "qmodels.cat.LinkSetup"
CTB = "qmodels.cat.cat_table"
for kw, why in [
    ({"distance_km": NAN}, "nan distance"),
    ({"distance_km": "abc"}, "str distance"),
    ({"distance_km": None}, "None distance"),
    ({"mu": 0.0}, "zero mu"),
    ({"mu": "abc"}, "str mu"),
    ({"mu": None}, "None mu"),
    ({"scheme": "x"}, "bad scheme"),
    ({"misalignment": 0.6}, "misalignment above 1/2"),
    ({"detector_efficiency": NAN}, "nan efficiency"),
    ({"fiber_db_per_km": INF}, "inf loss"),
    ({"mu": 0.1 + 0j}, "complex mu"),
]:
    _api(LS, (), kw, note=f"LinkSetup {why}")
for kw, why in [
    ({}, "defaults"),
    ({"distance_km": F32(10.0)}, "np.float32 distance"),
    ({"mu": F32(0.1)}, "np.float32 mu"),
    ({"distance_km": I64(10)}, "np.int64 distance"),
]:
    _api(LS, (), kw, expect="ok", note=f"LinkSetup {why}")
_api(CTB, (Lazy(LS, (), {"distance_km": 10.0}),), {"backend": "analytic"}, expect="ok", note="cat_table analytic")
_api(CTB, (Lazy(LS, (), {"distance_km": 10.0}),), {"backend": "x"}, note="cat_table bad backend")
_api(
    CTB,
    (Lazy(LS, (), {"mu": 1e300}),),
    {"backend": "analytic"},
    note="cat_table analytic mu 1e300: refused",
)
_api(CTB, (Lazy(LS, (), {"mu": 1e300}),), {}, note="cat_table Strawberry Fields mu 1e300")
_api(CTB, (Lazy(LS, (), {"dark_count": 1.0}),), {"backend": "analytic"}, note="cat_table dark count 1: no herald")
_api(CTB, (Lazy(LS, (), {"distance_km": 1e300}),), {"backend": "analytic"}, expect="ok", note="cat_table huge distance")
_api(
    CTB,
    (Lazy(LS, (), {"detector_efficiency": 0.0}),),
    {"backend": "analytic"},
    expect="ok",
    note="cat_table zero efficiency",
)
for kw, why in [
    ({"cutoff": 0}, "cutoff 0"),
    ({"cutoff": -5}, "cutoff -5"),
    ({"cutoff": 1000}, "resource abuse: cutoff 1000"),
    ({"cutoff": 60}, "resource abuse: cutoff 60"),
    ({"cutoff": 2.5}, "float cutoff"),
    ({"tolerance": NAN}, "nan tolerance"),
    ({"tolerance": 0.0}, "zero tolerance"),
    ({"tolerance": -1.0}, "negative tolerance"),
]:
    _api(CTB, (Lazy(LS, (), {"distance_km": 10.0}),), kw, note=f"cat_table {why}")
_api(CTB, (ARR,), note="cat_table ndarray setup")
_api("qmodels.cat.ecs_closed_form", (NAN, 0.5, 1e-7), note="ecs_closed_form nan mu")
_api("qmodels.cat.ecs_closed_form", (1e300, 0.5, 1e-7), note="ecs_closed_form mu 1e300")
_api("qmodels.cat.bell_closed_form", (NAN, 1e-7), note="bell_closed_form nan eta")
_api("qmodels.cat.truncation_error", (0.1, 0, 0.1), note="truncation_error cutoff 0")
_api("qmodels.cat.choose_cutoff", (Lazy(LS),), {"tolerance": NAN}, note="choose_cutoff nan tolerance")
_api("qmodels.cat.choose_cutoff", (Lazy(LS),), expect="ok", note="choose_cutoff default")
_api(
    "diqkd.studies.cat_rates.link_rate",
    (Lazy(LS, (), {"distance_km": 0.0, "detector_efficiency": 1.0}),),
    expect="ok",
    note="link_rate lossless: key rate defined, PLOB infinite",
)

# ---- a table within Tsirelson's bound on every CHSH combination but outside NPA level 1
# (correlators [[1, 1], [1, 0.2]], unbiased marginals): named "not a quantum behaviour", not solved
_SIGN = np.array([[1, -1], [-1, 1]])
_TLM = ((1 + _SIGN[None, None] * np.array([[1.0, 1.0], [1.0, 0.2]])[:, :, None, None]) / 4).tolist()
TABLE_FILES["outside_npa1"] = _dump(_doc(_TLM))
_add(["entropy", "--table", "{file:outside_npa1}", "--key-input", "0", "--nodes", "3"], "error",
     "table inside Tsirelson's bound but outside NPA level 1: not a quantum behaviour")
_api("protocols.bff.bff_entropy_table", (Table("outside_npa1"),), {"nodes": 3},
     note="bff_entropy_table outside NPA level 1")
_api("protocols.npa.npa1_margin", (np.zeros((2, 2, 2, 2)),), note="npa1_margin of an ndarray, not a table")
