"""Verification mode: the static pass against real Keras, in a worker subprocess.

Each ``verify_*`` call starts one worker (one TensorFlow import, a few seconds), so the tests
put several models in one run where they can.
"""

from __future__ import annotations

import pickle
import sys

import pytest

from kerascheck import FileResult
from kerascheck.config import Options
from kerascheck.graph import UNKNOWN, InputSpec, LayerCall, ModelGraph, Position, TensorRef
from kerascheck.shapes.base import rule_for
from kerascheck.shapes.propagate import LayerNames, propagate
from kerascheck.verify import run
from kerascheck.verify.build import build_model
from tests.shapes.helpers import layer

pytestmark = pytest.mark.usefixtures("tensorflow")


@pytest.fixture(scope="session")
def tensorflow():
    """Skip without TensorFlow, without importing it here (the worker does)."""
    if not run.keras_installed(3):
        pytest.skip("TensorFlow is not installed")


def at(line: int) -> Position:
    return Position(line, 5, line, 30)


def sequential(name: str, line: int, shape: tuple, *nodes) -> ModelGraph:
    """A Sequential graph as the frontend gives it: model on ``line``, layer *i* on ``line + 1 + i``."""
    calls = []
    for i, node in enumerate(nodes):
        node.position = at(line + 1 + i)
        source = TensorRef.of_input(0) if i == 0 else TensorRef.of_call(i - 1)
        calls.append(LayerCall(node, source, node.position))
    return ModelGraph(name, "sequential", at(line), [InputSpec(shape, at(line + 1), from_layer_argument=True)],
                      calls, TensorRef.of_call(len(nodes) - 1))


def checked(path: str, *models: ModelGraph) -> FileResult:
    """What the static pass gives for a file holding ``models``."""
    names = LayerNames()
    results = [propagate(m, names) for m in models]
    return FileResult(path, sorted((d for r in results for d in r.diagnostics), key=lambda d: d.position.line),
                      results)


def verify(*results: FileResult, timeout: float = 60.0) -> tuple[int, list[str]]:
    lines: list[str] = []
    code = run.verify_results(list(results), Options(), 3, lines.append, timeout)
    return code, lines


def test_graphs_reach_the_worker_intact():
    model = sequential("m", 1, (None, 4), layer("Dense", UNKNOWN), layer("Dense", 3))
    copy = pickle.loads(pickle.dumps(model))
    assert copy.calls[0].layer.args[0] is UNKNOWN
    assert copy.calls[1].inputs == TensorRef.of_call(0)
    assert copy.inputs[0].shape == (None, 4)


def test_agreement_disagreement_rejection_and_skip_in_one_run(monkeypatch, keras3):
    import tensorflow as tf

    from kerascheck.shapes.base import ShapeError

    Dense = type(rule_for("Dense"))  # (importing shapes.core first would load only its rules)

    good = sequential("good", 1, (None, 100, 8), layer("Conv1D", 32, 3), layer("MaxPooling1D", 2),
                      layer("Flatten"), layer("Dense", 16), layer("Dropout", 0.5), layer("Dense", 1))
    # A deliberately wrong static rule: Dense claims one unit too many, only for units=7.
    original = Dense.output_shape

    def off_by_one(self, a, shape):
        out = original(self, a, shape)
        return out[:-1] + (out[-1] + 1,) if a["units"] == 7 else out

    monkeypatch.setattr(Dense, "output_shape", off_by_one)
    wrong = sequential("wrong", 10, (None, 5), layer("Dense", 4), layer("Dense", 7))
    rejected = sequential("rejected", 20, (None, 40, 2), layer("LSTM", 12, return_sequences=True),
                          layer("RepeatVector", 3))
    lambda_model = sequential("lam", 30, (None, 6), layer("Dense", 4), layer("Lambda", UNKNOWN),
                              layer("Dense", 2), layer("Dense", 1))
    # A false alarm: the static Dense rule rejects units=5, which Keras builds.
    original_check = Dense.check_args

    def strict(self, a):
        if a["units"] == 5:
            raise ShapeError("KC301", layer="Dense", argument="units", value="5")
        original_check(self, a)

    monkeypatch.setattr(Dense, "check_args", strict)
    false_alarm = sequential("alarm", 40, (None, 3, 4), layer("Dense", 5), layer("Dense", 2))
    # A missed error: the static Dense rule, blind to its weight axis, accepts a None last dim
    # that Keras cannot build a kernel on.
    monkeypatch.setattr(Dense, "weight_axes", lambda self, a, shape: ())
    missed = sequential("missed", 50, (None, None), layer("Dense", 2))
    code, lines = verify(checked("model.py", good, wrong, rejected, lambda_model, false_alarm, missed))
    text = "\n".join(lines)
    assert code == 1
    versions = f"keras {keras3.__version__} (tensorflow {tf.__version__})"
    assert f"model.py:1: verified 6 layers against {versions}" in lines
    assert "model.py:12:5: KC910 Dense: static shape (None, 8) but Keras built (None, 7)" in lines
    assert "model.py:10: 1 disagreement with" in text
    # Our error and Keras's own message for the same layer, one under the other.
    kc101 = next(i for i, line in enumerate(lines) if line.startswith("model.py:22:5: KC101 RepeatVector"))
    assert lines[kc101 + 1].startswith(f"    {versions} also rejects it: ")
    assert "expected ndim=2, found ndim=3" in lines[kc101 + 1]
    assert f"model.py:20: verified 2 layers against {versions}" in lines
    skipped = ("model.py:32:5: KC915 Lambda not verified: a Lambda runs your code, which verify never "
               "executes; 2 layer calls after it not verified either")
    assert skipped in lines
    assert f"model.py:30: verified 1 of 4 layers against {versions}; 3 not verified" in lines
    assert ("model.py:41:5: KC913 kerascheck reports KC301 for Dense but Keras builds it: output (None, 3, 5); "
            "Dense units must be a positive integer, got 5") in lines
    assert any(line.startswith("model.py:51:5: KC912 Keras rejects Dense but kerascheck accepts it: ")
               for line in lines), lines


def test_a_model_only_partly_verified_exits_0_with_its_info_line():
    model = sequential("lam", 1, (None, 6), layer("Dense", 4), layer("Lambda", UNKNOWN), layer("Dense", 2))
    code, lines = verify(checked("model.py", model))
    assert code == 0
    assert any(line.startswith("model.py:3:5: KC915 Lambda not verified: ") for line in lines), lines


def test_missing_tensorflow_exits_2_with_the_install_line(monkeypatch, tmp_path):
    monkeypatch.setattr(run.importlib.util, "find_spec", lambda name: None)
    lines: list[str] = []
    assert run.verify_paths([str(tmp_path)], Options(), 3, lines.append) == 2
    assert lines == ["kerascheck verify needs TensorFlow: pip install 'kerascheck[verify]'"]


def test_tensorflow_failing_to_import_in_the_worker_exits_2(monkeypatch, tmp_path):
    fake = tmp_path / "fake" / "tensorflow"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("raise ImportError('No module named tensorflow')\n")
    monkeypatch.setenv("PYTHONPATH", str(fake.parent))
    code, lines = verify(checked("m.py", sequential("m", 1, (None, 4), layer("Dense", 2))))
    assert code == 2
    assert len(lines) == 1 and lines[0].startswith("kerascheck verify needs TensorFlow: pip install 'kerascheck[verify]'")
    assert "No module named tensorflow" in lines[0]


def test_a_hung_build_is_reported_and_the_next_model_verified(monkeypatch):
    monkeypatch.setattr(run, "WORKER_COMMAND", [sys.executable, "-m", "tests.verify.slow_worker"])
    hung = sequential("hang", 1, (None, 4), layer("Dense", 2))
    fine = sequential("fine", 10, (None, 4), layer("Dense", 2), layer("Dense", 1))
    code, lines = verify(checked("m.py", hung, fine), timeout=3)
    assert code == 1
    assert "m.py:1:5: KC914 Keras did not finish building model hang within 3 s" in lines
    assert "m.py:10: verified 2 layers against keras stand-in (tensorflow none)" in lines


def test_functional_graph_with_shared_layer_and_two_outputs(keras3):
    a, b = InputSpec((None, 8), at(1)), InputSpec((None, 8), at(2))
    shared = layer("Dense", 4)
    merged = layer("Concatenate")
    calls = [LayerCall(shared, TensorRef.of_input(0), at(4)), LayerCall(shared, TensorRef.of_input(1), at(5)),
             LayerCall(merged, [TensorRef.of_call(0), TensorRef.of_call(1)], at(6)),
             LayerCall(layer("LSTM", 3, return_state=True), UNKNOWN, at(7))]
    model = ModelGraph("f", "functional", at(8), [a, b], calls, TensorRef.of_call(2))
    outcomes = build_model(model, keras3)
    assert [(o.status, o.output, o.params) for o in outcomes[:3]] == [
        ("built", (None, 4), 36), ("built", (None, 4), 36), ("built", (None, 8), 0)]
    assert outcomes[3].status == "unbuildable"


FILE = """\
import pathlib
from tensorflow import keras
from tensorflow.keras import layers

pathlib.Path({marker!r}).write_text("executed")

model = keras.Sequential([
    keras.Input(shape=(100, 3)),
    layers.Conv1D(16, 5, activation="relu"),
    layers.MaxPooling1D(2),
    layers.LSTM(8),
    layers.Dense(1),
])

inputs = keras.Input(shape=(40, 2))
x = layers.LSTM(12, return_sequences=True)(inputs)
x = layers.RepeatVector(3)(x)
out = layers.Dense(1)(x)
m2 = keras.Model(inputs, out)
"""


def test_verify_paths_on_a_file_never_runs_it(tmp_path, keras3):
    import tensorflow as tf

    frontend = pytest.importorskip("kerascheck.frontend")
    if not hasattr(frontend, "build_graphs"):
        pytest.skip("the frontend has not landed")
    marker = tmp_path / "executed.txt"
    path = tmp_path / "model.py"
    path.write_text(FILE.format(marker=str(marker)))
    lines: list[str] = []
    code = run.verify_paths([str(path)], Options(), 3, lines.append)
    assert not marker.exists()
    versions = f"keras {keras3.__version__} (tensorflow {tf.__version__})"
    assert code == 1
    assert lines[0].startswith(f"{path}:17:5: KC101 RepeatVector needs 2D")
    assert lines[1].startswith(f"    {versions} also rejects it: Input 0")
    assert lines[2:] == [f"{path}:7: verified 4 layers against {versions}",
                         f"{path}:19: verified 2 of 3 layers against {versions}; 1 after a layer Keras rejects not built"]


def test_time_distributed_counts_the_inner_layers_verdict(keras3):
    """Keras 3 builds TimeDistributed(SpatialDropout1D) on 3D input (it never calls the inner
    layer symbolically); the inner layer rejects one 2D step, and verify reports that."""
    td_bad = layer("TimeDistributed", layer("SpatialDropout1D", 0.2))
    td_good = layer("TimeDistributed", layer("Dense", 4))
    outcomes = build_model(sequential("td", 1, (None, 5, 3), td_good, td_bad), keras3)
    assert (outcomes[0].status, outcomes[0].output, outcomes[0].params) == ("built", (None, 5, 4), 16)
    assert outcomes[1].status == "rejected"
    assert outcomes[1].message.startswith("the wrapped SpatialDropout1D rejects one step of shape (None, 4): ")
    assert "expected ndim=3, found ndim=2" in outcomes[1].message


def test_variable_length_fixtures_agree_with_keras(keras3):
    """Issue table: each weight sized from a None axis is rejected by Keras as kerascheck says,
    and each fixed twin builds with the shapes kerascheck infers (no KC91x disagreement)."""
    from pathlib import Path

    programs = Path(__file__).resolve().parents[2] / "fixtures" / "programs"
    paths = [str(programs / "variable_length_unsized_weights.py"), str(programs / "variable_length_pooled.py")]
    lines: list[str] = []
    assert run.verify_paths(paths, Options(), 3, lines.append) == 1
    assert not [line for line in lines if " KC9" in line]
    rejected = [line for line in lines if "also rejects it" in line]
    assert len(rejected) == 9
    verified = [line for line in lines if ": verified " in line and "variable_length_pooled" in line]
    assert len(verified) == 10 and all(" of " not in line for line in verified)
