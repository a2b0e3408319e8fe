"""Subclassed models and keras.ops fixtures run in real Keras 3: every layer's output shape and
parameter count kerascheck infers, and each model's total, equal Keras's.

The fixture is exec'd in the test only (kerascheck never runs user code): ``fit``/``predict``/
``evaluate`` call the model eagerly on two samples instead of training, which builds it on the
data as Keras's first training step would.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kerascheck import check_source
from tests.frontend.keras_recording import recording_layers

FIXTURES = Path(__file__).resolve().parent.parent.parent / "fixtures" / "realistic"
CORRECT = ["subclassed_residual_mlp.py", "subclassed_cnn.py", "ops_functional.py", "subclassed_built_on_tensors.py"]


def run_in_keras(path: Path, keras) -> tuple[dict[int, set], dict[str, int]]:
    """{source line of a layer's constructor: {(output shape, params) of each layer made there}}
    (models aside: their constructor line is their super().__init__), and {model variable: total}."""
    filename = str(path)

    def on_two_samples(self, x, *args, **kwargs):
        self([a[:2] for a in x] if isinstance(x, list) else x[:2], training=True)

    saved = {m: getattr(keras.Model, m) for m in ("fit", "predict", "evaluate")}
    for method in saved:
        setattr(keras.Model, method, on_two_samples)
    namespace = {"__name__": "__fixture__"}
    try:
        with recording_layers(keras, filename) as recorded:
            exec(compile(path.read_text(encoding="utf-8"), filename, "exec"), namespace)
    finally:
        for method, function in saved.items():
            setattr(keras.Model, method, function)
    totals = {name: v.count_params() for name, v in namespace.items() if isinstance(v, keras.Model)}
    found: dict[int, set] = {}
    for key, (line, layer) in recorded.created.items():
        if isinstance(layer, (keras.layers.InputLayer, keras.Model)) or key not in recorded.outputs:
            continue
        found.setdefault(line, set()).add(((None,) + recorded.outputs[key][1:], layer.count_params()))
    return found, totals


@pytest.mark.parametrize("name", CORRECT)
def test_static_rows_equal_keras(name, keras3):
    path = FIXTURES / name
    result = check_source(path.read_text(encoding="utf-8"), str(path))
    assert not result.diagnostics
    theirs, totals = run_in_keras(path, keras3)
    ours: dict[int, set] = {}
    for model in result.models:
        for row in model.layers:
            if row.type not in ("InputLayer", "Functional", "Sequential"):
                # the batch axis aside, as above (a model built on tf.zeros((1, ...)) has 1)
                output = (None,) + row.output[1:] if isinstance(row.output, tuple) else row.output
                ours.setdefault(row.line, set()).add((output, row.params))
    assert theirs and totals
    for line, answers in theirs.items():
        # Unknown is allowed (a model used as a layer inside another's call is only checked
        # for its arguments); whatever is known must be Keras's answer.
        known = {a for a in ours.get(line, set()) if a != (None, None)}
        assert line in ours and known <= answers, f"{name}:{line}: ours {ours.get(line)}, Keras {answers}"
    assert {m.model.name: m.total_params for m in result.models if m.model.name in totals} == totals
