"""``diqkd``: command-line entry point. Commands parse, call the library, and print.

stdout holds the result only (one JSON object with ``--json``); messages go to stderr.
Bad input exits with status 1 and a one-line message; usage errors exit with status 2.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Sequence

from . import __version__
from .commands import COMMANDS


def _jsonable(obj):
    """Replace non-finite floats (not valid JSON) by strings, recursively."""
    if isinstance(obj, float) and not math.isfinite(obj):
        return str(obj)
    if isinstance(obj, dict):
        return {k: _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_jsonable(v) for v in obj]
    return obj


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="diqkd", description="Device-independent QKD modelling: tables, Bell scores, key rates."
    )
    parser.add_argument("--version", action="version", version=f"diqkd {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in COMMANDS:
        module.register(sub)
    return parser


def _print_text(result: dict) -> None:
    text = result.pop("_text", None)
    if text is not None:
        print(text)
        return
    width = max((len(k) for k in result), default=0)
    for key, value in result.items():
        if isinstance(value, float):
            value = f"{value:.6g}"
        elif isinstance(value, (dict, list)):
            value = json.dumps(value)
        print(f"{key:<{width}}  {value}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from protocols.errors import DIQKDError

    try:
        result = args.handler(args)
    except DIQKDError as exc:
        print(f"diqkd {args.command}: error: {exc}", file=sys.stderr)
        return 1
    except ImportError as exc:
        print(
            f"diqkd {args.command}: error: a dependency is missing ({exc}); install the extra "
            "for this layer, e.g. pip install 'diqkd[all]'",
            file=sys.stderr,
        )
        return 1
    if result is None:
        return 0
    if getattr(args, "json", False):
        result.pop("_text", None)
        print(json.dumps(_jsonable(result), indent=2, sort_keys=True))
    else:
        _print_text(result)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
