"""One module per command group; each has ``register(subparsers)`` setting ``handler``."""

from . import chsh, entropy, finite_key, pipeline, platforms, rate, reproduce, sweep, threshold

COMMANDS = [rate, chsh, entropy, finite_key, pipeline, platforms, threshold, sweep, reproduce]
