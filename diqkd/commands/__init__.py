"""One module per command group; each has ``register(subparsers)`` setting ``handler``."""

from . import chsh, platforms, rate, reproduce

COMMANDS = [rate, chsh, platforms, reproduce]
