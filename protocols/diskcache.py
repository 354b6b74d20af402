"""A small on-disk cache of numpy arrays, keyed by a hash of everything the cached result depends on.

Used for set-ups that are expensive, deterministic and reused across processes (the BFF
engine's recession direction: 2.4 s for the CHSH engine, paid again by every cold command line).
Nothing read from the cache is trusted: the caller re-checks what it loads (a recession direction
is made exactly feasible and its smallest eigenvalue recomputed) and recomputes on any doubt.

Location: ``$DIQKD_CACHE_DIR`` if set, else ``$XDG_CACHE_HOME/diqkd`` (``~/.cache/diqkd``);
``DIQKD_CACHE_DIR=off`` disables it. The key includes the package's version, so a cache written by
another version is never read.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from importlib import metadata
from pathlib import Path

import numpy as np


def _version() -> str:
    try:
        return metadata.version("diqkd")
    except metadata.PackageNotFoundError:  # pragma: no cover  (running from a source tree)
        return "unknown"


def cache_dir() -> Path | None:
    """The cache folder, or ``None`` when caching is off."""
    env = os.environ.get("DIQKD_CACHE_DIR")
    if env is not None:
        return None if env.strip().lower() in ("off", "0", "none", "") else Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "diqkd"


def cache_key(kind: str, *parts) -> str:
    """A hex digest of ``kind``, the package version and ``parts`` (arrays by dtype, shape and bytes)."""
    h = hashlib.sha256(f"{kind}|{_version()}".encode())
    for part in parts:
        if isinstance(part, np.ndarray):
            a = np.ascontiguousarray(part)
            h.update(f"|{a.dtype.str}{a.shape}".encode())
            h.update(a.tobytes())
        else:
            h.update(f"|{part!r}".encode())
    return h.hexdigest()


def load(kind: str, key: str) -> dict[str, np.ndarray] | None:
    """The arrays stored under ``key``, or ``None`` (absent, unreadable, or caching off)."""
    folder = cache_dir()
    if folder is None:
        return None
    path = folder / kind / f"{key}.npz"
    try:
        with np.load(path, allow_pickle=False) as data:
            return {name: data[name] for name in data.files}
    except (OSError, ValueError, EOFError, KeyError):
        return None


def _write(kind: str, name: str, mode: str, write) -> None:
    """``write(file)`` into ``<cache>/<kind>/<name>`` atomically (a temporary file renamed);
    silently skipped when caching is off or the folder cannot be written (a cache is an
    optimisation, never a requirement)."""
    folder = cache_dir()
    if folder is None:
        return
    tmp = None
    try:
        (folder / kind).mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder / kind, suffix=".tmp")
        with os.fdopen(fd, mode) as fh:
            write(fh)
        os.replace(tmp, folder / kind / name)
    except (OSError, TypeError, ValueError):
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)


def store(kind: str, key: str, arrays: dict[str, np.ndarray]) -> None:
    """Store ``arrays`` under ``key`` (:func:`_write`)."""
    _write(kind, f"{key}.npz", "wb", lambda fh: np.savez(fh, **arrays))


def load_json(kind: str, key: str):
    """The JSON document stored under ``key``, or ``None`` (absent, unreadable, or caching off)."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        return json.loads((folder / kind / f"{key}.json").read_text())
    except (OSError, ValueError):
        return None


def store_json(kind: str, key: str, document) -> None:
    """Store a JSON document under ``key`` (:func:`_write`)."""
    _write(kind, f"{key}.json", "w", lambda fh: json.dump(document, fh))
