"""`kerascheck summary` against real Keras 3: each fixture program is exec'd in Keras (only here:
kerascheck never runs user code) and every model's ``model.summary()`` text is compared with
ours: the model's name, each row (name, class, output shape, parameters, "Connected to") and
the Total / Trainable / Non-trainable lines with their byte sizes.

``fit``/``predict``/``evaluate`` call the model on two samples instead of training (that builds
a model the way the first training step would, and builds no optimizer). A subclassed model's
Keras rows show the shapes of that call, so for those only the name, the header and the totals
are compared (and the rows' names where Keras numbers the layers as kerascheck does).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kerascheck import check_source
from kerascheck.report.summary import keras_model_names, render_models, session_events, wrap_cell
from kerascheck.shapes.base import non_trainable_params
from tests.shapes.helpers import layer, static

ROOT = Path(__file__).resolve().parent.parent.parent / "fixtures"
FIXTURES = ["realistic/image_classifier.py", "realistic/ops_functional.py", "realistic/timeseries_gru.py",
            "realistic/transformer_text.py", "realistic/unet_segmentation.py",
            "realistic/subclassed_residual_mlp.py", "data_multi_output.py", "data_onehot_labels.py",
            "seeds/seed0_stacked_targets_timedistributed.py", "seeds/seed2_per_timestep_labels_dense400.py"]
COLUMNS = 120
RECORDED = Path(__file__).resolve().parent / "summaries"

# Frozen and non-trainable weights, dtypes, and Keras's model numbering (the second Sequential
# is rebuilt at each add; each build makes an unnamed Functional: the model is functional_5).
WEIGHTS = '''
import keras
from keras import layers

encoder = keras.Sequential([keras.Input((16,)), layers.Dense(8, activation="relu"), layers.BatchNormalization()],
                           name="encoder")
encoder.trainable = False

stack = keras.Sequential()
stack.add(keras.Input((16,)))
stack.add(encoder)
stack.add(layers.Dense(4, dtype="float64"))
stack.add(layers.Dense(4, trainable=False))
stack.add(layers.Dense(2, dtype="mixed_float16"))

norm = layers.Normalization()
sequences = keras.Input((12, 3))
x = norm(sequences)
x = layers.TimeDistributed(layers.BatchNormalization(renorm=True, center=False))(x)
x = layers.Bidirectional(layers.LSTM(5, trainable=False))(x)
half = layers.Dense(3, dtype="float16")(x)
model = keras.Model(sequences, half)

tokens = keras.Input((10, 16))
attended = layers.MultiHeadAttention(num_heads=2, key_dim=4)(tokens, tokens)
attended = layers.GroupQueryAttention(head_dim=4, num_query_heads=2, num_key_value_heads=1)(attended, attended)
attended = layers.Dropout(0.1)(attended)
attended = layers.Softmax()(attended)
pooled = layers.GlobalAveragePooling1D()(attended)
wide = keras.Model(tokens, [pooled, encoder(pooled)], trainable=False)


class Scorer(keras.Model):
    def __init__(self):
        super().__init__()
        self.hidden = layers.Dense(6, trainable=False)
        self.out = layers.Dense(1)

    def call(self, inputs):
        return self.out(self.hidden(inputs))


scorer = Scorer()
scorer.predict(np.zeros((4, 5)))
'''.replace("import keras\n", "import keras\nimport numpy as np\n", 1)

# Weights in other dtypes inside nested models (their bytes from their own rows), one of them
# frozen, and in a wrapped layer; a Normalization's int64 count in a nested model.
DTYPES = """
import keras
from keras import layers

mixed = keras.Sequential([keras.Input((3,)), layers.Normalization(), layers.Dense(4, dtype="float64"), layers.Dense(2)],
                         name="mixed")
frozen = keras.Sequential([keras.Input((3,)), layers.Dense(4, dtype="float16"), layers.Dense(2)], name="frozen")
frozen.trainable = False
x = keras.Input((3,))
both = keras.Model(x, layers.Concatenate()([mixed(x), frozen(x)]), name="both")
steps = keras.Input((6, 3))
wrapped = keras.Model(steps, layers.TimeDistributed(layers.Dense(3, dtype="float64"))(steps), name="wrapped")
"""

HEAD = """
import keras
from keras import layers

first = keras.Sequential([layers.Dense(4, input_shape=(3,)), layers.Dense(2)])
head = keras.Sequential([layers.Dense(5), layers.BatchNormalization(), layers.Dense(1)])
inp = keras.Input((7,), name="features")
joined = keras.Model(inp, head(layers.Dense(3)(inp)), name="joined")
i2 = keras.Input((2,))
last = keras.Model(i2, layers.Dense(1)(i2))
"""
HEAD_MODELS = ("sequential", "joined", "functional_2")  # the head's own summary is left unknown

NEVER = """
import keras
from keras import layers

never = keras.Sequential([layers.Dense(8), layers.Dropout(0.2), layers.BatchNormalization(), layers.Flatten(),
                          layers.Dense(1)])
"""

NAMES = """
import keras
from keras import layers


def block(units):
    d = keras.Sequential(name=None)
    d.add(layers.Dense(units, input_dim=6))
    d.add(layers.BatchNormalization())
    return d


a = keras.Sequential()
a.add(layers.Dense(4, input_shape=(3,)))
a.add(layers.Dense(2))
b = keras.Sequential([layers.Dense(3)])
b.build((None, 5))
c = keras.Sequential([keras.layers.InputLayer(shape=(6,)), layers.Dense(1)])
c.add(layers.Dense(1))
inp = keras.Input((4,))
f = keras.Model(inputs=inp, outputs=layers.Dense(2)(inp))
for units in (3, 4):
    c.add(layers.Dense(units))
d = block(3)
g = keras.Model(inp, f(inp), name="outer")
h = keras.Model(inp, layers.Dense(1)(inp))
"""
# Keras 3's name for each model of NAMES, by variable
NAMED = {"a": "sequential", "b": "sequential_1", "c": "sequential_2", "f": "functional_5", "d": "sequential_3",
         "g": "outer", "h": "functional_10"}

# A functional model made in a subclassed model's __init__ makes its mask operation then; the
# subclassed model's calls run only when it is called (here by predict).
MADE_INSIDE = """
import keras
import numpy as np
from keras import layers


class Reader(keras.Model):
    def __init__(self):
        super().__init__()
        tokens = keras.Input((5,))
        self.encoder = keras.Model(tokens, layers.LSTM(3)(layers.Embedding(10, 4, mask_zero=True)(tokens)))
        self.head = layers.Dense(1)

    def call(self, inputs):
        return self.head(self.encoder(inputs))


reader = Reader()
reader.predict(np.zeros((2, 5)))
"""

# A subclassed model is named before the models its __init__ makes: seen when they share a
# prefix, as a class named Functional does with the functional model it makes.
NAMED_FIRST = """
import keras
from keras import layers


class Functional(keras.Model):
    def __init__(self):
        super().__init__()
        features = keras.Input((3,))
        self.inner = keras.Model(features, layers.Dense(2)(features))

    def call(self, inputs):
        return self.inner(inputs)


outer = Functional()
"""

# One add written once for two Sequentials (a loop): each add builds its model, in the loop's order.
LOOP = """
import keras
from keras import layers

a = keras.Sequential([keras.Input((3,)), layers.Dense(4)])
b = keras.Sequential([keras.Input((2,)), layers.Dense(4)])
for stack in (a, b):
    stack.add(layers.Dense(2))
inp = keras.Input((3,))
f = keras.Model(inp, b(a(inp)))
"""
LOOP_NAMED = {"a": "sequential", "b": "sequential_1", "f": "functional_4"}

# A subclassed model calling keras.ops in call(): plain tensor operations there, no rows.
SCALED = """
import keras
import numpy as np
from keras import layers


class Scaled(keras.Model):
    def __init__(self):
        super().__init__()
        self.hidden = layers.Dense(4)
        self.out = layers.Dense(1)

    def call(self, inputs):
        return self.out(keras.ops.relu(self.hidden(inputs)) * 2.0)


scaled = Scaled()
scaled.predict(np.zeros((4, 3)))
"""
SCALED_ROWS = ["dense (Dense)", "dense_1 (Dense)"]  # the rows of Keras's summary of SCALED

# A layer run at once on a constant (``tf.range`` outside any layer's call) makes no node of the
# model: the shared Embedding's weights are the model's through its other call, the Dense's are
# no model's, and its result is a constant the Add reads. And an input given twice: one row.
CONSTANTS = """
import keras
import tensorflow as tf
from keras import layers

tokens = keras.Input((80,))
embed = layers.Embedding(80, 32)
table = layers.Dense(32)(embed(tf.range(80)))
summed = embed(tokens) + table
model = keras.Model(tokens, layers.GlobalAveragePooling1D()(summed))

inp = keras.Input((4,))
twice = keras.Model([inp, inp], layers.Dense(2)(inp))
"""


def keras_models(source: str, filename: str, keras) -> dict[str, object]:
    """Run the program in Keras 3 from a fresh session: its built models by name."""
    keras.backend.clear_session()
    made: list = []
    original_init = keras.layers.Layer.__init__

    def init(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        if isinstance(self, keras.Model):
            made.append(self)

    def on_two_samples(self, x, *args, **kwargs):
        self([a[:2] for a in x] if isinstance(x, (list, tuple)) else x[:2], training=True)

    saved = {method: getattr(keras.Model, method) for method in ("fit", "predict", "evaluate")}
    keras.layers.Layer.__init__ = init
    for method in saved:
        setattr(keras.Model, method, on_two_samples)
    try:
        exec(compile(source, filename, "exec"), {"__name__": "__fixture__"})
    finally:
        keras.layers.Layer.__init__ = original_init
        for method, function in saved.items():
            setattr(keras.Model, method, function)
    return {model.name: model for model in made if model.built}


def keras_summary(model) -> list[str]:
    captured: list[str] = []
    model.summary(print_fn=captured.append)
    lines = "".join(captured).splitlines()
    last = next(i for i, line in enumerate(lines) if line.startswith(" Non-trainable params"))
    return [line.rstrip() for line in lines[: last + 1]]


def recorded(name: str) -> list[list[str]]:
    """The summaries Keras 3 printed for a case, one per model, as lines (``summaries/NAME.txt``;
    for a subclassed model, its name, header and totals only)."""
    text = (RECORDED / f"{name}.txt").read_text(encoding="utf-8")
    return [block.splitlines() for block in text.rstrip("\n").split("\n\n")]


def our_summaries(models: list, only: tuple[str, ...] = ()) -> list[tuple[str, bool, list[str]]]:
    """kerascheck's summary of each model (or of those named ``only``): its name, whether it is
    subclassed, and its lines (a subclassed model's name, header and totals only: Keras's rows
    show the shapes of the call that built it)."""
    found = []
    for model, text in zip(models, render_models(models, COLUMNS)):
        lines = text.splitlines()
        name = lines[0].removeprefix('Model: "').removesuffix('"')
        if only and name not in only:
            continue
        subclassed = model.model.kind == "subclassed"
        found.append((name, subclassed, lines[:4] + lines[-3:] if subclassed else lines))
    return found


def compare(source: str, filename: str, keras, monkeypatch, only: tuple[str, ...] = ()) -> int:
    """Assert every model kerascheck finds (or those named ``only``) has Keras's summary, as
    recorded in ``summaries/`` for the static tests; the number compared."""
    monkeypatch.setenv("COLUMNS", str(COLUMNS))
    result = check_source(source, filename)
    assert not [d for d in result.diagnostics if d.code[:3] in ("KC1", "KC2", "KC3")]  # data errors aside
    theirs = keras_models(source, filename, keras)
    ours = our_summaries(result.models, only)
    for name, subclassed, lines in ours:
        assert name in theirs, f"{filename}: we name a model {name!r}; Keras has {sorted(theirs)}"
        expected = keras_summary(theirs[name])
        assert lines == (expected[:4] + expected[-3:] if subclassed else expected), f"{filename}: {name}"
    assert [lines for _, _, lines in ours] == recorded(Path(filename).stem)
    return len(ours)


@pytest.mark.parametrize("name", FIXTURES)
def test_fixture_summaries_are_keras_summaries(name, keras3, monkeypatch):
    path = ROOT / name
    assert compare(path.read_text(encoding="utf-8"), str(path), keras3, monkeypatch) >= 1


def test_weights_dtypes_and_model_numbering(keras3, monkeypatch):
    assert compare(WEIGHTS, "weights.py", keras3, monkeypatch) == 5


def test_bytes_of_nested_models_and_wrapped_layers_in_other_dtypes(keras3, monkeypatch):
    assert compare(DTYPES, "dtypes.py", keras3, monkeypatch) == 4


def test_layers_run_on_constants_and_an_input_given_twice(keras3, monkeypatch):
    """No row for either, and the weights' byte sizes known (each once left them unknown)."""
    assert compare(CONSTANTS, "constants.py", keras3, monkeypatch) == 2


def test_mask_operations_of_a_model_made_in_a_subclassed_models_init(keras3, monkeypatch):
    """Named as Keras names them (they were unknown: the subclassed model's calls were taken first)."""
    assert compare(MADE_INSIDE, "made_inside.py", keras3, monkeypatch) == 2


def test_a_sequential_without_input_builds_on_its_call(keras3, monkeypatch):
    """The head's rows, its functional number (its build when called) and the bytes in the
    outer model; the head's own summary is left unknown (kerascheck does not take the shape
    from the call back to it)."""
    assert compare(HEAD, "head.py", keras3, monkeypatch, only=HEAD_MODELS) == 3


def test_a_sequential_built_by_its_call_is_not_shown_unbuilt():
    """Its rows are unknown (their shapes come from the call), not Keras's "0 (unbuilt)"."""
    head = render_models(check_source(HEAD, "head.py").models, COLUMNS)[1]
    assert head.startswith('Model: "sequential_1"') and "unbuilt" not in head
    assert head.splitlines()[-3:] == [" Total params: ? (some layers' parameters are unknown)",
                                      " Trainable params: ?", " Non-trainable params: ?"]


def row_names(lines: list[str]) -> list[str]:
    """The "Layer (type)" cells of a summary's rows (each on one line)."""
    return [line.split("│")[1].strip() for line in lines if line.startswith("│")]


def test_a_subclassed_model_has_rows_for_its_layers_not_its_operations(keras3, monkeypatch):
    assert compare(SCALED, "scaled.py", keras3, monkeypatch) == 1
    assert row_names(keras_summary(keras_models(SCALED, "scaled.py", keras3)["scaled"])) == SCALED_ROWS


def test_model_names_follow_keras_numbering(keras3):
    """Each model's name equals Keras's, by variable: every Sequential build (constructor,
    each add once the input is known, a first call or build) takes a functional number, and an
    add written after a later model's constructor comes after that model."""
    keras3.backend.clear_session()
    namespace: dict = {}
    exec(compile(NAMES, "names.py", "exec"), namespace)
    assert {var: namespace[var].name for var in NAMED} == NAMED


def test_adds_in_a_loop_over_two_models_follow_keras_numbering(keras3):
    keras3.backend.clear_session()
    namespace: dict = {}
    exec(compile(LOOP, "loop.py", "exec"), namespace)
    assert {var: namespace[var].name for var in LOOP_NAMED} == LOOP_NAMED


def test_adds_in_a_loop_over_two_models_build_each_in_turn():
    """Both adds are at one place in the source: the builds keep the loop's order."""
    result = check_source(LOOP, "loop.py")
    names = keras_model_names(result.models)
    assert {model.model.name: names[id(model.model)] for model in result.models} == LOOP_NAMED
    assert [(model.name, what, at and (at.line, at.column)) for model, what, at in session_events(result.models)] == [
        ("a", "made", None), ("a", "built", (5, 59)), ("b", "made", None), ("b", "built", (6, 59)),
        ("a", "built", (8, 15)), ("b", "built", (8, 15)), ("f", "made", None)]


def test_a_subclassed_model_is_named_before_the_models_it_makes(keras3):
    keras3.backend.clear_session()
    namespace: dict = {}
    exec(compile(NAMED_FIRST, "named_first.py", "exec"), namespace)
    assert (namespace["outer"].name, namespace["outer"].inner.name) == ("functional", "functional_1")


def test_a_subclassed_model_takes_its_name_before_the_models_it_makes():
    result = check_source(NAMED_FIRST, "named_first.py")
    names = keras_model_names(result.models)
    assert [(model.model.kind, names[id(model.model)]) for model in result.models] == [
        ("subclassed", "functional"), ("functional", "functional_1")]


def test_subclassed_rows_are_those_keras_shows():
    (text,) = render_models(check_source(SCALED, "scaled.py").models, COLUMNS)
    assert row_names(text.splitlines()) == SCALED_ROWS


def test_model_names_are_those_keras_gives():
    result = check_source(NAMES, "names.py")
    names = keras_model_names(result.models)
    assert {model.model.name: names[id(model.model)] for model in result.models} == NAMED  # by variable


@pytest.mark.parametrize("node, shape", [
    (layer("BatchNormalization"), (None, 7)),
    (layer("BatchNormalization", axis=1, renorm=True, scale=False), (None, 3, 5)),
    (layer("BatchNormalization", trainable=False), (None, 4)),
    (layer("Normalization"), (None, 6)),
    (layer("Normalization", axis=None), (None, 6, 2)),
    (layer("Normalization", mean=1.0, variance=2.0), (None, 6)),
    (layer("Dense", 3, trainable=False), (None, 5)),
    (layer("TimeDistributed", layer("BatchNormalization")), (None, 4, 6)),
    (layer("TimeDistributed", layer("Dense", 2), trainable=False), (None, 4, 6)),
    (layer("Bidirectional", layer("GRU", 3, trainable=False)), (None, 4, 6)),
    (layer("Bidirectional", layer("LSTM", 3), trainable=False), (None, 4, 6)),
], ids=lambda value: getattr(value, "type", None) or str(value))
def test_non_trainable_weights_equal_keras(node, shape, keras3):
    from kerascheck.verify.build import make_layer

    built, inputs = make_layer(node, keras3), keras3.Input(batch_shape=shape)
    model = keras3.Model(inputs, built(inputs))  # the summary counts the model's view: a wrapper's
    expected = sum(int(w.numpy().size) for w in model.non_trainable_weights)  # own flag is ignored there
    params = static(node, shape).params
    assert params == built.count_params()
    assert non_trainable_params(node, shape, params) == expected


def test_statement_freezing_a_layer_counts_all_its_weights():
    node = layer("Bidirectional", layer("LSTM", 3))
    node.trainable_set = False  # bidirectional.trainable = False freezes the wrapped layers too
    assert non_trainable_params(node, (None, 4, 6), 2 * 4 * (6 * 3 + 3 * 3 + 3)) == 240


def test_layers_no_model_holds_take_no_model_name():
    source = "import keras\nloose = keras.layers.Dense(3)(keras.Input((5,)))\ninp = keras.Input((4,))\n" \
             "model = keras.Model(inp, keras.layers.Dense(2)(inp))\n"
    result = check_source(source, "loose.py")
    assert [model.model.kind for model in result.models] == ["functional", "unattached"]
    assert list(keras_model_names(result.models).values()) == ["functional"]


def test_names_of_models_kerascheck_cannot_name():
    source = "import keras\nname = input()\nm = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)], name=name)\n"
    result = check_source(source, "named.py")
    assert list(keras_model_names(result.models).values()) == ["?"]


def test_cells_wrap_like_rich():
    assert wrap_cell("global_average_pooling1d[0][0], dense[0][0]", 26) == [
        "global_average_pooling1d[…", "dense[0][0]"]
    assert wrap_cell("batch_normalization (BatchNormalization)", 36) == [
        "batch_normalization", "(BatchNormalization)"]
    assert wrap_cell("", 5) == [""]


def test_freezing_a_layer_taken_from_model_layers_is_counted():
    source = """
import keras
from keras import layers

model = keras.Sequential([keras.Input((4,)), layers.Dense(3), layers.Dense(1)])
for layer in model.layers[:1]:
    layer.trainable = False
"""
    (result,) = check_source(source, "frozen.py").models
    assert result.total_params == 19 and result.non_trainable_params == 15  # a Sequential's layers: no InputLayer
    assert render_models([result], COLUMNS)[0].splitlines()[-2:] == [" Trainable params: 4 (16.00 B)",
                                                                     " Non-trainable params: 15 (60.00 B)"]


def test_named_dims_split_into_trainable_and_non_trainable():
    source = """
import keras
from keras import layers


def build(n, units):
    return keras.Sequential([keras.Input((n, 3)), layers.BatchNormalization(axis=1),
                             layers.Dense(units, trainable=False), layers.TimeDistributed(layers.BatchNormalization())])
"""
    (result,) = check_source(source, "named.py").models
    assert render_models([result], COLUMNS)[0].splitlines()[-3:] == [
        " Total params: 4*n + 8*units", " Trainable params: 2*n + 2*units", " Non-trainable params: 2*n + 6*units"]


def test_a_long_symbolic_parameter_count_is_wrapped_not_cut():
    assert wrap_cell("576*n_features + 192", 13, fold=True) == ["576*", "n_features +", "192"]
    assert wrap_cell("576*n_features + 192", 13) == ["576*n_featur…", "+ 192"]  # what Keras's cells do
    source = """import keras
from keras import layers

def build(n_steps, n_features):
    return keras.Sequential([keras.Input((n_steps, n_features)), layers.Conv1D(192, 3), layers.Dense(n_features)])
"""
    (text,) = render_models(check_source(source, "sym.py").models, 80)
    assert text.splitlines()[4:8] == [
        "│ conv1d (Conv1D)                 │ (None, n_steps - 2,    │          576* │",
        "│                                 │ 192)                   │  n_features + │",
        "│                                 │                        │           192 │",
        "├─────────────────────────────────┼────────────────────────┼───────────────┤",
    ]


def test_a_sequential_never_built_shows_unbuilt_layers_as_keras_does(keras3, monkeypatch):
    monkeypatch.setenv("COLUMNS", str(COLUMNS))
    keras3.backend.clear_session()
    namespace: dict = {}
    exec(compile(NEVER, "never.py", "exec"), namespace)
    assert not namespace["never"].built
    (ours,) = render_models(check_source(NEVER, "never.py").models, COLUMNS)
    assert [ours.splitlines()] == [keras_summary(namespace["never"])] == recorded("never")
    assert "0 (unbuilt) │" in ours and any(line.endswith(" 0 │") for line in ours.splitlines())  # Dropout


# constructor arguments for the layers that need some (the others are made with none)
ARGUMENTS = {"Activation": ("relu",), "AlphaDropout": (0.1,), "Dropout": (0.1,), "GaussianDropout": (0.1,),
             "GaussianNoise": (0.1,), "SpatialDropout1D": (0.1,), "SpatialDropout2D": (0.1,),
             "SpatialDropout3D": (0.1,), "RepeatVector": (2,), "Reshape": ((2,),), "Permute": ((1,),),
             "Dense": (2,), "LSTM": (2,), "GRU": (2,), "Conv1D": (2, 3), "Conv2D": (2, 3), "Embedding": (5, 2),
             **{f"{kind}{n}D": (2,) for kind in ("AveragePooling", "AvgPool") for n in (1, 2, 3)}}


def test_the_layers_built_as_made_are_those_keras_builds_in_their_constructor(keras3):
    import warnings

    from kerascheck.report.summary import _BUILT_AS_MADE
    from kerascheck.shapes.base import registered_rules

    made = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name in registered_rules():
            try:
                made[name] = getattr(keras3.layers, name)(*ARGUMENTS.get(name, ()))
            except (AttributeError, TypeError, ValueError):
                continue  # a layer that needs arguments not given here
    assert len(made) > 80
    assert {name for name, layer in made.items() if layer.built} == _BUILT_AS_MADE


# Subclassed models built by their first call in a loop over a dataset, as TensorFlow's
# "quickstart for experts" does: eagerly, on the first batch, whose size Keras shows.
LOOPS = '''
import numpy as np
import tensorflow as tf
import keras

x = np.zeros((10, 4), "float32")
y = np.zeros((10,), "int64")
small = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(10).batch(32)
endless = tf.data.Dataset.from_tensor_slices((x, y)).repeat().batch(32)
first_two = tf.data.Dataset.from_tensor_slices((x, y)).batch(4).take(2)


class Net(keras.Model):
    def __init__(self):
        super().__init__()
        self.hidden = keras.layers.Dense(3)

    def call(self, x):
        return self.hidden(x)


a, b, c = Net(), Net(), Net()
for features, labels in small:
    a(features)
for features, labels in endless:
    b(features)
    break


@tf.function
def step(features):
    return c(features, training=True)


for features, labels in first_two:
    step(features)
'''
LOOP_ROWS = [["│ dense (Dense)                        │ (10, 3)                     │              15 │"],
             ["│ dense_1 (Dense)                      │ (32, 3)                     │              15 │"],
             ["│ dense_2 (Dense)                      │ (4, 3)                      │              15 │"]]


def test_models_called_in_a_loop_over_a_dataset_are_built_on_its_first_batch(monkeypatch):
    monkeypatch.setenv("COLUMNS", str(COLUMNS))
    texts = render_models(check_source(LOOPS, "loops.py").models, COLUMNS)
    assert [[line for line in text.splitlines() if line.startswith("│ d")] for text in texts] == LOOP_ROWS


def test_keras_builds_models_called_in_a_loop_over_a_dataset_on_its_first_batch(keras3, monkeypatch):
    monkeypatch.setenv("COLUMNS", str(COLUMNS))
    models = keras_models(LOOPS, "loops.py", keras3)
    assert [[line for line in keras_summary(models[name]) if line.startswith("│ d")]
            for name in ("net", "net_1", "net_2")] == LOOP_ROWS


# Subclassed models built by their first data call: Keras 3 shows the batch that built them, as
# for a Sequential given no input (fit and evaluate: the batch size when every batch is full).
BUILT_BY_DATA = '''
import numpy as np
import keras


class Net(keras.Model):
    def __init__(self):
        super().__init__()
        self.hidden = keras.layers.Dense(3)

    def call(self, x):
        return self.hidden(x)


nets = [Net() for _ in range(6)]
for net in nets:
    net.compile(loss="mse", optimizer="sgd")
nets[0].fit(np.zeros((64, 4)), np.zeros((64, 3)), verbose=0)
nets[1].fit(np.zeros((50, 4)), np.zeros((50, 3)), batch_size=10, verbose=0)
nets[2].fit(np.zeros((50, 4)), np.zeros((50, 3)), verbose=0)
nets[3].predict(np.zeros((50, 4)), verbose=0)
nets[4].predict(np.zeros((10, 4)), verbose=0)
nets[5].evaluate(np.zeros((64, 4)), np.zeros((64, 3)), batch_size=16, verbose=0)
'''
BUILT_BY_DATA_SHAPES = ["(32, 3)", "(10, 3)", "(None, 3)", "(32, 3)", "(10, 3)", "(16, 3)"]


def _output_cells(lines: list[str]) -> list[str]:
    return [line.split("│")[2].strip() for line in lines if line.startswith("│ d")]


def test_subclassed_models_built_by_data_show_the_batch_that_built_them(monkeypatch):
    monkeypatch.setenv("COLUMNS", str(COLUMNS))
    texts = render_models(check_source(BUILT_BY_DATA, "built.py").models, COLUMNS)
    assert [cell for text in texts for cell in _output_cells(text.splitlines())] == BUILT_BY_DATA_SHAPES


def test_keras_builds_subclassed_models_on_the_batch_of_their_first_data(keras3, monkeypatch):
    monkeypatch.setenv("COLUMNS", str(COLUMNS))
    keras3.backend.clear_session()
    namespace: dict = {}
    exec(compile(BUILT_BY_DATA, "built.py", "exec"), namespace)
    assert [cell for net in namespace["nets"] for cell in _output_cells(keras_summary(net))] == BUILT_BY_DATA_SHAPES


# Sequentials given no input, built by the dataset or generator fit gets: on one step's batch
# as its spec has it (None, unless the dataset drops the remainder).
BUILT_BY_BATCHES = '''
import numpy as np
import tensorflow as tf
import keras
from keras.src.legacy.preprocessing.image import ImageDataGenerator

x, y = np.zeros((64, 4), "float32"), np.zeros((64, 3), "float32")
batched = keras.Sequential([keras.layers.Dense(3)])
batched.compile(loss="mse", optimizer="sgd")
batched.fit(tf.data.Dataset.from_tensor_slices((x, y)).batch(16), epochs=1, verbose=0)
whole = keras.Sequential([keras.layers.Dense(3)])
whole.compile(loss="mse", optimizer="sgd")
whole.fit(tf.data.Dataset.from_tensor_slices((x, y)).batch(16, drop_remainder=True), epochs=1, verbose=0)
images = np.zeros((64, 8, 8, 3), "float32")
flowed = keras.Sequential([keras.layers.Flatten(), keras.layers.Dense(3)])
flowed.compile(loss="mse", optimizer="sgd")
flowed.fit(ImageDataGenerator().flow(images, y, batch_size=16), epochs=1, verbose=0)
'''
BUILT_BY_BATCHES_ROWS = [("(None, 3)", "15"), ("(16, 3)", "15"), ("(None, 192)", "0"), ("(None, 3)", "579")]


def _rows(lines: list[str]) -> list[tuple[str, str]]:
    return [(line.split("│")[2].strip(), line.split("│")[3].strip().replace(",", ""))
            for line in lines if line.startswith("│ ") and "(" in line.split("│")[2]]


def test_sequentials_built_by_a_dataset_or_generator_take_its_batch(monkeypatch):
    monkeypatch.setenv("COLUMNS", str(COLUMNS))
    result = check_source(BUILT_BY_BATCHES, "batches.py")
    assert [d.code for d in result.diagnostics] == []
    texts = render_models(result.models, COLUMNS)
    assert [row for text in texts for row in _rows(text.splitlines())] == BUILT_BY_BATCHES_ROWS


def test_keras_builds_sequentials_on_the_batch_of_a_dataset_or_generator(keras3, monkeypatch):
    monkeypatch.setenv("COLUMNS", str(COLUMNS))
    keras3.backend.clear_session()
    namespace: dict = {}
    exec(compile(BUILT_BY_BATCHES, "batches.py", "exec"), namespace)
    assert [row for name in ("batched", "whole", "flowed")
            for row in _rows(keras_summary(namespace[name]))] == BUILT_BY_BATCHES_ROWS
