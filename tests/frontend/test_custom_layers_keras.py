"""Layer classes of the program, followed through ``build``/``add_weight``/``call``, against real
Keras 3 and tf-keras: every inferred output shape and weight count is Keras's, and each
mistake is reported where Keras raises (inside the class's ``call`` for an op, which Keras
raises at the statement calling the layer)."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pytest

from kerascheck import check_source
from tests.frontend.keras_recording import for_tf_keras, recording_layers

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "realistic"
# fixture -> how many of its layers (not InputLayer, not ops) have a shape inferred
CORRECT = {"custom_layers.py": 10}
# fixture -> (code, line reported, line of the statement Keras raises at)
BROKEN = {"custom_layers_broken.py": [("KC203", 19, 42), ("KC203", 31, 43), ("KC101", 46, 46)]}
# Keras 3 (TensorFlow backend) builds a layer class's output by running its call on TensorFlow
# placeholders, where this matmul of a weight is not checked: the model fails when it runs.
# (fixture, Keras version) -> {statement line: (the tensor it binds, the model input's name)}
FAILS_WHEN_RUN = {("custom_layers_broken.py", 3): {42: ("wide", "tokens")}}


def _source(name: str, version: int) -> str:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    return text if version == 3 else for_tf_keras(text)


def _run(text: str, filename: str, keras, when_run: dict | None = None) -> tuple[dict[int, tuple], list[int]]:
    """Each top-level statement run: {line constructing a layer: (output shape, its own weight
    count: a layer class of the program owns its sublayers' weights in Keras, counted apart
    here)}, and the first line of each statement that raised ValueError (``when_run``: the
    statements whose tensor raises only when a model computing it predicts)."""
    namespace: dict = {"__name__": "__fixture__"}
    raised = []
    with recording_layers(keras, filename, past_own_init=True) as recorded:
        for statement in ast.parse(text).body:
            try:
                exec(compile(ast.Module([statement], []), filename, "exec"), namespace)
                if statement.lineno in (when_run or {}):
                    output, given = (namespace[name] for name in when_run[statement.lineno])
                    keras.Model(given, output).predict(np.zeros((1, *given.shape[1:])), verbose=0)
            except ValueError:
                raised.append(statement.lineno)
    rows = {}
    for key, (line, layer) in recorded.created.items():
        if key not in recorded.outputs:
            continue
        params = layer.count_params()
        if type(layer).__module__ == "__fixture__":
            params -= sum(sub.count_params() for sub in layer._flatten_layers(include_self=False, recursive=False))
        rows[line] = (recorded.outputs[key], params)
    return rows, raised


@pytest.mark.parametrize("version", [3, 2])
@pytest.mark.parametrize("name", sorted(CORRECT))
def test_custom_layers_infer_what_keras_builds(name, version, keras3, keras2):
    text, path = _source(name, version), str(FIXTURES / name)
    result = check_source(text, path)
    assert result.diagnostics == []
    keras = keras3 if version == 3 else keras2
    theirs, raised = _run(text, path, keras)
    assert raised == []
    known = 0
    for model in result.models:
        for row in model.layers:
            if row.type == "InputLayer" or row.type.startswith("ops.") or row.output is None:
                continue
            assert (row.output, row.params) == theirs[row.line], row
            known += 1
        assert model.total_params == sum(params for _, params in theirs.values())
    assert known == CORRECT[name]


@pytest.mark.parametrize("version", [3, 2])
@pytest.mark.parametrize("name", sorted(BROKEN))
def test_custom_layer_mistakes_are_what_keras_raises(name, version, keras3, keras2):
    text, path = _source(name, version), str(FIXTURES / name)
    found = [(d.code, d.position.line) for d in check_source(text, path).diagnostics]
    _, raised = _run(text, path, keras3 if version == 3 else keras2, FAILS_WHEN_RUN.get((name, version)))
    assert found == [(code, line) for code, line, _ in BROKEN[name]]
    assert raised == [statement for _, _, statement in BROKEN[name]]
