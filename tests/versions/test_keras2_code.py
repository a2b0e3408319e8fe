"""Correct code written for Keras 2 (fixtures/keras2): checked as Keras 2 when the project
declares it, and, with nothing declared or installed, without an error Keras 2 would not raise;
and the rules that differ in tf-keras, against tf-keras itself."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kerascheck import check_source
from kerascheck.config import Options
from kerascheck.shapes.base import Context
from tests.shapes.helpers import layer, real, static

KERAS2_FIXTURES = sorted((Path(__file__).resolve().parents[2] / "fixtures" / "keras2").glob("*.py"))


@pytest.mark.parametrize("path", KERAS2_FIXTURES, ids=lambda p: p.name)
def test_a_default_run_on_keras2_code_reports_no_error(tmp_path, path):
    copy = tmp_path / path.name  # no requirements.txt beside it, nothing installed (conftest)
    shutil.copy(path, copy)
    result = check_source(copy.read_text(encoding="utf-8"), str(copy))
    assert result.keras_version in (2, None)
    assert [d.text for d in result.diagnostics if d.severity == "error"] == []


def test_the_same_code_checked_as_keras3_fails_where_keras3_fails():
    errors = {path.name: sorted({d.code for d in check_source(path.read_text(encoding="utf-8"), str(path),
                                                               Options(keras_version=3)).diagnostics
                                 if d.severity == "error"}) for path in KERAS2_FIXTURES}
    assert errors == {"augmented_classifier.py": ["KC301", "KC303"],
                      "first_layers_declare_inputs.py": ["KC101", "KC204", "KC304", "KC521"],
                      "mnist_np_utils.py": ["KC303", "KC524"],
                      "onehot_conv_private.py": ["KC101", "KC503", "KC525", "KC528", "KC531"],
                      "text_generator_training.py": ["KC524", "KC529", "KC531"]}


def test_each_layer_is_what_tf_keras_builds(keras2):
    """The models of a Keras 2 program, checked as Keras 2, layer by layer against tf-keras
    running the same program: the inputs first layers declare, pooling defaults, merges."""
    from tests.frontend.keras_recording import run_statements

    path = KERAS2_FIXTURES[0].parent / "first_layers_declare_inputs.py"
    text = path.read_text(encoding="utf-8")
    theirs, raised = run_statements(text.replace("from keras.", "from tf_keras."), str(path), keras2)
    result = check_source(text, str(path), Options(keras_version=2))
    assert raised == [] and result.diagnostics == []
    rows = [row for model in result.models for row in model.layers if row.type != "InputLayer"]
    assert {row.line: (row.output, row.params) for row in rows} == theirs
    assert len(rows) == 25


def test_augmentation_factors_and_units_are_what_tf_keras_builds(keras2):
    from tests.frontend.keras_recording import run_statements

    path = KERAS2_FIXTURES[0].parent / "augmented_classifier.py"
    text = path.read_text(encoding="utf-8")
    theirs, raised = run_statements(text.replace("tensorflow.keras", "tf_keras"), str(path), keras2)
    result = check_source(text, str(path), Options(keras_version=2))
    assert raised == [] and result.diagnostics == []
    ours = {row.line: (row.output, row.params) for model in result.models for row in model.layers}
    assert len(ours) == 8 and ours == {line: theirs[line] for line in ours}  # theirs: the model's line too


TF_KERAS_DIFFERENCES = [  # (layer, input shape): tf-keras builds them, Keras 3 rejects them
    (layer("Conv1D", 10, 2), (None, 28, 28, 1)),
    (layer("Conv2D", 4, 3, groups=None), (None, 2, 8, 8, 3)),
    (layer("Conv3D", 2, 1, use_bias=False), (None, 3, 4, 4, 4, 2)),
    (layer("GaussianNoise", 15.0), (None, 8)),
    (layer("GaussianDropout", 3.0), (None, 8)),
    (layer("AlphaDropout", 2.0), (None, 8)),
    (layer("Dropout", 0.5, noise_shape=(None, 0)), (None, 8)),
]
BOTH_REJECT = [(layer("Dropout", 1.5), (None, 8)), (layer("SpatialDropout1D", -0.1), (None, 4, 8)),
               (layer("Conv1D", 4, 3), (None, 8))]


def static_on(version: int, node, shape):
    return static(node, shape, Context(version))


@pytest.mark.parametrize(("node", "shape"), TF_KERAS_DIFFERENCES + BOTH_REJECT)
def test_keras2_rules_agree_with_tf_keras(keras2, keras3, node, shape):
    for version, keras in ((2, keras2), (3, keras3)):
        ours, theirs = static_on(version, node, shape), real(node, shape, keras)
        if theirs == "rejected":
            assert isinstance(ours, str), (version, ours)
        else:
            assert (ours.output, ours.params) == theirs, version
