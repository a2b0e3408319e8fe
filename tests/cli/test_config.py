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
    assert 'select = ["KC2"]\nextend-select = []' in overridden.stdout  # --select replaces the whole selection and "keras-version = 3" in overridden.stdout


@pytest.mark.parametrize("table, key", [
    ('colour = "always"', "colour"),
    ('select = "KC1, E501"', "select"),
    ("ignore = [3]", "ignore"),
    ("keras-version = 4", "keras-version"),
    ('keras-version = "latest"', "keras-version"),
    ('per-file-ignores = ["x"]', "per-file-ignores"),
    ('[tool.kerascheck.per-file-ignores]\n"a.py" = ["W1"]', "per-file-ignores"),
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


def test_per_file_options_extend_ignore():
    options = Options(per_file_ignores={"tests/*": ("KC3",), "*_gen.py": ("KC1",)}, root="/r")
    assert options.for_file("/r/tests/a.py").ignore == ("KC3",)
    assert options.for_file("/r/src/x_gen.py").ignore == ("KC1",)
    assert options.for_file("/r/src/a.py") is options
