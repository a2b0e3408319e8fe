"""Text CPython accepts is never a syntax error, even where libcst's parser refuses it."""

from __future__ import annotations

import ast

import libcst as cst
import pytest

from kerascheck import check_source
from kerascheck import frontend

# A tab-indented block, then a line indented with 4 spaces and two tabs: CPython measures it as
# deeper (16 columns, or 6 counting a tab as one), libcst's tokenizer finds no block for it.
MIXED = ("import keras\nfrom keras import layers\nif True:\n\tif True:\n"
         "    \t\tmodel = keras.Sequential([keras.Input((3,)), layers.Dense((2, 2))])\n")


def test_tabs_and_spaces_cpython_accepts_are_checked():
    ast.parse(MIXED)
    with pytest.raises(cst.ParserSyntaxError, match="no matching outer block for dedent"):
        cst.parse_module(MIXED)
    (d,) = check_source(MIXED, "mixed.py").diagnostics
    line = MIXED.splitlines()[4]
    assert (d.code, d.position.line, d.position.column) == ("KC301", 5, line.index("layers.Dense") + 1)
    assert d.fix is None  # its edits would address the text with tabs expanded


def test_a_multiline_string_keeps_its_tabs():
    text = 'x = """\n\tkept\n"""\nif True:\n\ty = 1\n'
    assert frontend.spaces_for_tabs(text) == 'x = """\n\tkept\n"""\nif True:\n        y = 1\n'


def test_what_libcst_alone_rejects_is_a_warning_not_a_syntax_error(monkeypatch):
    def refuse(text):
        raise cst.ParserSyntaxError("unsupported construct", lines=["x"], raw_line=1, raw_column=0)

    monkeypatch.setattr(frontend, "_parse", refuse)
    (d,) = check_source("import keras\nmodel = keras.Sequential()\n", "m.py").diagnostics
    assert (d.code, d.severity, d.message) == ("KC005", "warning", "could not be analysed (libcst: unsupported construct)")
