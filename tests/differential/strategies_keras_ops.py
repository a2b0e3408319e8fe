"""Random keras.ops pseudo layers (ops.concatenate/reshape/expand_dims/squeeze), valid and invalid.

Keras's side applies the op itself to symbolic inputs (``verify.build`` rebuilds ``ops.*``
nodes that way). Shapes include the batch dim, which ops treat like any other.
"""

from __future__ import annotations

import math

from hypothesis import strategies as st

from tests.shapes.helpers import layer

DIMS = st.sampled_from([None, 1, 1, 2, 3, 4, 6])
SHAPES = st.lists(DIMS, min_size=1, max_size=4).map(tuple)
AXES = st.integers(-5, 4)


@st.composite
def _concatenate(draw) -> tuple:
    base = draw(SHAPES)
    shapes = []
    for _ in range(draw(st.integers(1, 3))):
        dims = [draw(DIMS) if draw(st.integers(0, 3)) == 0 else d for d in base]
        if draw(st.integers(0, 6)) == 0:
            dims = dims[1:] or [draw(DIMS)]
        shapes.append(tuple(dims))
    kwargs = {"axis": draw(AXES)} if draw(st.integers(0, 4)) else {}
    return layer("ops.concatenate", **kwargs), shapes


@st.composite
def _reshape(draw) -> tuple:
    shape = draw(SHAPES)
    known = [d for d in shape if d is not None]
    size = math.prod(known)
    target = list(draw(st.lists(st.sampled_from([1, 2, 3, 4, 6, size or 1]), min_size=1, max_size=3)))
    if draw(st.booleans()):
        target.insert(draw(st.integers(0, len(target))), -1)
    if draw(st.integers(0, 5)) == 0:
        target[draw(st.integers(0, len(target) - 1))] = draw(st.sampled_from([None, -2, -1, 0]))
    value = tuple(target) if len(target) > 1 or draw(st.booleans()) else target[0]
    return layer("ops.reshape", value), shape


@st.composite
def _expand_dims(draw) -> tuple:
    axis = draw(st.one_of(AXES, st.tuples(AXES, AXES), st.just([0, -1])))
    return layer("ops.expand_dims", axis), draw(SHAPES)


@st.composite
def _squeeze(draw) -> tuple:
    shape = draw(SHAPES)
    axis = draw(st.one_of(st.none(), AXES, st.tuples(AXES, AXES)))
    kwargs = {"axis": axis} if axis is not None or draw(st.booleans()) else {}
    return layer("ops.squeeze", **kwargs), shape


STRATEGIES = {
    "ops.concatenate": _concatenate(),
    "ops.reshape": _reshape(),
    "ops.expand_dims": _expand_dims(),
    "ops.squeeze": _squeeze(),
}
