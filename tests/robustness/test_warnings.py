"""Parsing the user's code never echoes the user's warnings: an invalid escape like "\\d" in a
string literal, or ``x is 1``, is the user's business (flake8 has its own codes for them), and
``-W error`` must not turn them into lost values. Run as processes with warnings shown
(DeprecationWarning before Python 3.12, SyntaxWarning from 3.12)."""

from __future__ import annotations

import os
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

WARNING_SOURCE = r'''import re
import keras
pattern = re.compile("\d+")
joined = "a\d" "b\w"
x = 1
if x is 1 or "s" is not "t":
    pass
raw = b"\d"
model = keras.Sequential([keras.Input((4,)), keras.layers.Dense("\d")])
'''
# Keras rejects units="\\d": seen only if the literal's value was read despite its warning.
EXPECTED = "warn.py:9:46: KC301 Dense units must be a positive integer, got '\\\\d'"


def run(args: list[str], cwd: Path, warning_filter: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONWARNINGS": warning_filter}
    return subprocess.run([sys.executable, "-m", "kerascheck", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120, env=env)


@pytest.mark.parametrize("warning_filter", ["default", "error"])
@pytest.mark.parametrize("args", [["warn.py"], ["--format", "json", "warn.py"], ["summary", "warn.py"]])
def test_no_warning_from_the_users_code_on_stderr(tmp_path, args, warning_filter):
    (tmp_path / "warn.py").write_text(WARNING_SOURCE)
    ran = run(args, tmp_path, warning_filter)
    assert ran.returncode == 1
    if args[0] == "summary":
        assert ran.stderr.startswith(EXPECTED) and len(ran.stderr.splitlines()) == 1, ran.stderr
    else:
        assert ran.stderr == ""
        assert EXPECTED in ran.stdout if args == ["warn.py"] else '"code": "KC301"' in ran.stdout


def test_literal_values_are_read_without_warnings():
    import libcst as cst

    from kerascheck.frontend.values import literal

    # a string not read before in this process: the reading is cached
    node = cst.parse_expression(r'"test_warnings \d \w"')
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert literal(node) == "test_warnings \\d \\w"
    assert caught == []
