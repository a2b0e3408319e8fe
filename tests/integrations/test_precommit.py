"""The pre-commit hook for real: a temporary repository with a broken model, `pre-commit try-repo`
against this checkout, and the hook failing with our message."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.helpers import BROKEN, write

ROOT = Path(__file__).resolve().parents[2]

pytest.importorskip("pre_commit")


def git(*args, cwd):
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True)


def test_hook_definition():
    text = (ROOT / ".pre-commit-hooks.yaml").read_text()
    for line in ("- id: kerascheck", "entry: kerascheck", "language: python", "types_or: [python, jupyter]"):
        assert line in text


def test_try_repo_fails_on_a_broken_model(tmp_path):
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: try-repo needs one")
    repo = write(tmp_path / "user", {"model.py": BROKEN, "fine.py": "x = 1\n"})
    git("init", "-q", cwd=repo)
    git("add", ".", cwd=repo)
    git("commit", "-q", "-m", "model", cwd=repo)
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "PRE_COMMIT_COLOR": "never"}
    ran = subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "kerascheck",
                          "--all-files"], cwd=repo, env=env, capture_output=True, text=True, timeout=900)
    output = ran.stdout + ran.stderr
    assert ran.returncode == 1, output[-3000:]
    assert "kerascheck" in output and "Failed" in output
    assert "model.py:4:11: KC301 Dense units must be a positive integer" in output
    assert "fine.py" not in output.split("Failed", 1)[1]


def test_the_documented_local_hook_works_as_written(tmp_path):
    """The first configuration in docs/integrations.md, copied as it is into a new repository,
    fails the run on a broken model and on a broken notebook, and passes clean files."""
    docs = (ROOT / "docs" / "integrations.md").read_text(encoding="utf-8")
    section = docs.split("## pre-commit", 1)[1]
    config = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    from tests.cli.helpers import notebook

    repo = write(tmp_path / "user", {".pre-commit-config.yaml": config, "model.py": BROKEN, "fine.py": "x = 1\n",
                                     "nb.ipynb": notebook(("code", BROKEN))})
    git("init", "-q", cwd=repo)
    git("add", ".", cwd=repo)
    git("commit", "-q", "-m", "model", cwd=repo)
    bin_dir = os.path.dirname(sys.executable)
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "PRE_COMMIT_COLOR": "never",
           "PATH": bin_dir + os.pathsep + os.environ.get("PATH", "")}
    ran = subprocess.run([sys.executable, "-m", "pre_commit", "run", "--all-files"], cwd=repo, env=env,
                         capture_output=True, text=True, timeout=600)
    output = ran.stdout + ran.stderr
    assert ran.returncode == 1 and "Failed" in output, output[-3000:]
    assert "model.py:4:11: KC301 " in output and "nb.ipynb:cell_1:4:11: KC301 " in output
    assert "fine.py" not in output
