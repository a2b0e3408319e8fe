"""Every version rule against real Keras 3 (`keras`) and Keras 2 (`tf_keras`).

What we flag as an error under a version must fail in that Keras; the rewrite our hint shows
must work there; what we only warn about must run.
"""

from __future__ import annotations

import importlib
import re
import warnings
from pathlib import Path

import pytest

from kerascheck.data.arrays import Array
from kerascheck.graph import DataCall
from kerascheck.versions import check_api, check_imports, signatures
from kerascheck.versions.api import check_layer
from kerascheck.versions.renames import REMOVED_LAYERS

from tests.versions.helpers import at, call_in, node, renamed_to, run, run_warnings, sequential

KEYWORD_REJECTED = re.compile(r"Unrecognized keyword|Keyword argument not understood|unexpected keyword argument")


@pytest.fixture(params=[3, 2], ids=["keras3", "keras2"])
def versioned(request, keras3, keras2):
    """(version, the Keras module of that version)."""
    return request.param, keras3 if request.param == 3 else keras2


# ---- every keyword against the real constructors ---------------------------------------------

LAYERS = [
    ("Dense", (3,)), ("LSTM", (3,)), ("GRU", (3,)), ("SimpleRNN", (3,)), ("Conv1D", (3, 2)),
    ("Conv2D", (3, 2)), ("Embedding", (10, 3)), ("Dropout", (0.5,)), ("Flatten", ()),
    ("BatchNormalization", ()), ("MaxPooling1D", ()), ("Activation", ("relu",)), ("Reshape", ((2, 2),)),
    ("RepeatVector", (2,)), ("TimeDistributed", (node("Dense", 3),)), ("Bidirectional", (node("LSTM", 3),)),
]
KEYWORDS = [
    ("input_shape", (4,)), ("input_dim", 4), ("batch_input_shape", (None, 4)), ("batch_size", 2),
    ("input_length", 5), ("weights", None), ("dynamic", False), ("implementation", 1), ("autocast", True),
    ("name", "x"), ("trainable", True), ("dtype", "float32"), ("activity_regularizer", None),
    ("return_sequences", True), ("return_state", False), ("stateful", False), ("unroll", False),
    ("time_major", False), ("seed", 1), ("init", "uniform"), ("border_mode", "same"), ("activaton", "relu"),
    ("output_dim", 3), ("zero_output_for_mask", False), ("mask_zero", False),
]


def keyword_rejected(layer, keras) -> bool:
    from kerascheck.verify.build import make_layer

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            make_layer(layer, keras)
    except Exception as error:  # only a keyword rejection counts; other errors are other rules'
        return bool(KEYWORD_REJECTED.search(str(error)))
    return False


@pytest.mark.parametrize("layer_type, args", LAYERS, ids=[t for t, _ in LAYERS])
def test_keyword_rejections_agree_with_keras(versioned, layer_type, args):
    version, keras = versioned
    disagreements = []
    for name, value in KEYWORDS:
        layer = node(layer_type, *args, **{name: value})
        ours = any(d.code in ("KC520", "KC521", "KC522") for d in check_layer(layer, version))
        theirs = keyword_rejected(layer, keras)
        if ours != theirs:
            disagreements.append(f"{name}: ours {'rejects' if ours else 'accepts'}, Keras "
                                 f"{'rejects' if theirs else 'accepts'}")
    assert not disagreements, f"{layer_type} under Keras {version}: {disagreements}"


def test_generated_signatures_match_installed_keras(keras3, keras2):
    """versions/signatures.py is exactly what tools/gen_signatures.py makes from these Keras."""
    script = Path(__file__).parents[2] / "tools" / "gen_signatures.py"
    spec = importlib.util.spec_from_file_location("gen_signatures", script)
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    for version, keras in ((3, keras3), (2, keras2)):
        if keras.__version__ != signatures.KERAS_VERSIONS[version]:
            pytest.skip(f"signatures were generated from {signatures.KERAS_VERSIONS[version]}")
    assert generator.render() == Path(signatures.__file__).read_text(encoding="utf-8")


# ---- KC521: Keras 2 layer arguments Keras 3 removed -------------------------------------------

def test_batch_input_shape_fails_in_keras3_and_the_input_rewrite_works(keras3, keras2):
    lstm = node("LSTM", 4, batch_input_shape=(2, 5, 3), stateful=True)
    [d] = check_layer(lstm, 3)
    assert d.code == "KC521" and check_layer(lstm, 2) == []
    bad = "m = keras.Sequential([keras.layers.LSTM(4, batch_input_shape=(2, 5, 3), stateful=True)])"
    with pytest.raises(ValueError, match="Unrecognized keyword"):
        run(bad, keras3)
    assert tuple(run(bad, keras2)["m"].output_shape) == (2, 4)
    good = f"m = keras.Sequential([{call_in(d.hint, 'keras.Input(')}, keras.layers.LSTM(4, stateful=True)])"
    assert tuple(run(good, keras3)["m"].output_shape) == (2, 4)


def test_input_length_on_an_rnn_fails_in_keras3_and_the_input_rewrite_works(keras3, keras2):
    [d] = check_layer(node("LSTM", 4, input_length=5), 3)
    assert d.code == "KC521"
    bad = "m = keras.Sequential([keras.layers.LSTM(4, input_length=5, input_dim=3)])"
    with pytest.raises(ValueError, match="Unrecognized keyword"):
        run(bad, keras3)
    run(bad, keras2)
    shown = call_in(d.hint, "keras.Input(").replace("features", "3")
    good = f"m = keras.Sequential([{shown}, keras.layers.LSTM(4)])"
    assert tuple(run(good, keras3)["m"].output_shape) == (None, 4)


def test_batch_size_on_a_layer_fails_in_keras3_and_input_batch_size_works(keras3, keras2):
    [d] = check_layer(node("Dense", 3, batch_size=2), 3)
    assert d.code == "KC521" and "keras.Input(shape=..., batch_size=2)" in d.hint
    with pytest.raises(ValueError):
        run("keras.layers.Dense(3, batch_size=2)", keras3)
    run("keras.layers.Dense(3, batch_size=2)", keras2)
    m = run("m = keras.Sequential([keras.Input(shape=(4,), batch_size=2), keras.layers.Dense(3)])", keras3)["m"]
    assert tuple(m.output_shape) == (2, 3)


# ---- KC520 / KC522: unknown keywords and Keras 1 names -----------------------------------------

def test_return_sequences_on_dense_fails_in_both_and_removing_it_works(versioned):
    version, keras = versioned
    [d] = check_layer(node("Dense", 3, return_sequences=True), version)
    assert d.code == "KC520"
    with pytest.raises((ValueError, TypeError)):
        run("keras.layers.Dense(3, return_sequences=True)", keras)
    run("keras.layers.Dense(3)", keras)


def test_misspelt_keyword_fails_and_the_suggestion_works(versioned):
    version, keras = versioned
    [d] = check_layer(node("Dense", 3, activaton="relu"), version)
    with pytest.raises((ValueError, TypeError)):
        run("keras.layers.Dense(3, activaton='relu')", keras)
    run(f"keras.layers.Dense(3, {renamed_to(d.hint)}='relu')", keras)


KERAS1 = [
    ("Dense", "3", "init", "'uniform'"),
    ("Dense", "", "output_dim", "3"),
    ("Conv1D", "8, 3", "border_mode", "'same'"),
    ("Conv1D", "8, 3", "subsample_length", "2"),
    ("Conv1D", "kernel_size=3", "nb_filter", "8"),
    ("LSTM", "4", "dropout_W", "0.1"),
    ("LSTM", "4", "inner_init", "'orthogonal'"),
    ("MaxPooling1D", "", "pool_length", "2"),
    ("Dropout", "", "p", "0.5"),
]


@pytest.mark.parametrize("layer_type, args, name, value", KERAS1, ids=[k[2] for k in KERAS1])
def test_keras1_names_fail_and_the_renamed_argument_works(versioned, layer_type, args, name, value):
    version, keras = versioned
    static = node(layer_type, **{name: 1})
    [d] = [x for x in check_layer(static, version) if x.code == "KC522"]
    sep = ", " if args else ""
    with pytest.raises((ValueError, TypeError)):
        run(f"keras.layers.{layer_type}({args}{sep}{name}={value})", keras)
    run(f"keras.layers.{layer_type}({args}{sep}{renamed_to(d.hint)}={value})", keras)


FIT = "m = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])\nm.compile('sgd', 'mse')\n"


def test_nb_epoch_fails_in_both_and_epochs_works(versioned):
    version, keras = versioned
    call = DataCall("fit", {"x": None, "y": None, "nb_epoch": 1}, at(3))
    [d] = check_api(sequential(node("Dense", 1), data=(call,)), version)
    with pytest.raises(TypeError, match="nb_epoch"):
        run(FIT + "m.fit(np.zeros((4, 3)), np.zeros((4, 1)), nb_epoch=1, verbose=0)", keras)
    run(FIT + f"m.fit(np.zeros((4, 3)), np.zeros((4, 1)), {renamed_to(d.hint)}=1, verbose=0)", keras)


def test_fit_workers_fails_only_in_keras3(keras3, keras2):
    call = DataCall("fit", {"workers": 2}, at(3))
    model = sequential(node("Dense", 1), data=(call,))
    assert [d.code for d in check_api(model, 3)] == ["KC528"] and check_api(model, 2) == []
    source = FIT + "m.fit(np.zeros((4, 3)), np.zeros((4, 1)), workers=2, verbose=0)"
    with pytest.raises(TypeError, match="workers"):
        run(source, keras3)
    run(source, keras2)


# ---- KC523: removed layers -------------------------------------------------------------------

def test_merge_exists_in_neither_and_concatenate_works(versioned):
    version, keras = versioned
    [d] = check_layer(node("Merge", mode="concat"), version)
    assert not hasattr(keras.layers, "Merge")
    instead = d.hint.rsplit("; ", 1)[-1]  # Keras 2's also names the releases that had Merge
    source = f"a = keras.Input((3,))\nb = keras.Input((2,))\nout = keras.layers.{instead.removeprefix('use ')}"
    assert tuple(run(source, keras)["out"].shape) == (None, 5)


def test_removed_layers_are_missing_exactly_where_flagged(keras3, keras2):
    for name in REMOVED_LAYERS:
        for version, keras in ((3, keras3), (2, keras2)):
            flagged = [d.code for d in check_layer(node(name), version)] == ["KC523"]
            assert flagged == (not hasattr(keras.layers, name)), (name, version)


# ---- KC526 / KC527: stateful RNNs ------------------------------------------------------------

STATEFUL = ("m = keras.Sequential([{input}, keras.layers.LSTM(4, stateful=True), keras.layers.Dense(1)])\n"
            "m.compile('sgd', 'mse')\n")


def test_stateful_without_batch_size_fails_and_batch_shape_works(versioned):
    from kerascheck.shapes.base import ShapeError, infer

    version, keras = versioned
    with pytest.raises(ShapeError) as raised:  # the LSTM's shape rule reports it, in both versions
        infer(node("LSTM", 4, stateful=True), (None, 5, 3))
    d = raised.value
    assert d.code == "KC526"
    with pytest.raises(ValueError):
        run(STATEFUL.format(input="keras.Input((5, 3))"), keras)
    shown = call_in(d.hint, "keras.Input(")
    for name, size in (("batch_size", "4"), ("timesteps", "5"), ("features", "3")):
        shown = shown.replace(name, size)
    run(STATEFUL.format(input=shown), keras)


def stateful_fit(batch_size, samples):
    call = DataCall("fit", {"x": Array((samples, 5, 3)), "batch_size": batch_size, "shuffle": False}, at(5))
    return sequential(node("LSTM", 4, stateful=True), node("Dense", 1), input_shape=(4, 5, 3), data=(call,))


@pytest.mark.parametrize("batch_size, samples, fixed", [(8, 16, "batch_size=4"), (None, 64, "batch_size=4"),
                                                        (4, 10, "x[:8]")])
def test_stateful_batch_mismatch_fails_and_the_hinted_fit_works(versioned, batch_size, samples, fixed):
    version, keras = versioned
    [d] = check_api(stateful_fit(batch_size, samples), version)
    assert d.code == "KC527" and fixed in d.hint
    prepare = STATEFUL.format(input="keras.Input(batch_shape=(4, 5, 3))") + f"x = np.zeros(({samples}, 5, 3))\n"
    with pytest.raises(Exception):
        run(prepare + f"m.fit(x, np.zeros(({samples}, 1)), batch_size={batch_size}, shuffle=False, verbose=0)", keras)
    data = "x[:8], np.zeros((8, 1)), batch_size=4" if fixed == "x[:8]" else f"x, np.zeros(({samples}, 1)), {fixed}"
    run(prepare + f"m.fit({data}, shuffle=False, verbose=0)", keras)


def test_stateful_fit_with_shuffle_runs_silently(versioned):
    version, keras = versioned
    call = DataCall("fit", {"x": Array((16, 5, 3)), "batch_size": 4}, at(5))
    model = sequential(node("LSTM", 4, stateful=True), input_shape=(4, 5, 3), data=(call,))
    assert [d.code for d in check_api(model, version)] == ["KC653"]
    source = STATEFUL.format(input="keras.Input(batch_shape=(4, 5, 3))")
    run(source + "m.fit(np.zeros((16, 5, 3)), np.zeros((16, 1)), batch_size=4, verbose=0)", keras)


# ---- warnings: code Keras runs --------------------------------------------------------------

def test_input_shape_on_a_layer_warns_in_keras3_and_the_input_rewrite_does_not(keras3, keras2):
    [d] = check_layer(node("Dense", 3, input_shape=(4,)), 3)
    assert d.code == "KC650"
    bad = "m = keras.Sequential([keras.layers.Dense(3, input_shape=(4,))])"
    assert any("input_shape" in w for w in run_warnings(bad, keras3))
    assert not any("input_shape" in w for w in run_warnings(bad, keras2))
    good = f"m = keras.Sequential([{call_in(d.hint, 'keras.Input(')}, keras.layers.Dense(3)])"
    assert not any("input_shape" in w for w in run_warnings(good, keras3))
    assert tuple(run(good, keras3)["m"].output_shape) == (None, 3)


def test_embedding_input_length_is_ignored_by_keras3(keras3, keras2):
    [d] = check_layer(node("Embedding", 100, 8, input_length=5), 3)
    assert d.code == "KC651"
    bad = "m = keras.Sequential([keras.layers.Embedding(100, 8, input_length=5)])"
    assert any("input_length" in w for w in run_warnings(bad, keras3))
    assert not run(bad, keras3)["m"].built
    assert tuple(run(bad, keras2)["m"].output_shape) == (None, 5, 8)
    good = f"m = keras.Sequential([{call_in(d.hint, 'keras.Input(')}, keras.layers.Embedding(100, 8)])"
    assert tuple(run(good, keras3)["m"].output_shape) == (None, 5, 8)


def test_convolution2d_keras1_call_builds_with_strides_and_the_rewrite_is_what_was_meant(versioned):
    version, keras = versioned
    [d] = check_layer(node("Convolution2D", 32, 3, 3), version)
    assert d.code == "KC652"
    source = "m = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.{}])"
    assert tuple(run(source.format("Convolution2D(32, 3, 3)"), keras)["m"].output_shape) == (None, 9, 9, 32)
    meant = call_in(d.hint, "Conv2D(")
    assert tuple(run(source.format(meant), keras)["m"].output_shape) == (None, 26, 26, 32)


# ---- imports -----------------------------------------------------------------------------------

def test_flagged_legacy_modules_do_not_import(keras3, keras2):
    for path, (exists3, exists2, _) in signatures.LEGACY_MODULES.items():
        for package, exists in (("keras", exists3), ("tf_keras", exists2)):
            try:
                importlib.import_module(f"{package}.{path}")
                imported = True
            except ImportError:
                imported = False
            assert imported == exists, f"{package}.{path}"


def test_keras3_modules_flagged_at_use_are_attributes_of_keras3_only(keras3, keras2):
    """``tf_keras.ops`` raises AttributeError (KC524 at its use), ``keras.ops`` works, for every
    module ``versions.modules`` flags; the test program's first flagged line is where it fails."""
    from kerascheck.versions.modules import _KERAS3_ONLY
    from tests.versions.test_modules import TF_KERAS

    assert {"ops", "random", "config", "tree"} <= set(_KERAS3_ONLY)
    for sub in _KERAS3_ONLY:
        assert hasattr(keras3, sub) and not hasattr(keras2, sub), sub
    with pytest.raises(AttributeError, match="ops"):
        exec(compile(TF_KERAS, "program.py", "exec"), {})


def test_removed_layer_imports_fail_exactly_where_flagged(keras3, keras2):
    """``from keras.layers import X`` (Keras 3) and ``from tf_keras.layers import X`` raise
    ImportError for each removed layer class the import line is flagged for, and only those."""
    from types import SimpleNamespace

    for name in REMOVED_LAYERS:
        for package, version in (("keras", 3), ("tf_keras", 2)):
            record = SimpleNamespace(module=f"{package}.layers", names=(name,), position=at(1))
            flagged = [d.code for d in check_imports([record], version)] == ["KC523"]
            try:
                exec(f"from {package}.layers import {name}", {})
                imported = True
            except ImportError:
                imported = False
            assert flagged == (not imported), f"{package}.layers.{name}"


def test_names_flagged_in_keras_3_modules_do_not_import(keras3):
    for module, shipped in signatures.KERAS3_MODULE_NAMES.items():
        real = module.replace("tensorflow.keras.", "keras._tf_keras.keras.", 1)
        imported = importlib.import_module(real)
        assert all(hasattr(imported, name) for name in shipped), module
    with pytest.raises(ImportError):
        run("from keras.preprocessing.image import ImageDataGenerator", keras3)
    with pytest.raises(ImportError):
        run("from keras.preprocessing.sequence import TimeseriesGenerator", keras3)
    run("from tensorflow.keras.preprocessing.image import ImageDataGenerator", keras3)
    run("from tensorflow.keras.preprocessing.text import Tokenizer", keras3)


def test_private_keras_import_fails_and_public_keras_works(keras3):
    from types import SimpleNamespace

    record = SimpleNamespace(module="tensorflow.python.keras.layers", names=("LSTM",), position=at(1))
    [d] = check_imports([record], 3)
    assert d.code == "KC525"
    with pytest.raises(ImportError):
        run("from tensorflow.python.keras.layers import LSTM", keras3)
    run("from keras.layers import LSTM", keras3)


def test_removed_model_methods_are_missing_exactly_where_flagged(keras3, keras2):
    from kerascheck.versions.renames import REMOVED_METHODS

    for method in REMOVED_METHODS:
        for version, keras in ((3, keras3), (2, keras2)):
            model = sequential(node("Dense", 1), data=(DataCall(method, {}, at(1)),))
            flagged = [d.code for d in check_api(model, version)] == ["KC529"]
            assert flagged == (not hasattr(keras.Model, method)), (method, version)


def test_fit_on_a_generator_replaces_fit_generator(keras3):
    source = FIT + ("def batches():\n    while True:\n        yield np.zeros((2, 3)), np.zeros((2, 1))\n"
                    "m.fit(batches(), steps_per_epoch=2, epochs=1, verbose=0)")
    run(source, keras3)
    with pytest.raises(AttributeError):
        run(FIT + "m.fit_generator", keras3)


def test_input_batch_input_shape_fails_in_keras3_and_batch_shape_works(keras3, keras2):
    from kerascheck.versions import check_input_call

    [d] = check_input_call({"batch_input_shape": (4, 10)}, at(1), 3)
    with pytest.raises(TypeError):
        run("keras.Input(batch_input_shape=(4, 10))", keras3)
    assert tuple(run("x = keras.Input(batch_input_shape=(4, 10))", keras2)["x"].shape) == (4, 10)
    assert tuple(run(f"x = {call_in(d.hint, 'keras.Input(')}", keras3)["x"].shape) == (4, 10)
    for version, keras in ((3, keras3), (2, keras2)):
        assert check_input_call({"input_shape": (10,)}, at(1), version)
        with pytest.raises((TypeError, ValueError)):
            run("keras.Input(input_shape=(10,))", keras)


def test_input_layer_input_shape_warns_in_keras3_and_shape_does_not(keras3):
    [d] = check_layer(node("InputLayer", input_shape=(3,)), 3)
    bad = "m = keras.Sequential([keras.layers.InputLayer(input_shape=(3,)), keras.layers.Dense(2)])"
    assert any("input_shape" in w for w in run_warnings(bad, keras3))
    good = f"m = keras.Sequential([{call_in(d.hint, 'keras.Input(')}, keras.layers.Dense(2)])"
    assert not any("input_shape" in w for w in run_warnings(good, keras3))
