"""The correlation table P(a,b|x,y): the contract between physical layers and protocols.

Convention (used everywhere in the project): ``P[x, y, a, b]`` is the probability that Alice
outputs ``a`` and Bob outputs ``b`` when Alice's input is ``x`` and Bob's is ``y``; the array has
shape ``(|X|, |Y|, |A|, |B|)``. Inputs and outputs are *indices*; their physical meaning travels
in the label lists (``x_labels`` ...). For binary outcomes the project reads index 0 as the
value +1 and index 1 as -1 when it forms correlators.

A table may carry the herald probability per trial (the fraction of attempts that produce a
round), a rate of rounds per second, the raw counts ``N[x, y, a, b]`` it was estimated from, and
free-form metadata. Physical layers produce tables; protocols never need to know which platform
made one.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .errors import InvalidTableError, ParameterError, TableFormatError, check_probability
from .roles import ROLE_NAMES, Roles
from .validate import MAX_COUNT, integer, parse_json, read_json_file, real, real_array

FORMAT = "diqkd-behaviour/1"

#: Default tolerances. Simulated tables are exact to ~1e-12; truncated simulators document theirs.
NORMALISATION_TOL = 1e-8
NEGATIVITY_TOL = 1e-12
SIGNALLING_TOL = 1e-8
#: a table carrying both P and counts: P must be the relative frequencies to this (absolute)
COUNTS_AGREEMENT_TOL = 1e-6

_AUTO = "auto"


def _labels(name: str, labels: Sequence[Any] | None, n: int) -> tuple:
    if labels is None:
        return tuple(range(n))
    if isinstance(labels, (str, bytes)) or not isinstance(labels, (Sequence, np.ndarray)):
        raise InvalidTableError(f"{name} must be a list of {n} labels, got {labels!r}")
    labels = tuple(labels)
    if len(labels) != n:
        raise InvalidTableError(
            f"{name} has {len(labels)} entries {list(labels)!r}, expected {n} to match P's shape"
        )
    return labels


def signalling_deviation(P: np.ndarray) -> float:
    """Largest violation of no-signalling in a table ``P[x, y, a, b]``.

    Returns ``max(max_{x,a,y,y'} |P_A(a|x,y) - P_A(a|x,y')|, max_{y,b,x,x'} |P_B(b|y,x) - P_B(b|y,x')|)``:
    how much Alice's marginal depends on Bob's input, and vice versa (zero for any quantum table).
    """
    P = real_array("P", P, ndim=4)
    pa = P.sum(axis=3)  # (X, Y, A)
    pb = P.sum(axis=2)  # (X, Y, B)
    dev_a = float(np.max(pa.max(axis=1) - pa.min(axis=1))) if P.size else 0.0
    dev_b = float(np.max(pb.max(axis=0) - pb.min(axis=0))) if P.size else 0.0
    return max(dev_a, dev_b)


@dataclass(frozen=True, eq=False)
class CorrelationTable:
    """A validated correlation table ``P[x, y, a, b]`` = P(a,b|x,y) with its context.

    Args:
        P: array of shape ``(|X|, |Y|, |A|, |B|)``.
        x_labels: names of Alice's inputs (default 0..n-1).
        y_labels: names of Bob's inputs (default 0..n-1).
        a_labels: names of Alice's outcomes (default 0..n-1).
        b_labels: names of Bob's outcomes (default 0..n-1).
        herald_probability: probability per trial (attempt) that a round is heralded, in [0, 1].
        rounds_per_second: heralded rounds per second (or trials per second when there is no
            herald), >= 0.
        counts: raw counts ``N[x, y, a, b]`` the table was estimated from, same shape as ``P``.
        meta: free-form metadata (platform, parameters); must be JSON-serialisable to save.
        roles: the protocol roles of the inputs (:class:`~protocols.roles.Roles`: CHSH inputs and
            sign, key pair), or ``None`` when the table does not declare them.
        normalisation_tol: allowed ``|sum_ab P(a,b|x,y) - 1|``.
        signalling_tol: allowed :func:`signalling_deviation`; ``None`` measures but never rejects
            (the default for tables built from counts, whose frequencies signal statistically).

    Raises:
        InvalidTableError: wrong shape, negative or non-finite entries, a block that does not sum
            to one, signalling beyond the tolerance, or label lists of the wrong length.
    """

    P: np.ndarray
    x_labels: tuple = ()
    y_labels: tuple = ()
    a_labels: tuple = ()
    b_labels: tuple = ()
    herald_probability: float | None = None
    rounds_per_second: float | None = None
    counts: np.ndarray | None = None
    meta: dict = field(default_factory=dict)
    normalisation_tol: float = NORMALISATION_TOL
    signalling_tol: float | None = SIGNALLING_TOL
    roles: Roles | None = None

    __array_ufunc__ = None  # a table is not a bare array: numpy must not broadcast over it

    def __post_init__(self) -> None:
        raw = self.P.P if isinstance(self.P, CorrelationTable) else self.P
        if np.iscomplexobj(raw):
            raise InvalidTableError("P must be real: probabilities have no imaginary part (got a complex array)")
        try:
            with np.errstate(over="ignore"):
                P = np.array(raw, dtype=float)
        except (TypeError, ValueError, OverflowError) as exc:
            raise InvalidTableError(f"P must be a numeric array, got {self.P!r}") from exc
        for tol_name in ("normalisation_tol", "signalling_tol"):
            tol = getattr(self, tol_name)
            if tol is not None or tol_name == "normalisation_tol":
                try:
                    object.__setattr__(self, tol_name, real(tol_name, tol, 0.0, 1.0))
                except ParameterError as exc:
                    raise InvalidTableError(str(exc)) from exc
        if P.ndim != 4:
            raise InvalidTableError(
                f"P must have 4 axes (x, y, a, b), got shape {P.shape} with {P.ndim} axes"
            )
        if 0 in P.shape:
            raise InvalidTableError(f"P must have at least one input and outcome per axis, got {P.shape}")
        if not np.all(np.isfinite(P)):
            raise InvalidTableError("P contains NaN or infinite entries")
        neg = P.min()
        if neg < -NEGATIVITY_TOL:
            idx = tuple(int(i) for i in np.unravel_index(np.argmin(P), P.shape))
            raise InvalidTableError(
                f"P must be non-negative; P[x,y,a,b]={idx} is {neg:.3g} (expected >= 0)"
            )
        sums = P.sum(axis=(2, 3))
        err = np.abs(sums - 1.0)
        if err.max() > self.normalisation_tol:
            x, y = (int(i) for i in np.unravel_index(np.argmax(err), err.shape))
            raise InvalidTableError(
                f"every (x, y) block must sum to 1 within {self.normalisation_tol:g}; "
                f"block (x={x}, y={y}) sums to {sums[x, y]:.12g}"
            )
        object.__setattr__(self, "P", P)
        P.setflags(write=False)
        X, Y, A, B = P.shape
        object.__setattr__(self, "x_labels", _labels("x_labels", self.x_labels or None, X))
        object.__setattr__(self, "y_labels", _labels("y_labels", self.y_labels or None, Y))
        object.__setattr__(self, "a_labels", _labels("a_labels", self.a_labels or None, A))
        object.__setattr__(self, "b_labels", _labels("b_labels", self.b_labels or None, B))
        if self.herald_probability is not None:
            object.__setattr__(
                self,
                "herald_probability",
                check_probability("herald_probability", self.herald_probability),
            )
        if self.rounds_per_second is not None:
            object.__setattr__(self, "rounds_per_second", real("rounds_per_second", self.rounds_per_second, 0.0,
                                                               unit="Hz"))
        if not isinstance(self.meta or {}, Mapping):
            raise InvalidTableError(f"meta must be a dict, got {type(self.meta).__name__}")
        if self.counts is not None:
            N = _check_counts(self.counts)
            if N.shape != P.shape:
                raise InvalidTableError(f"counts must have P's shape {P.shape}, got {N.shape}")
            n = N.sum(axis=(2, 3))
            if np.all(n > 0):
                dev = np.abs(N / n[:, :, None, None] - P)
                if dev.max() > COUNTS_AGREEMENT_TOL:
                    idx = tuple(int(i) for i in np.unravel_index(np.argmax(dev), P.shape))
                    raise InvalidTableError(
                        f"P and counts disagree: P[x,y,a,b]={idx} is {P[idx]:.6g} but the counts give "
                        f"{(N / n[:, :, None, None])[idx]:.6g} (expected the relative frequencies within "
                        f"{COUNTS_AGREEMENT_TOL:g})")
            N = N.astype(np.int64)
            N.setflags(write=False)
            object.__setattr__(self, "counts", N)
        object.__setattr__(self, "meta", dict(self.meta or {}))
        if self.roles is not None:
            roles = self.roles if isinstance(self.roles, Roles) else Roles.from_dict(self.roles)
            roles.check(P.shape)
            object.__setattr__(self, "roles", roles)
        if self.signalling_tol is not None:
            dev = signalling_deviation(P)
            if dev > self.signalling_tol:
                raise InvalidTableError(
                    f"the table signals: a marginal changes by {dev:.3g} with the other party's "
                    f"input (expected at most {self.signalling_tol:g}; pass signalling_tol=None "
                    "to accept a signalling table, e.g. finite-count frequencies)"
                )

    # ------------------------------------------------------------------ constructors
    @classmethod
    def from_probabilities(cls, P: Any, **kwargs: Any) -> CorrelationTable:
        """Build a table from an array ``P[x][y][a][b]`` (validated; see the class doc)."""
        return cls(P=P, **kwargs)

    @classmethod
    def from_counts(cls, counts: Any, signalling_tol: float | None = None, **kwargs: Any) -> CorrelationTable:
        """Build a table of relative frequencies ``N(x,y,a,b) / sum_ab N(x,y,a,b)`` from counts.

        Frequencies signal at the level of statistical fluctuations, so by default
        ``signalling_tol=None`` (measured by :attr:`signalling`, not rejected).

        Raises:
            InvalidTableError: counts negative, non-integer, or a setting pair with no rounds.
        """
        N = _check_counts(counts)
        if N.ndim != 4:
            raise InvalidTableError(f"counts must have 4 axes (x, y, a, b), got shape {N.shape}")
        n = N.sum(axis=(2, 3))
        if np.any(n == 0):
            x, y = (int(i) for i in np.argwhere(n == 0)[0])
            raise InvalidTableError(f"setting pair (x={x}, y={y}) has no counts; cannot estimate P")
        return cls(P=N / n[:, :, None, None], counts=N, signalling_tol=signalling_tol, **kwargs)

    # ------------------------------------------------------------------ properties
    @property
    def shape(self) -> tuple[int, int, int, int]:
        """``(|X|, |Y|, |A|, |B|)``."""
        return tuple(self.P.shape)  # type: ignore[return-value]

    @property
    def signalling(self) -> float:
        """The measured no-signalling deviation (see :func:`signalling_deviation`)."""
        return signalling_deviation(self.P)

    def alice_marginal(self) -> np.ndarray:
        """``P_A[x, a]``: Alice's marginal, averaged over Bob's inputs (exact when no-signalling)."""
        return self.P.sum(axis=3).mean(axis=1)

    def bob_marginal(self) -> np.ndarray:
        """``P_B[y, b]``: Bob's marginal, averaged over Alice's inputs (exact when no-signalling)."""
        return self.P.sum(axis=2).mean(axis=0)

    def block(self, x: int, y: int) -> np.ndarray:
        """The joint distribution ``P[a, b]`` for inputs ``(x, y)``, checked to exist."""
        X, Y, _, _ = self.shape
        return self.P[integer("x (Alice's input)", x, 0, X - 1), integer("y (Bob's input)", y, 0, Y - 1)]

    # ------------------------------------------------------------------ transformations
    def _replace(self, **changes: Any) -> CorrelationTable:
        """A new table with some fields changed, validated again by the constructor."""
        return dataclasses.replace(self, **changes)

    def select_inputs(self, x: Sequence[int] | None = None, y: Sequence[int] | None = None) -> CorrelationTable:
        """Reorder or restrict inputs: new input ``i`` is old input ``x[i]`` (likewise ``y``)."""
        X, Y, _, _ = self.shape
        xs = list(range(X)) if x is None else [integer("x input", i, 0, X - 1) for i in x]
        ys = list(range(Y)) if y is None else [integer("y input", i, 0, Y - 1) for i in y]
        for name, sel in (("x", xs), ("y", ys)):
            if not sel:
                raise ParameterError(f"{name} inputs must be a non-empty list of indices")
        ix = np.ix_(xs, ys)
        counts = None if self.counts is None else self.counts[ix]
        return self._replace(
            P=self.P[ix],
            counts=counts,
            roles=_select_roles(self.roles, xs, ys),
            x_labels=tuple(self.x_labels[i] for i in xs),
            y_labels=tuple(self.y_labels[i] for i in ys),
        )

    def relabel_outputs(
        self,
        party: str,
        permutation: Sequence[int],
        inputs: Sequence[int] | None = None,
    ) -> CorrelationTable:
        """Relabel one party's outcomes: outcome ``o`` becomes ``permutation[o]``.

        Args:
            party: ``"A"`` (Alice) or ``"B"`` (Bob).
            permutation: a permutation of ``0..n-1`` for that party's ``n`` outcomes.
            inputs: the inputs whose outcomes are relabelled (default: all).
        """
        if party not in ("A", "B"):
            raise ParameterError(f"party must be 'A' or 'B', got {party!r}")
        axis, in_axis = (2, 0) if party == "A" else (3, 1)
        n = self.P.shape[axis]
        perm = [integer("permutation entry", i, 0, n - 1) for i in permutation]
        if sorted(perm) != list(range(n)):
            raise ParameterError(f"permutation {perm} is not a permutation of 0..{n - 1}")
        m = self.P.shape[in_axis]
        sel = list(range(m)) if inputs is None else [integer(f"input of party {party}", i, 0, m - 1) for i in inputs]
        inverse = np.argsort(perm)

        def apply(arr: np.ndarray) -> np.ndarray:
            out = np.array(arr, copy=True)
            for i in sel:
                if party == "A":
                    out[i, :, :, :] = arr[i, :, inverse, :].transpose(1, 0, 2)
                else:
                    out[:, i, :, :] = arr[:, i, :, inverse].transpose(1, 2, 0)
            return out

        counts = None if self.counts is None else apply(self.counts)
        return self._replace(P=apply(self.P), counts=counts)

    def mix(self, other: CorrelationTable | str = "uniform", weight: float = 0.0) -> CorrelationTable:
        """Return ``(1 - weight) * self + weight * other``.

        ``other="uniform"`` is white noise P(a,b|x,y) = 1/(|A||B|); a visibility ``v`` is
        ``mix("uniform", 1 - v)``. Counts are dropped (the mixture is not what was counted).
        """
        w = check_probability("weight", weight)
        if isinstance(other, str):
            if other != "uniform":
                raise ParameterError(f"noise must be 'uniform' or a CorrelationTable, got {other!r}")
            Q = np.full(self.shape, 1.0 / (self.shape[2] * self.shape[3]))
        else:
            require_table(other, "other")
            if other.shape != self.shape:
                raise InvalidTableError(f"cannot mix shapes {self.shape} and {other.shape}")
            Q = other.P
        return self._replace(P=(1 - w) * self.P + w * Q, counts=None)

    # ------------------------------------------------------------------ text and JSON
    def __repr__(self) -> str:
        X, Y, A, B = self.shape
        extra = ""
        if self.herald_probability is not None:
            extra += f", herald_probability={self.herald_probability:.4g}"
        if self.rounds_per_second is not None:
            extra += f", rounds_per_second={self.rounds_per_second:.4g}"
        if self.counts is not None:
            extra += f", rounds={int(self.counts.sum())}"
        platform = self.meta.get("platform")
        if platform:
            extra += f", platform={platform!r}"
        return f"CorrelationTable(|X|={X}, |Y|={Y}, |A|={A}, |B|={B}{extra})"

    def __str__(self) -> str:
        """A readable table: one row per (x, y), one column per (a, b)."""
        cols = [f"P({a},{b})" for a in self.a_labels for b in self.b_labels]
        width = max(10, *(len(c) for c in cols))
        wx = max(1, *(len(str(x)) for x in self.x_labels))
        wy = max(1, *(len(str(y)) for y in self.y_labels))
        lines = [repr(self), f"{'x':<{wx}} {'y':<{wy}} | " + " ".join(c.rjust(width) for c in cols)]
        for i, x in enumerate(self.x_labels):
            for j, y in enumerate(self.y_labels):
                row = " ".join(f"{v:{width}.6f}" for v in self.P[i, j].ravel())
                lines.append(f"{str(x):<{wx}} {str(y):<{wy}} | {row}")
        return "\n".join(lines)

    def to_dict(self) -> dict:
        """The table in the ``diqkd-behaviour/1`` JSON layout (see :func:`table_from_dict`)."""
        d: dict[str, Any] = {
            "format": FORMAT,
            "P": self.P.tolist(),
            "x_labels": list(self.x_labels),
            "y_labels": list(self.y_labels),
            "a_labels": list(self.a_labels),
            "b_labels": list(self.b_labels),
            "herald_probability": self.herald_probability,
            "rounds_per_second": self.rounds_per_second,
            "meta": self.meta,
        }
        if self.roles is not None:
            d["roles"] = self.roles.as_dict()
        if self.counts is not None:
            d["counts"] = self.counts.tolist()
        return d

    def to_json(self, indent: int | None = 2) -> str:
        """Serialise to a JSON string in the ``diqkd-behaviour/1`` format.

        Raises:
            InvalidTableError: labels or meta that JSON cannot hold (NaN, infinities, sets, objects).
        """
        try:
            return json.dumps(self.to_dict(), indent=indent, allow_nan=False)
        except (TypeError, ValueError) as exc:
            raise InvalidTableError(f"the table's labels or meta are not JSON-serialisable: {exc}") from exc

    def save(self, path: str | Path) -> None:
        """Write the JSON form to ``path``."""
        Path(path).write_text(self.to_json() + "\n")

    @classmethod
    def from_dict(cls, d: Mapping[str, Any], signalling_tol: float | None | str = _AUTO) -> CorrelationTable:
        """Alias of :func:`table_from_dict`."""
        return table_from_dict(d, signalling_tol=signalling_tol)

    @classmethod
    def from_json(cls, text: str, signalling_tol: float | None | str = _AUTO) -> CorrelationTable:
        """Read a table from a JSON string (``diqkd-behaviour/1``)."""
        return table_from_dict(parse_json(text, "table"), signalling_tol=signalling_tol)

    @classmethod
    def load(cls, path: str | Path, signalling_tol: float | None | str = _AUTO) -> CorrelationTable:
        """Read a table from a JSON file."""
        d = read_json_file(path, "table file")
        try:
            return table_from_dict(d, signalling_tol=signalling_tol)
        except TableFormatError as exc:
            raise TableFormatError(f"{path}: {exc}") from exc


def _select_roles(roles: Roles | None, xs: list[int], ys: list[int]) -> Roles | None:
    """The roles after :meth:`CorrelationTable.select_inputs`: renumbered, or dropped if an input is gone."""
    if roles is None:
        return None
    try:
        new = {name: [xs.index(x), ys.index(y)] if name not in ("chsh_x", "chsh_y")
               else ([xs.index(x), xs.index(y)] if name == "chsh_x" else [ys.index(x), ys.index(y)])
               for name, (x, y) in ((n, getattr(roles, n)) for n in ROLE_NAMES)}
    except ValueError:  # a role's input was not selected
        return None
    return Roles(**new)


def require_table(value: Any, name: str = "table") -> CorrelationTable:
    """``value`` if it is a :class:`CorrelationTable`, else :class:`InvalidTableError` saying how to make one."""
    if not isinstance(value, CorrelationTable):
        raise InvalidTableError(f"{name} must be a CorrelationTable, got {type(value).__name__}; build one with "
                                "CorrelationTable(P) or CorrelationTable.load(path)")
    return value


def _check_counts(counts: Any) -> np.ndarray:
    """Counts as a float array of non-negative integers below :data:`~protocols.validate.MAX_COUNT`."""
    try:
        with np.errstate(over="ignore"):
            N = np.array(counts, dtype=float)
    except (TypeError, ValueError, OverflowError) as exc:
        raise InvalidTableError(f"counts must be a numeric array, got {counts!r}") from exc
    if np.any(N < 0) or not np.all(np.isfinite(N)) or np.any(N != np.round(N)):
        raise InvalidTableError("counts must be finite non-negative integers")
    if N.size and N.max() >= MAX_COUNT:
        raise InvalidTableError(f"counts must be below 2**53 = {MAX_COUNT} (frequencies are exact only below it), "
                                f"got {N.max():.4g}")
    if N.size and N.sum() >= MAX_COUNT:
        raise InvalidTableError(f"the total count must be below 2**53 = {MAX_COUNT}, got {N.sum():.4g}")
    return N


def _nested_array(value: Any, where: str, depth: int = 4) -> np.ndarray:
    """Check a nested list of numbers of the given depth and a regular shape; name the bad path."""

    def walk(v: Any, path: str, level: int) -> Any:
        if level == 0:
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                raise TableFormatError(f"{path} must be a number, got {v!r}")
            try:
                float(v)
            except OverflowError as exc:
                raise TableFormatError(f"{path} is an integer too large for a float ({len(str(v))} digits)") from exc
            return v
        if not isinstance(v, list) or not v:
            raise TableFormatError(f"{path} must be a non-empty list ({level} more levels), got {v!r}")
        return [walk(item, f"{path}[{i}]", level - 1) for i, item in enumerate(v)]

    nested = walk(value, where, depth)
    try:
        arr = np.array(nested, dtype=float)
    except ValueError as exc:
        raise TableFormatError(f"{where} is ragged: every block must have the same size") from exc
    if arr.ndim != depth:
        raise TableFormatError(f"{where} is ragged: every block must have the same size")
    return arr


def table_from_dict(d: Mapping[str, Any], signalling_tol: float | None | str = _AUTO) -> CorrelationTable:
    """Build a table from the ``diqkd-behaviour/1`` layout.

    Layout::

        {"format": "diqkd-behaviour/1", "P": P[x][y][a][b],
         "x_labels": [...], "y_labels": [...], "a_labels": [...], "b_labels": [...],
         "herald_probability": float or null, "rounds_per_second": float or null,
         "counts": N[x][y][a][b] (optional), "meta": {...},
         "roles": {"chsh_x": [0, 1], "chsh_y": [0, 1], "chsh_minus": [1, 1], "key_pair": [0, 2]} (optional)}

    Only ``format`` and ``P`` are required. ``signalling_tol="auto"`` uses the default
    tolerance for probability tables and none for tables carrying counts.

    Raises:
        TableFormatError: a missing or wrong field, with its path in the document.
        InvalidTableError: a well-formed table that breaks an invariant.
    """
    if not isinstance(d, Mapping):
        raise TableFormatError(f"a table must be a JSON object, got {type(d).__name__}")
    if d.get("format") != FORMAT:
        raise TableFormatError(f"'format' must be {FORMAT!r}, got {d.get('format')!r}")
    if "P" not in d:
        raise TableFormatError("missing required field 'P' (nested list P[x][y][a][b])")
    known = {
        "format", "P", "x_labels", "y_labels", "a_labels", "b_labels",
        "herald_probability", "rounds_per_second", "counts", "meta", "roles",
    }
    unknown = sorted(set(d) - known)
    if unknown:
        raise TableFormatError(f"unknown fields {unknown}; expected some of {sorted(known)}")
    P = _nested_array(d["P"], "P")
    counts = _nested_array(d["counts"], "counts") if d.get("counts") is not None else None
    kwargs: dict[str, Any] = {}
    for key in ("x_labels", "y_labels", "a_labels", "b_labels"):
        value = d.get(key)
        if value is not None:
            if not isinstance(value, list):
                raise TableFormatError(f"{key} must be a list, got {value!r}")
            kwargs[key] = tuple(value)
    for key in ("herald_probability", "rounds_per_second"):
        value = d.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
            raise TableFormatError(f"{key} must be a number or null, got {value!r}")
        kwargs[key] = value
    meta = d.get("meta", {})
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise TableFormatError(f"meta must be an object, got {meta!r}")
    if signalling_tol == _AUTO:
        signalling_tol = None if counts is not None else SIGNALLING_TOL
    roles = Roles.from_dict(d["roles"]) if d.get("roles") is not None else None
    return CorrelationTable(
        P=P, counts=counts, meta=meta, signalling_tol=signalling_tol, roles=roles, **kwargs  # type: ignore[arg-type]
    )
