"""The data fixtures run in real Keras 3: every fit/evaluate/predict call must fail exactly where
kerascheck reports an error on its line, and run where it reports none (warnings run). Those
in ``KERAS2_PROGRAMS`` run in tf-keras too (``import keras`` then gives tf-keras), against
kerascheck's Keras 2 verdicts.

The fixture is exec'd here, in the test only: datasets are replaced by zeros of their real
shapes with 64 samples, and each data call runs one epoch on a fresh clone of the model.
"""

from __future__ import annotations

import importlib
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

from kerascheck import check_source
from kerascheck.config import Options
from kerascheck.data.datasets import LOADERS

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
TF_KERAS_ONLY = ("data_tf_keras_generators.py", "data_text_tokenizer.py")  # import tf_keras (data_keras3_generators: Keras 3)
PROGRAMS = [p for p in sorted(FIXTURES.glob("data_*.py")) if p.name not in TF_KERAS_ONLY] + \
    sorted((FIXTURES / "seeds").glob("seed2_per_timestep_*.py"))
# Every data fixture runs in tf-keras too, against kerascheck's Keras 2 verdicts, but those using
# what tf-keras lacks (keras.ops, Keras 3's generators) or `from tensorflow import keras` (here
# TensorFlow's loader then asks for Keras 3 modules, keras.config, that tf-keras lacks).
KERAS3_ONLY = ("data_keras3_generators.py", "data_encoded_labels.py", "data_cifar_labels.py", "data_mnist_channels.py",
               "data_custom_steps.py")
KERAS2_PROGRAMS = [p for p in sorted(FIXTURES.glob("data_*.py")) if p.name not in KERAS3_ONLY]
KERAS_SUBMODULES = ("models", "layers", "utils", "datasets", "preprocessing", "preprocessing.image")
METHODS = ("fit", "evaluate", "predict", "train_on_batch", "test_on_batch", "predict_on_batch",
           "fit_generator", "evaluate_generator", "predict_generator")  # the last three: tf-keras only
SMALL = 64


def small_dataset(name: str):
    """A stand-in loader: zeros with the dataset's dims and dtypes, 64 samples per split."""
    def load(*args, **kwargs):
        split = LOADERS[f"keras.datasets.{name}.load_data"](args, kwargs)
        return tuple(tuple(np.zeros((SMALL,) + a.shape[1:], dtype="uint8" if a.dtype == "int" else "float32")
                           for a in pair) for pair in split)
    return load


def run_program(path: Path, keras, monkeypatch, namespace: dict | None = None) -> dict[int, bool]:
    """{line of each data call: whether Keras raised}; the program's names are left in ``namespace``."""
    outcomes: dict[int, bool] = {}
    filename = str(path)
    running: list[str] = []

    def fresh(model):
        """A clone compiled alike: a failed step leaves a Keras model unusable for the next call."""
        clone = keras.models.clone_model(model)
        clone.compile(loss=getattr(model, "loss", None), optimizer="sgd")  # tf-keras: no .loss before compile
        return clone

    def recorder(method):
        original = getattr(keras.Model, method)

        def call(self, *args, **kwargs):
            if running:  # fit's own validation calls evaluate
                return original(self, *args, **kwargs)
            frame = sys._getframe(1)
            while frame is not None and frame.f_code.co_filename != filename:
                frame = frame.f_back
            if method.startswith("fit"):
                kwargs["epochs"] = 1
            if not method.endswith("_on_batch"):
                kwargs["verbose"] = 0
            running.append(method)
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    # An unbuilt model is built by this call, as in the program; a built one is
                    # cloned so that a failed step does not change the next call's model.
                    original(fresh(self) if self.built else self, *args, **kwargs)
                failed = False
            except Exception:
                failed = True
            finally:
                running.pop()
            outcomes[frame.f_lineno] = failed
        return call

    for method in METHODS:
        if hasattr(keras.Model, method):
            monkeypatch.setattr(keras.Model, method, recorder(method))
    for name in ("mnist", "fashion_mnist", "cifar10", "cifar100"):
        monkeypatch.setattr(getattr(keras.datasets, name), "load_data", small_dataset(name))
    code = compile(path.read_text(encoding="utf-8"), filename, "exec")
    namespace = {} if namespace is None else namespace
    namespace["__name__"] = "__fixture__"
    exec(code, namespace)
    return outcomes


def assert_fails_exactly_on_reported_lines(path: Path, keras, version: int, monkeypatch) -> None:
    result = check_source(path.read_text(encoding="utf-8"), str(path), Options(keras_version=version))
    error_lines = {d.position.line for d in result.diagnostics if d.severity == "error"}
    outcomes = run_program(path, keras, monkeypatch)
    assert outcomes, "no data call ran"
    wrong = {line: ("Keras fails, we report no error" if failed else "we report an error, Keras runs")
             for line, failed in outcomes.items() if failed != (line in error_lines)}
    assert not wrong


@pytest.mark.parametrize("path", PROGRAMS, ids=lambda p: p.name)
def test_keras_fails_exactly_on_reported_lines(path, keras3, monkeypatch):
    assert_fails_exactly_on_reported_lines(path, keras3, 3, monkeypatch)


@pytest.mark.parametrize("path", KERAS2_PROGRAMS, ids=lambda p: p.name)
def test_tf_keras_fails_exactly_on_reported_lines(path, keras2, monkeypatch):
    use_tf_keras(keras2, monkeypatch)
    assert_fails_exactly_on_reported_lines(path, keras2, 2, monkeypatch)


def use_tf_keras(keras2, monkeypatch) -> None:
    """``import keras`` (and the submodules fixtures import) gives tf-keras."""
    monkeypatch.setitem(sys.modules, "keras", keras2)
    for name in KERAS_SUBMODULES:
        monkeypatch.setitem(sys.modules, f"keras.{name}", importlib.import_module(f"tf_keras.{name}"))


@pytest.mark.parametrize("version", [3, 2])
def test_sequentials_built_by_data_have_keras_layer_shapes(version, keras3, keras2, monkeypatch):
    """Each layer's output shape as ``summary`` shows it, after the program built the model."""
    path = FIXTURES / "data_built_by_data.py"
    keras = keras3 if version == 3 else keras2
    if version == 2:
        use_tf_keras(keras2, monkeypatch)
    namespace: dict = {}
    run_program(path, keras, monkeypatch, namespace)
    result = check_source(path.read_text(encoding="utf-8"), str(path), Options(keras_version=version))
    for model in result.models:
        built = namespace[model.model.name]
        ours = [row.output for row in model.layers if row.type != "InputLayer"]
        theirs = [tuple(layer.output_shape if version == 2 else layer.output.shape) for layer in built.layers]
        assert ours == theirs, model.model.name
