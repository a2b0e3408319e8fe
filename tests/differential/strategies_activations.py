"""Random (LayerNode, input_shape) pairs for the activation rules."""

from __future__ import annotations

from hypothesis import strategies as st

from tests.differential.strategies_core import shapes
from tests.shapes.helpers import layer

slopes = st.one_of(st.floats(0, 2), st.just(-0.5))


@st.composite
def activation(draw):
    name = draw(st.sampled_from(["relu", "sigmoid", "softmax", "tanh", "gelu", "swish", None, "foo", "Relu"]))
    return layer("Activation", name), draw(shapes(1, 5))


@st.composite
def relu(draw):
    kwargs = draw(st.fixed_dictionaries({}, optional={
        "max_value": st.one_of(st.none(), st.floats(0, 6), st.just(-1.0)),
        "negative_slope": slopes, "threshold": slopes}))
    return layer("ReLU", **kwargs), draw(shapes(1, 5))


@st.composite
def leaky_relu(draw):
    args = draw(st.one_of(st.just(()), st.tuples(slopes)))
    return layer("LeakyReLU", *args), draw(shapes(1, 5))


@st.composite
def prelu(draw):
    shape = draw(shapes(2, 5, none_inner=False))
    rank = len(shape) - 1
    kwargs = draw(st.fixed_dictionaries({}, optional={"shared_axes": st.one_of(
        st.integers(1, rank), st.lists(st.integers(1, rank), max_size=rank, unique=True),
        st.just([rank + 1]), st.just(-1))}))
    return layer("PReLU", **kwargs), shape


@st.composite
def simple(draw, kind: str, argument: str):
    kwargs = draw(st.fixed_dictionaries({}, optional={argument: st.floats(-1, 3)}))
    return layer(kind, **kwargs), draw(shapes(1, 5))


STRATEGIES = {
    "Activation": activation(),
    "ReLU": relu(),
    "LeakyReLU": leaky_relu(),
    "PReLU": prelu(),
    "ELU": simple("ELU", "alpha"),
    "Softmax": st.tuples(st.builds(lambda axis: layer("Softmax", axis=axis), st.integers(-2, 1)), shapes(2, 4)),
}


def prelu_follower(shape: tuple):
    """PReLU sharing its slopes along every None axis: Keras cannot create weights of unknown size
    (kerascheck cannot tell an unknown dim from Keras's None, so it leaves the count unknown)."""
    unknown = [axis for axis in range(1, len(shape)) if shape[axis] is None]
    if len(shape) < 2:
        return None
    return st.just(layer("PReLU", shared_axes=unknown)) if unknown else st.just(layer("PReLU"))


FOLLOWERS = {"PReLU": prelu_follower}
