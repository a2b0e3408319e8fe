"""Fixture notebooks as Jupyter runs them, through IPython's transformer and the built-in one.

Each code cell carries the inline expectations of tests/test_fixtures.py (``# KC101``,
``# => (None, 32) 672``, ``# total 771``), counted within the cell. Every format must put each
diagnostic at its cell and line: text ``path:cell_N:L:C``, JSON ``cell``/``line``, and GitHub and
SARIF at the line of the .ipynb file where that cell line is written.
"""

from __future__ import annotations

import io
import json
import re
import sys
import tokenize
from collections import Counter
from pathlib import Path

import nbformat
import pytest

from kerascheck.notebooks import _transformer, bound_names, code_cells, ipython_syntax, read_notebook
from tests.cli.helpers import cli
from tests.test_fixtures import expectations

NOTEBOOKS = Path(__file__).resolve().parent.parent.parent / "fixtures" / "notebooks"
FIXTURES = sorted(p.name for p in NOTEBOOKS.glob("*.ipynb"))
TEXT = re.compile(r"^(?P<path>.+?):cell_(?P<cell>\d+):(?P<line>\d+):(?P<column>\d+): (?P<code>KC\d{3}) ")


def cell_sources(name: str) -> list[str]:
    """The code cells' sources as nbformat reads them (the reference for our own reader)."""
    document = nbformat.read(NOTEBOOKS / name, as_version=4)
    return [cell.source for cell in document.cells if cell.cell_type == "code"]


def cell_expectations(name: str) -> tuple[Counter, dict, dict]:
    """(cell, line, code) counts, {(cell, line): (shape, params)}, {(cell, line): total}."""
    codes: Counter = Counter()
    layers, totals = {}, {}
    for number, source in enumerate(cell_sources(name), start=1):
        text = "".join(line for line in io.StringIO(source) if not line.startswith("%%"))
        offset = 1 if source.startswith("%%") else 0
        try:
            found = expectations(text)
        except (tokenize.TokenError, SyntaxError):
            continue  # not Python (%%bash): no expectations
        codes.update({(number, line + offset, code): n for (line, code), n in found[0].items()})
        layers.update({(number, line + offset): v for line, v in found[1].items()})
        totals.update({(number, line + offset): v for line, v in found[2].items()})
    return codes, layers, totals


def file_line(name: str, cell: int, line: int) -> int:
    """The line of the .ipynb text where a code cell's line is written, found by its text."""
    raw = (NOTEBOOKS / name).read_text(encoding="utf-8")
    source = cell_sources(name)[cell - 1]
    wanted = source.splitlines(keepends=True)[line - 1]
    matches = [i for i, text in enumerate(raw.splitlines(), start=1) if json.dumps(wanted)[:-1] in text]
    if len(matches) != 1:  # the source written as one string: every line is on its line
        matches = [i for i, text in enumerate(raw.splitlines(), start=1)
                   if text.lstrip().startswith('"source": "') and json.dumps(source)[1:40] in text]
    assert len(matches) == 1, (name, cell, line, matches)
    return matches[0]


@pytest.fixture(params=["ipython", "built-in"])
def transformer(request, monkeypatch):
    """Run with IPython's TransformerManager, or as if IPython were not installed."""
    if request.param == "built-in":
        for module in ("IPython", "IPython.core", "IPython.core.inputtransformer2"):
            monkeypatch.setitem(sys.modules, module, None)
    assert (_transformer(None)[1] is ipython_syntax) == (request.param == "built-in")
    return request.param


@pytest.mark.parametrize("name", FIXTURES)
def test_every_format_puts_each_diagnostic_at_its_cell_line(name, transformer):
    expected, _, _ = cell_expectations(name)
    text = cli([name], NOTEBOOKS).stdout.splitlines()
    found = Counter()
    for line in text:
        match = TEXT.match(line)
        assert match and match["path"] == name, line
        found[(int(match["cell"]), int(match["line"]), match["code"])] += 1
        assert "[fixable]" not in line  # --fix does not rewrite notebooks
    assert found == expected, "\n".join(text)

    document = json.loads(cli([name, "--format", "json"], NOTEBOOKS).stdout)
    diagnostics = document["files"][0]["diagnostics"]
    assert Counter((d["cell"], d["line"], d["code"]) for d in diagnostics) == expected

    annotations = cli([name, "--format", "github"], NOTEBOOKS).stdout.splitlines()
    places = Counter()
    for annotation, d in zip(annotations, diagnostics):
        fields = dict(re.findall(r"(\w+)=([^,:]+)", annotation.split("::")[1]))
        assert int(fields["line"]) == file_line(name, d["cell"], d["line"]), annotation
        assert annotation.split("::", 2)[2].startswith(f"cell_{d['cell']}:{d['line']}:{d['column']}: ")
        places[(d["cell"], d["line"], fields["title"])] += 1
    assert places == expected

    sarif = json.loads(cli([name, "--format", "sarif"], NOTEBOOKS).stdout)
    results = sarif["runs"][0]["results"]
    assert len(results) == len(diagnostics)
    for result, d in zip(results, diagnostics):
        region = result["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] == file_line(name, d["cell"], d["line"])
        assert result["properties"] == {"cell": d["cell"], "cellLine": d["line"], "cellColumn": d["column"]}


@pytest.mark.parametrize("name", FIXTURES)
def test_models_are_found_with_their_shapes(name, transformer):
    _, layers, totals = cell_expectations(name)
    document = json.loads(cli([name, "--format", "json"], NOTEBOOKS).stdout)
    models = document["files"][0]["models"]
    rows = {(row["cell"], row["line"]): row for model in models for row in model["layers"]}
    for (cell, line), (shape, params) in layers.items():
        row = rows[(cell, line)]
        got = "(" + ", ".join(str(d) for d in row["output_shape"]) + ("," if len(row["output_shape"]) == 1 else "") + ")"
        assert (got.replace("None", "None"), str(row["params"])) == (shape, params), row
    found = {(m["cell"], m["line"]): str(m["total_params"]) for m in models}
    assert {place: found.get(place) for place in totals} == totals
    assert totals or layers, "a fixture notebook must state a model"


@pytest.mark.parametrize("name", FIXTURES)
def test_ipython_and_the_built_in_transform_give_the_same_program(name):
    raw = (NOTEBOOKS / name).read_bytes()
    with_ipython, _ = read_notebook(raw, ipython=True)
    built_in, _ = read_notebook(raw, ipython=False)
    assert with_ipython.text == built_in.text
    assert with_ipython.cells == built_in.cells


@pytest.mark.parametrize("name", FIXTURES)
def test_cells_are_read_as_nbformat_reads_them(name):
    assert [c.source for c in code_cells((NOTEBOOKS / name).read_bytes())] == cell_sources(name)


def test_a_hint_names_the_cell_and_line_of_the_layer_it_blames():
    (line,) = cli(["magics_in_blocks.ipynb"], NOTEBOOKS).stdout.splitlines()
    assert line.endswith("the LSTM in cell 3, line 3 returns sequences; set return_sequences=False there")


def test_names_bound_in_a_broken_cell_are_unknown_afterwards():
    """The broken cell sets ``units``, builds ``classifier`` and adds to ``encoder``: the fits
    on them in the next cell cannot be checked, so nothing is said about them."""
    lines = cli(["broken_cell.ipynb"], NOTEBOOKS).stdout.splitlines()
    assert [line.split(": ")[1].split()[0] for line in lines] == ["KC001", "KC101"]
    assert not any(":cell_4:" in line for line in lines)


def test_summary_names_each_models_cell_and_line():
    result = cli(["summary", "shell_continuations.ipynb"], NOTEBOOKS)
    assert result.stdout.startswith("shell_continuations.ipynb:cell_4:4\n")
    assert "Total params: 771" in result.stdout


@pytest.mark.parametrize("document, detail", [
    ({"nbformat": 4, "cells": [{"cell_type": "code", "source": 3}]}, "the source of code cell 1 is not text"),
    ({"nbformat": 2, "worksheets": []}, "nbformat 2 is not 3 or 4"),
    ({"nbformat": 4, "cells": {}}, "cells is not a list of objects"),
    ([1, 2], "not a JSON object"),
])
def test_what_nbformat_would_not_read_is_kc002(document, detail):
    _, problem = read_notebook(json.dumps(document).encode())
    assert (problem.code, problem.message) == ("KC002", f"cannot read file: not a valid notebook ({detail})")


def test_a_notebook_whose_kernel_is_not_python_is_not_checked():
    document = {"nbformat": 4, "metadata": {"kernelspec": {"language": "R"}},
                "cells": [{"cell_type": "code", "source": "library(keras)\nmodel <- keras_model_sequential()"}]}
    notebook, _ = read_notebook(json.dumps(document).encode())
    assert (notebook.text, notebook.problems) == ("\n", [])


def test_names_a_broken_cell_binds_or_changes():
    source = ("units = ??\nx, y = load()\nfor i, (j, k) in pairs: pass\nimport a as b, c\n"
              "from d import (e, f as g)\nmodel.add(Dense(units))\nkeras.utils.plot_model(model)\n"
              "def build(n): ??\nclass Net: pass\nprint(h)\ncounts[0] += 1\n")
    assert bound_names(source) - {"keras"} == {"units", "x", "y", "i", "j", "k", "b", "c", "e", "g",
                                               "model", "build", "Net", "counts"}
