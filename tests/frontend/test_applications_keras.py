"""Transfer-learning programs (keras.applications bases with new heads) against real Keras 3 and
tf-keras: every model kerascheck infers has Keras's output shape and, where it claims them, its
parameters; each mistake is reported on the statement where Keras raises. The pretrained
weights are not downloaded: the constructors run with their loading made a no-op (every check
Keras makes on the arguments comes before it)."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pytest

from kerascheck import check_source

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "realistic"
# fixture -> how many of its models have a known output and parameter count
CORRECT = {"transfer_learning.py": 6}
# fixture -> (code, line): each is also the line where Keras raises
BROKEN = {"transfer_learning_broken.py": [("KC204", 15), ("KC402", 22), ("KC303", 24), ("KC204", 28),
                                          ("KC303", 30)]}
# Keras 3 builds a model called on images of other channels than its Input's (tf-keras raises
# there): it raises when the model runs. (fixture, Keras version) -> {statement line: (the tensor
# it binds, the model input's name)}
FAILS_WHEN_RUN = {("transfer_learning_broken.py", 3): {28: ("features", "scans")}}


def _for_tf_keras(text: str) -> str:
    return (text.replace("from tensorflow import keras\n", "import tf_keras as keras\n")
            .replace("from tensorflow.keras", "from tf_keras").replace("tf.keras.", "keras."))


def _source(name: str, version: int) -> str:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    return text if version == 3 else _for_tf_keras(text)


def _run(text: str, filename: str, keras, when_run: dict | None = None) -> tuple[list[int], dict]:
    """Each top-level statement run: the lines where Keras raised ValueError (``when_run``: the
    statements whose tensor raises only when a model computing it predicts), and the models
    bound to names."""
    namespace: dict = {"__name__": "__fixture__"}
    raised = []
    for statement in ast.parse(text).body:
        try:
            exec(compile(ast.Module([statement], []), filename, "exec"), namespace)
            if statement.lineno in (when_run or {}):
                output, given = (namespace[name] for name in when_run[statement.lineno])
                keras.Model(given, output).predict(np.zeros((1, *given.shape[1:])), verbose=0)
        except ValueError:
            raised.append(statement.lineno)
    return raised, {name: value for name, value in namespace.items() if isinstance(value, keras.Model)}


@pytest.mark.parametrize("version", [3, 2])
@pytest.mark.parametrize("name", sorted(CORRECT))
def test_transfer_learning_models_are_keras(name, version, keras3, keras2, no_downloads):
    text = _source(name, version)
    result = check_source(text, str(FIXTURES / name))
    assert result.diagnostics == []
    raised, models = _run(text, str(FIXTURES / name), keras3 if version == 3 else keras2)
    assert raised == []
    known = 0
    for model in result.models:
        theirs = models[model.model.name]
        assert model.outputs == tuple(theirs.output_shape)
        if model.total_params is not None:
            assert model.total_params == theirs.count_params(), model.model.name
            known += 1
    assert known == CORRECT[name]


@pytest.mark.parametrize("version", [3, 2])
@pytest.mark.parametrize("name", sorted(BROKEN))
def test_transfer_learning_mistakes_are_where_keras_raises(name, version, keras3, keras2, no_downloads):
    text = _source(name, version)
    found = [(d.code, d.position.line) for d in check_source(text, str(FIXTURES / name)).diagnostics]
    raised, _ = _run(text, str(FIXTURES / name), keras3 if version == 3 else keras2,
                     FAILS_WHEN_RUN.get((name, version)))
    assert found == BROKEN[name]
    assert raised == [line for _, line in BROKEN[name]]
