"""Compatibility shims that let Strawberry Fields 0.23 (its last release, 2022) import today.

Import this module before ``strawberryfields`` (``qmodels.cat`` does). Two fixes, both
measured in ``shared/stack.md``:

1. SF imports ``scipy.integrate.simps``, removed in SciPy 1.14: restore it as an alias of
   ``scipy.integrate.simpson`` (same integral, renamed).
2. SF imports ``pkg_resources`` at import time, which setuptools >= 81 no longer ships: the
   ``cat`` extra pins ``setuptools<81``. Here we only turn a missing module into a clear message.

Also: never use the *bosonic* backend's ``fock_prob`` for cat states (it drops interference
terms); this project uses the Fock backend only.
"""

from __future__ import annotations

import importlib
import warnings
from functools import lru_cache

import scipy.integrate


@lru_cache(maxsize=1)
def import_strawberryfields():
    """Return the ``strawberryfields`` module with the shims applied (once per process)."""
    if not hasattr(scipy.integrate, "simps"):
        scipy.integrate.simps = scipy.integrate.simpson  # type: ignore[attr-defined]
    try:
        importlib.import_module("pkg_resources")
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "Strawberry Fields 0.23 needs pkg_resources: install 'setuptools<81' "
            "(pip install 'diqkd[cat]')"
        ) from exc
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return importlib.import_module("strawberryfields")
