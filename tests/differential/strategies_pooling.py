"""Random (LayerNode, input_shape) pairs for the pooling rules, and FOLLOWERS for stacks."""

from __future__ import annotations

from hypothesis import strategies as st

from tests.differential.strategies_convolutional import (
    bad_windows,
    data_formats,
    mostly,
    rank_offsets,
    spatial_input,
    window,
)
from tests.shapes.helpers import layer

RANKS = {"1D": 1, "2D": 2, "3D": 3}
POOLING = [f"{kind}Pooling{r}" for kind in ("Max", "Average") for r in RANKS]
GLOBAL = [f"Global{kind}Pooling{r}" for kind in ("Max", "Average") for r in RANKS]
ADAPTIVE = [f"Adaptive{kind}Pooling{r}" for kind in ("Max", "Average") for r in RANKS]


def pooling_kwargs(rank: int) -> st.SearchStrategy:
    return st.fixed_dictionaries({}, optional={
        "strides": st.one_of(st.none(), window(rank, 1, 4, bad_windows(rank))),
        "padding": mostly(st.sampled_from(["valid", "valid", "same"]), ("SAME", "Valid", "causal")),
        "data_format": data_formats,
    })


@st.composite
def pooling(draw, name: str):
    rank = RANKS[name[-2:]]
    kwargs = draw(pooling_kwargs(rank))
    shape = draw(spatial_input(rank, kwargs.get("data_format"), draw(rank_offsets())))
    pool = window(rank, 1, 5, bad_windows(rank))
    if name.startswith("Max") and draw(st.booleans()):
        return layer(name, **kwargs), shape  # the default pool_size
    if draw(st.booleans()):
        return layer(name, draw(pool), **kwargs), shape
    return layer(name, pool_size=draw(pool), **kwargs), shape


@st.composite
def global_pooling(draw, name: str):
    rank = RANKS[name[-2:]]
    kwargs = draw(st.fixed_dictionaries({}, optional={"data_format": data_formats, "keepdims": st.booleans()}))
    # Always the right rank: a global pooling's reduction also runs on other ranks, so inside
    # TimeDistributed (which skips the InputSpec) Keras accepts them (tables cover KC101).
    shape = draw(spatial_input(rank, kwargs.get("data_format")))
    return layer(name, **kwargs), shape


@st.composite
def adaptive_pooling(draw, name: str):
    """Only what Keras both builds and runs alike (see ``_AdaptivePooling``): the right rank and
    positive sizes, else arguments rejected at construction. AdaptiveMaxPooling on TensorFlow
    kills the process (SIGFPE) when the last spatial axis or its output size is 1: never drawn."""
    rank = RANKS[name[-2:]]
    low = 2 if "Max" in name else 1
    size = st.integers(low, 6)
    output_size = draw(mostly(st.one_of(size, st.tuples(*[size] * rank)), (2.0, (2,) * (rank + 1), "2")))
    kwargs = draw(st.fixed_dictionaries({}, optional={
        "data_format": mostly(st.sampled_from([None, "channels_last", "channels_first"]), ("Channels_First",)),
    }))
    shape = draw(spatial_input(rank, kwargs.get("data_format"), min_length=low))
    return layer(name, output_size, **kwargs), shape


def pooling_follower(name: str):
    """A pooling layer that fits a channels_last input of the right rank (it may still be too short)."""
    rank = RANKS[name[-2:]]

    def follow(shape: tuple):
        if len(shape) != rank + 2:
            return None
        return st.builds(lambda pool, padding: layer(name, pool, padding=padding),
                         window(rank, 1, 3), st.sampled_from(["valid", "same"]))
    return follow


def global_follower(name: str):
    rank = RANKS[name[-2:]]

    def follow(shape: tuple):
        if len(shape) != rank + 2:
            return None
        return st.builds(lambda keepdims: layer(name, keepdims=keepdims), st.booleans())
    return follow


STRATEGIES = {**{name: pooling(name) for name in POOLING}, **{name: global_pooling(name) for name in GLOBAL},
              **{name: adaptive_pooling(name) for name in ADAPTIVE}}
FOLLOWERS = {**{name: pooling_follower(name) for name in POOLING}, **{name: global_follower(name) for name in GLOBAL}}
