"""Exceptions of the project, one home for all of them.

Every error the package raises on bad input derives from :class:`DIQKDError`, itself a
``ValueError``, so callers (and the ``diqkd`` CLI) can catch them in one clause.
"""

from __future__ import annotations


class DIQKDError(ValueError):
    """Base class of every error this project raises on bad input or an unusable result."""


class InvalidTableError(DIQKDError):
    """A correlation table P(a,b|x,y) breaks an invariant (shape, sign, normalisation, signalling)."""


class TableFormatError(InvalidTableError):
    """A serialised table (JSON) is malformed; the message gives the path inside the document."""


class ParameterError(DIQKDError):
    """A physical or protocol parameter lies outside its domain (an efficiency outside [0, 1], ...)."""


class SolverError(DIQKDError):
    """A numerical solver failed or returned a status that does not certify a bound."""


def check_probability(name: str, value: float, low: float = 0.0, high: float = 1.0) -> float:
    """Return ``value`` as a float if ``low <= value <= high``, else raise :class:`ParameterError`
    (``protocols.validate.real``: NaN, infinities, strings, booleans and complex are refused)."""
    from .validate import real

    return real(name, value, low, high)
