"""Reading notebooks into one program, mapping lines back to cells; noqa parsing."""

from __future__ import annotations

import pytest

from kerascheck.files import locate, notebook_program, read_program
from kerascheck.suppression import noqa_codes, skip_file
from tests.cli.helpers import notebook


def test_notebook_program_keeps_line_numbers_and_blanks_magics():
    raw = notebook(("code", "%load_ext autoreload\nimport keras\n"), ("markdown", "text\n"),
                   ("code", "!ls\nfiles = !ls\nx = 1\nx?\n"), ("code", ""),
                   ("code", "%%timeit\nnot python (\n")).encode()
    source, problem = notebook_program(raw, "nb.ipynb")
    assert problem is None
    assert source.text.splitlines() == ["", "import keras", "", "", "x = 1", "", "", "", ""]
    assert source.cells == [(1, 1), (1, 2), (2, 1), (2, 2), (2, 3), (2, 4), (3, 1), (4, 1), (4, 2)]
    assert locate(source.cells, 5) == (2, 3)
    assert locate(None, 5) == (None, 5)


def test_read_program_gives_a_notebooks_program(tmp_path):
    path = tmp_path / "nb.ipynb"
    path.write_text(notebook(("code", "a = 1\n"), ("code", "b = 2")))
    source, problem = read_program(str(path))
    assert (source.text, problem) == ("a = 1\nb = 2\n", None)


@pytest.mark.parametrize("line, codes", [
    ("x = 1", None), ("x = 1  # noqa", ()), ("x  # NOQA:KC101", ("KC101",)),
    ("x  # noqa: KC101,KC2", ("KC101", "KC2")), ("x  # noqa: KC1 E501", ("KC1", "E501")),
    ("x  # noqa:", ()), ("x  # not a noqa-comment", None),
])
def test_noqa_codes(line, codes):
    assert noqa_codes(line) == codes


def test_skip_file_needs_its_own_comment_line():
    assert skip_file("import keras\n# kerascheck: skip-file\n")
    assert not skip_file("x = '# kerascheck: skip-file'\n")
