"""Exit codes of the documented cases not covered elsewhere (missing path: test_cli and
robustness; binary file: test_cli): a file that is a syntax error, cannot be read, or is a
directory; a FIFO in a walk. 0 nothing reported, 1 something reported, 2 usage error."""

from __future__ import annotations

import errno
import os
import subprocess
import sys

import pytest

from tests.cli.helpers import BROKEN, SYNTAX_ERROR, cli, write


def test_syntax_error_alone_exits_1_and_ignoring_it_exits_0(tmp_path):
    write(tmp_path, {"bad.py": SYNTAX_ERROR})
    result = cli(["bad.py"], tmp_path)
    assert result.exit_code == 1
    (line,) = result.stdout.splitlines()
    assert line.startswith("bad.py:3:") and ": KC001 syntax error: " in line
    assert cli(["bad.py", "--ignore", "KC001"], tmp_path).exit_code == 0


def test_unreadable_file_exits_1_with_kc002(tmp_path, monkeypatch):
    # reading as root succeeds whatever the mode: fail the read itself as a permission error would
    import kerascheck.files

    def denied(path, *args, **kwargs):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), path)

    write(tmp_path, {"locked.py": BROKEN, "ok.py": BROKEN})
    monkeypatch.setattr(kerascheck.files, "open", denied, raising=False)
    result = cli(["locked.py"], tmp_path)
    assert (result.exit_code, result.stdout) == (1, "locked.py:1:1: KC002 cannot read file: Permission denied\n")
    json_result = cli(["locked.py", "--format", "json"], tmp_path)
    assert json_result.exit_code == 1 and '"code": "KC002"' in json_result.stdout


@pytest.mark.parametrize("contents, status", [({"pkg.py/model.py": BROKEN}, 1), ({"pkg.py/notes.txt": BROKEN}, 0)])
def test_directory_named_like_a_file_is_walked(tmp_path, contents, status):
    write(tmp_path, contents)
    result = cli(["pkg.py"], tmp_path)
    assert result.exit_code == status
    assert result.stdout.startswith("pkg.py/model.py:4:11: KC301 ") if status else result.stdout == ""


def test_directory_as_config_file_is_a_usage_error(tmp_path):
    write(tmp_path, {"model.py": BROKEN, "settings/keep": ""})
    result = cli(["model.py", "--config", "settings"], tmp_path)
    assert result.exit_code == 2 and result.stdout == ""
    assert "'settings' is a directory" in result.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_fifo_in_a_walk_is_passed_by_not_waited_on(tmp_path):
    write(tmp_path, {"src/model.py": BROKEN})
    os.mkfifo(tmp_path / "src" / "pipe.py")  # reading it would block until something writes
    result = subprocess.run([sys.executable, "-m", "kerascheck", "src"], cwd=tmp_path, capture_output=True,
                            text=True, timeout=60)  # a process, so that a hang fails instead of blocking
    assert result.returncode == 1, result.stderr
    assert [line.split(":")[0] for line in result.stdout.splitlines()] == ["src/model.py"]
