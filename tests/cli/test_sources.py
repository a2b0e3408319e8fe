"""Reading a notebook as one program; noqa parsing."""

from __future__ import annotations

import pytest

from kerascheck.files import read_program
from kerascheck.suppression import noqa_codes, skip_file
from tests.cli.helpers import notebook


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
