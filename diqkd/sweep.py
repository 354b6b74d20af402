"""Key-rate sweeps over one parameter of a platform, on local processes or a Dask cluster, cached on disk.

One point is one ``diqkd keyrate PLATFORM`` run (the same flags, the same optimisation) with one
flag set to the swept value: :func:`run_point` rebuilds that command's arguments in whichever
process runs it, so a point computes the same number locally, in a worker process or on a Dask
worker. Finished points are written to the on-disk cache (``protocols.diskcache``) one by one,
keyed by the platform, every flag's value, the package version and the entropy engine's
``RESULTS_REVISION`` (``protocols.bff``), so an interrupted sweep resumes where it stopped and a
finished one costs nothing to re-plot; a cache entry is used only if it records the same
platform, flags, version and revision (never trusted on its key alone).
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from protocols import diskcache
from protocols.errors import ParameterError

#: sweep fields that are not a platform flag (they describe the sweep, not a point)
SWEEP_ONLY = ("param", "values", "range", "out", "plot", "workers", "scheduler", "json", "quiet", "handler",
              "command", "platform", "required_flags")
#: the key-rate field of a point, by preference (cat links report ``rate`` per trial)
RATE_FIELDS = ("rate_per_round", "rate")
#: seconds to wait for a Dask scheduler before giving up
SCHEDULER_TIMEOUT_S = 10


def keyrate_parser(platform: str) -> argparse.ArgumentParser:
    """The ``diqkd keyrate PLATFORM`` parser (the flags a sweep point takes)."""
    from .commands import platforms

    top = argparse.ArgumentParser(prog="diqkd keyrate", add_help=False)
    sub = top.add_subparsers(dest="platform")
    for module in platforms.PLATFORMS:
        if hasattr(module, "register_keyrate"):
            module.register_keyrate(sub)
    if platform not in sub.choices:
        raise ParameterError(f"unknown platform {platform!r}; expected one of {', '.join(sorted(sub.choices))}")
    return sub.choices[platform]


def sweepable(platform: str) -> dict[str, argparse.Action]:
    """The flags of ``diqkd keyrate PLATFORM`` that take one number, by destination name."""
    return {a.dest: a for a in keyrate_parser(platform)._actions
            if a.option_strings and a.type in (float, int) and a.nargs is None and a.dest != "help"}


def parse_values(values: str | None, range_: str | None, kind: type) -> list[float]:
    """``--values v1,v2,...`` or ``--range START,STOP,NUM`` (NUM points, both ends included)."""
    if (values is None) == (range_ is None):
        raise ParameterError("give exactly one of --values v1,v2,... and --range START,STOP,NUM")
    if values is not None:
        try:
            out = [kind(v) for v in values.split(",") if v.strip()]
        except ValueError:
            raise ParameterError(f"--values must be comma-separated numbers, got {values!r}") from None
        if not out:
            raise ParameterError("--values is empty; give at least one value")
    else:
        parts = range_.split(",")
        try:
            start, stop, num = float(parts[0]), float(parts[1]), int(parts[2])
        except (ValueError, IndexError):
            raise ParameterError(f"--range must be START,STOP,NUM (NUM an integer), got {range_!r}") from None
        if len(parts) != 3 or num < 1:
            raise ParameterError(f"--range must be START,STOP,NUM with NUM >= 1, got {range_!r}")
        if stop < start:
            raise ParameterError(f"--range is reversed: START {start:g} > STOP {stop:g}; give START <= STOP")
        if num > 1 and stop == start:
            raise ParameterError(f"--range is empty: START = STOP = {start:g} with {num} points")
        out = [start + (stop - start) * k / (num - 1) if num > 1 else start for k in range(num)]
        out = [kind(round(v)) if kind is int else v for v in out]
    if any(isinstance(v, float) and not math.isfinite(v) for v in out):
        raise ParameterError(f"the swept values must be finite, got {out}")
    return out


def base_flags(platform: str, argv: Sequence[str], param: str) -> dict:
    """The platform flags of a sweep as a plain dict (``diqkd keyrate PLATFORM argv``), the swept
    parameter left out (it may be a required flag: the sweep supplies it)."""
    parser = keyrate_parser(platform)
    for action in parser._actions:
        if action.dest == param:
            action.required = False
    try:
        ns = parser.parse_args(list(argv))
    except SystemExit:
        raise ParameterError(f"invalid platform flags for {platform}: {' '.join(argv)!r} (see diqkd keyrate "
                             f"{platform} --help)") from None
    flags = {k: v for k, v in vars(ns).items() if k not in SWEEP_ONLY}
    flags.pop(param, None)
    return flags


def run_point(platform: str, flags: dict, param: str, value) -> dict:
    """One point: ``diqkd keyrate PLATFORM`` with ``flags`` and ``param = value`` (any process)."""
    from .commands import platforms

    module = {m.__name__.rsplit(".", 1)[-1]: m for m in platforms.PLATFORMS}[platform]
    ns = argparse.Namespace(**{**flags, param: value})
    result = module.run_keyrate(ns)
    return {k: v for k, v in result.items() if not k.startswith("_")}


def _key(platform: str, flags: dict, param: str, value) -> tuple[str, dict]:
    from protocols.bff import RESULTS_REVISION

    ident = {"platform": platform, "flags": {**flags, param: value}, "version": diskcache._version(),
             "results_revision": RESULTS_REVISION}
    text = json.dumps(ident, sort_keys=True, default=repr)
    return diskcache.cache_key("sweep-point-v1", text), json.loads(text)


def _cached(platform: str, flags: dict, param: str, value) -> dict | None:
    key, ident = _key(platform, flags, param, value)
    stored = diskcache.load_json("sweep", key)
    if stored is None or stored.get("ident") != ident or not isinstance(stored.get("result"), dict):
        return None
    return stored["result"]


def _store(platform: str, flags: dict, param: str, value, result: dict) -> None:
    key, ident = _key(platform, flags, param, value)
    diskcache.store_json("sweep", key, {"ident": ident, "result": result})


def connect(scheduler: str):
    """A Dask ``Client`` on an existing scheduler, or a clear error within :data:`SCHEDULER_TIMEOUT_S`."""
    try:
        from distributed import Client
    except ImportError as exc:
        raise ImportError("--scheduler needs Dask distributed: pip install 'diqkd[sweep]'") from exc
    if not scheduler.startswith(("tcp://", "tls://", "inproc://", "ws://", "wss://")):
        raise ParameterError(f"--scheduler must be an address like tcp://HOST:PORT, got {scheduler!r}")
    try:
        return Client(scheduler, timeout=f"{SCHEDULER_TIMEOUT_S}s", set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise ParameterError(f"cannot reach the Dask scheduler at {scheduler} within {SCHEDULER_TIMEOUT_S} s "
                             f"({type(exc).__name__}: {exc})") from None


def _limit_blas() -> None:
    """Worker initialiser: one BLAS thread per process, and the BFF nodes of a point in this
    process only (``protocols.bff.parallel``): the points already run in parallel."""
    os.environ["DIQKD_BFF_PROCESSES"] = "0"  # protocols.bff.parallel.PROCESSES_ENV (not imported: heavy)
    try:
        from threadpoolctl import threadpool_limits

        threadpool_limits(1)
    except ImportError:  # pragma: no cover
        pass


def sweep(platform: str, param: str, values: Sequence, flags: dict, workers: int = 1, scheduler: str | None = None,
          on_point: Callable[[int, dict], None] | None = None) -> dict:
    """Run the points not in the cache (local processes, or the Dask cluster at ``scheduler``),
    caching each as it finishes. Returns ``{"points": [...], "computed": k, "cached": n - k}``,
    each point ``{param: value, **result}`` in the order of ``values``. ``on_point(i, point)`` is
    called as each point is ready (cached ones first)."""
    choices = sweepable(platform)
    if param not in choices:
        raise ParameterError(f"--param {param!r} is not a numeric flag of diqkd keyrate {platform}; expected one of "
                             f"{', '.join(sorted(choices))}")
    results: list[dict | None] = [None] * len(values)
    todo = []
    for i, v in enumerate(values):
        hit = _cached(platform, flags, param, v)
        if hit is None:
            todo.append(i)
        else:
            results[i] = {param: v, **hit}
            if on_point:
                on_point(i, results[i])

    def done(i: int, result: dict) -> None:
        _store(platform, flags, param, values[i], result)
        results[i] = {param: values[i], **result}
        if on_point:
            on_point(i, results[i])

    if todo and scheduler is not None:
        client = connect(scheduler)
        try:
            from distributed import as_completed as dask_completed

            futures = {client.submit(run_point, platform, flags, param, values[i], pure=False): i for i in todo}
            with client.as_current():  # as_completed looks for the current client
                for fut in dask_completed(list(futures)):
                    done(futures[fut], fut.result())
        finally:
            client.close()
    elif todo and workers > 1:
        # spawned, not forked: a fork of a process whose threads (the BFF engine's node pool, BLAS)
        # hold a lock deadlocks the child (measured: diqkd reproduce hung in the comparison study's
        # photonic sweep after the photonic study had run its thread pool in the same process)
        with ProcessPoolExecutor(max_workers=workers, initializer=_limit_blas,
                                 mp_context=multiprocessing.get_context("spawn")) as pool:
            futures = {pool.submit(run_point, platform, flags, param, values[i]): i for i in todo}
            for fut in as_completed(futures):
                done(futures[fut], fut.result())
    else:
        for i in todo:
            done(i, run_point(platform, flags, param, values[i]))
    return {"points": results, "computed": len(todo), "cached": len(values) - len(todo)}


def numeric_fields(param: str, points: list[dict]) -> list[str]:
    """The swept parameter, then every field that holds a number in some point (first seen first)."""
    fields = [param]
    for p in points:
        for k, v in p.items():
            if k not in fields and isinstance(v, (int, float)) and not isinstance(v, bool):
                fields.append(k)
    return fields


def write_csv(path: Path, param: str, points: list[dict], units: dict[str, str]) -> list[str]:
    """The points as CSV, one row each: the swept parameter, then every numeric field; the header
    names each column's unit where known, e.g. ``rate_per_round [bits per round]``."""
    fields = numeric_fields(param, points)
    header = [f"{f} [{units[f]}]" if units.get(f) else f for f in fields]
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        for p in points:
            w.writerow([_cell(p.get(f)) for f in fields])
    os.replace(tmp, path)
    return fields


def _cell(v):
    if isinstance(v, float):
        return repr(v)
    return "" if v is None else v


def plot(path: Path, platform: str, param: str, points: list[dict], param_unit: str) -> None:
    """Key rate per round versus the swept parameter (log scale where every rate is positive)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    field = next((f for f in RATE_FIELDS if any(f in p for p in points)), RATE_FIELDS[0])
    x = [p[param] for p in points]
    y = [p.get(field, math.nan) for p in points]
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(x, y, "o-")
    if all(v > 0 for v in y if v == v):
        ax.set_yscale("log")
    ax.set_xlabel(f"{param}" + (f" ({param_unit})" if param_unit else ""))
    ax.set_ylabel("secret key rate (bits per trial)" if field == "rate" else "secret key rate (bits per round)")
    ax.set_title(f"diqkd sweep {platform}: key rate vs {param}")
    ax.grid(True, alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
