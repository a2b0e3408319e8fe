"""Random (LayerNode, input_shape) pairs for the reshaping rules."""

from __future__ import annotations

import math

from hypothesis import strategies as st

from tests.differential.strategies_core import batches, mostly, shapes, sizes
from tests.shapes.helpers import layer

small = st.integers(0, 3)
formats = st.sampled_from(["channels_last", "channels_first", None])


@st.composite
def reshape(draw):
    shape = draw(shapes(2, 4, none_inner=draw(st.integers(0, 4)) == 0))
    known = [d for d in shape[1:] if d is not None]
    total = math.prod(known)
    divisors = [d for d in range(1, total + 1) if total % d == 0]
    kind = draw(st.integers(0, 5))
    if kind == 0:
        target = (draw(st.sampled_from(divisors)), -1)
    elif kind == 1:
        target = (-1, draw(st.sampled_from(divisors)), 1)
    elif kind == 2:
        target = (total,)
    elif kind == 3:
        target = tuple(draw(st.lists(st.integers(1, 6), min_size=1, max_size=3)))
    elif kind == 4:
        target = draw(st.sampled_from([(-1, -1), (2, -2), (None, total), (0, -1), 12, [3, -1]]))
    else:
        target = (draw(st.integers(1, 5)), -1)
    return layer("Reshape", target), shape


@st.composite
def flatten(draw):
    kwargs = draw(st.fixed_dictionaries({}, optional={"data_format": formats}))
    return layer("Flatten", **kwargs), draw(shapes(1, 5))


@st.composite
def repeat_vector(draw):
    n = draw(mostly(sizes, st.sampled_from([0, 2.0])))
    if draw(st.integers(0, 3)):
        return layer("RepeatVector", n), draw(shapes(2, 2))
    # 3D, no dim of 1 (size-1 dims let a wrong-rank TimeDistributed(RepeatVector) run on data)
    wrong = st.tuples(batches, st.integers(2, 12), st.integers(2, 12))
    return layer("RepeatVector", n), draw(wrong)


@st.composite
def permute(draw):
    rank = draw(st.integers(1, 4))
    dims = list(draw(st.permutations(range(1, rank + 1))))
    if draw(st.integers(0, 5)) == 0:
        dims[0] = draw(st.integers(0, rank + 1))
    shape = draw(shapes(rank + 1, rank + 1) if draw(st.integers(0, 5)) else shapes(2, 5))
    return layer("Permute", tuple(dims)), shape


def amount(count: int, negative: bool):
    """An int, ``count`` ints or ``count`` pairs (the cropping/padding argument forms).

    No negative padding: Keras builds ``ZeroPadding2D(-1)`` but can never run it (kerascheck
    reports it; tests/shapes/test_reshaping.py checks that on data)."""
    one = mostly(st.integers(0, 3), st.just(-1)) if negative else st.integers(0, 3)
    return st.one_of(one, st.tuples(*[small] * count),
                     st.tuples(*[st.tuples(small, small)] * count))


@st.composite
def spatial(draw, kind: str, count: int, argument: str):
    if argument == "size":
        value = draw(mostly(st.one_of(st.integers(1, 3), st.tuples(*[st.integers(1, 3)] * count)), st.just(0)))
    elif count == 1:
        value = draw(mostly(st.one_of(small, st.tuples(small, small)), st.just(-1)))
    else:
        value = draw(amount(count, negative=argument == "cropping"))
    kwargs = {argument: value}
    if kind != "Cropping1D" and kind != "UpSampling1D":
        kwargs.update(draw(st.fixed_dictionaries({}, optional={"data_format": formats})))
    dims = [draw(mostly(st.integers(1, 16), st.none())) for _ in range(count)]
    shape = (draw(batches), *dims, draw(sizes))
    if draw(st.booleans()) and "data_format" in kwargs and kwargs["data_format"] == "channels_first":
        shape = (shape[0], shape[-1], *dims)
    if draw(st.integers(0, 7)) == 0:
        shape = draw(shapes(2, 5))
    return layer(kind, **kwargs), shape


STRATEGIES = {
    "Reshape": reshape(),
    "Flatten": flatten(),
    "RepeatVector": repeat_vector(),
    "Permute": permute(),
    **{f"{family}{n}D": spatial(f"{family}{n}D", n, argument)
       for family, argument in (("Cropping", "cropping"), ("ZeroPadding", "padding"), ("UpSampling", "size"))
       for n in (1, 2, 3)},
}
