"""Every bad input gets a clear answer: the fuzz corpus of ``tests/fuzz_corpus.py``, run in-process.

CLI cases go through ``diqkd.cli.main`` with stdout and stderr captured: an ``"error"`` case must
exit 1 with exactly one line on stderr (``diqkd COMMAND: error: ...``), or 2 for a usage error
with argparse's usage text and one ``error:`` line; an ``"ok"`` case must exit 0 and, with
``--json``, print one JSON object without NaN or infinities. API cases must raise the project's
error family (``DIQKDError``, a ``ValueError``) and nothing else, or return. A per-case alarm
turns a hang into a failure. Cases whose note starts with ``slow:`` are marked slow.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import json
import math
import re
import signal
import sys

import fuzz_corpus as C
import numpy as np
import pytest

from diqkd.cli import main
from protocols.errors import DIQKDError

TIMEOUT_S = 120


@contextlib.contextmanager
def _alarm(seconds: float):
    def expire(signum, frame):
        raise TimeoutError(f"no answer within {seconds} s (a hang)")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("fuzz")
    paths = {}
    for name, data in C.TABLE_FILES.items():
        path = folder / f"{name}.json"
        path.write_bytes(data)
        paths[name] = str(path)
    return paths


def _substitute(token: str, files: dict[str, str]) -> str:
    return re.sub(r"\{file:([A-Za-z0-9_]+)\}", lambda m: files[m.group(1)], token)


def _run(argv: list[str], stdin: bytes | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    saved = sys.stdin
    if stdin is not None:
        sys.stdin = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), _alarm(TIMEOUT_S):
            try:
                code = main(argv)
            except SystemExit as exc:  # argparse: usage errors and --help
                code = exc.code if isinstance(exc.code, int) else 1
    finally:
        sys.stdin = saved
    return code, out.getvalue(), err.getvalue()


def _refuse_constant(name: str):
    raise ValueError(f"{name} in JSON output")


def _check_outcome(argv: list[str], expect: str, note: str, code: int, out: str, err: str) -> None:
    assert "Traceback" not in err, err
    if expect == "error":
        lines = [line for line in err.splitlines() if line.strip()]
        if code == 1:
            assert len(lines) == 1 and lines[0].startswith("diqkd ") and ": error: " in lines[0], err
        else:
            assert code == 2 and lines and "error:" in lines[-1], (code, err)
        return
    assert code == 0, err
    if "--json" in argv:
        data = json.loads(out, parse_constant=_refuse_constant)
        assert isinstance(data, dict)
        for key, want in re.findall(r"\[check (\w+)=([^\]]+)\]", note):
            assert float(data[key]) == pytest.approx(float(want), abs=1e-9), (key, data[key])


def _marks(note: str):
    return [pytest.mark.slow] if note.startswith("slow:") else []


CLI = [pytest.param(argv, expect, note, id=f"{i}:{note[:60]}", marks=_marks(note))
       for i, (argv, expect, note) in enumerate(C.CLI_CASES)]
STDIN = [pytest.param(argv, name, expect, note, id=f"{i}:{note[:60]}", marks=_marks(note))
         for i, (argv, name, expect, note) in enumerate(C.STDIN_CASES)]
API = [pytest.param(path, args, kwargs, expect, note, id=f"{i}:{path.rsplit('.', 1)[-1]}:{note[:50]}",
                    marks=_marks(note))
       for i, (path, args, kwargs, expect, note) in enumerate(C.API_CASES)]


@pytest.mark.parametrize("argv, expect, note", CLI)
def test_cli_case(argv, expect, note, files):
    argv = [_substitute(tok, files) for tok in argv]
    _check_outcome(argv, expect, note, *_run(argv))


@pytest.mark.parametrize("argv, stdin_name, expect, note", STDIN)
def test_cli_stdin_case(argv, stdin_name, expect, note, files):
    argv = [_substitute(tok, files) for tok in argv]
    _check_outcome(argv, expect, note, *_run(argv, C.TABLE_FILES[stdin_name]))


def _resolve_path(path: str):
    parts = path.split(".")
    obj = importlib.import_module(parts[0])
    for j, name in enumerate(parts[1:], 1):
        obj = getattr(obj, name) if hasattr(obj, name) else importlib.import_module(".".join(parts[: j + 1]))
    return obj


def _resolve(value, files):
    if isinstance(value, C.Table):
        from protocols import CorrelationTable

        return CorrelationTable.from_json(C.TABLE_FILES[value.name].decode("utf-8"))
    if isinstance(value, C.File):
        return files[value.name]
    if isinstance(value, C.Lazy):
        return _resolve_path(value.path)(*[_resolve(a, files) for a in value.args],
                                         **{k: _resolve(v, files) for k, v in value.kwargs.items()})
    if isinstance(value, (tuple, list)):
        return type(value)(_resolve(v, files) for v in value)
    if isinstance(value, dict):
        return {k: _resolve(v, files) for k, v in value.items()}
    return value


def _finite(result) -> bool:
    """No NaN among the floats a call returns (scalars, arrays, tuples, dataclass-like records)."""
    if isinstance(result, float):
        return not math.isnan(result)
    if isinstance(result, np.ndarray) and result.dtype.kind == "f":
        return not np.any(np.isnan(result))
    if isinstance(result, (tuple, list)):
        return all(_finite(v) for v in result)
    return True


@pytest.mark.parametrize("path, args, kwargs, expect, note", API)
def test_api_case(path, args, kwargs, expect, note, files):
    func = _resolve_path(path)
    with _alarm(TIMEOUT_S):
        if expect == "error":  # building an argument (a setup record) may already refuse the input
            with pytest.raises(DIQKDError):
                func(*_resolve(args, files), **_resolve(kwargs, files))
        else:
            assert _finite(func(*_resolve(args, files), **_resolve(kwargs, files)))


def test_the_corpus_covers_every_command_and_both_outcomes():
    """The corpus itself: every CLI command appears with refused and accepted inputs."""
    commands = {argv[0] for argv, _, _ in C.CLI_CASES if argv}
    assert {"rate", "chsh", "entropy", "finite-key", "table", "keyrate", "threshold", "reproduce"} <= commands
    assert {e for _, e, _ in C.CLI_CASES} == {"error", "ok"}
    assert len(C.CLI_CASES) + len(C.STDIN_CASES) >= 400 and len(C.API_CASES) >= 150
