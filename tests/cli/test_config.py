"""[tool.kerascheck] in the nearest pyproject.toml, CLI overrides, errors naming file and key."""

from __future__ import annotations

import pytest

from kerascheck.config import Options, find_config
from tests.cli.helpers import BROKEN, cli, write

RANK = "from keras.layers import Dense\nfrom keras.models import Sequential\nmodel = Sequential()\nmodel.add(Dense((10, 2)))\n"


def project(tmp_path, table: str, files: dict | None = None):
    return write(tmp_path, {"pyproject.toml": f"[project]\nname = 'x'\n\n[tool.kerascheck]\n{table}\n",
                            "src/model.py": BROKEN, "tests/test_model.py": BROKEN, **(files or {})})


def reported(result) -> list[str]:
    return [line.split(":")[0] for line in result.stdout.splitlines()]


def test_ignore_from_config_and_cli_override(tmp_path):
    project(tmp_path, 'ignore = ["KC3"]')
    assert cli(["src"], tmp_path).exit_code == 0
    assert reported(cli(["src", "--ignore", "KC9"], tmp_path)) == ["src/model.py"]


def test_config_found_from_the_checked_paths_upward(tmp_path):
    project(tmp_path, 'select = ["KC1"]')
    inner = tmp_path / "src"
    assert find_config([str(inner / "model.py")]) == str(tmp_path / "pyproject.toml")
    assert cli(["model.py"], inner).exit_code == 0  # run from a subdirectory: config still applies
    assert cli(["model.py", "--extend-select", "KC3"], inner).exit_code == 1


def test_pyproject_without_our_table_is_passed_over(tmp_path):
    project(tmp_path, 'ignore = ["KC301"]')
    write(tmp_path, {"src/pyproject.toml": "[project]\nname = 'inner'\n"})
    assert cli(["src/model.py"], tmp_path).exit_code == 0


def test_per_file_ignores_and_exclude(tmp_path):
    project(tmp_path, '''exclude = ["build"]
[tool.kerascheck.per-file-ignores]
"tests/*" = ["KC301"]
''', {"build/gen.py": BROKEN})
    assert reported(cli(["."], tmp_path)) == ["./src/model.py"]
    assert reported(cli(["tests/test_model.py"], tmp_path)) == []


def test_extend_select_and_keras_version(tmp_path):
    project(tmp_path, 'select = ["KC1"]\nextend-select = ["KC30"]\nkeras-version = 2')
    result = cli(["--show-config", "src"], tmp_path)
    assert result.exit_code == 0
    assert 'select = ["KC1"]\nextend-select = ["KC30"]' in result.stdout and "keras-version = 2" in result.stdout
    assert str(tmp_path / "pyproject.toml") in result.stdout
    overridden = cli(["--show-config", "--keras-version", "3", "--select", "KC2"], tmp_path)
    assert 'select = ["KC2"]\nextend-select = []' in overridden.stdout  # --select replaces the whole selection
    assert "keras-version = 3" in overridden.stdout


@pytest.mark.parametrize("table, key", [
    ('colour = "always"', "colour"),
    ('select = "KC1, E501"', "select"),
    ("ignore = [3]", "ignore"),
    ("keras-version = 4", "keras-version"),
    ('keras-version = "latest"', "keras-version"),
    ('per-file-ignores = ["x"]', "per-file-ignores"),
    ('[tool.kerascheck.per-file-ignores]\n"a.py" = ["W1"]', "per-file-ignores.'a.py'"),
    ('[tool.kerascheck.per-file-ignores]\n"a.py" = [1]', "per-file-ignores.'a.py': must be a list of codes"),
    ('per-file-ignores = "KC1"', "per-file-ignores: must be a table"),
    ('extend-select = ["X1"]', "extend-select: 'X1' is not a kerascheck code"),
    ('ignore = ["KC1", 2]', "ignore: must be a list of strings"),
    ('max-file-size = -1', "max-file-size: must be a number of megabytes"),
    ('max-file-size = "big"', "max-file-size"),
    ('colours = 1', "unknown key (known: select, ignore, extend-select"),
    ("select = [", ""),
])
def test_bad_config_is_exit_2_naming_file_and_key(tmp_path, table, key):
    project(tmp_path, table)
    result = cli(["src"], tmp_path)
    assert result.exit_code == 2 and result.stdout == ""
    assert "pyproject.toml" in result.stderr and key in result.stderr


def test_explicit_config_file(tmp_path):
    write(tmp_path, {"other.toml": '[tool.kerascheck]\nignore = ["KC301"]\n', "m.py": RANK})
    assert cli(["m.py"], tmp_path).exit_code == 1
    assert cli(["m.py", "--config", "other.toml"], tmp_path).exit_code == 0


def test_per_file_options_are_the_files_ignores():
    options = Options(per_file_ignores={"tests/*": ("KC3",), "*_gen.py": ("KC1",)}, root="/r")
    assert options.for_file("/r/tests/a.py").file_ignores == ("KC3",)
    assert options.for_file("/r/src/x_gen.py").file_ignores == ("KC1",)
    assert options.for_file("/r/src/a.py") is options


# ruff's precedence: the longest matching prefix of select and ignore decides, ignore wins a tie,
# and a per-file ignore beats every selection.
PRECEDENCE = [
    (dict(select=("KC301",), ignore=("KC301",)), "KC301", False),
    (dict(ignore=("KC",)), "KC301", False),
    (dict(ignore=("KC",)), "KC101", False),
    (dict(select=("KC",), ignore=("KC3",)), "KC301", False),
    (dict(select=("KC",), ignore=("KC3",)), "KC101", True),
    (dict(select=("KC301",), ignore=("KC3",)), "KC301", True),
    (dict(select=("KC3",), ignore=("KC301",)), "KC301", False),
    (dict(select=("KC3",), ignore=("KC301",)), "KC302", True),
    (dict(select=("KC1",)), "KC301", False),
    (dict(select=("KC1",), ignore=("KC30",)), "KC101", True),
    (dict(select=("KC301",), per_file_ignores={"*": ("KC3",)}), "KC301", False),
    (dict(select=("KC301",), per_file_ignores={"*": ("KC301",)}), "KC301", False),
    (dict(select=("KC301",), per_file_ignores={"other.py": ("KC3",)}), "KC301", True),
]


@pytest.mark.parametrize(("settings", "code", "on"), PRECEDENCE)
def test_select_ignore_precedence(settings, code, on):
    assert Options(**settings, root="/r").for_file("/r/model.py").enabled(code) is on


def test_per_file_ignore_beats_an_explicit_select_on_the_command_line(tmp_path):
    project(tmp_path, '[tool.kerascheck.per-file-ignores]\n"src/*" = ["KC3"]')
    assert cli(["--select", "KC301", "src"], tmp_path).exit_code == 0
    assert reported(cli(["--select", "KC301", "tests"], tmp_path)) != []


def test_a_string_is_one_code_list_and_commas_separate_codes(tmp_path):
    project(tmp_path, 'ignore = "KC1, KC3"')
    assert cli(["src"], tmp_path).exit_code == 0
    project(tmp_path, 'ignore = "KC3"')
    assert cli(["src"], tmp_path).exit_code == 0
    project(tmp_path, '[tool.kerascheck.per-file-ignores]\n"src/*" = "KC3"')
    assert cli(["src"], tmp_path).exit_code == 0


def test_max_file_size_from_the_config(tmp_path):
    project(tmp_path, "max-file-size = 0.0001", {"src/model.py": RANK + "# padding\n" * 20})
    result = cli(["src"], tmp_path)
    assert [line.split(" ")[1] for line in result.stdout.splitlines()] == ["KC004"]
    project(tmp_path, "max-file-size = 0", {"src/model.py": RANK + "# padding\n" * 20})
    assert [line.split(" ")[1] for line in cli(["src"], tmp_path).stdout.splitlines()] == ["KC301"]
