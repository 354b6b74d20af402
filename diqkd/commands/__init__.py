"""One module per command group; each has ``register(subparsers)`` setting ``handler``."""

from . import chsh, rate, reproduce

COMMANDS = [rate, chsh, reproduce]
