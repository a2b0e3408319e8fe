"""Recurrent rules and wrappers: exact shapes, params and codes, checked against real Keras 3."""

from __future__ import annotations

import pytest

from kerascheck.shapes.propagate import propagate
from tests.differential.harness import sequential, stack_keras, stack_static
from tests.differential.strategies_rnn import STRATEGIES
from tests.shapes.helpers import layer, rank_fix, shape_error
from tests.shapes.tables import agrees_with_keras_on, infers_each, rejects_each, strategies_agree_with_keras

CASES = [
    # the seeds' summaries
    (layer("LSTM", 12, return_sequences=True), (None, 40, 1), (None, 40, 12), 672),
    (layer("LSTM", 12, return_sequences=True), (None, 40, 12), (None, 40, 12), 1200),
    (layer("LSTM", 6, return_sequences=False), (None, 40, 12), (None, 6), 456),
    (layer("LSTM", 32), (None, 98, 32), (None, 32), 8320),
    (layer("LSTM", 32, return_sequences=True), (None, 400, 32), (None, 400, 32), 8320),
    (layer("LSTM", 64, return_sequences=True), (None, None, 32), (None, None, 64), 24832),
    (layer("LSTM", 64, return_sequences=True), (None, None, 64), (None, None, 64), 33024),
    (layer("LSTM", 150, stateful=True), (50, 1, 10), (50, 150), 96600),
    (layer("LSTM", 150, return_sequences=True, stateful=True), (50, 1, 10), (50, 1, 150), 96600),
    (layer("LSTM", 100, return_sequences=True, stateful=True), (200, None, 100), (200, None, 100), 80400),
    (layer("TimeDistributed", layer("LSTM", 12, return_sequences=True)), (None, 2, 40, 1), (None, 2, 40, 12), 672),
    (layer("TimeDistributed", layer("LSTM", 12, return_sequences=True)), (None, 2, 40, 12), (None, 2, 40, 12), 1200),
    (layer("TimeDistributed", layer("LSTM", 6, return_sequences=False)), (None, 2, 40, 12), (None, 2, 6), 456),
    (layer("TimeDistributed", layer("Dense", 10)), (None, 2, 6), (None, 2, 10), 70),
    (layer("TimeDistributed", layer("Dense", 8)), (None, 10, 16), (None, 10, 8), 136),
    # GRU defaults to reset_after=True: two bias vectors
    (layer("GRU", 12), (None, 40, 5), (None, 12), 684),
    (layer("GRU", 12, reset_after=False), (None, 40, 5), (None, 12), 648),
    (layer("GRU", 12, use_bias=False), (None, 40, 5), (None, 12), 612),
    (layer("SimpleRNN", 12), (None, 40, 5), (None, 12), 216),
    (layer("SimpleRNN", 12, use_bias=False, return_sequences=True), (3, None, 5), (3, None, 12), 204),
    (layer("LSTM", 12, return_state=True), (None, 40, 5), [(None, 12)] * 3, 864),
    (layer("GRU", 12, return_state=True, return_sequences=True), (None, 40, 5), [(None, 40, 12), (None, 12)], 684),
    (layer("LSTM", True), (4, 40, 5), (4, 1), 28),
    (layer("Bidirectional", layer("LSTM", 12)), (None, 10, 5), (None, 24), 1728),
    (layer("Bidirectional", layer("LSTM", 12), merge_mode="sum"), (None, 10, 5), (None, 12), 1728),
    (layer("Bidirectional", layer("LSTM", 12), merge_mode=None), (None, 10, 5), [(None, 12), (None, 12)], 1728),
    (layer("Bidirectional", layer("LSTM", 12, return_state=True)), (None, 10, 5),
     [(None, 24)] + [(None, 12)] * 4, 1728),
    (layer("Bidirectional", layer("LSTM", 12, return_state=True), merge_mode=None), (None, 10, 5),
     [(None, 12)] * 6, 1728),
    (layer("Bidirectional", layer("GRU", 12, return_sequences=True, return_state=True)), (None, 10, 5),
     [(None, 10, 24), (None, 12), (None, 12)], 1368),
    # the output follows the forward layer even when the backward one has other units
    (layer("Bidirectional", layer("LSTM", 12), backward_layer=layer("LSTM", 6, go_backwards=True)), (None, 10, 5),
     (None, 24), 1152),
    (layer("Bidirectional", layer("SimpleRNN", 3, stateful=True), "ave"), (4, 10, 5), (4, 3), 54),
    (layer("TimeDistributed", layer("Bidirectional", layer("LSTM", 3))), (None, 10, 16, 2), (None, 10, 6), 144),
    (layer("TimeDistributed", layer("TimeDistributed", layer("Dense", 3))), (None, 10, 16, 2), (None, 10, 16, 3), 9),
    (layer("TimeDistributed", layer("Dense", 8)), (3, None, 16), (3, None, 8), 136),
    (layer("TimeDistributed", layer("Flatten")), (None, None, 4, 4), (None, None, 16), 0),
    (layer("TimeDistributed", layer("Embedding", 10, 3)), (None, 2, 5), (None, 2, 5, 3), 30),
    (layer("TimeDistributed", layer("Reshape", (2, -1))), (None, 10, 16), (None, 10, 2, 8), 0),
]

REJECTS = [
    (layer("LSTM", 12), (None, 6), "KC101"),
    (layer("LSTM", 12), (None, 4, 5, 6), "KC101"),
    (layer("LSTM", 0), (None, 4, 5), "KC301"),
    (layer("GRU", -1), (None, 4, 5), "KC301"),
    (layer("SimpleRNN", 2.0), (None, 4, 5), "KC301"),
    (layer("LSTM", 4, activation="Tanh"), (None, 4, 5), "KC303"),
    (layer("LSTM", 12, stateful=True), (None, 40, 5), "KC526"),
    (layer("LSTM"), (None, 4, 5), "KC304"),
    (layer("Bidirectional", layer("LSTM", 12)), (None, 5), "KC101"),
    (layer("Bidirectional", layer("LSTM", 12), merge_mode="foo"), (None, 10, 5), "KC302"),
    (layer("Bidirectional", layer("Dense", 12)), (None, 10, 5), "KC303"),
    (layer("Bidirectional", layer("LSTM", 3, go_backwards=True)), (4, 10, 5), "KC303"),
    (layer("Bidirectional", layer("LSTM", 12), backward_layer=layer("LSTM", 12)), (None, 10, 5), "KC303"),
    (layer("Bidirectional", layer("LSTM", 3),
           backward_layer=layer("LSTM", 3, go_backwards=True, return_sequences=True)), (4, 10, 5), "KC303"),
    (layer("Bidirectional", layer("LSTM", 0)), (None, 10, 5), "KC301"),
    (layer("Bidirectional", layer("LSTM", 1, stateful=True, return_state=True)), (1, 5, 1), "KC303"),
    (layer("Bidirectional", layer("GRU", 2, stateful=True, return_state=True),
           backward_layer=layer("GRU", 2, stateful=True, return_state=True, go_backwards=True)), (3, 5, 1), "KC303"),
    (layer("TimeDistributed", layer("Dense", 8)), (None, 16), "KC101"),
    (layer("TimeDistributed", layer("LSTM", 12, return_state=True)), (None, 2, 40, 1), "KC303"),
    (layer("TimeDistributed", layer("Conv2D", 4, 3)), (None, 2, 10, 3), "KC101"),
    (layer("TimeDistributed", layer("Dense", 0)), (None, 2, 10), "KC301"),
]


test_shapes_and_params = infers_each(CASES)
test_rejections = rejects_each(REJECTS)
test_agrees_with_keras = agrees_with_keras_on(CASES, REJECTS)


LAST_ONLY = "returns only its last output; set return_sequences=True there"


@pytest.mark.parametrize("produced, wanted, fix", [
    ((None, 40, 12), "2D (batch, features)", "returns sequences; set return_sequences=False there"),
    ((None, 12), "3D (batch, timesteps, features)", LAST_ONLY),
    ((None, 12), "at least 3D (batch, timesteps, ...)", LAST_ONLY),
    ((None, 40, 12), "3D", None),
])
def test_rank_fix(produced, wanted, fix):
    assert rank_fix(layer("LSTM", 12), produced, wanted) == fix


def test_time_distributed_rank_fix_names_the_wrapped_layer():
    node = layer("TimeDistributed", layer("LSTM", 6, return_sequences=True))
    assert rank_fix(node, (None, 2, 40, 6), "3D") == (
        "wraps a LSTM that returns sequences; set return_sequences=False there")


test_strategies_agree_with_keras = strategies_agree_with_keras(STRATEGIES)


def test_rank_hint_end_to_end_names_the_lstm_line():
    model = sequential([layer("LSTM", 12, return_sequences=True), layer("RepeatVector", 10)], (None, 40, 2))
    [found] = propagate(model).diagnostics
    assert (found.code, found.position.line) == ("KC101", 3)
    assert found.text == ("RepeatVector needs 2D (batch, features) input, got 3D (None, 40, 12); "
                          "the LSTM on line 2 returns sequences; set return_sequences=False there")


def test_rank_hint_end_to_end_for_a_time_distributed_after_a_last_output():
    model = sequential([layer("LSTM", 150), layer("TimeDistributed", layer("Dense", 5))], (50, 1, 10))
    [found] = propagate(model).diagnostics
    assert found.text == ("TimeDistributed needs at least 3D (batch, timesteps, ...) input, got 2D (50, 150); "
                          "the LSTM on line 2 returns only its last output; set return_sequences=True there")


def test_time_distributed_explains_the_step_shape():
    node = layer("TimeDistributed", layer("RepeatVector", 3))
    assert shape_error(node, (None, 10, 16, 4)).hint == (
        "TimeDistributed gives it one step at a time: 3D (None, 16, 4) from its input 4D (None, 10, 16, 4)")


def test_bidirectional_rank_fix_names_the_wrapped_layer():
    node = layer("Bidirectional", layer("GRU", 8, return_sequences=True))
    assert rank_fix(node, (None, 10, 16), "2D (batch, features)") == (
        "wraps a GRU that returns sequences; set return_sequences=False there")


SEED_STACKS = [
    # seed 0: stacked LSTMs, then the same model per stacked series through TimeDistributed
    ([layer("LSTM", 12, return_sequences=True), layer("LSTM", 12, return_sequences=True),
      layer("LSTM", 6, return_sequences=False), layer("Dense", 10)], (None, 40, 1),
     [((None, 40, 12), 672), ((None, 40, 12), 1200), ((None, 6), 456), ((None, 10), 70)]),
    ([layer("Reshape", target_shape=(2, 40, 1)),
      layer("TimeDistributed", layer("LSTM", 12, return_sequences=True)),
      layer("TimeDistributed", layer("LSTM", 12, return_sequences=True)),
      layer("TimeDistributed", layer("LSTM", 6, return_sequences=False)),
      layer("TimeDistributed", layer("Dense", 10)), layer("Reshape", target_shape=(10, 2))], (None, 40, 2),
     [((None, 2, 40, 1), 0), ((None, 2, 40, 12), 672), ((None, 2, 40, 12), 1200), ((None, 2, 6), 456),
      ((None, 2, 10), 70), ((None, 10, 2), 0)]),
    # seed 1: stateful encoder-decoder with a fixed batch
    ([layer("LSTM", 150, stateful=True), layer("RepeatVector", 5),
      layer("LSTM", 150, return_sequences=True, stateful=True),
      layer("TimeDistributed", layer("Dense", 10, activation="softmax"))], (50, 5, 10),
     [((50, 150), 96600), ((50, 5, 150), 0), ((50, 5, 150), 180600), ((50, 5, 10), 1510)]),
    # seed 1, broken: RepeatVector after a sequence-returning LSTM
    ([layer("LSTM", 150, stateful=True, return_sequences=True), layer("RepeatVector", 5)], (50, 5, 10),
     [((50, 5, 150), 96600), "KC101"]),
    # seed 3: variable-length sequences
    ([layer("LSTM", 100, return_sequences=True, stateful=True), layer("LSTM", 100)], (200, None, 100),
     [((200, None, 100), 80400), ((200, 100), 80400)]),
]


@pytest.mark.parametrize("nodes, shape, rows", SEED_STACKS)
def test_seed_models(nodes, shape, rows, keras3):
    model = sequential(nodes, shape)
    assert stack_static(model) == rows
    assert stack_keras(model, keras3) == ["rejected" if isinstance(r, str) else r for r in rows]
