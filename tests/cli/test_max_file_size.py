"""--max-file-size MB: a file over the limit gets KC004 instead of a parse; the flag replaces
``max-file-size`` of ``[tool.kerascheck]``; 0 means no limit."""

from __future__ import annotations

import pytest

from tests.cli.helpers import BROKEN, cli, write

PADDED = BROKEN + "#" * (3099 - len(BROKEN)) + "\n"  # 3,100 bytes: over 0.003 MB, under 0.004 MB
OVER = "big.py:1:1: KC004 file not checked: 0.0031 MB is over the 0.003 MB limit (max-file-size)"
CHECKED = "big.py:4:11: KC301 "


@pytest.fixture
def project(tmp_path):
    assert len(PADDED.encode()) == 3100
    return write(tmp_path, {"big.py": PADDED, "small.py": BROKEN})


def test_flag_sets_the_limit(project):
    limited = cli(["big.py", "small.py", "--max-file-size", "0.003"], project)
    assert limited.exit_code == 1
    assert limited.stdout.splitlines()[0].startswith(OVER)
    assert limited.stdout.splitlines()[1].startswith("small.py:4:11: KC301 ")
    assert len(limited.stdout.splitlines()) == 2
    assert cli(["big.py", "--max-file-size", "0.004"], project).stdout.startswith(CHECKED)
    assert cli(["big.py"], project).stdout.startswith(CHECKED)  # default: 1 MB


@pytest.mark.parametrize("config, flag", [("0.003", "0"), ("0.003", "0.004"), ("0.001", "1")])
def test_flag_replaces_the_config(project, config, flag):
    write(project, {"pyproject.toml": f"[tool.kerascheck]\nmax-file-size = {config}\n"})
    assert cli(["big.py"], project).stdout.startswith("big.py:1:1: KC004 ")
    result = cli(["big.py", "--max-file-size", flag], project)
    assert result.stdout.startswith(CHECKED) and "KC004" not in result.stdout
    assert f"max-file-size = {flag}\n" in cli(["--show-config", "--max-file-size", flag], project).stdout


def test_flag_can_lower_the_config(project):
    write(project, {"pyproject.toml": "[tool.kerascheck]\nmax-file-size = 0\n"})
    assert cli(["big.py", "--max-file-size", "0.003"], project).stdout.startswith(OVER)


def test_ignoring_kc004_drops_the_file_silently(project):
    result = cli(["big.py", "--max-file-size", "0.003", "--ignore", "KC004"], project)
    assert (result.exit_code, result.stdout) == (0, "")


@pytest.mark.parametrize("value", ["-1", "nan", "abc", ""])
def test_bad_value_is_a_usage_error_naming_the_flag(project, value):
    result = cli(["big.py", "--max-file-size", value], project)
    assert result.exit_code == 2 and result.stdout == ""
    assert "--max-file-size" in result.stderr


def test_summary_and_help(project):
    summary = cli(["summary", "big.py", "--max-file-size", "0.003"], project)
    assert summary.exit_code == 1 and summary.stdout == ""
    assert summary.stderr.startswith(OVER)
    assert "no Keras models found" in summary.stderr
    for command in (["check"], ["summary"], ["verify"]):
        assert "--max-file-size MB" in cli([*command, "--help"], project).stdout
