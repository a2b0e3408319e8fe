"""`rule`, docs/rules.md in sync, `verify` / `--verify` wiring, `summary`, light start-up."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
import pytest

from kerascheck.diagnostics import CATALOG
from kerascheck.docs import REGENERATE, rules_markdown
from tests.cli.helpers import BROKEN, CLEAN, cli, write

ROOT = Path(__file__).resolve().parents[2]


def test_rule_prints_the_doc(tmp_path):
    result = cli(["rule", "kc101"], tmp_path)
    assert result.exit_code == 0
    entry = CATALOG["KC101"]
    assert result.stdout.startswith(f"KC101 {entry.name} (error)\n")
    for title in ("What it does", "Why is this bad", "Example", "Use instead"):
        assert f"\n{title}\n" in result.stdout
    assert entry.why in result.stdout and entry.fix.splitlines()[0] in result.stdout


@pytest.mark.parametrize("args", [["--help"], ["-h"]])
def test_the_top_level_help_shows_the_check_options_and_the_commands(tmp_path, args):
    from kerascheck.cli import main

    result = cli(args, tmp_path)
    assert result.exit_code == 0
    options = [name for p in main.commands["check"].params if isinstance(p, click.Option) for name in p.opts]
    assert "--select" in options and "--format" in options
    missing = [name for name in options if name not in result.stdout]
    assert missing == [] and "--version" in result.stdout
    assert all(f"\n  {command} " in result.stdout for command in main.commands)


def test_rule_errors(tmp_path):
    assert cli(["rule", "KC999"], tmp_path).exit_code == 2
    assert cli(["rule"], tmp_path).exit_code == 2


def test_rule_all_markdown_is_docs_rules_md(tmp_path):
    assert cli(["rule", "--all", "--markdown"], tmp_path).stdout == rules_markdown()
    every = cli(["rule", "--all"], tmp_path).stdout
    assert all(f"{code} {entry.name} ({entry.severity}" in every for code, entry in CATALOG.items())


def test_docs_rules_md_is_in_sync_with_the_catalog():
    written = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert written == rules_markdown(), f"docs/rules.md is stale: run `{REGENERATE}`"
    assert all(f"### {code} {entry.name}" in written for code, entry in CATALOG.items())


@pytest.fixture
def recorded_verify(monkeypatch):
    import kerascheck.verify.run as run

    calls = []

    def fake(paths, options, keras_version, echo, show_static=True):
        calls.append((list(paths), options.keras_version, keras_version, show_static))
        echo("verified")
        return 0

    monkeypatch.setattr(run, "verify_paths", fake)
    return calls


def test_verify_command_and_flag_call_verify_paths(tmp_path, recorded_verify):
    write(tmp_path, {"broken.py": BROKEN, "clean.py": CLEAN})
    result = cli(["verify", "clean.py", "--keras-version", "2"], tmp_path)
    assert (result.exit_code, result.stdout) == (0, "verified\n")
    assert recorded_verify == [(["clean.py"], 2, 2, True)]
    flagged = cli(["broken.py", "--verify"], tmp_path)
    assert flagged.exit_code == 1 and flagged.stdout.splitlines()[-1] == "verified"
    # the static lines were just printed: verify must not print them again
    assert recorded_verify[-1] == (["broken.py"], None, 3, False)
    assert cli(["verify"], tmp_path).exit_code == 2


def test_summary_command_prints_tables_and_reports_problems_on_stderr(tmp_path):
    write(tmp_path, {"broken.py": BROKEN, "clean.py": CLEAN})
    result = cli(["summary", "broken.py", "clean.py"], tmp_path)
    first, second = result.stdout.splitlines()[:2]
    assert first.startswith("broken.py:") and second.startswith('Model: "')
    assert "Layer (type)" in result.stdout and "Total params" in result.stdout
    assert result.stderr.startswith("broken.py:4:11: KC301 ")
    assert result.exit_code == 1
    empty = cli(["summary", "clean.py"], tmp_path)
    assert (empty.exit_code, empty.stdout, empty.stderr) == (0, "", "no Keras models found\n")


@pytest.mark.parametrize("args", [["rule", "KC101"], ["--show-config"], ["--help"], ["clean.py"]])
def test_startup_imports_neither_libcst_nor_numpy_nor_tensorflow(tmp_path, args):
    write(tmp_path, {"clean.py": "print('no models here')\n"})
    ran = subprocess.run([sys.executable, "-X", "importtime", "-m", "kerascheck", *args], cwd=tmp_path,
                         capture_output=True, text=True, timeout=60)
    assert ran.returncode == 0, ran.stderr[-2000:]
    imported = {line.split("|")[-1].strip().split(".")[0] for line in ran.stderr.splitlines()
                if line.startswith("import time:")}
    assert "kerascheck" in imported
    assert not imported & {"libcst", "numpy", "tensorflow", "keras", "jsonschema"}


def test_version(tmp_path):
    from importlib.metadata import version

    result = cli(["--version"], tmp_path)
    assert (result.exit_code, result.stdout) == (0, f"kerascheck, version {version('kerascheck')}\n")
