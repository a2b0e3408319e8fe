"""Models as real code writes them, against real Keras 3 and tf-keras: layer classes of the
program (followed through ``build``/``add_weight``/``call``), sizes read from tensors
(``x.shape[-1]``), recurrent states unpacked from a layer's result, parts of built models
reused (``get_layer``, ``model.layers[i]``, ``.output``, ``TimeDistributed(model)``). Every
inferred output shape and weight count is Keras's, and each mistake is reported where Keras raises (or inside the function or class that Keras runs at that
statement: an op in a layer class's ``call``, a layer in a builder function)."""

from __future__ import annotations

import ast
import contextlib
from pathlib import Path

import numpy as np
import pytest

from kerascheck import check_source
from tests.frontend.keras_recording import for_tf_keras, recording_layers

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "realistic"
# fixture -> how many of its layers (not InputLayer, not ops) have a shape inferred
CORRECT = {"backbones.py": 7, "builders.py": 27, "models_on_objects.py": 5, "custom_layers.py": 10,
           "custom_sequential.py": 6, "shape_guards.py": 31, "shared_layers.py": 11, "shape_reads.py": 13,
           "rnn_states.py": 9, "reused_models.py": 15, "attention_scores.py": 4,
           "plain_classes.py": 19, "backend_lambdas.py": 10,
           "timeseries_lambda.py": 6, "vae_sampling.py": 7, "positional_embedding.py": 10,
           "residual_shortcut.py": 11, "unet_loops.py": 24,
           "channels_first_backend.py": 8, "seq2seq_states.py": 7}
# fixture -> (code, line reported, line of the statement Keras raises at)
BROKEN = {"backbones_broken.py": [("KC101", 18, 22)],
          "builders_broken.py": [("KC203", 34, 34), ("KC101", 35, 35)],
          "models_on_objects_broken.py": [("KC101", 12, 16)],
          "shape_guards_broken.py": [("KC101", 21, 21), ("KC203", 24, 24)],
          "custom_sequential_broken.py": [("KC101", 16, 13), ("KC203", 28, 31)],
          "shared_layers_broken.py": [("KC204", 13, 13), ("KC204", 17, 17)],
          "custom_layers_broken.py": [("KC203", 19, 42), ("KC203", 31, 43), ("KC101", 46, 46)],
          "shape_reads_broken.py": [("KC203", 14, 19), ("KC202", 21, 21)],
          "rnn_states_broken.py": [("KC504", 8, 8), ("KC504", 11, 11)],
          "reused_models_broken.py": [("KC101", 16, 16), ("KC101", 22, 22), ("KC101", 24, 24)],
          "attention_scores_broken.py": [("KC504", 9, 9), ("KC504", 11, 11)],
          "plain_classes_broken.py": [("KC202", 19, 23), ("KC101", 33, 38)],
          "backend_lambdas_broken.py": [("KC203", 11, 17), ("KC101", 21, 21)],
          "vae_sampling_broken.py": [("KC203", 13, 19)],
          "positional_embedding_broken.py": [("KC203", 18, 22)],
          "residual_shortcut_broken.py": [("KC203", 25, 30)],
          "unet_loops_broken.py": [("KC203", 23, 29)],
          "channels_first_backend_broken.py": [("KC201", 10, 10)],
          "seq2seq_states_broken.py": [("KC204", 18, 18), ("KC204", 22, 22)]}
# fixtures whose layer classes are in a Sequential, or whose model classes are used as layers: a
# row counts the weights of the layers it runs, as Keras's summary does (elsewhere they are rows
# of their own)
OWN_SUBLAYERS = {"custom_sequential.py", "backbones.py"}
# fixture -> the models whose total kerascheck cannot know: a branch it cannot decide holds layers
TOTAL_UNKNOWN = {"shape_guards.py": {"model"}}
# Keras 3 (TensorFlow backend) builds a layer class's output by running its call on TensorFlow
# placeholders, where this matmul of a weight is not checked: the model fails when it runs.
# Keras 3 builds a recurrent layer's output from its compute_output_shape: the initial states
# are first multiplied by its recurrent kernel when the model runs.
# (fixture, Keras version) -> {statement line: (the tensor it binds, the model inputs' names...)}
FAILS_WHEN_RUN = {("custom_layers_broken.py", 3): {42: ("wide", "tokens")},
                  ("seq2seq_states_broken.py", 3): {18: ("decoder_outputs", "encoder_inputs", "decoder_inputs"),
                                                    22: ("summary", "gru_inputs", "gru_state")}}


def _source(name: str, version: int) -> str:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    return text if version == 3 else for_tf_keras(text)


def _run(text: str, filename: str, keras, when_run: dict | None = None) -> tuple[dict[int, list], list[int], dict]:
    """Each top-level statement run: {line constructing layers: [(output shape, its own weight
    count: a layer class of the program owns its sublayers' weights in Keras, counted apart
    here) for each layer constructed there: a builder run several times makes several]}, the
    first line of each statement that raised
    ValueError (``when_run``: the statements whose tensor raises only when a model computing it
    predicts), and {variable, or line constructing a model: the weight count of the model}."""
    namespace: dict = {"__name__": "__fixture__"}
    raised = []
    data_format = keras.backend.image_data_format()  # a fixture may set it: restored for the next
    with recording_layers(keras, filename, past_own_init=True, several=True) as recorded, \
            _restored(keras.backend.set_image_data_format, data_format):
        for statement in ast.parse(text).body:
            try:
                exec(compile(ast.Module([statement], []), filename, "exec"), namespace)
                if statement.lineno in (when_run or {}):
                    output, *given = (namespace[name] for name in when_run[statement.lineno])
                    keras.Model(given, output).predict(
                        [np.zeros((1, *(3 if d is None else d for d in tensor.shape[1:]))) for tensor in given], verbose=0)
            except (ValueError, NotImplementedError):  # Keras 3: a Lambda whose function raises asks for output_shape
                raised.append(statement.lineno)
    rows = {}
    for key, (line, layer) in recorded.created.items():
        if key not in recorded.outputs:
            continue
        params = layer.count_params()
        if type(layer).__module__ == "__fixture__" and Path(filename).name not in OWN_SUBLAYERS:
            params -= sum(sub.count_params() for sub in layer._flatten_layers(include_self=False, recursive=False))
        rows.setdefault(line, []).append((recorded.outputs[key], params))
    models = {name: value.count_params() for name, value in namespace.items() if isinstance(value, keras.Model)}
    # models kept on objects (self.generator = keras.Model(...)) by the line constructing them
    models.update({line: layer.count_params() for line, layer in recorded.created.values()
                   if isinstance(layer, keras.Model) and layer.built})
    return rows, raised, models


@contextlib.contextmanager
def _restored(setter, value):
    try:
        yield
    finally:
        setter(value)


@pytest.mark.parametrize("version", [3, 2])
@pytest.mark.parametrize("name", sorted(CORRECT))
def test_what_is_inferred_is_what_keras_builds(name, version, keras3, keras2):
    text, path = _source(name, version), str(FIXTURES / name)
    result = check_source(text, path)
    assert result.diagnostics == []
    keras = keras3 if version == 3 else keras2
    theirs, raised, models = _run(text, path, keras)
    assert raised == []
    known = 0
    for model in result.models:
        # A layer under a condition kerascheck cannot decide is there only if the program takes it.
        undecided = {call.position.line for call in model.model.calls if call.guarded}
        for row in model.layers:
            if row.type == "InputLayer" or row.type.startswith("ops.") or row.output is None \
                    or row.line in undecided:
                continue
            assert (row.output, row.params) in theirs[row.line], row
            known += 1
        held = model.model.name if model.model.name in models else model.model.position.line
        unknown = model.model.name in TOTAL_UNKNOWN.get(name, set())
        assert model.total_params == (None if unknown else models[held])
    assert known == CORRECT[name]


@pytest.mark.parametrize("version", [3, 2])
@pytest.mark.parametrize("name", sorted(BROKEN))
def test_mistakes_are_where_keras_raises(name, version, keras3, keras2):
    text, path = _source(name, version), str(FIXTURES / name)
    found = [(d.code, d.position.line) for d in check_source(text, path).diagnostics]
    _, raised, _ = _run(text, path, keras3 if version == 3 else keras2, FAILS_WHEN_RUN.get((name, version)))
    assert found == [(code, line) for code, line, _ in BROKEN[name]]
    assert raised == [statement for _, _, statement in BROKEN[name]]
