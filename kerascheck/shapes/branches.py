"""``ops.either``: one of several tensors, as a branch of the program kerascheck cannot decide
leaves it (``if x.shape[-1] != filters: shortcut = Conv2D(filters, 1)(shortcut)``).

Not a Keras operation: the frontend makes it where an undecided ``if`` (or a function returning
in several branches) binds a name to different tensors. Its output is what the tensors' shapes
agree on: their rank, and each dim equal in all of them; a dim that differs is one of their
sizes, an int kerascheck does not know (``?``), which no check downstream rejects. Its weights
are those of the branch the program takes: unknown, so the model's total is unknown too.
"""

from __future__ import annotations

from typing import Any

from kerascheck.shapes.symbolic import ANONYMOUS, Sym

EITHER = "ops.either"


def either_shape(origin: Any, shapes: Any) -> Any:
    """The shape the possible tensors agree on (``origin``: what makes its unknown dims its own);
    None when a shape is unknown or the ranks differ."""
    if not isinstance(shapes, list) or not shapes or not all(isinstance(s, tuple) for s in shapes):
        return None
    first = shapes[0]
    if any(len(s) != len(first) for s in shapes):
        return None
    return tuple(d if all(_same(d, s[i]) for s in shapes[1:]) else _unknown(origin, i)
                 for i, d in enumerate(first))


def _same(a: Any, b: Any) -> bool:
    """Equal whatever the names' values: the same int or None, or the same symbolic form."""
    if isinstance(a, Sym) or isinstance(b, Sym):
        return isinstance(a, Sym) and isinstance(b, Sym) and a.key == b.key
    return type(a) is type(b) and a == b


def _unknown(origin: Any, axis: int) -> Any:
    return None if axis == 0 else Sym.named(ANONYMOUS, (origin, "either", axis))
