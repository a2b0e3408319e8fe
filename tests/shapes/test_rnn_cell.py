"""RNN around a Keras cell: the matching recurrent layer's shapes and weights, checked against Keras 3."""

from __future__ import annotations

import pytest

from tests.shapes.helpers import agree, layer, static

CASES = [  # (cell, RNN keywords, input shape, output shape or code, params): read off Keras 3.15
    (layer("LSTMCell", 4), {}, (None, 5, 3), (None, 4), 128),
    (layer("LSTMCell", 4), {"return_sequences": True, "return_state": True}, (None, 5, 3),
     [(None, 5, 4), (None, 4), (None, 4)], 128),
    (layer("GRUCell", 4), {"return_state": True}, (None, 5, 3), [(None, 4), (None, 4)], 108),
    (layer("GRUCell", 4, reset_after=False), {}, (None, 5, 3), (None, 4), 96),
    (layer("SimpleRNNCell", 4, use_bias=False), {"return_sequences": True}, (None, None, 3), (None, None, 4), 28),
    (layer("LSTMCell", 4), {"stateful": True}, (2, 5, 3), (2, 4), 128),
    (layer("LSTMCell", 4), {}, (None, 3), "KC101", None),
    (layer("LSTMCell", 4), {"stateful": True}, (None, 5, 3), "KC526", None),
    (layer("LSTMCell", 0), {}, (None, 5, 3), "KC301", None),
    (layer("LSTMCell", 4, activation="foo"), {}, (None, 5, 3), "KC303", None),
]


@pytest.mark.parametrize("cell, kwargs, shape, expected, params", CASES)
def test_rnn_with_cell(cell, kwargs, shape, expected, params, keras3):
    node = layer("RNN", cell, **kwargs)
    result = static(node, shape)
    assert result == expected if isinstance(expected, str) else (result.output, result.params) == (expected, params)
    agree(node, shape, keras3)


@pytest.mark.parametrize("node, shape", [
    (layer("RNN", layer("LSTMCell", 4)), (None, 5, 3, 2)),  # Keras: (None, 4), the cell built on (None, 3, 2)
    (layer("RNN", layer("LSTMCell", 4)), (1, 3)),  # Keras sizes the kernel from the batch
    (layer("RNN", [layer("LSTMCell", 4), layer("GRUCell", 2)]), (None, 5, 3)),
    (layer("RNN", layer("MyCell", 4)), (None, 5, 3)),
])
def test_rnn_cells_and_ranks_left_unknown(node, shape):
    result = static(node, shape)
    assert (result.output, result.params) == (None, None)
