"""End to end on real programs: the frontend, rules and reports together.

`kerascheck summary` must print the very table Keras 3 prints for the same program (the program
is executed here only to ask Keras; kerascheck itself never runs it).
"""

from __future__ import annotations

import json

import pytest

from tests.cli.helpers import cli, write

SEQUENTIAL = '''
from tensorflow import keras
from tensorflow.keras import layers

n_steps, n_features = 40, 2
model = keras.Sequential([
    keras.Input(shape=(n_steps, n_features)),
    layers.Conv1D(16, 5, padding="causal", activation="relu"),
    layers.MaxPooling1D(2),
    layers.LSTM(32, return_sequences=True),
    layers.TimeDistributed(layers.Dense(8, name="per_step")),
    layers.Flatten(),
    layers.Dense(1000),
    layers.BatchNormalization(),
    layers.Dense(1, activation="sigmoid"),
], name="model")
'''

FUNCTIONAL = '''
import keras
from keras import layers

tokens = keras.Input(shape=(None,), dtype="int32", name="tokens")
extra = keras.Input(shape=(7,), name="extra")
x = layers.Embedding(5000, 64)(tokens)
x = layers.Bidirectional(layers.GRU(32))(x)
shared = layers.Dense(16, activation="relu")
y = shared(extra)
merged = layers.Concatenate()([x, y])
score = layers.Dense(1, name="score")(merged)
kind = layers.Dense(3, activation="softmax", name="kind")(merged)
model = keras.Model(inputs=[tokens, extra], outputs=[score, kind], name="model")
'''


def keras_table(keras3, source: str, monkeypatch) -> list[str]:
    keras3.backend.clear_session()  # fresh automatic layer names, as kerascheck counts them per file
    namespace: dict = {}
    exec(compile(source, "program.py", "exec"), namespace)
    monkeypatch.setenv("COLUMNS", "200")
    captured: list[str] = []
    namespace["model"].summary(print_fn=captured.append)
    lines = "".join(captured).splitlines()
    end = next(i for i, line in enumerate(lines) if line.startswith(" Non-trainable params"))
    return [line.rstrip() for line in lines[: end + 1]]


@pytest.mark.parametrize("source", [SEQUENTIAL, FUNCTIONAL], ids=["sequential", "functional"])
def test_summary_is_keras_summary(keras3, tmp_path, monkeypatch, source):
    write(tmp_path, {"program.py": source})
    expected = keras_table(keras3, source, monkeypatch)
    result = cli(["summary", "program.py"], tmp_path, env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    location, *table = result.stdout.splitlines()
    assert location == f"program.py:{source.splitlines().index(next(l for l in source.splitlines() if l.startswith('model =')))+1}"
    assert table == expected


def test_automatic_names_count_wrapped_layers(tmp_path):
    """Keras names the Dense inside TimeDistributed first, so the next Dense is dense_1."""
    write(tmp_path, {"program.py": SEQUENTIAL.replace('layers.Dense(8, name="per_step")', "layers.Dense(8)")})
    document = json.loads(cli(["--format", "json", "program.py"], tmp_path).stdout)
    names = [row["name"] for row in document["files"][0]["models"][0]["layers"]]
    assert names[names.index("time_distributed") + 2] == "dense_1"


def test_json_models_for_a_functional_program(tmp_path):
    write(tmp_path, {"program.py": FUNCTIONAL})
    document = json.loads(cli(["--format", "json", "program.py"], tmp_path).stdout)
    (model,) = document["files"][0]["models"]
    assert model["kind"] == "functional" and model["total_params"] == 5000 * 64 + 2 * 3 * (64 * 32 + 32 * 32 + 2 * 32) \
        + (7 * 16 + 16) + (80 + 1) + (80 * 3 + 3)
    rows = {row["name"]: row for row in model["layers"]}
    assert rows["tokens"]["output_shape"] == [None, None]
    assert rows["bidirectional"]["output_shape"] == [None, 64]
    assert rows["concatenate"]["output_shape"] == [None, 80]
    assert rows["kind"]["line"] == 13


def test_seed_fixtures_report_their_codes(tmp_path):
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "fixtures" / "seeds"
    result = cli(["--select", "KC3", str(root / "seed0_stacked_targets_broken.py"), str(root / "seed1_one_to_many.py")],
                 tmp_path)
    (line,) = result.stdout.splitlines()
    assert line.endswith("use Dense(10 * 2) then Reshape((10, 2)) [fixable with --unsafe-fixes]")
    assert ":15:" in line and " KC301 Dense units must be a positive integer, got (10, 2)" in line
