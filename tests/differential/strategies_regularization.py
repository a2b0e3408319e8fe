"""Random (LayerNode, input_shape) pairs for the regularization rules."""

from __future__ import annotations

from hypothesis import strategies as st

from tests.differential.strategies_core import shapes
from tests.shapes.helpers import layer

rates = st.one_of(st.floats(0, 1), st.floats(0, 1), st.sampled_from([1.0, 0, 1.5, -0.1]))


@st.composite
def noise(draw, kind: str, argument: str = "rate"):
    return layer(kind, draw(rates)), draw(shapes(1, 5))


@st.composite
def dropout(draw):
    shape = draw(shapes(1, 4))
    kwargs = draw(st.fixed_dictionaries({}, optional={"noise_shape": st.one_of(
        st.just(tuple([None] + [1] * (len(shape) - 1))), st.just((None, 0)))}))
    return layer("Dropout", draw(rates), **kwargs), shape


@st.composite
def spatial(draw, kind: str, rank: int):
    kwargs = {}
    if rank > 3:
        kwargs = draw(st.fixed_dictionaries({}, optional={
            "data_format": st.sampled_from(["channels_last", "channels_first"])}))
    shape = draw(shapes(rank, rank) if draw(st.integers(0, 4)) else shapes(2, 5))
    return layer(kind, draw(rates), **kwargs), shape


STRATEGIES = {
    "Dropout": dropout(),
    "AlphaDropout": noise("AlphaDropout"),
    "GaussianDropout": noise("GaussianDropout"),
    "GaussianNoise": noise("GaussianNoise", "stddev"),
    "SpatialDropout1D": spatial("SpatialDropout1D", 3),
    "SpatialDropout2D": spatial("SpatialDropout2D", 4),
    "SpatialDropout3D": spatial("SpatialDropout3D", 5),
    "ActivityRegularization": st.tuples(
        st.builds(lambda l1, l2: layer("ActivityRegularization", l1, l2), st.floats(0, 1), st.floats(0, 1)),
        shapes(1, 4)),
}
