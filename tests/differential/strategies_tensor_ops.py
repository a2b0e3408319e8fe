"""Random element-wise, reduction and matrix keras.ops pseudo layers (shapes/tensor_ops.py), valid
and invalid: operand shapes that broadcast or not, numbers as keyword operands, axes in and out
of range, matmul inner sizes equal or not, static index keys.

Keras's side applies the op itself to symbolic inputs (``verify.build``'s op stand-in).
"""

from __future__ import annotations

from hypothesis import strategies as st

from kerascheck.shapes.tensor_ops import BINARY, REDUCTIONS, UNARY
from tests.shapes.helpers import layer

DIMS = st.sampled_from([None, 1, 1, 2, 3, 4])
SHAPES = st.lists(DIMS, min_size=1, max_size=4).map(tuple)
AXES = st.integers(-5, 4)
NUMBERS = st.sampled_from([0, 1, 2.5, -1.0, True])
_EXTRA = {"cast": {"dtype": "float16"}, "clip": {"x_min": 0.0, "x_max": 1.0}, "softmax": {"axis": -1},
          "log_softmax": {"axis": 0}, "leaky_relu": {"negative_slope": 0.1}}


def _binary(op: str):
    @st.composite
    def draw_pair(draw) -> tuple:
        first = draw(SHAPES)
        if draw(st.integers(0, 3)) == 0:
            number = draw(NUMBERS)
            return layer(f"ops.{op}", **{draw(st.sampled_from(["x1", "x2"])): number}), first
        second = list(first[draw(st.integers(0, len(first) - 1)):])
        for i in range(len(second)):
            if draw(st.integers(0, 3)) == 0:
                second[i] = draw(DIMS)
        shapes = [first, tuple(second)]
        return layer(f"ops.{op}"), shapes if draw(st.booleans()) else shapes[::-1]
    return draw_pair()


def _unary(op: str):
    return SHAPES.map(lambda shape: (layer(f"ops.{op}", **_EXTRA.get(op, {})), shape))


def _reduction(op: str):
    @st.composite
    def draw_pair(draw) -> tuple:
        axis = draw(st.one_of(st.none(), AXES, st.tuples(AXES, AXES), st.just((0, -1))))
        kwargs = {"axis": axis} if axis is not None or draw(st.booleans()) else {}
        if draw(st.booleans()):
            kwargs["keepdims"] = draw(st.booleans())
        if op in ("argmax", "argmin") and isinstance(axis, tuple):
            kwargs["axis"] = axis[0]
        return layer(f"ops.{op}", **kwargs), draw(SHAPES)
    return draw_pair()


@st.composite
def _matmul(draw) -> tuple:
    first = draw(st.lists(DIMS, min_size=1, max_size=4).map(tuple))
    inner = first[-1] if draw(st.integers(0, 3)) else draw(DIMS)
    rest = draw(st.lists(DIMS, min_size=0, max_size=2))
    second = tuple(rest[:-1] + [inner] + rest[-1:]) if rest else (inner,)
    return layer("ops.matmul"), [first, second]


@st.composite
def _transpose(draw) -> tuple:
    shape = draw(SHAPES)
    if draw(st.integers(0, 3)) == 0:
        return layer("ops.transpose"), shape
    axes = draw(st.one_of(st.permutations(range(len(shape))).map(tuple),
                          st.lists(AXES, min_size=1, max_size=4).map(tuple)))
    return layer("ops.transpose", axes=axes), shape


_ITEMS = st.one_of(st.integers(-4, 4), st.just(Ellipsis), st.none(),
                   st.builds(slice, st.one_of(st.none(), st.integers(-5, 5)), st.one_of(st.none(), st.integers(-5, 5)),
                             st.sampled_from([None, 1, 2, -1])))


@st.composite
def _get_item(draw) -> tuple:
    items = draw(st.lists(_ITEMS, min_size=1, max_size=4))
    key = tuple(items) if len(items) > 1 or draw(st.booleans()) else items[0]
    return layer("ops.get_item", key=key), draw(SHAPES)


STRATEGIES = {
    **{f"ops.{op}": _binary(op) for op in BINARY},
    **{f"ops.{op}": _unary(op) for op in UNARY},
    **{f"ops.{op}": _reduction(op) for op in REDUCTIONS},
    "ops.matmul": _matmul(),
    "ops.transpose": _transpose(),
    "ops.get_item": _get_item(),
}
