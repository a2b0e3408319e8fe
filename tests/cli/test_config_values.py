"""kerascheck/config.py read directly: each key's value, the exact error texts, ``--show-settings``'s
TOML, and the corners of finding a pyproject.toml (a "-" path, no ``[tool]`` table)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from kerascheck.config import (ConfigError, Options, codes, describe, find_config, from_table, load_table,
                               matches_any)

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]


def test_every_key_of_the_table_is_read(tmp_path):
    path = str(tmp_path / "pyproject.toml")
    options = from_table({"select": ["KC1"], "extend-select": "KC650", "ignore": ["KC101"], "exclude": ["build/"],
                          "force-exclude": True, "keras-version": "2", "max-file-size": 0.5,
                          "per-file-ignores": {"tests/*": "KC3"}}, path)
    assert (options.select, options.extend_select, options.ignore) == (("KC1",), ("KC650",), ("KC101",))
    assert options.exclude == ("build/",) and options.force_exclude is True
    assert options.keras_version == 2 and options.keras_version_from == f"{path}: [tool.kerascheck] keras-version"
    assert options.max_file_size == 0.5 and options.per_file_ignores == {"tests/*": ("KC3",)}
    assert options.config_file == path and options.root == str(tmp_path)


def test_settings_are_shown_as_toml_that_reads_back(tmp_path):
    path = str(tmp_path / "pyproject.toml")
    options = from_table({"select": ["KC1", "KC3"], "ignore": ["KC101"], "exclude": ["build/", "gen/"],
                          "force-exclude": True, "keras-version": 3, "per-file-ignores": {"tests/*": ["KC3", "KC1"]}},
                         path)
    text = describe(options)
    assert text.splitlines() == [
        f"# settings from {path}", "[tool.kerascheck]", 'select = ["KC1", "KC3"]', "extend-select = []",
        'ignore = ["KC101"]', 'exclude = ["build/", "gen/"]', "force-exclude = true", "keras-version = 3",
        "max-file-size = 1", "", "[tool.kerascheck.per-file-ignores]", '"tests/*" = ["KC3", "KC1"]']
    table = tomllib.loads(text)["tool"]["kerascheck"]
    assert from_table(table, path) == options


def test_default_settings_are_shown_as_defaults():
    lines = describe(Options()).splitlines()
    assert lines[:2] == ["# settings from no [tool.kerascheck] found: defaults", "[tool.kerascheck]"]
    assert lines[2].startswith("# select: the default set, every code but KC")
    assert lines[6:] == ["force-exclude = false", 'keras-version = "auto"', "max-file-size = 1", "",
                         "[tool.kerascheck.per-file-ignores]"]


@pytest.mark.parametrize("table, message", [
    ({"select": ["KC1", "E501"]}, "select: 'E501' is not a kerascheck code or prefix (like KC, KC1 or KC101)"),
    ({"ignore": "KC1,W6"}, "ignore: 'W6' is not a kerascheck code or prefix (like KC, KC1 or KC101)"),
    ({"force-exclude": "yes"}, "force-exclude: must be true or false, got 'yes'"),
    ({"keras-version": 4}, "keras-version: must be 2 or 3, got 4"),
    ({"exclude": [1]}, "exclude: must be a list of strings, got [1]"),
])
def test_errors_name_the_file_the_key_and_the_value(table, message):
    with pytest.raises(ConfigError) as error:
        from_table(table, "p/pyproject.toml")
    assert str(error.value) == f"p/pyproject.toml: [tool.kerascheck] {message}"


def test_codes_skip_empty_entries_and_read_any_case():
    assert codes(["KC1,,KC2", " kc3 ", ""], "x") == ("KC1", "KC2", "KC3")


def test_globs_match_the_path_as_given():
    assert not matches_any("src/gen/model.py", ())
    assert matches_any("src/gen/model.py", ("src/gen/*",))  # no root: only the path as given matches
    assert not matches_any("src/gen/model.py", ("gen/*",))


def test_a_pyproject_without_tool_tables_has_no_settings(tmp_path):
    bare, other, wrong = tmp_path / "bare.toml", tmp_path / "other.toml", tmp_path / "wrong.toml"
    bare.write_text("[project]\nname = 'x'\n")
    other.write_text("[tool.ruff]\nline-length = 100\n")
    wrong.write_text("[tool]\nkerascheck = 3\n")
    assert load_table(str(bare)) is None and load_table(str(other)) is None
    with pytest.raises(ConfigError) as error:
        load_table(str(wrong))
    assert str(error.value) == f"{wrong}: [tool.kerascheck] must be a table"


def test_an_unreadable_pyproject_is_an_error_naming_it(tmp_path):
    with pytest.raises(ConfigError) as error:
        load_table(str(tmp_path))  # a directory
    assert str(error.value).startswith(f"{tmp_path}: cannot read (")


def test_standard_input_does_not_move_where_the_config_is_looked_for(tmp_path, monkeypatch):
    (tmp_path / "project").mkdir()
    (tmp_path / "elsewhere").mkdir()
    config = tmp_path / "project" / "pyproject.toml"
    config.write_text("[tool.kerascheck]\nignore = ['KC1']\n")
    monkeypatch.chdir(tmp_path / "elsewhere")
    assert find_config(["-", str(tmp_path / "project" / "model.py")]) == str(config)
    monkeypatch.chdir(tmp_path / "project")
    assert find_config(["-"]) == str(config)


def test_a_pyproject_is_read_as_utf8_whatever_the_locale(tmp_path):
    """Under the C locale without UTF-8 mode, Python's default encoding is ASCII."""
    config = tmp_path / "pyproject.toml"
    config.write_bytes('[tool.kerascheck]\nignore = ["KC1"]  # café\n'.encode())
    env = {**os.environ, "LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}
    program = f"from kerascheck.config import load_table; print(load_table({str(config)!r}))"
    read = subprocess.run([sys.executable, "-c", program], env=env, capture_output=True, text=True, check=False)
    assert read.stdout.strip() == "{'ignore': ['KC1']}", read.stderr
