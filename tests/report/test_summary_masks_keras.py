"""`kerascheck summary` against real Keras 3 where the graph Keras walks is not the source's
calls: the mask operations of ``Masking`` and ``Embedding(mask_zero=True)`` (rows of their
own, numbered across the session, and "Connected to" the layers that take the mask), Lambda
functions (run on backend tensors: no rows), and symbolic parameter counts (wrapped, never cut).
"""

from __future__ import annotations

import re

import pytest

from kerascheck import check_source
from kerascheck.report.summary import render_models
from kerascheck.report.summary_graph import MASK_KEEPERS, MASK_TAKERS
from tests.report.test_summary_keras import ARGUMENTS, COLUMNS, compare, keras_summary

MASKS = '''
import keras
from keras import layers

inp = keras.Input((None, 3))
x = layers.Masking()(inp)
x = layers.LSTM(4)(x)
first = keras.Model(inp, layers.Dense(1)(x))

stack = keras.Sequential([keras.Input((10, 3)), layers.Masking(mask_value=-1.0),
                          layers.LSTM(4, return_sequences=True)])
stack.add(layers.LSTM(2))
late = keras.Sequential([keras.Input((6, 2)), layers.Dense(2)])
late.add(layers.Masking())

tokens = keras.Input((None,))
x = layers.Embedding(10, 4, mask_zero=True)(tokens)
x = layers.Masking()(x)
x = layers.GRU(4)(x)
second = keras.Model(tokens, x)

words = keras.Input((None,))
x = layers.Embedding(10, 4, mask_zero=True)(words)
x = layers.Dense(3)(x)
x = layers.Dropout(0.1)(x)
x = layers.LSTM(4, return_sequences=True)(x)
x = layers.LSTM(4, return_sequences=True)(x)
third = keras.Model(words, layers.GlobalAveragePooling1D()(x))

steps = keras.Input((5, 3))
x = layers.Masking()(steps)
flat = layers.Flatten()(x)
peak = layers.GlobalMaxPooling1D()(x)
both = layers.Bidirectional(layers.GRU(2))(x)
last = layers.SimpleRNN(2)(layers.Dense(2)(layers.Lambda(lambda t: t * 2.0)(x)))
fourth = keras.Model(steps, [flat, peak, both, last])
'''

LAMBDAS = '''
import keras
from keras import layers


def last_axis(t):
    return keras.ops.expand_dims(t, -1)


series = keras.Input((None,))
x = layers.Lambda(lambda t: keras.ops.expand_dims(t, -1))(series)
x = layers.LSTM(4)(x)
model = keras.Model(series, layers.Dense(1)(x))

stack = keras.Sequential([keras.Input((10,)), layers.Lambda(last_axis), layers.Conv1D(2, 3),
                          layers.Lambda(lambda t: keras.ops.mean(t, axis=1)), layers.Dense(1)])
again = keras.ops.expand_dims(series, -1)
ops_model = keras.Model(series, layers.Dense(2)(again))

left = keras.Input((4,))
right = keras.Input((4,))
summed = layers.Lambda(lambda t: t[0] + t[1])([left, right])
paired = layers.Lambda(lambda t: keras.ops.concatenate([keras.ops.expand_dims(t[0], -1),
                                                        keras.ops.expand_dims(t[1], -1)], axis=-1))([left, right])
both = keras.Model([left, right], [layers.Dense(2)(summed), layers.Flatten()(paired)])
'''

# A layer called twice (its calls in one "Connected to" cell, and in a chain that is no longer
# "sequential-like"), Bidirectional layers passing the mask on (given by keyword, both outputs
# kept apart), an Embedding without mask, a nested Sequential, an input that is an output, a
# chain with an output inside it, Masking on an input and on a layer's output in a model whose
# calls propagate does not keep, nested models taking the mask of their input, an LSTM
# returning its last step (no mask) and a Bidirectional returning its states (the mask on its
# output only), and Masking layers made in a loop (one line, two layers).
GRAPHS = '''
import keras
from keras import layers

inp = keras.Input((6,), name="features")
shared = layers.Dense(6, name="shared")
a = shared(inp)
b = shared(a)
diamond = keras.Model(inp, layers.Add()([a, b]))

line = keras.Input((6,))
twice = layers.Dense(6)
chain = keras.Model(line, twice(twice(line)))

steps = keras.Input((5, 3))
x = layers.Masking()(steps)
x = layers.Bidirectional(layers.LSTM(4, return_sequences=True))(x)
x = layers.LSTM(4, return_sequences=True)(x)
pair = layers.Bidirectional(layer=layers.GRU(2, return_sequences=True), merge_mode=None)(x)
recurrent = keras.Model(steps, layers.GRU(2)(pair[1]))

tokens = keras.Input((7,))
plain = keras.Model(tokens, layers.LSTM(2)(layers.Embedding(10, 4)(tokens)))

block = keras.Sequential([keras.Input((6,)), layers.Dense(3)])
outer_in = keras.Input((6,))
outer = keras.Model(outer_in, layers.Dense(1)(block(outer_in)))

raw = keras.Input((3,))
passed = keras.Model(raw, [raw, layers.Dense(2)(raw)])

hidden = layers.Dense(4)(raw)
tapped = keras.Model(raw, [hidden, layers.Dense(2)(hidden)])

inner = keras.Sequential([keras.Input((5, 3)), layers.Dense(2)])
wide = keras.Input((5, 3))
masked = layers.Masking()(wide)
projected = layers.Masking()(layers.Dense(3)(masked))
nested_masks = keras.Model(wide, inner(layers.LSTM(3, return_sequences=True)(projected)))

core_in = keras.Input((5, 3))
core = keras.Model(core_in, layers.Dense(2)(core_in))
masked_twice = keras.Model(wide, [core(masked), inner(masked)])

seq_in = keras.Input((5, 3))
summed = layers.LSTM(4)(layers.Masking()(seq_in))
last_only = keras.Model(seq_in, layers.BatchNormalization()(summed))

state_in = keras.Input((5, 3))
outputs = layers.Bidirectional(layers.LSTM(2, return_sequences=True, return_state=True))(layers.Masking()(state_in))
with_states = keras.Model(state_in, layers.GRU(2)(outputs[0]))

looped = keras.Input((5, 3))
branches = []
for _ in range(2):
    branches.append(layers.LSTM(2)(layers.Masking()(looped)))
unrolled = keras.Model(looped, branches)
'''


def test_mask_operations_are_rows_connected_and_numbered_as_in_keras(keras3, monkeypatch):
    """Six models: each build of a Sequential with a Masking (its constructor's, each add) makes
    a not_equal and an any that no table shows but later names count."""
    assert compare(MASKS, "masks.py", keras3, monkeypatch) == 6
    tables = render_models(check_source(MASKS, "masks.py").models, COLUMNS)
    assert "not_equal_5 (NotEqual)" in tables[3] and "any_4 (Any)" in tables[3]  # after three builds
    assert "│ any[0][0]" not in tables[1] and "Connected to" not in tables[1]  # a Sequential's table


def test_shared_layers_bidirectional_masks_and_nested_models_as_in_keras(keras3, monkeypatch):
    assert compare(GRAPHS, "graphs.py", keras3, monkeypatch) == 15


def test_lambda_rows_show_their_output_and_not_their_operations(keras3, monkeypatch):
    assert compare(LAMBDAS, "lambdas.py", keras3, monkeypatch) == 4  # the last: Lambdas of two tensors
    functional, stack, ops_model, _ = render_models(check_source(LAMBDAS, "lambdas.py").models, COLUMNS)
    assert "│ lambda (Lambda)" in functional and "(None, None, 1)" in functional
    assert "ExpandDims" not in functional and "expand_dims (ExpandDims)" in ops_model  # named as the first
    assert "(None, 10, 1)" in stack and " ? " not in stack


def test_mask_names_after_what_cannot_be_counted_are_unknown():
    source = """
import keras
from keras import layers

seq = keras.Sequential([layers.Masking(), layers.LSTM(3)])
seq.fit(x_train, y_train)
inp = keras.Input((4, 2))
model = keras.Model(inp, layers.LSTM(2)(layers.Masking()(inp)))
"""
    (_, table) = render_models(check_source(source, "later.py").models, COLUMNS)
    assert "│ ? (NotEqual)" in table and "│ ? (Any)" in table and "│ masking_1[0][0], ?[0][0]" in table


def mask_rows(source: str) -> list[str]:
    """The mask operations' "name (Class)" cells of the file's last table."""
    table = render_models(check_source(source, "masks.py").models, COLUMNS)[-1]
    return re.findall(r"│ (\S+ \((?:NotEqual|Any)\))", table)


EXPLICIT = """
import keras
from keras import layers

steps = keras.Input((5, 3))
explicit = keras.ops.not_equal(steps, 0.0)
model = keras.Model(steps, [explicit, layers.LSTM(2)(layers.Masking()(steps))])
"""
NESTED_MASKING = """
import keras
from keras import layers

inner = keras.Sequential([keras.Input((5, 3)), layers.Masking(), layers.LSTM(2)])
later = keras.Input((5, 3))
model = keras.Model(later, [inner(later), layers.LSTM(2)(layers.Masking()(later))])
"""
EMBEDDING = """
import keras
from keras import layers

words = keras.Input((None,))
x = layers.Embedding(10, 4{zero})(words)
model = keras.Model(words, layers.LSTM(2)(layers.Masking()(x)))
"""


SUBCLASSED_MASKING = """
import keras
from keras import layers


class Reader(keras.Model):
    def __init__(self):
        super().__init__()
        self.mask = layers.Masking()
        self.rnn = layers.LSTM(2)

    def call(self, inputs):
        return self.rnn(self.mask(inputs))


reader = Reader()
reader.predict(np.zeros((4, 5, 3)))
later = keras.Input((5, 3))
model = keras.Model(later, layers.LSTM(2)(layers.Masking()(later)))
"""


def test_mask_names_after_operations_kerascheck_does_not_count_are_unknown():
    """After an explicit ``ops.not_equal`` or ``ops.any`` (named with the layers), a model making
    masks used as a layer, or a subclassed model's Masking, Keras's numbers of the next mask
    operations are not known."""
    assert mask_rows(EXPLICIT) == ["? (NotEqual)", "? (Any)", "not_equal (NotEqual)"]
    assert mask_rows(EXPLICIT.replace("not_equal(steps, 0.0)", "any(steps, axis=-1)")) == [
        "? (NotEqual)", "? (Any)", "any (Any)"]
    assert mask_rows(NESTED_MASKING) == ["? (NotEqual)", "? (Any)"]
    assert mask_rows(SUBCLASSED_MASKING.replace("import keras\n", "import keras\nimport numpy as np\n", 1)) == [
        "? (NotEqual)", "? (Any)"]


@pytest.mark.parametrize("zero, rows", [
    ("", ["not_equal (NotEqual)", "any (Any)"]),  # no mask by default
    (", mask_zero=False", ["not_equal (NotEqual)", "any (Any)"]),
    (", mask_zero=True", ["not_equal_1 (NotEqual)", "any (Any)"]),  # the Embedding's took not_equal
    (", mask_zero=flag", ["? (NotEqual)", "? (Any)"]),  # may make one: the numbers are unknown
])
def test_an_embedding_makes_a_mask_operation_with_mask_zero(zero, rows):
    source = EMBEDDING.format(zero=zero).replace("words = ", "flag = input() == 'y'\nwords = ")
    assert mask_rows(source) == rows


def test_the_mask_tables_are_keras_masking_facts(keras3):
    """Which layers take ``mask`` in ``call`` and which pass their input's mask on (support
    masking with Layer's own ``compute_mask``), for every layer kerascheck has a rule for."""
    import inspect
    import warnings

    from keras.src import utils

    from kerascheck.shapes.base import registered_rules

    arguments = {**ARGUMENTS, "Bidirectional": (keras3.layers.LSTM(2),), "TimeDistributed": (keras3.layers.Dense(2),),
                 "SimpleRNN": (2,), "RNN": (keras3.layers.LSTMCell(2),), "Lambda": (lambda t: t,),
                 **{f"ConvLSTM{n}D": (2, 3) for n in (1, 2, 3)}}
    takers, keepers = set(), set()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name in registered_rules():
            cls = getattr(keras3.layers, name, None)
            if cls is None:
                continue
            if "mask" in inspect.signature(cls.call).parameters:
                takers.add(name)
            try:
                layer = cls(*arguments.get(name, ()))
            except (TypeError, ValueError):
                continue  # needs arguments not given here; it supports no masking of its own
            if layer.supports_masking and utils.is_default(layer.compute_mask):
                keepers.add(name)
    assert takers == MASK_TAKERS
    assert keepers == MASK_KEEPERS


def test_a_long_symbolic_count_wraps_in_keras_columns(keras3, monkeypatch):
    """The symbolic table has Keras's columns (its borders equal those of the same model with
    sizes), and the wrapped cell, read back whole, is the count Keras gives for those sizes."""
    source = """import keras
from keras import layers

def build(n_steps, n_features):
    return keras.Sequential([keras.Input((n_steps, n_features)), layers.Conv1D(192, 3),
                             layers.Dense(n_features)])
"""
    namespace: dict = {}
    keras3.backend.clear_session()
    exec(compile(source, "sym.py", "exec"), namespace)
    monkeypatch.setenv("COLUMNS", "80")
    theirs = keras_summary(namespace["build"](12, 7))
    (ours,) = render_models(check_source(source, "sym.py").models, 80)
    ours_lines = ours.splitlines()

    def borders(lines: list[str]) -> list[str]:
        return [line for line in lines if line[:1] in "┏┡├└"]

    assert ours_lines[:4] == theirs[:4] and set(borders(ours_lines)) == set(borders(theirs))
    conv_rows = [line for line in ours_lines[4:7] if line.startswith("│")]
    count = "".join(line.rsplit("│", 2)[1].strip() + (" " if line.rsplit("│", 2)[1].strip().endswith("+") else "")
                    for line in conv_rows)
    assert count == "576*n_features + 192"
    keras_count = next(re.findall(r"([\d,]+) │$", line)[0] for line in theirs if line.startswith("│ conv1d"))
    assert eval(count, {"n_features": 7}) == int(keras_count.replace(",", ""))  # noqa: S307 (our own text)


def test_a_mask_through_an_unknown_recurrent_setting_is_not_guessed():
    """``return_sequences`` not a literal, or a Bidirectional's wrapped layer unknown: whether the
    mask goes on is unknown, and the next layer is shown connected to its input only."""
    source = """import keras
from keras import layers


def build(flag, inner):
    steps = keras.Input((5, 3))
    x = layers.LSTM(4, return_sequences=flag)(layers.Masking()(steps))
    y = layers.Bidirectional(inner)(layers.Masking()(steps))
    return keras.Model(steps, [layers.BatchNormalization()(x), layers.BatchNormalization()(y)])
"""
    (table,) = render_models(check_source(source, "unknown.py").models, COLUMNS)
    rows = [line for line in table.splitlines() if line.startswith("│ batch_normalization")]
    assert [row.rsplit("│", 2)[1].strip() for row in rows] == ["lstm[0][0]", "bidirectional[0][0]"]


def test_a_mask_made_from_a_tensor_kerascheck_does_not_know():
    source = """import keras
from keras import layers
from helpers import mystery

inp = keras.Input((5, 3))
x = layers.Masking()(mystery(inp))
model = keras.Model(inp, layers.LSTM(2)(x))
"""
    (table,) = render_models(check_source(source, "unknown.py").models, COLUMNS)
    assert [line.rsplit("│", 2)[1].strip() for line in table.splitlines() if line.startswith("│ ")] == [
        "-", "-", "not_equal[0][0]", "masking[0][0], any[0][0]"]
