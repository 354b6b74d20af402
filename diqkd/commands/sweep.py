"""``diqkd sweep PLATFORM``: one key-rate point per value of one parameter (``diqkd.sweep``)."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    from . import platforms

    p = sub.add_parser(
        "sweep", help="key rate of a platform versus one parameter, on local processes or a Dask cluster",
        description="One `diqkd keyrate PLATFORM` point per value of --param (the same flags and the same "
        "optimisation), written to a CSV (units in its header) and optionally plotted. Points run in a local "
        "process pool (--workers) or on an existing Dask distributed cluster (--scheduler tcp://HOST:PORT); "
        "each finished point is cached on disk (keyed by the platform, every flag and the package version; "
        "DIQKD_CACHE_DIR sets the folder), so an interrupted sweep resumes and a finished one re-plots for free.")
    psub = p.add_subparsers(dest="platform", required=True, metavar="PLATFORM")
    for module in platforms.PLATFORMS:
        if hasattr(module, "register_keyrate"):
            module.register_keyrate(psub)
    for child in psub.choices.values():
        required = [a.dest for a in child._actions if a.option_strings and a.required]
        for action in child._actions:
            action.required = False  # a required flag may be the swept one: checked in run()
        child.add_argument("--param", required=True, metavar="NAME",
                           help="the flag to sweep, e.g. distance_km or --distance-km (a numeric keyrate flag)")
        g = child.add_mutually_exclusive_group(required=True)
        g.add_argument("--values", metavar="V1,V2,...", help="the values of --param, comma-separated (its unit)")
        g.add_argument("--range", metavar="START,STOP,NUM", help="NUM values from START to STOP, both included")
        child.add_argument("--out", required=True, metavar="FILE.csv", help="where to write the points (CSV)")
        child.add_argument("--plot", metavar="FILE.png", help="also plot the key rate versus --param (PNG)")
        child.add_argument("--workers", type=int, default=1,
                           help="local worker processes (default 1; ignored with --scheduler)")
        child.add_argument("--scheduler", metavar="tcp://HOST:PORT",
                           help="run the points on this Dask distributed scheduler (pip install 'diqkd[sweep]')")
        child.set_defaults(handler=run, required_flags=required)


def _param_name(text: str, choices) -> str:
    from protocols.errors import ParameterError

    name = text.strip().lstrip("-").replace("-", "_")
    if name not in choices:
        raise ParameterError(f"--param {text!r} is not a numeric flag of this platform's keyrate; expected one of "
                             f"{', '.join(sorted(choices))}")
    return name


def _writable(flag: str, path) -> None:
    from protocols.errors import ParameterError

    existed = path.exists()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.open("a").close()  # can it be written? (no empty file left behind by the check)
        if not existed:
            path.unlink()
    except OSError as exc:
        raise ParameterError(f"cannot write {flag} {str(path)!r}: {exc.strerror or exc}") from None


def run(args: argparse.Namespace) -> dict:
    from pathlib import Path

    from protocols.errors import ParameterError
    from protocols.progress import bar
    from protocols.validate import integer

    from .. import sweep as S

    choices = S.sweepable(args.platform)
    param = _param_name(args.param, choices)
    missing = [d for d in args.required_flags if d != param and getattr(args, d, None) is None]
    if missing:
        raise ParameterError(f"--{missing[0].replace('_', '-')} is required for {args.platform} (or sweep it with "
                             f"--param {missing[0]})")
    values = S.parse_values(args.values, args.range, choices[param].type)
    workers = integer("--workers", args.workers, 1, 64)
    out = Path(args.out)
    _writable("--out", out)
    plot = Path(args.plot) if args.plot else None
    if plot is not None:
        _writable("--plot", plot)
    flags = {k: v for k, v in vars(args).items()
             if k not in S.SWEEP_ONLY}
    flags.pop(param, None)
    progress = bar(f"sweep {args.platform}: points", len(values), unit="point")
    try:
        found = S.sweep(args.platform, param, values, flags, workers, args.scheduler,
                        on_point=lambda i, p: progress.update())
    finally:
        progress.close()
    points = found["points"]
    from ..units import UNITS

    param_unit = _unit_of(param)
    units = {**{k: UNITS[k] for k in S.numeric_fields(param, points) if k in UNITS}, param: param_unit}
    S.write_csv(out, param, points, units)
    if plot is not None:
        S.plot(plot, args.platform, param, points, param_unit)
    return {"platform": args.platform, "param": param, "values": values, "out": str(out),
            "plot": None if plot is None else str(plot), "computed": found["computed"], "cached": found["cached"],
            "points": points, "units": {param: param_unit, "points": "per point: as diqkd keyrate "
                                        f"{args.platform} --json"}}


def _unit_of(param: str) -> str:
    """The unit of a keyrate flag, from its name (``distance_km`` -> km)."""
    for suffix, unit in (("_db_per_km", "dB/km"), ("_km", "km"), ("_hz", "Hz"), ("_s", "s"), ("_deg", "degrees"),
                         ("_rad", "rad"), ("_m", "m")):
        if param.endswith(suffix):
            return unit
    if param == "mu":
        return "mean photon number"
    return "dimensionless (probability, efficiency or count)"
