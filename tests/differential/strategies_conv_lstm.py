"""Random (LayerNode, input_shape) pairs for ConvLSTM1D/2D/3D.

The channel dim is always known: Keras rejects an unknown one, kerascheck deliberately does not
(see ``kerascheck/shapes/conv_lstm.py``). Time and spatial dims may be None.
"""

from __future__ import annotations

from hypothesis import strategies as st

from tests.differential.strategies_convolutional import bad_windows, data_formats, mostly, rank_offsets, window
from tests.shapes.helpers import layer


@st.composite
def sequence_input(draw, rank: int, fmt, extra: int) -> tuple:
    batch = draw(st.one_of(st.none(), st.integers(1, 3)))
    steps = draw(st.one_of(st.none(), st.integers(1, 4)))
    spatial = [draw(mostly(st.integers(1, 7), (None,))) for _ in range(max(rank + extra, 0))]
    channels = draw(st.integers(1, 4))
    if isinstance(fmt, str) and fmt.lower() == "channels_first":
        return (batch, steps, channels, *spatial)
    return (batch, steps, *spatial, channels)


@st.composite
def conv_lstm(draw, name: str, rank: int):
    kwargs = draw(st.fixed_dictionaries({}, optional={
        "strides": window(rank, 1, 3, bad_windows(rank)),
        "padding": mostly(st.sampled_from(["valid", "valid", "same"]), ("Same", "causal")),
        "data_format": data_formats,
        "dilation_rate": st.one_of(st.just(1), window(rank, 1, 2, bad_windows(rank))),
        "return_sequences": st.booleans(),
        "return_state": st.booleans(),
        "use_bias": st.booleans(),
        "stateful": mostly(st.just(False), (True,)),
        "activation": mostly(st.sampled_from(["tanh", "relu"]), ("Tanh",)),
        "recurrent_activation": mostly(st.sampled_from(["sigmoid", "hard_sigmoid"]), ("sigmoid2",)),
    }))
    filters = draw(mostly(st.integers(1, 4), (0, -1)))
    kernel = draw(window(rank, 1, 4, bad_windows(rank)))
    shape = draw(sequence_input(rank, kwargs.get("data_format"), draw(rank_offsets())))
    return layer(name, filters, kernel, **kwargs), shape


STRATEGIES = {
    "ConvLSTM1D": conv_lstm("ConvLSTM1D", 1),
    "ConvLSTM2D": conv_lstm("ConvLSTM2D", 2),
    "ConvLSTM3D": conv_lstm("ConvLSTM3D", 3),
}


def conv_lstm_follower(name: str, rank: int):
    """A channels_last ConvLSTM for a sequence input of rank ``rank + 3`` (it may still be too short)."""

    def follow(shape: tuple):
        if len(shape) != rank + 3:
            return None
        return st.builds(lambda filters, kernel, sequences: layer(name, filters, kernel, padding="same",
                                                                  return_sequences=sequences),
                         st.integers(1, 4), window(rank, 1, 3), st.booleans())
    return follow


FOLLOWERS = {name: conv_lstm_follower(name, int(name[-2])) for name in STRATEGIES}
