"""Named dims against real Keras: the builders of fixtures/realistic/model_builders.py, which
no call in the file gives values, are called here with values; every layer Keras builds must
have the shape and parameter count kerascheck's named ones take with those values, and the
builders kerascheck reports must fail in Keras for every value tried."""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

import pytest

from kerascheck import check_source
from kerascheck.shapes.symbolic import substitute

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "realistic" / "model_builders.py"

VALUES = {
    "build_forecaster": [dict(n_steps=30, n_features=4, horizon=7), dict(n_steps=9, n_features=1, horizon=1)],
    "build_classifier": [dict(img_size=64, channels=3, num_classes=10), dict(img_size=33, channels=1, num_classes=2)],
    "build_text_model": [dict(vocab_size=5000, max_len=120, embed_dim=64), dict(vocab_size=30, max_len=7, embed_dim=3)],
    "build_unet": [dict(height=64, width=96), dict(height=32, width=8)],
}
FAILING = {
    "build_autoencoder": [dict(n_steps=10, n_features=3), dict(n_steps=1, n_features=1)],
    "build_residual": [dict(n_steps=10, n_features=3), dict(n_steps=5, n_features=1)],
}


def _builders():
    spec = importlib.util.spec_from_file_location("model_builders_fixture", FIXTURE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # defines the builders; it builds nothing
    return module


def _static_models():
    """kerascheck's ModelResult of each builder, by function name."""
    text = FIXTURE.read_text(encoding="utf-8")
    functions = [(f.name, f.lineno, f.end_lineno) for f in ast.parse(text).body if isinstance(f, ast.FunctionDef)]
    found = {}
    for model in check_source(text, str(FIXTURE)).models:
        line = model.model.position.line
        name = next(n for n, first, last in functions if first <= line <= last)
        found[name] = model
    return found


def _by_type(rows):
    """Layers keyed by (class name, occurrence): how a layer of ours finds Keras's."""
    seen: dict[str, int] = {}
    keyed = {}
    for row in rows:
        keyed[(row[0], seen.get(row[0], 0))] = row
        seen[row[0]] = seen.get(row[0], 0) + 1
    return keyed


@pytest.mark.parametrize("builder, values", [(b, v) for b, vs in VALUES.items() for v in vs])
def test_named_shapes_take_kerass_values(builder, values, keras3):
    keras3.backend.clear_session()
    model = getattr(_builders(), builder)(**values)
    theirs = _by_type([(type(layer).__name__, tuple(layer.output.shape), layer.count_params())
                       for layer in model.layers])
    static = _static_models()[builder]
    ours = _by_type([(row.type, row.output, row.params) for row in static.layers])
    assert ours.keys() <= theirs.keys()
    for key, (_, shape, params) in ours.items():
        _, keras_shape, keras_params = theirs[key]
        named = substitute(shape, values)
        assert len(named) == len(keras_shape), (key, shape, keras_shape)
        assert all(d is None or d == k for d, k in zip(named, keras_shape)), (key, shape, values, keras_shape)
        if params is not None:
            assert substitute(params, values) == keras_params, (key, params, keras_params)
    assert substitute(static.total_params, values) == model.count_params()


@pytest.mark.parametrize("builder, values", [(b, v) for b, vs in FAILING.items() for v in vs])
def test_builders_reported_whatever_the_values_fail_in_keras(builder, values, keras3):
    keras3.backend.clear_session()
    with pytest.raises(ValueError):
        getattr(_builders(), builder)(**values)
