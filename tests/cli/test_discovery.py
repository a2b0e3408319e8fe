"""Which files a run checks, as ruff finds them: default excludes, Python environments,
.gitignore/.ignore, --exclude, --force-exclude; explicit paths always; progress and the note
for a run with nothing to check."""

from __future__ import annotations

import pytest

from kerascheck.report.progress import Progress
from tests.cli.helpers import BROKEN, cli, notebook, write

CHECKED = ["src/keep.tmp.py", "src/model.py", "src/nb.ipynb"]
NOT_WALKED = [".venv-x/pkg.py", ".venv-x/lib/python3.11/site-packages/pkg/mod.py", "envs/base/train.py",
              "generated/model.py", "src/scratch.tmp.py", "src/.ipynb_checkpoints/nb-checkpoint.ipynb",
              "build/lib/model.py", "pkg.egg-info/model.py", "node_modules/x/model.py"]


@pytest.fixture
def tree(tmp_path):
    nb = notebook(("code", BROKEN))
    write(tmp_path, {
        ".gitignore": "generated/\n*.tmp.py\n", "src/.gitignore": "!keep.tmp.py\n",
        "src/model.py": BROKEN, "src/nb.ipynb": nb, "src/keep.tmp.py": BROKEN, "src/scratch.tmp.py": BROKEN,
        "src/.ipynb_checkpoints/nb-checkpoint.ipynb": nb, "generated/model.py": BROKEN,
        ".venv-x/pyvenv.cfg": "home = /usr/bin\n", ".venv-x/pkg.py": BROKEN,
        ".venv-x/lib/python3.11/site-packages/pkg/mod.py": BROKEN,
        "envs/base/conda-meta/history": "", "envs/base/train.py": BROKEN,
        "build/lib/model.py": BROKEN, "pkg.egg-info/model.py": BROKEN, "node_modules/x/model.py": BROKEN,
    })
    (tmp_path / ".git").mkdir()
    return tmp_path


def reported(result) -> list[str]:
    return sorted({line.split(":")[0] for line in result.stdout.splitlines()})


def test_a_walk_skips_environments_ignored_files_and_default_excludes(tree):
    assert reported(cli(["."], tree)) == ["./" + p for p in CHECKED]
    assert reported(cli(["src"], tree)) == CHECKED  # the .gitignore above the walk's top counts


def test_an_explicit_path_into_them_is_checked(tree):
    assert reported(cli(NOT_WALKED, tree)) == sorted(NOT_WALKED)
    assert reported(cli([".venv-x"], tree)) == [".venv-x/pkg.py"]  # a named directory is walked


def test_force_exclude_applies_the_excludes_to_explicit_paths(tree):
    excluded = [p for p in NOT_WALKED if not p.startswith(("generated", "src/scratch"))]
    result = cli(["--force-exclude", *excluded, "src/model.py"], tree)
    assert reported(result) == ["src/model.py"]
    assert cli(["--force-exclude", "--exclude", "src/model.py", "src/model.py"], tree).stdout == ""


def test_exclude_adds_to_the_defaults(tree):
    assert reported(cli([".", "--exclude", "nb.ipynb"], tree)) == ["./src/keep.tmp.py", "./src/model.py"]
    assert reported(cli(["src/nb.ipynb", "--exclude", "nb.ipynb"], tree)) == ["src/nb.ipynb"]


def test_gitignore_counts_only_in_a_git_work_tree_and_ignore_files_anywhere(tree):
    (tree / ".git").rmdir()
    (tree / "src" / ".ignore").write_text("model.py\n")
    assert reported(cli(["."], tree)) == ["./generated/model.py", "./src/keep.tmp.py", "./src/nb.ipynb",
                                          "./src/scratch.tmp.py"]


@pytest.mark.parametrize("files", [{}, {"notes.txt": "import keras\n", "data/x.csv": "1,2\n"}])
def test_nothing_to_check_says_so_on_stderr_and_exits_0(tmp_path, files):
    write(tmp_path, {"project/.keep": "", **{f"project/{k}": v for k, v in files.items()}})
    result = cli(["project"], tmp_path)
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "no Python files found\n")
    quiet = cli(["project", "--quiet"], tmp_path)
    assert (quiet.exit_code, quiet.stdout, quiet.stderr) == (0, "", "")


def test_progress_counts_files_and_ends_with_a_summary():
    written: list[str] = []
    ticks = iter(range(100))
    reports = [type("R", (), {"diagnostics": [1] if i == 2 else []})() for i in range(4)]
    passed = list(Progress(4, written.append, clock=lambda: next(ticks)).wrap(reports))
    assert passed == reports
    assert written == ["\r\033[Kchecked 1/4 files", "\r\033[Kchecked 2/4 files", "\r\033[K",
                       "\r\033[Kchecked 3/4 files", "\r\033[Kchecked 4/4 files", "\r\033[Kchecked 4 files in 5.0 s\n"]


def test_progress_redraws_at_most_every_tenth_of_a_second_and_always_the_last_count():
    written: list[str] = []
    ticks = iter(n * 0.04 for n in range(10))  # 0, 0.04, ... 0.36 s, then 99 s ever after
    reports = [type("R", (), {"diagnostics": [1] if i == 4 else []})() for i in range(1500)]
    assert len(list(Progress(1500, written.append, clock=lambda: next(ticks, 99.0)).wrap(reports))) == 1500
    # drawn after the 3rd report (0.12 s after the start), the 6th (0.12 s after that; the 5th's
    # diagnostics cleared the line), the 9th, the 10th (99 s), then only the last
    assert written == ["\r\033[Kchecked 3/1,500 files", "\r\033[K", "\r\033[Kchecked 6/1,500 files",
                       "\r\033[Kchecked 9/1,500 files", "\r\033[Kchecked 10/1,500 files",
                       "\r\033[Kchecked 1,500/1,500 files", "\r\033[Kchecked 1,500 files in 99.0 s\n"]


def test_no_progress_when_stderr_is_not_a_terminal(tmp_path):
    write(tmp_path, {f"pkg/m{i:03}.py": "x = 1\n" for i in range(310)})
    result = cli(["pkg"], tmp_path)
    assert (result.exit_code, result.stderr) == (0, "")
