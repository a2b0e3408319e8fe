"""The command line: routing, output, exit codes, selection, stdin, -j, noqa, notebooks, statistics."""

from __future__ import annotations

import json

import pytest

from tests.cli.helpers import BROKEN, CLEAN, SYNTAX_ERROR, cli, notebook, process, write
from tests.report.test_json import validate


@pytest.fixture
def project(tmp_path):
    return write(tmp_path, {"broken.py": BROKEN, "clean.py": CLEAN})


def test_problems_are_one_line_each_and_exit_1(project):
    result = cli(["broken.py", "clean.py"], project)
    assert result.exit_code == 1
    (line,) = result.stdout.splitlines()
    assert line.startswith("broken.py:4:11: KC301 Dense units must be a positive integer, got (10, 2)")
    assert result.stderr == ""


def test_clean_file_exit_0_and_silent(project):
    result = cli(["clean.py"], project)
    assert (result.exit_code, result.stdout) == (0, "")


def test_python_m_and_explicit_check_command(project):
    ran = process(["broken.py"], project)
    assert ran.returncode == 1 and ran.stdout.startswith("broken.py:4:11: KC301 ")
    assert cli(["check", "broken.py"], project).stdout == ran.stdout


@pytest.mark.parametrize("args, named", [
    (["missing.py"], "missing.py"), (["clean.py", "gone/"], "gone/"), (["--format", "xml", "clean.py"], "xml"),
    (["--no-such-flag", "clean.py"], "--no-such-flag"), (["--select", "E501", "clean.py"], "E501"),
    (["-j", "-1", "clean.py"], "-1"), ([], "no paths"),
])
def test_usage_errors_exit_2_naming_the_problem(project, args, named):
    result = cli(args, project)
    assert result.exit_code == 2
    assert named in result.stderr and result.stdout == ""


def test_a_file_named_like_a_subcommand_is_checkable(tmp_path):
    write(tmp_path, {"summary": BROKEN})
    result = cli(["./summary"], tmp_path)
    assert result.exit_code == 1 and result.stdout.startswith("./summary:4:11: KC301 ")


def test_directories_walk_sorted_with_notebooks_and_excludes(tmp_path):
    write(tmp_path, {"pkg/b.py": BROKEN, "pkg/a.py": BROKEN, "pkg/sub/c.py": BROKEN, "pkg/.venv/d.py": BROKEN,
                     "pkg/gen/e.py": BROKEN, "pkg/notes.txt": BROKEN,
                     "pkg/nb.ipynb": notebook(("code", BROKEN))})
    result = cli(["pkg", "--exclude", "gen"], tmp_path)
    paths = [line.split(":")[0] for line in result.stdout.splitlines()]
    assert paths == ["pkg/a.py", "pkg/b.py", "pkg/nb.ipynb", "pkg/sub/c.py"]


def test_syntax_error_reported_and_other_files_still_checked(tmp_path):
    write(tmp_path, {"a.py": SYNTAX_ERROR, "b.py": BROKEN})
    lines = cli(["a.py", "b.py"], tmp_path).stdout.splitlines()
    assert [line.split(": ")[1].split()[0] for line in lines] == ["KC001", "KC301"]
    assert lines[0].startswith("a.py:3:")


def test_unreadable_file_is_a_diagnostic(tmp_path):
    (tmp_path / "bin.py").write_bytes(b"\x00\x01binary")
    result = cli(["bin.py"], tmp_path)
    assert result.exit_code == 1
    assert result.stdout.startswith("bin.py:1:1: KC002 cannot read file: binary content")


@pytest.mark.parametrize("flags, reported", [
    ([], True), (["--ignore", "KC3"], False), (["--ignore", "KC301"], False), (["--select", "KC1"], False),
    (["--select", "KC1", "--extend-select", "KC30"], True), (["--ignore", "KC3", "--select", "KC301"], True),
    (["--select", "kc1,KC3"], True),
])
def test_select_ignore(project, flags, reported):
    result = cli(["broken.py", *flags], project)
    assert ("KC301" in result.stdout) is reported
    assert result.exit_code == (1 if reported else 0)


def test_stdin_with_filename(project):
    result = cli(["-", "--stdin-filename", "src/model.py"], project, stdin=BROKEN)
    assert result.exit_code == 1 and result.stdout.startswith("src/model.py:4:11: KC301 ")
    assert cli(["-"], project, stdin=BROKEN).stdout.startswith("<stdin>:4:11: KC301 ")


def test_fixable_only_where_fix_applies(project):
    """--fix rewrites files: not standard input, not notebooks."""
    (project / "m.py").write_text(BROKEN)
    assert cli(["m.py"], project).stdout.rstrip().endswith("[fixable with --unsafe-fixes]")
    assert "[fixable]" not in cli(["-"], project, stdin=BROKEN).stdout
    assert "[fixable]" not in cli(["-", "--stdin-filename", "nb.ipynb"], project,
                                  stdin=notebook(("code", BROKEN))).stdout


def test_stdin_notebook_by_filename(project):
    result = cli(["-", "--stdin-filename", "nb.ipynb"], project, stdin=notebook(("code", BROKEN)))
    assert result.stdout.startswith("nb.ipynb:cell_1:4:11: KC301 ")


def test_parallel_output_identical_and_ordered(tmp_path):
    files = {f"m{i:02d}.py": BROKEN if i % 3 else CLEAN for i in range(14)}
    files["z_syntax.py"] = SYNTAX_ERROR
    write(tmp_path, files)
    serial = cli(["."], tmp_path)
    parallel = cli([".", "-j", "3"], tmp_path)
    assert serial.stdout == parallel.stdout and serial.exit_code == parallel.exit_code == 1
    assert len(serial.stdout.splitlines()) == 10
    as_json = [json.loads(cli([".", "-j", j, "--format", "json"], tmp_path).stdout) for j in ("1", "2")]
    assert as_json[0] == as_json[1]


def test_noqa_and_skip_file(tmp_path):
    line = "model.add(Dense((10, 2)))"
    variants = {
        "bare.py": BROKEN.replace(line, line + "  # noqa"),
        "code.py": BROKEN.replace(line, line + "  # noqa: KC301"),
        "prefix.py": BROKEN.replace(line, line + "  # noqa:KC1, KC3"),
        "other.py": BROKEN.replace(line, line + "  # noqa: KC1,E501"),
        "elsewhere.py": BROKEN + "# noqa\n",
        "skip.py": "# kerascheck: skip-file\n" + BROKEN,
        "mention.py": "'# kerascheck: skip-file is a comment'\n" + BROKEN,
    }
    write(tmp_path, variants)
    reported = {line.split(":")[0] for line in cli(list(variants), tmp_path).stdout.splitlines()}
    assert reported == {"other.py", "elsewhere.py", "mention.py"}


def test_notebook_cells_and_magics(tmp_path):
    nb = notebook(("markdown", "# A model\n"),
                  ("code", "%matplotlib inline\n!pip install keras\nfrom keras.layers import Dense\n"),
                  ("code", "%%bash\necho not python (\n"),
                  ("code", "from keras.models import Sequential\nmodel = Sequential()\n"
                           "model.add(Dense((10, 2)))\nmodel.summary?\n"))
    write(tmp_path, {"nb.ipynb": nb})
    result = cli(["nb.ipynb"], tmp_path)
    (line,) = result.stdout.splitlines()
    assert line.startswith("nb.ipynb:cell_3:3:11: KC301 ")
    document = json.loads(cli(["nb.ipynb", "--format", "json"], tmp_path).stdout)
    validate(document)
    (diagnostic,) = document["files"][0]["diagnostics"]
    assert (diagnostic["cell"], diagnostic["line"], diagnostic["column"]) == (3, 3, 11)


def test_broken_notebook_is_a_diagnostic(tmp_path):
    write(tmp_path, {"bad.ipynb": "{not json"})
    result = cli(["bad.ipynb"], tmp_path)
    assert result.exit_code == 1 and result.stdout.startswith("bad.ipynb:1:1: KC002 cannot read file: not a valid notebook")


def test_json_output_validates(project):
    result = cli(["broken.py", "clean.py", "--format", "json"], project)
    document = json.loads(result.stdout)
    validate(document)
    assert [f["path"] for f in document["files"]] == ["broken.py", "clean.py"]
    assert document["files"][0]["diagnostics"][0]["code"] == "KC301"
    assert result.exit_code == 1


def test_github_and_sarif_formats(project):
    github = cli(["broken.py", "--format", "github"], project)
    assert github.stdout.startswith("::error file=broken.py,line=4,col=11,")
    assert "title=KC301::Dense units must be a positive integer" in github.stdout
    sarif = json.loads(cli(["broken.py", "--format", "sarif"], project).stdout)
    assert [r["ruleId"] for r in sarif["runs"][0]["results"]] == ["KC301"]


def test_statistics(project):
    result = cli(["broken.py", "clean.py", "--statistics"], project)
    lines = result.stdout.splitlines()
    assert lines[0].startswith("broken.py:4:11: KC301")
    assert lines[1].startswith("models found: 1")
    assert lines[2].startswith("layers: 1, fully inferred: ")
    assert lines[3].startswith("unknown layer types: ")
    as_json = cli(["broken.py", "--statistics", "--format", "json"], project)
    json.loads(as_json.stdout)  # statistics go to stderr: stdout stays valid JSON
    assert "models found: 1" in as_json.stderr


def test_colour_only_when_asked_or_on_a_terminal(project):
    assert "\033[" not in cli(["broken.py"], project).stdout  # not a terminal
    assert "\033[1;31mKC301\033[0m" in cli(["broken.py", "--color", "always"], project).stdout
    assert "\033[" not in cli(["broken.py", "--color", "never"], project).stdout


def _on_terminal(args, cwd, env):
    import os
    import pty
    import subprocess
    import sys

    controller, terminal = pty.openpty()
    ran = subprocess.run([sys.executable, "-m", "kerascheck", *args], cwd=cwd, stdout=terminal,
                         stderr=subprocess.PIPE, env={**os.environ, **env}, timeout=120)
    os.close(terminal)
    output = b""
    while True:
        try:
            chunk = os.read(controller, 4096)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    os.close(controller)
    return ran.returncode, output.decode()


def test_terminal_gets_colour_and_count_line_unless_no_color(project):
    code, output = _on_terminal(["broken.py", "clean.py"], project, {"NO_COLOR": ""})
    assert code == 1 and "\033[1;31mKC301" in output
    assert output.splitlines()[-1] == "1 error in 1 file"
    code, output = _on_terminal(["broken.py"], project, {"NO_COLOR": "1"})
    assert "\033[" not in output and output.splitlines()[-1] == "1 error in 1 file"
    code, output = _on_terminal(["clean.py"], project, {})
    assert code == 0 and output.strip() == "no problems in 1 file"
