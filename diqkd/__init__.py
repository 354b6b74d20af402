"""The ``diqkd`` application layer: the command-line interface and the reproduction studies.

It sits on top of both :mod:`qmodels` (physical layers) and :mod:`protocols` (key rates).
"""

__version__ = "0.1.0"
