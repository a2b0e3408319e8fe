"""Random (LayerNode, input_shape) pairs for the convolution rules, and the window-argument
helpers the pooling and ConvLSTM strategy modules share.

Inputs never have an unknown channel dim: Keras rejects it, kerascheck deliberately does not
(its ``None`` may be an unresolved value), see ``kerascheck/shapes/convolutional.py``.
"""

from __future__ import annotations

import re

from hypothesis import strategies as st

from tests.shapes.helpers import layer

batches = st.one_of(st.none(), st.none(), st.integers(1, 3))
lengths = st.one_of(st.integers(1, 12), st.integers(1, 12), st.integers(1, 12), st.none())
channels = st.integers(1, 6)


def window(rank: int, low: int, high: int, invalid: tuple = ()) -> st.SearchStrategy:
    """An int or a tuple of ``rank`` ints in [low, high]; about one time in ten one of ``invalid``."""
    one = st.integers(low, high)
    values = st.one_of(one, st.tuples(*[one] * rank))
    if not invalid:
        return values
    return mostly(values, invalid)


def mostly(valid: st.SearchStrategy, invalid: tuple) -> st.SearchStrategy:
    """``valid`` nine times in ten, else one of the ``invalid`` values."""
    return st.sampled_from([False] * 9 + [True]).flatmap(lambda bad: st.sampled_from(invalid) if bad else valid)


def bad_windows(rank: int) -> tuple:
    """Values every window argument rejects: zero, a negative, a tuple of the wrong length."""
    return (0, -1, (2,) * (rank + 1))


@st.composite
def spatial_input(draw, rank: int, fmt: str | None, extra: int = 0, min_length: int = 1) -> tuple:
    """An input of rank ``rank + 2`` in ``fmt``; ``extra`` adds or removes inner axes (rank errors)."""
    spatial = [draw(lengths.filter(lambda n: n is None or n >= min_length)) for _ in range(max(rank + extra, 0))]
    ch = draw(channels)
    if isinstance(fmt, str) and fmt.lower() == "channels_first":
        return (draw(batches), ch, *spatial)
    return (draw(batches), *spatial, ch)


data_formats = mostly(st.sampled_from([None, "channels_last", "channels_first"]),
                      ("Channels_First", "channels_middle"))


def rank_offsets() -> st.SearchStrategy:
    """Mostly the right rank, sometimes one axis too few or too many."""
    return mostly(st.just(0), (-1, 1))


def conv_kwargs(rank: int, invalid_paddings: tuple, valid_paddings: tuple = ("valid", "valid", "same"),
                dilation: bool = True) -> st.SearchStrategy:
    optional = {
        "strides": window(rank, 1, 4, bad_windows(rank)),
        "padding": mostly(st.sampled_from(valid_paddings), invalid_paddings),
        "data_format": data_formats,
        "use_bias": st.booleans(),
        "activation": mostly(st.sampled_from(["relu", None, "tanh"]), ("Relu", "relux")),
    }
    if dilation:
        optional["dilation_rate"] = st.one_of(st.just(1), st.just(1), window(rank, 1, 3, bad_windows(rank)))
    return st.fixed_dictionaries({}, optional=optional)


@st.composite
def conv(draw, name: str, rank: int):
    if rank == 1:
        kwargs = draw(conv_kwargs(rank, ("Same", "full"), ("valid", "same", "causal", "Causal")))
    else:
        kwargs = draw(conv_kwargs(rank, ("Same", "full", "causal")))
    if draw(st.booleans()):
        kwargs["groups"] = draw(mostly(st.sampled_from([1, 2, 3]), (0, -1)))
    filters = draw(mostly(st.integers(1, 8), (0, -2, 2.0, None)))
    kernel = draw(window(rank, 1, 6, bad_windows(rank)))
    shape = draw(spatial_input(rank, kwargs.get("data_format"), draw(rank_offsets())))
    if draw(st.booleans()):
        return layer(name, filters, kernel, **kwargs), shape
    return layer(name, filters=filters, kernel_size=kernel, **kwargs), shape


@st.composite
def conv_transpose(draw, name: str, rank: int):
    kwargs = draw(conv_kwargs(rank, ("SAME", "causal")))
    if draw(st.booleans()):
        kwargs["output_padding"] = draw(st.one_of(st.none(), window(rank, 0, 2, (-1,))))
    filters = draw(mostly(st.integers(1, 8), (0, -2)))
    kernel = draw(window(rank, 1, 6, bad_windows(rank)))
    shape = draw(spatial_input(rank, kwargs.get("data_format"), draw(rank_offsets())))
    return layer(name, filters, kernel, **kwargs), shape


@st.composite
def depthwise(draw, name: str, rank: int):
    kwargs = draw(conv_kwargs(rank, ("causal", "VALID")))
    if draw(st.booleans()):
        kwargs["depth_multiplier"] = draw(mostly(st.sampled_from([1, 2, 3]), (0, -1)))
    kernel = draw(window(rank, 1, 6, bad_windows(rank)))
    shape = draw(spatial_input(rank, kwargs.get("data_format"), draw(rank_offsets())))
    return layer(name, kernel, **kwargs), shape


@st.composite
def separable(draw, name: str, rank: int):
    kwargs = draw(conv_kwargs(rank, ("causal",)))
    if draw(st.booleans()):
        kwargs["depth_multiplier"] = draw(mostly(st.sampled_from([1, 2, 3]), (0, -1)))
    filters = draw(mostly(st.integers(1, 8), (0,)))
    kernel = draw(window(rank, 1, 6, bad_windows(rank)))
    shape = draw(spatial_input(rank, kwargs.get("data_format"), draw(rank_offsets())))
    return layer(name, filters, kernel, **kwargs), shape


STRATEGIES = {
    "Conv1D": conv("Conv1D", 1),
    "Conv2D": conv("Conv2D", 2),
    "Conv3D": conv("Conv3D", 3),
    "Conv1DTranspose": conv_transpose("Conv1DTranspose", 1),
    "Conv2DTranspose": conv_transpose("Conv2DTranspose", 2),
    "Conv3DTranspose": conv_transpose("Conv3DTranspose", 3),
    "DepthwiseConv1D": depthwise("DepthwiseConv1D", 1),
    "DepthwiseConv2D": depthwise("DepthwiseConv2D", 2),
    "SeparableConv1D": separable("SeparableConv1D", 1),
    "SeparableConv2D": separable("SeparableConv2D", 2),
}


def conv_follower(name: str, rank: int, takes_filters: bool = True):
    """A channels_last convolution for an input of rank ``rank + 2`` (it may still be too short)."""

    def follow(shape: tuple):
        if len(shape) != rank + 2:
            return None
        sizes = (st.integers(1, 8),) if takes_filters else ()
        return st.builds(lambda *args, padding: layer(name, *args, padding=padding),
                         *sizes, window(rank, 1, 3), padding=st.sampled_from(["valid", "same"]))
    return follow


FOLLOWERS = {
    name: conv_follower(name, int(re.search(r"(\d)D", name).group(1)), not name.startswith("Depthwise"))
    for name in STRATEGIES
}
