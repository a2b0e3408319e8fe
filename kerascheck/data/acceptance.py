"""How Keras 3 accepts an array for a model input (measured; see tests/data/test_checks.py).

``Functional._adjust_input_rank`` lets the rank differ by a trailing axis of 1; a functional
model's InputSpec then checks every known dim; past that, only built weights fix sizes.
"""

from __future__ import annotations

from typing import Optional

from kerascheck.data.graphwalk import Step


def adjust_rank(shape: tuple, declared: tuple) -> Optional[tuple]:
    """Keras 3's ``Functional._adjust_input_rank``: equal rank, or a trailing 1 dropped/added."""
    if len(shape) == len(declared):
        return shape
    if len(shape) == len(declared) + 1 and shape[-1] == 1:
        return shape[:-1]
    if len(shape) == len(declared) - 1 and declared[-1] == 1:
        return shape + (1,)
    return None


def spec_compatible(shape: tuple, declared: tuple) -> bool:
    """Keras's InputSpec check with ``allow_last_axis_squeeze``: trailing 1s dropped, then zip."""
    spec = (None,) + tuple(declared[1:])
    if shape and shape[-1] == 1:
        shape = shape[:-1]
    if spec and spec[-1] == 1:
        spec = spec[:-1]
    return same_dims(shape, spec)


def same_dims(a: tuple, b: tuple) -> bool:
    return all(x is None or y is None or x == y for x, y in zip(a, b))


def first_breaking_step(declared: list[Step], fed: list[Step]) -> Optional[tuple[Step, Step]]:
    """The first layer whose built weights (or rule) cannot take the data's shape."""
    for before, after in zip(declared, fed):
        if before.error is not None:
            return None
        if after.error is not None:
            return before, after
        if before.params is not None and after.params is not None and before.params != after.params:
            return before, after
    return None
