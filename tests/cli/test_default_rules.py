"""The default rule set and what fails a run: errors and warnings exit 1; the opt-in notes
(KC650, KC651, KC654) are reported only when selected; an info line never changes the exit code."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kerascheck.config import Options
from kerascheck.diagnostics import CATALOG, Diagnostic
from kerascheck.graph import Position
from kerascheck.report import FileReport, Tally
from tests.cli.helpers import cli, write

SEEDS = Path(__file__).resolve().parents[2] / "fixtures" / "seeds"
# accepted answers: correct programs that declare their input the Keras 2 way (input_shape=)
CORRECT_WITH_INPUT_SHAPE = ["seed0_stacked_targets_reshape.py", "seed0_stacked_targets_timedistributed.py",
                            "seed4_causal_conv_lstm.py"]
DEPRECATED = """from keras.models import Sequential
from keras.layers import Dense, Embedding
model = Sequential()
model.add(Embedding(100, 8, input_length=10))
model.add(Dense(1, input_shape=(10, 8)))
"""


@pytest.mark.parametrize("name", CORRECT_WITH_INPUT_SHAPE)
def test_a_correct_program_with_input_shape_exits_0_by_default(name, tmp_path):
    shutil.copy(SEEDS / name, tmp_path / name)
    assert "input_shape=" in (tmp_path / name).read_text(encoding="utf-8")
    result = cli([name], tmp_path)
    assert (result.exit_code, result.stdout) == (0, "")
    selected = cli(["--extend-select", "KC650", name], tmp_path)
    assert selected.exit_code == 1 and set(code_of(line) for line in selected.stdout.splitlines()) == {"KC650"}


def code_of(line: str) -> str:
    return line.split(": ", 1)[1].split()[0]


def test_the_opt_in_codes_are_the_style_migration_and_deprecation_notes():
    assert sorted(code for code, entry in CATALOG.items() if entry.opt_in) == ["KC650", "KC651", "KC654"]
    assert all(CATALOG[code].severity == "warning" for code in ("KC650", "KC651", "KC654"))


@pytest.mark.parametrize("args, expected", [
    ([], []),
    (["--extend-select", "KC650"], ["KC650"]),
    (["--extend-select", "KC65"], ["KC650", "KC651"]),
    (["--select", "KC"], ["KC650", "KC651"]),  # every code
    (["--select", "KC6"], ["KC650", "KC651"]),
    (["--ignore", "KC6", "--extend-select", "KC650"], ["KC650"]),  # the longer prefix wins
    (["--extend-select", "KC65", "--ignore", "KC651"], ["KC650"]),
])
def test_opt_in_codes_need_a_selection(args, expected, tmp_path):
    write(tmp_path, {"model.py": DEPRECATED})
    result = cli([*args, "model.py"], tmp_path)
    assert sorted(code_of(line) for line in result.stdout.splitlines()) == expected
    assert result.exit_code == (1 if expected else 0)


def test_extend_select_in_the_config_adds_an_opt_in_code(tmp_path):
    write(tmp_path, {"model.py": DEPRECATED,
                     "pyproject.toml": '[tool.kerascheck]\nextend-select = ["KC651"]\n'})
    result = cli(["model.py"], tmp_path)
    assert [code_of(line) for line in result.stdout.splitlines()] == ["KC651"]
    shown = cli(["--show-config", "model.py"], tmp_path).stdout
    assert "# select: the default set, every code but KC650, KC651, KC654\nextend-select = [\"KC651\"]" in shown


def test_options_enabled_follows_the_default_set():
    default = Options()
    assert default.enabled("KC101") and default.enabled("KC601") and not default.enabled("KC650")
    assert Options(select=("KC",)).enabled("KC650")
    assert Options(extend_select=("KC654",)).enabled("KC654") and not Options(ignore=("KC1",)).enabled("KC101")


INFO = Diagnostic("KC915", Position(3, 1, 3, 10), "model 'm' not verified: a Lambda runs your code")


def test_an_info_diagnostic_is_shown_and_never_fails(tmp_path, monkeypatch):
    import kerascheck.runner

    write(tmp_path, {"model.py": "import keras\n"})
    monkeypatch.setattr(kerascheck.runner, "check_items",
                        lambda items, options, jobs=1: iter([FileReport("model.py", [INFO])]))
    assert INFO.severity == "info" and not INFO.fails
    result = cli(["model.py"], tmp_path)
    assert (result.exit_code, result.stdout) == (0, "model.py:3:1: KC915 model 'm' not verified: a Lambda runs your code\n")
    github = cli(["--format", "github", "model.py"], tmp_path)
    assert github.exit_code == 0 and github.stdout.startswith("::notice file=model.py,line=3,")
    sarif = cli(["--format", "sarif", "model.py"], tmp_path)
    assert sarif.exit_code == 0 and '"level": "note"' in sarif.stdout


def test_the_tally_counts_info_apart_from_problems():
    tally = Tally()
    tally.add(FileReport("a.py", [INFO]))
    assert (tally.problems, tally.infos) == (0, 1)
    assert tally.line() == "1 info in 1 file"
    assert Tally(errors=2, infos=3, files=4, files_with_problems=2).line() == "2 errors, 3 info in 2 files"
