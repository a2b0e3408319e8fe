"""check_imports: removed module paths, removed layer classes and TensorFlow's private Keras copy."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from kerascheck.versions import check_imports, repeated_at_use
from kerascheck.versions.renames import KERAS2_LAYER_RANGES

from tests.versions.helpers import at


def imp(module, *names, line=1):
    return SimpleNamespace(module=module, names=names, position=at(line))


@pytest.mark.parametrize("record, shown, removed", [
    (imp("keras.layers.recurrent", "LSTM"), "keras.layers.recurrent", "2.9"),
    (imp("keras.layers", "core", "Dense"), "keras.layers.core", "2.13"),
    (imp("keras.utils.np_utils", "to_categorical"), "keras.utils.np_utils", "2.13"),
    (imp("keras.engine.topology", "Layer"), "keras.engine.topology", "2.5"),
])
def test_removed_module_paths(record, shown, removed):
    [d] = check_imports([record], 3)
    assert (d.code, d.severity, d.message) == ("KC524", "error", f"{shown} does not exist in Keras 3")
    # Standalone Keras 2 had them up to some release (read from the published wheels).
    [d] = check_imports([record], 2)
    assert (d.code, d.severity, d.message) == ("KC524", "warning", f"{shown} does not exist in Keras {removed} and later")


@pytest.mark.parametrize("name, kept", [("CuDNNLSTM", "2.3"), ("CuDNNGRU", "2.3"), ("Merge", "2.1"),
                                        ("Highway", "2.3")])
def test_removed_layer_classes_are_reported_at_their_import(name, kept):
    [d] = check_imports([imp("keras.layers", "Dense", name, line=2)], 3)
    assert (d.code, d.severity, d.position.line, d.message) == ("KC523", "error", 2, f"{name} does not exist in Keras 3")
    # Standalone Keras 2 exported them from keras.layers up to some release (the published wheels).
    [d] = check_imports([imp("keras.layers", name, line=2)], 2)
    major, minor = kept.split(".")
    assert (d.code, d.severity, d.message) == ("KC523", "warning", f"{name} does not exist in Keras {major}.{int(minor) + 1} and later")
    assert d.hint.startswith(f"standalone Keras 2.0-{kept} has it; ")


def test_tensorflow_keras_and_tf_keras_never_had_the_removed_layer_classes():
    [d] = check_imports([imp("tensorflow.keras.layers", "CuDNNLSTM")], 2)
    assert (d.severity, d.message) == ("error", "CuDNNLSTM does not exist in Keras 2")
    [d] = check_imports([imp("tf_keras.layers", "Merge")], 3)
    assert (d.severity, d.message) == ("error", "Merge does not exist in Keras 2")
    # tf-keras still has the layers only Keras 3 removed.
    assert check_imports([imp("keras.layers", "LocallyConnected1D", "ThresholdedReLU")], 2) == []
    assert [d.message for d in check_imports([imp("keras.layers", "LocallyConnected1D")], 3)] == [
        "LocallyConnected1D does not exist in Keras 3"]


def test_a_removed_layer_and_a_removed_module_in_one_import():
    assert sorted(d.code for d in check_imports([imp("keras.layers", "core", "CuDNNLSTM")], 3)) == ["KC523", "KC524"]


def test_the_uses_of_an_imported_removed_layer_are_not_repeated():
    records = [imp("keras.layers", "CuDNNLSTM", "Dense"), imp("tf_keras.layers", "CuDNNGRU"),
               SimpleNamespace(module="keras.layers", names=("Merge",), position=at(3), guarded=True)]
    assert repeated_at_use(records, 3) == {"CuDNNLSTM does not exist in Keras 3", "CuDNNGRU does not exist in Keras 3"}
    # what the uses say under Keras 2, where early standalone releases have them
    assert repeated_at_use(records, 2) == {"CuDNNLSTM does not exist in Keras 2.4 and later",
                                           "CuDNNGRU does not exist in Keras 2.4 and later"}


def test_standalone_keras2_layer_ranges():
    """Read from the published wheels by tools/gen_keras2_modules.py (first wheel read: 2.0.8)."""
    assert KERAS2_LAYER_RANGES == {
        "AtrousConvolution1D": ("2.0.8", "2.3.1"), "AtrousConvolution2D": ("2.0.8", "2.3.1"),
        "CuDNNGRU": ("2.0.9", "2.3.1"), "CuDNNLSTM": ("2.0.9", "2.3.1"), "Deconvolution2D": ("2.0.8", "2.3.1"),
        "Highway": ("2.0.8", "2.3.1"), "MaxoutDense": ("2.0.8", "2.3.1"), "Merge": ("2.0.8", "2.1.6")}


def test_tf_keras_never_had_the_standalone_paths():
    [d] = check_imports([imp("tensorflow.keras.utils.np_utils", "to_categorical")], 2)
    assert (d.severity, d.message) == ("error", "tensorflow.keras.utils.np_utils does not exist in Keras 2")


def test_version_specific_modules():
    text = imp("keras.preprocessing.text", "Tokenizer", line=3)
    assert [(d.code, d.position.line) for d in check_imports([text], 3)] == [("KC524", 3)]
    assert check_imports([text], 2) == []
    assert [d.code for d in check_imports([imp("keras", "ops")], 2)] == ["KC524"]
    assert check_imports([imp("keras", "ops")], 3) == []


def test_tensorflow_keras_is_the_targeted_keras_and_tf_keras_is_keras2_whatever_the_target():
    assert [d.message for d in check_imports([imp("tensorflow.keras.utils.np_utils")], 3)] == [
        "tensorflow.keras.utils.np_utils does not exist in Keras 3"]
    # TensorFlow 2.16+ keeps Keras 2's preprocessing modules and names under tensorflow.keras.
    assert check_imports([imp("tensorflow.keras.preprocessing.text", "Tokenizer")], 3) == []
    assert check_imports([imp("tensorflow.keras.preprocessing.image", "ImageDataGenerator")], 3) == []
    assert check_imports([imp("tensorflow.keras.preprocessing.text")], 2) == []
    assert check_imports([imp("tf_keras.preprocessing.text")], 3) == []


def test_names_keras_3_dropped_from_the_modules_it_kept():
    [d] = check_imports([imp("keras.preprocessing.image", "ImageDataGenerator", "load_img", line=2)], 3)
    assert (d.code, d.position.line, d.message) == (
        "KC532", 2, "ImageDataGenerator cannot be imported from keras.preprocessing.image in Keras 3")
    assert "keras.utils.image_dataset_from_directory" in d.hint
    [d] = check_imports([imp("keras.preprocessing", "image", "text")], 3)
    assert (d.code, d.message) == ("KC524", "keras.preprocessing.text does not exist in Keras 3")
    assert check_imports([imp("keras.preprocessing.image", "ImageDataGenerator")], 2) == []
    assert check_imports([imp("keras.preprocessing.sequence", "pad_sequences"), imp("keras.preprocessing", "*")], 3) == []


def test_current_module_paths_are_fine():
    records = [imp("keras.layers", "LSTM", "Dense"), imp("keras.models", "Sequential"), imp("numpy"),
               imp("tensorflow.keras.layers", "Dense")]
    assert check_imports(records, 3) == []


def test_private_keras_names_that_are_gone():
    [d] = check_imports([imp("tensorflow.python.keras.layers", "LSTM", "Dense", "TimeDistributed", line=4)], 3)
    assert (d.code, d.position.line) == ("KC525", 4)
    assert d.message == "LSTM, TimeDistributed cannot be imported from tensorflow.python.keras.layers"


def test_private_keras_names_that_still_import_warn():
    [d] = check_imports([imp("tensorflow.python.keras", "Sequential")], 3)
    assert (d.code, d.severity) == ("KC654", "warning")
    assert "keras" in d.hint


def test_the_private_copy_is_reported_once_per_file():
    records = [imp("tensorflow.python.keras", "Sequential", line=1), imp("tensorflow.python.keras.layers", "Dense", line=2),
               imp("tensorflow.python.keras.optimizers", "Adam", line=3)]
    assert [(d.code, d.position.line) for d in check_imports(records, 2)] == [("KC654", 1)]


def test_private_keras_layers_import_on_keras_2s_tensorflow():
    [d] = check_imports([imp("tensorflow.python.keras.layers", "LSTM", "Dense", line=4)], 2)
    assert (d.code, d.position.line) == ("KC654", 4)
