"""One module per command group; each has ``register(subparsers)`` setting ``handler``."""

from . import chsh, entropy, platforms, rate, reproduce

COMMANDS = [rate, chsh, entropy, platforms, reproduce]
