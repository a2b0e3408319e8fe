"""After a layer kerascheck cannot follow, what later layers fix by themselves (a rank, a last
dim, a parameter count) is inferred: every such dim and count must be real Keras's (Keras 3 and
tf-keras), and the mistakes found after the unknown layer must be where Keras raises."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from kerascheck import check_source
from kerascheck.shapes.symbolic import is_sym
from tests.frontend.keras_recording import recording_layers

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "realistic"
CORRECT, BROKEN = FIXTURES / "unknown_then_known.py", FIXTURES / "unknown_then_known_broken.py"


def _for_tf_keras(text: str) -> str:
    return text.replace("import keras\n", "import tf_keras as keras\n").replace("from keras import", "from tf_keras import")


def _run(text: str, filename: str, keras) -> tuple[dict[int, tuple], list[range]]:
    """Run each top-level statement: {line of a layer's constructor: (output shape, params)} and
    the lines of each statement where Keras raised ValueError (the names stay as they were)."""
    namespace: dict = {"__name__": "__fixture__"}
    raised = []
    with recording_layers(keras, filename) as recorded:
        for statement in ast.parse(text).body:
            code = compile(ast.Module([statement], []), filename, "exec")
            try:
                exec(code, namespace)
            except ValueError:
                raised.append(range(statement.lineno, statement.end_lineno + 1))
    rows = {line: (tuple(recorded.outputs[key]), layer.count_params())
            for key, (line, layer) in recorded.created.items() if key in recorded.outputs}
    return rows, raised


def _agrees(ours: tuple, theirs: tuple) -> bool:
    return len(ours) == len(theirs) and all(is_sym(d) or d == k for d, k in zip(ours, theirs))


@pytest.mark.parametrize("version", [3, 2])
def test_what_is_known_after_an_unknown_layer_is_kerass(version, keras3, keras2):
    keras = keras3 if version == 3 else keras2
    text = CORRECT.read_text(encoding="utf-8")
    text = text if version == 3 else _for_tf_keras(text)
    result = check_source(text, str(CORRECT))
    assert result.diagnostics == []
    theirs, raised = _run(text, str(CORRECT), keras)
    assert raised == []
    known = 0
    for model in result.models:
        for row in model.layers:
            if row.type == "InputLayer" or row.output is None:
                continue
            shape, params = theirs[row.line]
            assert _agrees(row.output, shape), (row, shape)
            assert is_sym(row.params) or row.params == params, (row, params)
            known += 1
    assert known == 14


@pytest.mark.parametrize("version", [3, 2])
def test_mistakes_after_an_unknown_layer_are_where_keras_raises(version, keras3, keras2):
    keras = keras3 if version == 3 else keras2
    text = BROKEN.read_text(encoding="utf-8")
    text = text if version == 3 else _for_tf_keras(text)
    found = [(d.code, d.position.line) for d in check_source(text, str(BROKEN)).diagnostics]
    _, raised = _run(text, str(BROKEN), keras)
    assert [code for code, _ in found] == ["KC101"] * len(raised) and len(raised) == 2
    assert all(line in lines for (_, line), lines in zip(found, raised))
