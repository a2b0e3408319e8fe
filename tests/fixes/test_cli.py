"""``kerascheck --diff`` and ``--fix`` through the command line: output, files, exit codes."""

from __future__ import annotations

import difflib
from pathlib import Path

from tests.cli.helpers import cli, notebook, write

CASES = Path(__file__).resolve().parent / "cases"
ENCODER = (CASES / "rnn_return_sequences_false" / "before.py").read_text(encoding="utf-8")
ENCODER_FIXED = (CASES / "rnn_return_sequences_false" / "after.py").read_text(encoding="utf-8")

CONFLICT = """\
import numpy as np
from keras.models import Sequential
from keras.layers import Conv2D, Dense, Flatten

images = np.random.random((32, 28, 28))
model = Sequential()
model.add(Conv2D(8, (3, 3), activation="relu", input_shape=(28, 28)))
model.add(Flatten())
model.add(Dense(1))
model.compile(loss="mse", optimizer="adam")
model.fit(images, np.random.random((32, 1)), epochs=1)
"""


def test_diff_prints_the_fixes_and_writes_nothing(tmp_path):
    write(tmp_path, {"model.py": ENCODER})
    result = cli(["--diff", "model.py"], tmp_path)
    expected = "".join(difflib.unified_diff(ENCODER.splitlines(True), ENCODER_FIXED.splitlines(True),
                                            "a/model.py", "b/model.py"))
    assert result.exit_code == 1 and result.stdout == expected
    assert (tmp_path / "model.py").read_text(encoding="utf-8") == ENCODER


def test_fix_writes_in_place_then_nothing_is_left(tmp_path):
    write(tmp_path, {"model.py": ENCODER, "clean.py": "import keras\n"})
    result = cli(["--fix", "."], tmp_path)
    assert result.exit_code == 0 and result.stdout == ""
    assert "model.py: 1 fix(es) applied" in result.stderr
    assert (tmp_path / "model.py").read_text(encoding="utf-8") == ENCODER_FIXED
    assert (tmp_path / "clean.py").read_text(encoding="utf-8") == "import keras\n"
    again = cli(["--diff", "."], tmp_path)
    assert again.exit_code == 0 and again.stdout == ""


def test_fix_keeps_crlf_newlines_and_a_missing_final_newline(tmp_path):
    source = ENCODER.rstrip("\n").replace("\n", "\r\n")
    (tmp_path / "model.py").write_bytes(source.encode("utf-8"))
    assert cli(["--fix", "model.py"], tmp_path).exit_code == 0
    assert (tmp_path / "model.py").read_bytes() == ENCODER_FIXED.rstrip("\n").replace("\n", "\r\n").encode("utf-8")


def test_conflicting_fixes_are_made_by_a_second_pass_of_the_same_run(tmp_path):
    write(tmp_path, {"model.py": CONFLICT})
    diff = cli(["--diff", "--extend-select", "KC650", "model.py"], tmp_path)
    fixed = cli(["--fix", "--extend-select", "KC650", "model.py"], tmp_path)
    assert fixed.exit_code == 0 and fixed.stdout == "" and "not fixed" not in fixed.stderr
    assert "model.py: 2 fix(es) applied" in fixed.stderr
    text = (tmp_path / "model.py").read_text(encoding="utf-8")
    assert "model.add(Input(shape=(28, 28, 1)))\nmodel.add(Conv2D(8, (3, 3), activation=\"relu\"))\n" in text
    assert "from keras.layers import Conv2D, Dense, Flatten, Input\n" in text
    assert diff.stdout == "".join(difflib.unified_diff(CONFLICT.splitlines(True), text.splitlines(True),
                                                       "a/model.py", "b/model.py"))


def test_a_fix_left_by_the_last_pass_is_reported(tmp_path, monkeypatch):
    from kerascheck.fixes import run

    monkeypatch.setattr(run, "MAX_PASSES", 1)
    write(tmp_path, {"model.py": CONFLICT})
    first = cli(["--fix", "--extend-select", "KC650", "model.py"], tmp_path)
    assert first.exit_code == 1
    assert ("model.py:7:11: KC650 not fixed (move input_shape= into an Input(shape=...) before the layer): "
            "another fix already changes the same part of the call") in first.stderr
    (remaining,) = first.stdout.splitlines()
    assert remaining.startswith("model.py:7:11: KC650 ") and remaining.endswith(" [fixable]")


def test_fix_exits_1_when_problems_remain(tmp_path):
    source = ENCODER + "other = Sequential([Input(shape=(64,)), Reshape((8, 10))])\n"
    source = source.replace("TimeDistributed, Dense", "TimeDistributed, Dense, Reshape")
    write(tmp_path, {"model.py": source})
    result = cli(["--fix", "model.py"], tmp_path)
    assert result.exit_code == 1
    (remaining,) = result.stdout.splitlines()
    assert " KC202 " in remaining and "[fixable]" not in remaining
    assert "return_sequences=False))  # the encoder" in (tmp_path / "model.py").read_text(encoding="utf-8")


def test_notebooks_are_left_alone_and_the_user_told(tmp_path):
    write(tmp_path, {"nb.ipynb": notebook(("code", ENCODER))})
    before = (tmp_path / "nb.ipynb").read_text(encoding="utf-8")
    result = cli(["--fix", "nb.ipynb"], tmp_path)
    assert result.exit_code == 1 and "nb.ipynb: notebooks are not fixed (1 fixable problem(s) left)" in result.stderr
    assert (tmp_path / "nb.ipynb").read_text(encoding="utf-8") == before


def test_usage_errors(tmp_path):
    write(tmp_path, {"model.py": ENCODER})
    assert cli(["--fix", "--diff", "model.py"], tmp_path).exit_code == 2
    assert cli(["--fix", "-"], tmp_path, stdin=ENCODER).exit_code == 2


def test_a_layer_shared_by_two_models_is_fixed_only_if_both_agree(tmp_path):
    source = """\
from keras import Input, Model
from keras.layers import Dense

pixels = Input(shape=(784,))
code = Dense((8, 4))(pixels)
decoded = Dense(784)(code)
encoder = Model(pixels, code)
autoencoder = Model(pixels, decoded)
"""
    write(tmp_path, {"model.py": source})
    result = cli(["--diff", "model.py"], tmp_path)
    assert result.exit_code == 0 and result.stdout == ""


LOSS = (CASES / "loss_sparse" / "before.py").read_text(encoding="utf-8")
LOSS_FIXED = (CASES / "loss_sparse" / "after.py").read_text(encoding="utf-8")


def test_unsafe_fixes_are_shown_and_made_only_when_asked(tmp_path):
    write(tmp_path, {"model.py": LOSS})
    report = cli(["model.py"], tmp_path)
    assert report.stdout.rstrip().endswith("[fixable with --unsafe-fixes]")
    assert cli(["--diff", "model.py"], tmp_path).stdout == ""
    assert cli(["--fix", "model.py"], tmp_path).exit_code == 1
    assert (tmp_path / "model.py").read_text(encoding="utf-8") == LOSS
    diff = cli(["--diff", "--unsafe-fixes", "model.py"], tmp_path)
    assert diff.exit_code == 1 and "+" in diff.stdout and "categorical_crossentropy" in diff.stdout
    assert (tmp_path / "model.py").read_text(encoding="utf-8") == LOSS
    fixed = cli(["--fix", "--unsafe-fixes", "model.py"], tmp_path)
    assert fixed.exit_code == 0
    assert (tmp_path / "model.py").read_text(encoding="utf-8") == LOSS_FIXED


def test_unsafe_fixes_alone_is_a_usage_error(tmp_path):
    write(tmp_path, {"model.py": LOSS})
    result = cli(["--unsafe-fixes", "model.py"], tmp_path)
    assert result.exit_code == 2 and "--unsafe-fixes goes with --fix or --diff" in result.stderr
