"""Random (LayerNode, input_shape) pairs for LSTM, GRU, SimpleRNN, RNN, Bidirectional, TimeDistributed."""

from __future__ import annotations

from hypothesis import strategies as st

from tests.differential.strategies_core import batches, maybe_none, mostly, sizes
from tests.shapes.helpers import layer, static

RECURRENT = ("LSTM", "GRU", "SimpleRNN")


@st.composite
def recurrent_node(draw, kind: str, go_backwards: bool = True):
    units = draw(mostly(sizes, st.just(0)))
    options = {
        "return_sequences": st.booleans(),
        "return_state": st.booleans(),
        "use_bias": st.booleans(),
        "stateful": st.booleans(),
        "activation": st.sampled_from(["tanh", "relu", "sigmoid"]),
    }
    if go_backwards:
        options["go_backwards"] = st.booleans()
    if kind == "GRU":
        options["reset_after"] = st.booleans()
    return layer(kind, units, **draw(st.fixed_dictionaries({}, optional=options)))


@st.composite
def sequences(draw) -> tuple:
    """Mostly 3D ``(batch, timesteps, features)``, time often None; sometimes another rank."""
    if draw(st.integers(0, 5)) == 0:
        # the wrong rank, with dims no unit count matches (size-1 or equal dims broadcast on data)
        rank = draw(st.sampled_from([2, 4]))
        return (draw(batches), *[draw(st.sampled_from([13, 17])) for _ in range(rank - 1)])
    return (draw(batches), draw(maybe_none), draw(sizes))


def recurrent(kind: str):
    return st.tuples(recurrent_node(kind), sequences())


@st.composite
def bidirectional(draw):
    kind = draw(st.sampled_from(RECURRENT))
    forward = draw(recurrent_node(kind, go_backwards=False))
    kwargs = draw(st.fixed_dictionaries({}, optional={
        "merge_mode": st.sampled_from(["concat", "sum", "mul", "ave", None, "max"])}))
    if draw(st.integers(0, 3)) == 0:
        backward = dict(forward.kwargs, go_backwards=True)
        if draw(st.booleans()):
            backward["return_sequences"] = draw(st.booleans())
        kwargs["backward_layer"] = layer(kind, draw(sizes), **backward)
    elif draw(st.integers(0, 9)) == 0:
        forward = layer(kind, forward.args[0], **dict(forward.kwargs, go_backwards=True))
    return layer("Bidirectional", forward, **kwargs), draw(sequences())


def _wrappable():
    """Every other layer of this family with an input it accepts (Keras skips the inner rank check)."""
    from tests.differential import (strategies_activations, strategies_core, strategies_regularization,
                                    strategies_reshaping)

    pool = {**strategies_core.STRATEGIES, **strategies_activations.STRATEGIES,
            **strategies_regularization.STRATEGIES, **strategies_reshaping.STRATEGIES,
            **{kind: recurrent(kind) for kind in RECURRENT}, "Bidirectional": bidirectional()}
    pool = {name: strategy for name, strategy in pool.items() if name not in ("InputLayer", "Lambda")}
    return st.one_of(*pool.values()).filter(lambda pair: static(*pair) != "KC101")


def _accepts_without_time_axis(pair) -> bool:
    """Keras builds TimeDistributed without the wrapped layer's rank check (kerascheck reports it)."""
    node, shape = pair
    return len(shape) < 3 or static(node.args[0], shape[:1] + shape[2:]) != "KC101"


@st.composite
def _time_distributed(draw):
    inner, shape = draw(_wrappable())
    steps = draw(maybe_none)
    if draw(st.integers(0, 9)) == 0:
        return layer("TimeDistributed", inner), shape  # the time axis forgotten
    return layer("TimeDistributed", inner), (shape[0], steps, *shape[1:])


def time_distributed():
    return _time_distributed().filter(_accepts_without_time_axis)


def time_distributed_follower(shape: tuple):
    """TimeDistributed around a layer that accepts ``shape`` without its time axis."""
    child_rank = len(shape) - 1
    if child_rank < 2:
        return None
    inner = [st.builds(lambda n: layer("Dense", n), sizes), st.just(layer("Flatten")),
             st.just(layer("Dropout", 0.5)), st.just(layer("Activation", "relu"))]
    if child_rank == 2:
        inner.append(st.builds(lambda n: layer("RepeatVector", n), sizes))
    if child_rank == 3:
        inner.append(st.builds(lambda kind, n, seq: layer(kind, n, return_sequences=seq),
                               st.sampled_from(RECURRENT), sizes, st.booleans()))
    return st.builds(lambda node: layer("TimeDistributed", node), st.one_of(*inner))


@st.composite
def rnn_with_cell(draw):
    """``RNN(LSTMCell/GRUCell/SimpleRNNCell)`` on 3D input, sometimes 2D (refused). Not 4D, nor 2D
    with a known batch: Keras builds the cell on those by the cell's own rules, which kerascheck
    leaves unknown."""
    kind = draw(st.sampled_from(["LSTMCell", "GRUCell", "SimpleRNNCell"]))
    cell_options = {"use_bias": st.booleans(), "activation": st.sampled_from(["tanh", "relu", "Tanh"])}
    if kind == "GRUCell":
        cell_options["reset_after"] = st.booleans()
    cell = layer(kind, draw(mostly(sizes, st.just(0))), **draw(st.fixed_dictionaries({}, optional=cell_options)))
    kwargs = draw(st.fixed_dictionaries({}, optional={
        "return_sequences": st.booleans(), "return_state": st.booleans(), "stateful": st.booleans(),
        "go_backwards": st.booleans()}))
    if draw(st.integers(0, 5)) == 0:
        shape = (None, draw(sizes))  # with a known batch Keras sizes the kernel from it
    else:
        shape = (draw(batches), draw(maybe_none), draw(sizes))
    return layer("RNN", cell, **kwargs), shape


STRATEGIES = {
    "RNN": rnn_with_cell(),
    "LSTM": recurrent("LSTM"),
    "GRU": recurrent("GRU"),
    "SimpleRNN": recurrent("SimpleRNN"),
    "Bidirectional": bidirectional(),
    "TimeDistributed": time_distributed(),
}

FOLLOWERS = {"TimeDistributed": time_distributed_follower}
