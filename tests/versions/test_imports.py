"""check_imports: removed module paths and TensorFlow's private Keras copy."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from kerascheck.versions import check_imports

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
