"""One module per command group; each has ``register(subparsers)`` setting ``handler``."""

from . import chsh, entropy, finite_key, platforms, rate, reproduce, threshold

COMMANDS = [rate, chsh, entropy, finite_key, platforms, threshold, reproduce]
