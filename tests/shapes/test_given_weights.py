"""KC206: a layer's ``weights=`` against the weights Keras builds, in Keras 3 and tf-keras.

Each case builds one layer on an input in real Keras; kerascheck must report an error on it
exactly when Keras raises (Keras 3 rejects ``weights=`` on every layer but Embedding and
Bidirectional: KC521). The fixture's statements run one by one, in both versions, and fail
exactly where kerascheck reports an error.
"""

from __future__ import annotations

import ast
import importlib
import sys
import warnings
from pathlib import Path

import pytest

from kerascheck import check_source
from kerascheck.config import Options

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "programs" / "pretrained_embedding.py"

# (layer, with weights= as arrays of these shapes, input shape without the batch)
CASES = [
    ("Embedding(50, 16, weights=[z(50, 16)])", (10,)),
    ("Embedding(50, 16, weights=z(50, 16))", (10,)),  # Keras 3 only: tf-keras iterates the rows
    ("Embedding(10, 8, weights=[z(50, 16)])", (10,)),
    ("Embedding(10, 8, weights=[z(10, 9)])", (10,)),
    ("Embedding(50, 16, weights=(z(50, 16),))", (10,)),  # tf-keras only: Keras 3 wraps the tuple
    ("Embedding(50, 16, weights=[z(50, 16), z(50, 16)])", (10,)),
    ("Embedding(50, 16, weights=[z(50)])", (10,)),
    ("Dense(4, weights=[z(8, 4), z(4)])", (8,)),
    ("Dense(4, weights=[z(8, 4)])", (8,)),
    ("Dense(4, use_bias=False, weights=[z(8, 4)])", (8,)),
    ("Dense(4, weights=[z(9, 4), z(4)])", (8,)),
    ("Dense(4, weights=[z(8, 4), z(5)])", (3, 8)),
    ("Conv1D(4, 3, weights=[z(3, 2, 4), z(4)])", (10, 2)),
    ("Conv2D(4, 3, weights=[z(3, 3, 2, 4), z(4)])", (8, 8, 2)),
    ("Conv2D(4, 3, weights=[z(3, 3, 3, 4), z(4)])", (8, 8, 2)),
    ("Conv2D(4, (3, 2), groups=2, weights=[z(3, 2, 1, 4), z(4)])", (8, 8, 2)),
    ("Conv2D(4, 3, data_format='channels_first', weights=[z(3, 3, 2, 4), z(4)])", (2, 8, 8)),
    ("LSTM(4, weights=[z(3, 16), z(4, 16), z(16)])", (5, 3)),
    ("LSTM(4, weights=[z(3, 16), z(4, 4), z(16)])", (5, 3)),
    ("GRU(4, weights=[z(3, 12), z(4, 12), z(2, 12)])", (5, 3)),
    ("GRU(4, weights=[z(3, 12), z(4, 12), z(12)])", (5, 3)),
    ("GRU(4, reset_after=False, weights=[z(3, 12), z(4, 12), z(12)])", (5, 3)),
    ("SimpleRNN(4, weights=[z(3, 4), z(4, 4), z(4)])", (5, 3)),
    ("SimpleRNN(4, weights=[z(3, 4), z(4, 4)])", (5, 3)),
]


def program(layer: str, shape: tuple, version: int) -> str:
    module = "keras" if version == 3 else "tf_keras as keras"
    return (f"import numpy as np\nimport {module}\nfrom numpy import zeros\n"
            "def z(*shape):\n    return zeros(shape)\n"
            f"model = keras.Sequential([keras.Input({shape!r}), keras.layers.{layer}])\n")


def keras_raises(source: str) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            exec(compile(source, "<weights case>", "exec"), {"__name__": "__case__"})
    except Exception:
        return True
    return False


@pytest.mark.parametrize("version", [3, 2])
@pytest.mark.parametrize("layer, shape", CASES, ids=[c[0] for c in CASES])
def test_reported_exactly_when_keras_raises(layer, shape, version, keras3, keras2):
    source = program(layer, shape, version)
    found = [d for d in check_source(source, "case.py", Options(keras_version=version)).diagnostics
             if d.severity == "error"]
    assert bool(found) == keras_raises(source), [d.text for d in found]
    weights_rejected = version == 3 and not layer.startswith("Embedding")
    assert {d.code for d in found} <= ({"KC521"} if weights_rejected else {"KC206"})


def test_message_names_the_weight_and_both_shapes():
    source = program("Embedding(10, 8, weights=[z(50, 16)])", (10,), 3)
    (found,) = check_source(source, "case.py").diagnostics
    assert found.text == ("Embedding cannot take these weights=: its embeddings weight has shape (10, 8), "
                          "weights= gives (50, 16); the matrix has 50 rows (one per token id) of 16 values: "
                          "use Embedding(50, 16, ...), or build the matrix with shape (10, 8)")
    source = program("Dense(4, weights=[z(8, 4)])", (8,), 2)
    (found,) = check_source(source, "case.py", Options(keras_version=2)).diagnostics
    assert found.text == ("Dense cannot take these weights=: it has 2 weight(s) (kernel (8, 4), bias (4,)); "
                          "weights= gives 1; give one array per weight, in this order")


def failing_statements(path: Path) -> set[range]:
    """The line ranges of the file's top-level statements that raise, each run apart."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    namespace: dict = {"__name__": "__fixture__"}
    failing = set()
    for statement in tree.body:
        code = compile(ast.Module([statement], []), str(path), "exec")
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                exec(code, namespace)
        except Exception:
            failing.add(range(statement.lineno, statement.end_lineno + 1))
    return failing


@pytest.mark.parametrize("version", [3, 2])
def test_fixture_fails_exactly_where_reported(version, keras3, keras2, monkeypatch):
    if version == 2:
        monkeypatch.setitem(sys.modules, "keras", keras2)
        monkeypatch.setitem(sys.modules, "keras.layers", importlib.import_module("tf_keras.layers"))
    result = check_source(FIXTURE.read_text(encoding="utf-8"), str(FIXTURE), Options(keras_version=version))
    reported = {d.position.line for d in result.diagnostics if d.severity == "error"}
    failing = failing_statements(FIXTURE)
    assert failing and all(any(line in lines for line in reported) for lines in failing)
    assert all(any(line in lines for lines in failing) for line in reported)
