"""``diqkd``: command-line entry point. Commands parse, call the library, and print.

stdout holds the result only (one JSON object with ``--json``); messages go to stderr.
Bad input exits with status 1 and a one-line message; usage errors exit with status 2.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import warnings
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


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _error(command: str, message: str) -> None:
    """The one line a failed command prints on stderr (warnings raised on the way are dropped)."""
    print(f"diqkd {command}: error: {_one_line(message)}", file=sys.stderr)


def _flag(dest: str) -> str:
    return "--" + dest.replace("_", "-")


def _check_finite(args: argparse.Namespace) -> None:
    """No flag takes NaN or an infinity (argparse's ``float`` accepts both)."""
    from protocols.errors import ParameterError

    for dest, value in vars(args).items():
        values = value if isinstance(value, tuple) else (value,)
        if any(isinstance(v, float) and not math.isfinite(v) for v in values):
            raise ParameterError(f"{_flag(dest)} must be finite, got {value!r}")


def _command_parser(parser: argparse.ArgumentParser, args: argparse.Namespace) -> argparse.ArgumentParser:
    """The (sub-)parser that parsed this command, e.g. the one of ``diqkd table photonic``."""
    for name in (args.command, getattr(args, "platform", None)):
        sub = next((a for a in parser._actions if isinstance(a, argparse._SubParsersAction)), None)
        if name is None or sub is None:
            break
        parser = sub.choices[name]
    return parser


def _as_flags(message: str, args: argparse.Namespace, parser: argparse.ArgumentParser) -> str:
    """Name a parameter as the user spelled it: an error from the library that starts with a
    parameter name that is also an option of this command (``eta_a must ...``) names the option."""
    options = {a.dest: a.option_strings[-1] for a in _command_parser(parser, args)._actions if a.option_strings}
    for dest in sorted(options, key=len, reverse=True):
        if message.startswith(dest + " ") and dest not in ("json", "help"):
            return options[dest] + message[len(dest):]
    return message


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="diqkd", description="Device-independent QKD modelling: tables, Bell scores, key rates."
    )
    parser.add_argument("--version", action="version", version=f"diqkd {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in COMMANDS:
        module.register(sub)
    _add_quiet(parser)
    return parser


def _add_quiet(parser: argparse.ArgumentParser) -> None:
    """``--quiet`` on every command (leaf parser): no progress bars on stderr."""
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        parser.add_argument("--quiet", action="store_true",
                            help="no progress bars on stderr (they are drawn only on a terminal, or with "
                                 "DIQKD_PROGRESS=1, for work longer than 2 s)")
        return
    for child in subs[0].choices.values():
        _add_quiet(child)


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

    command = " ".join(str(v) for v in (args.command, getattr(args, "platform", None)) if v)
    from protocols.progress import set_quiet

    set_quiet(getattr(args, "quiet", False))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            _check_finite(args)
            result = args.handler(args)
        except DIQKDError as exc:
            _error(command, _as_flags(str(exc), args, parser))
            return 1
        except ImportError as exc:
            _error(command, f"a dependency is missing ({exc}); install the extra for this layer, "
                                 "e.g. pip install 'diqkd[all]'")
            return 1
        except MemoryError:
            _error(command, "not enough memory for this request; lower the size flags (nodes, cutoff, rounds)")
            return 1
    for w in caught:  # after a success, each warning is one line of its own
        print(f"diqkd {command}: warning: {_one_line(str(w.message))}", file=sys.stderr)
    if result is None:
        return 0
    try:
        if getattr(args, "json", False):
            from .units import with_units

            result.pop("_text", None)
            with_units(result)
            print(json.dumps(_jsonable(result), indent=2, sort_keys=True))
        else:
            _print_text(result)
        sys.stdout.flush()
    except BrokenPipeError:  # the reader (e.g. `| head`) closed the pipe: not an error of ours
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
