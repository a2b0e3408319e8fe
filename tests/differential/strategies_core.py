"""Random (LayerNode, input_shape) pairs for the core rules, plus dim/shape helpers the other
strategy modules of this family share."""

from __future__ import annotations

from hypothesis import strategies as st

from kerascheck.graph import Opaque
from tests.shapes.helpers import layer

sizes = st.integers(1, 12)


def mostly(valid, invalid):
    """``valid`` about seven times in eight, else ``invalid`` (hypothesis favours first choices)."""
    return st.tuples(st.integers(0, 7), valid, invalid).map(lambda t: t[2] if t[0] == 7 else t[1])


batches = st.one_of(st.none(), st.none(), st.integers(1, 4))
maybe_none = st.one_of(sizes, sizes, sizes, st.none())


@st.composite
def shapes(draw, min_rank: int = 2, max_rank: int = 5, none_inner: bool = True) -> tuple:
    """A shape with its batch dim; inner dims may be None, the last one never (weights need it)."""
    rank = draw(st.integers(min_rank, max_rank))
    inner = [draw(maybe_none if none_inner else sizes) for _ in range(max(rank - 2, 0))]
    last = [draw(sizes)] if rank >= 2 else []
    return (draw(batches), *inner, *last)


@st.composite
def dense(draw):
    units = draw(mostly(sizes, st.sampled_from([0, -3, (10, 2)])))
    kwargs = draw(st.fixed_dictionaries({}, optional={
        "activation": st.sampled_from(["relu", "tanh", None, "softmax", "Relu"]),
        "use_bias": st.booleans(),
    }))
    return layer("Dense", units, **kwargs), draw(shapes(1, 5))


@st.composite
def embedding(draw):
    input_dim = draw(mostly(st.integers(1, 50), st.sampled_from([0, True])))
    output_dim = draw(mostly(sizes, st.just(-1)))
    kwargs = draw(st.fixed_dictionaries({}, optional={
        "mask_zero": st.booleans(), "input_length": st.integers(1, 10)}))
    return layer("Embedding", input_dim, output_dim, **kwargs), draw(shapes(1, 4))


@st.composite
def masking(draw):
    node = draw(st.sampled_from([layer("Masking"), layer("Masking", 0.0), layer("Masking", mask_value=-1.0),
                                 layer("Identity")]))
    return node, draw(shapes(1, 5))


@st.composite
def lambda_layer(draw):
    """A Lambda with a literal output_shape (without one, Keras runs the function: not rebuilt)."""
    shape = draw(shapes(2, 4))
    declared = draw(st.one_of(st.just(shape[1:]), st.tuples(sizes), st.tuples(st.none(), sizes)))
    return layer("Lambda", Opaque("lambda x: x"), output_shape=declared), shape


@st.composite
def input_layer(draw):
    shape = draw(shapes(2, 4))
    if draw(st.booleans()):
        return layer("InputLayer", batch_shape=shape), shape
    kwargs = {"batch_size": shape[0]} if shape[0] is not None else {}
    return layer("InputLayer", shape=shape[1:], **kwargs), shape


STRATEGIES = {
    "Lambda": lambda_layer(),
    "InputLayer": input_layer(),
    "Dense": dense(),
    "Embedding": embedding(),
    "Masking": masking(),
}

FOLLOWERS = {
    "InputLayer": lambda shape: None,  # only ever first in a Sequential
    "Lambda": lambda shape: st.just(layer("Lambda", Opaque("lambda x: x"), output_shape=shape[1:])),
}
