"""Words in the operators of Alice, Bob and Eve, in canonical form.

Letters: ``("A", x)`` Alice's projector onto outcome 0 of input x, ``("B", y)`` Bob's,
``("Z", a)`` Eve's operator ``Z_a`` and ``("Zs", a)`` its adjoint ``Z_a*``. Relations (BFF,
arXiv:2106.13692 Sec. 3): Alice's, Bob's and Eve's operators commute with each other's;
projectors are idempotent (``A_x A_x = A_x``); Eve's operators obey no relation.

A word is stored as ``(a_part, b_part, e_part)``; with real constraints the moment matrix may be
taken real symmetric, so a word and its adjoint are identified: the canonical key is
the smaller of the two.
"""

from __future__ import annotations

Letter = tuple[str, int]
Word = tuple[tuple[Letter, ...], tuple[Letter, ...], tuple[Letter, ...]]

IDENTITY: Word = ((), (), ())


def _dedupe(part: tuple[Letter, ...]) -> tuple[Letter, ...]:
    out: list[Letter] = []
    for letter in part:
        if out and out[-1] == letter:
            continue  # projector: P P = P
        out.append(letter)
    return tuple(out)


def word(*letters: Letter) -> Word:
    """Canonical (un-symmetrised) form of a product of letters."""
    a = tuple(l for l in letters if l[0] == "A")
    b = tuple(l for l in letters if l[0] == "B")
    e = tuple(l for l in letters if l[0] in ("Z", "Zs"))
    return (_dedupe(a), _dedupe(b), e)


def _star_letter(letter: Letter) -> Letter:
    kind, i = letter
    return ({"Z": "Zs", "Zs": "Z"}.get(kind, kind), i)


def adjoint(w: Word) -> Word:
    """``w*``: each party's part reversed, ``Z <-> Z*``."""
    return tuple(tuple(_star_letter(l) for l in reversed(part)) for part in w)  # type: ignore[return-value]


def product(u: Word, v: Word) -> Word:
    """Canonical form of ``u v``."""
    return (_dedupe(u[0] + v[0]), _dedupe(u[1] + v[1]), u[2] + v[2])


def key(w: Word) -> Word:
    """Representative of ``{w, w*}`` (real-symmetric moment matrix)."""
    s = adjoint(w)
    return min(w, s)


def degree(w: Word) -> int:
    return sum(len(p) for p in w)


def eve_degree(w: Word) -> int:
    return len(w[2])
