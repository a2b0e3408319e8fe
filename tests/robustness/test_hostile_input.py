"""Bad and odd input: every file gets a result or a clear diagnostic, never a traceback, and one
bad file never hides the others' results. Runs the real command line in a subprocess, so a
crash of the parser (libcst's native code can segfault) would be caught here."""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
from pathlib import Path

import pytest

BROKEN_MODEL = (
    "from keras.models import Sequential\n"
    "from keras.layers import Dense\n"
    "model = Sequential([Dense((10, 2))])\n"
)


def run(*args: str, cwd: Path | None = None, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kerascheck", *args], capture_output=True, text=True,
                          cwd=cwd, input=stdin, timeout=600)


def assert_clean(result: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout, result.stderr
    assert result.returncode in (0, 1, 2), (result.returncode, result.stderr)


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    path = tmp_path / "broken_model.py"
    path.write_text(BROKEN_MODEL)
    return path


HOSTILE = {
    "empty.py": b"",
    "only_comments.py": b"# keras\n# tensorflow\n",
    "bom.py": b"\xef\xbb\xbf" + BROKEN_MODEL.encode(),
    "crlf.py": BROKEN_MODEL.replace("\n", "\r\n").encode(),
    "tabs.py": b"import keras\nif True:\n\tmodel = keras.Sequential()\n\tmodel.add(keras.layers.Dense(2))\n",
    "latin1_declared.py": b"# -*- coding: latin-1 -*-\nimport keras\nname = '\xe9t\xe9'\n",
    "latin1_undeclared.py": b"import keras\nname = '\xe9t\xe9'\n",
    "binary.py": bytes(range(256)) * 4,
    "deep_parentheses.py": b"import keras\nx = " + b"(" * 5000 + b"1" + b")" * 5000 + b"\n",
    "long_sum.py": b"import keras\nx = " + b"+".join([b"1"] * 20000) + b"\n",
    "long_line.py": b"import keras\nx = [" + b"1, " * 200000 + b"]\n",
    "syntax_error.py": b"import keras\nmodel = keras.Sequential(\n",
    "self_add.py": b"import keras\nmodel = keras.Sequential()\nmodel.add(model)\nmodel.add(keras.layers.Dense(3))\n",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_file_next_to_a_broken_model(tmp_path: Path, broken: Path, name: str) -> None:
    hostile = tmp_path / name
    hostile.write_bytes(HOSTILE[name])
    result = run(str(hostile), str(broken))
    assert_clean(result)
    assert f"{broken}:3:21: KC301" in result.stdout, result.stdout
    assert result.returncode == 1


@pytest.mark.parametrize("name, code", [
    ("binary.py", "KC002"), ("latin1_undeclared.py", "KC002"), ("syntax_error.py", "KC001"),
    ("deep_parentheses.py", "KC00"), ("long_sum.py", "KC00"),
])
def test_unreadable_or_unparsable_file_gets_a_diagnostic(tmp_path: Path, name: str, code: str) -> None:
    hostile = tmp_path / name
    hostile.write_bytes(HOSTILE[name])
    result = run(str(hostile))
    assert_clean(result)
    assert f"{hostile}:" in result.stdout and f" {code}" in result.stdout, result.stdout


@pytest.mark.parametrize("name", ["bom.py", "crlf.py"])
def test_bom_and_crlf_positions_are_those_of_the_plain_file(tmp_path: Path, name: str) -> None:
    hostile = tmp_path / name
    hostile.write_bytes(HOSTILE[name])
    assert f"{hostile}:3:21: KC301" in run(str(hostile)).stdout


def write_big(path: Path, megabytes: float, header: str) -> None:
    filler = "values_{0} = [{0}, {0} + 1, {0} * 2]  # generated\n"
    with path.open("w") as handle:
        handle.write(header)
        i = 0
        while handle.tell() < megabytes * 1_000_000:
            handle.write(filler.format(i))
            i += 1


def test_ten_megabyte_file_is_reported_not_parsed(tmp_path: Path, broken: Path) -> None:
    big = tmp_path / "big.py"
    write_big(big, 10, "import keras\n")
    result = run(str(big), str(broken))
    assert_clean(result)
    assert f"{big}:1:1: KC004 file not checked: 10 MB is over the 1 MB limit (max-file-size)" \
        in result.stdout, result.stdout
    assert f"{broken}:3:21: KC301" in result.stdout
    assert result.returncode == 1


def test_big_file_without_keras_is_skipped_silently(tmp_path: Path, broken: Path) -> None:
    big = tmp_path / "big_plain.py"
    write_big(big, 3, "import json\n")
    result = run(str(big), str(broken))
    assert_clean(result)
    assert str(big) not in result.stdout and f"{broken}:3:21: KC301" in result.stdout


def test_max_file_size_is_configurable(tmp_path: Path, broken: Path) -> None:
    big = tmp_path / "big.py"
    write_big(big, 0.02, "import keras\nmodel = keras.Sequential([keras.layers.Dense((1, 2))])\n")
    (tmp_path / "pyproject.toml").write_text("[tool.kerascheck]\nmax-file-size = 0.01\n")
    limited = run(str(big), str(broken), cwd=tmp_path)
    assert f"{big}:1:1: KC004 file not checked: 0.02 MB is over the 0.01 MB limit" in limited.stdout, limited.stdout
    assert f"{broken}:3:21: KC301" in limited.stdout
    (tmp_path / "pyproject.toml").write_text("[tool.kerascheck]\nmax-file-size = 0\n")
    unlimited = run(str(big), cwd=tmp_path)
    assert f"{big}:2:27: KC301" in unlimited.stdout and "KC004" not in unlimited.stdout, unlimited.stdout
    (tmp_path / "pyproject.toml").write_text("[tool.kerascheck]\nmax-file-size = -1\n")
    bad = run(str(big), cwd=tmp_path)
    assert bad.returncode == 2 and "max-file-size" in bad.stderr


def test_ten_thousand_layers(tmp_path: Path) -> None:
    lines = ["import keras", "model = keras.Sequential()", "model.add(keras.Input(shape=(8,)))"]
    lines += ["model.add(keras.layers.Dense(8))"] * 10_000
    lines += ["model.add(keras.layers.Dense((2, 2)))"]
    path = tmp_path / "deep_model.py"
    path.write_text("\n".join(lines) + "\n")
    result = run(str(path))
    assert_clean(result)
    assert f"{path}:{len(lines)}:11: KC301" in result.stdout


def test_missing_path_is_a_usage_error_naming_it(tmp_path: Path, broken: Path) -> None:
    result = run(str(tmp_path / "nowhere.py"), str(broken))
    assert result.returncode == 2
    assert "nowhere.py" in result.stderr
    assert "Traceback" not in result.stderr


def test_directory_walk_with_symlink_loop_odd_names_and_dangling_link(tmp_path: Path) -> None:
    tree = tmp_path / "project dir"
    (tree / "sub ünïcode").mkdir(parents=True)
    (tree / "sub ünïcode" / "mödel file.py").write_text(BROKEN_MODEL)
    (tree / "loop").symlink_to(tree, target_is_directory=True)
    (tree / "dangling.py").symlink_to(tmp_path / "gone.py")
    (tree / "a_dir.py").mkdir()
    result = run(str(tree))
    assert_clean(result)
    assert result.stdout.count("KC301") == 1, result.stdout
    assert "mödel file.py:3:21: KC301" in result.stdout


@pytest.mark.skipif(os.geteuid() == 0 if hasattr(os, "geteuid") else True, reason="root reads every file")
def test_unreadable_file(tmp_path: Path, broken: Path) -> None:
    locked = tmp_path / "locked.py"
    locked.write_text(BROKEN_MODEL)
    locked.chmod(0)
    result = run(str(locked), str(broken))
    assert_clean(result)
    assert f"{locked}:1:1: KC002" in result.stdout


def test_never_executes_or_imports_the_checked_code(tmp_path: Path) -> None:
    marker = tmp_path / "executed"
    planted = tmp_path / "planted.py"
    planted.write_text(
        "import pathlib\n"
        f"pathlib.Path({str(marker)!r}).write_text('ran')\n"
        "import keras\n"
        "model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(2)])\n"
        "model.fit(__import__('os').system('touch " + str(marker) + "'), None)\n"
    )
    for args in ([str(planted)], ["summary", str(planted)], ["--format", "json", str(planted)]):
        assert_clean(run(*args, cwd=tmp_path))
    assert not marker.exists()


def test_output_is_byte_identical_whatever_the_order_of_paths_or_jobs(tmp_path: Path) -> None:
    for i in range(6):
        (tmp_path / f"m{i}.py").write_text(BROKEN_MODEL)
    paths = [str(p) for p in sorted(tmp_path.glob("*.py"))]
    forward = run(*paths).stdout
    assert forward.count("KC301") == 6
    assert run(*reversed(paths)).stdout == forward
    assert run("-j", "2", *paths).stdout == forward
    assert run("-j", "2", str(tmp_path)).stdout == forward


@pytest.mark.skipif(multiprocessing.get_start_method() != "fork",
                    reason="the dying check is patched in before the workers fork")
def test_a_worker_that_dies_loses_no_other_result(tmp_path: Path, monkeypatch) -> None:
    """A worker killed mid-check (the system's out-of-memory killer took one on a 22 GB runaway)
    breaks the whole process pool: every file still gets its report, in order, and the one
    whose own process dies again is KC901."""
    import kerascheck.runner as runner
    from kerascheck.config import Options

    checked = runner.check_item

    def dies_on_one_file(item, options):
        if str(item).endswith("m013.py"):
            os._exit(9)  # as a SIGKILL leaves it: no exception, no cleanup
        return checked(item, options)

    monkeypatch.setattr(runner, "check_item", dies_on_one_file)
    for i in range(40):
        (tmp_path / f"m{i:03}.py").write_text(BROKEN_MODEL if i % 10 == 0 else "import keras\n")
    work = sorted(str(p) for p in tmp_path.glob("*.py"))
    reports = list(runner.check_items(work, Options(), jobs=2))
    assert [r.path for r in reports] == work
    codes = {Path(r.path).name: [d.code for d in r.diagnostics] for r in reports}
    assert codes.pop("m013.py") == ["KC901"]
    assert codes == {f"m{i:03}.py": ["KC301"] if i % 10 == 0 else [] for i in range(40) if i != 13}
