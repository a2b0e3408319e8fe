"""The fields of the text, GitHub and SARIF outputs that a wrong spelling or escape would break
silently: GitHub's escapes of message and property text, the notebook cell in an annotation,
SARIF's rule names, default enablement and tags, absolute file URIs, a range ending in column 1
and a notebook result's cell properties; the text formats' [fixable] mark and colours; the
streamed JSON's guard. Found unguarded by mutation testing (docs/mutation.md)."""

from __future__ import annotations

import json

import pytest

from kerascheck.diagnostics import CATALOG, diagnostic
from kerascheck.graph import Position
from kerascheck.notebooks import CellLine
from kerascheck.repairs import Fix
from kerascheck.report import FileReport, github, sarif, text
from kerascheck.report.streaming import ITEMS, dumps_streaming
from tests.report.graphs import report_with_problems

# a crash message carrying what GitHub's workflow commands must escape
CRASH = diagnostic("KC901", Position(1, 1, 1, 1), detail="ValueError: 50% of\r\nthe batch")


def test_github_escapes_message_and_property_text():
    (annotation,) = github.lines(FileReport("runs/50%: a,b.py", [CRASH]))
    assert annotation == ("::error file=runs/50%25%3A a%2Cb.py,line=1,col=1,endLine=1,endColumn=1,title=KC901::"
                          "internal error while checking this file: ValueError: 50%25 of%0D%0Athe batch")


def test_github_names_the_notebook_cell_in_the_message():
    report = report_with_problems("nb.ipynb")
    report.cells = [CellLine(1, i) for i in range(1, 6)] + [CellLine(3, i) for i in range(1, 6)]
    assert github.lines(report)[0].split("::")[2].startswith("cell_3:2:11: RepeatVector needs 2D input")


def _rules() -> dict[str, dict]:
    document = json.loads(sarif.render([FileReport("clean.py")], "1.0"))
    return {rule["id"]: rule for rule in document["runs"][0]["tool"]["driver"]["rules"]}


def test_sarif_rules_are_named_in_camel_case_tagged_and_enabled_unless_opt_in():
    rules = _rules()
    assert CATALOG["KC101"].name == "input-rank-mismatch"
    assert rules["KC101"]["name"] == "InputRankMismatch"
    assert rules["KC101"]["properties"] == {"tags": ["input-rank-mismatch"]}
    assert rules["KC101"]["defaultConfiguration"] == {"level": "error", "enabled": True}
    assert CATALOG["KC650"].opt_in
    assert rules["KC650"]["defaultConfiguration"] == {"level": "warning", "enabled": False}


def _result(report: FileReport) -> dict:
    (result,) = json.loads(sarif.render([report], "1.0"))["runs"][0]["results"]
    return result


def test_sarif_gives_an_absolute_path_as_a_file_uri_and_a_range_ending_in_column_1():
    location = _result(FileReport("/home/me/model.py", [CRASH]))["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "file:///home/me/model.py"}
    assert location["region"] == {"startLine": 1, "startColumn": 1, "endLine": 1, "endColumn": 1}


def test_sarif_gives_a_notebook_result_its_cell_line_and_column():
    report = FileReport("nb.ipynb", [diagnostic("KC301", Position(7, 11, 7, 25), layer="Dense", argument="units",
                                                value="(10, 2)")])
    report.cells = [CellLine(1, i) for i in range(1, 6)] + [CellLine(3, i) for i in range(1, 6)]
    assert _result(report)["properties"] == {"cell": 3, "cellLine": 2, "cellColumn": 11}


def _renamed() -> FileReport:
    """A KC101 with a hint and a safe fix, its source line quoted as the full format shows it."""
    fix = Fix("rename", ())
    problem = diagnostic("KC101", Position(3, 11, 3, 11), "the LSTM returns (None, 5)", fix, layer="Dense",
                         expected="2D", actual="3D (None, 5, 4)")
    return FileReport("m.py", [problem], quoted={3: "model.add(Dense(1))   "})


def test_text_marks_a_safe_fix_and_paints_the_path_code_and_shapes():
    report = _renamed()
    assert text.lines(report) == ["m.py:3:11: KC101 Dense needs 2D input, got 3D (None, 5, 4); "
                                  "the LSTM returns (None, 5) [fixable]"]
    assert text.line(report, report.diagnostics[0]) == text.lines(report)[0]  # no colour unless asked
    assert "\033[" not in "".join(text.full(report, report.diagnostics[0]))
    assert text.lines(report, colour=True) == [
        "\033[1mm.py:3:11\033[0m: \033[1;31mKC101\033[0m Dense needs 2D input, got 3D \033[36m(None, 5, 4)\033[0m; "
        "the LSTM returns \033[36m(None, 5)\033[0m [fixable]"]


def test_full_format_paints_each_part_strips_the_line_and_marks_an_empty_range_with_one_caret():
    assert text.full_lines(_renamed(), colour=True) == [
        "\033[1mm.py:3:11\033[0m: \033[1;31merror[KC101]\033[0m Dense needs 2D input, got 3D "
        "\033[36m(None, 5, 4)\033[0m [fixable]",
        "  |",
        "3 | model.add(Dense(1))",
        "  |           \033[1;31m^\033[0m",
        "  |",
        "  = help: the LSTM returns \033[36m(None, 5)\033[0m",
        "",
    ]


def test_a_document_holding_the_streamed_list_twice_is_refused():
    with pytest.raises(ValueError, match="^the document holds the streamed list more than once$"):
        next(dumps_streaming({"files": [ITEMS], "again": [ITEMS]}, []))


# Program lines 1-2 are cell 1 (its line 2 indented by 4 columns IPython removed), 3-4 cell 2;
# the .ipynb text has cell 1's lines at lines 10-11 from column 6, cell 2's first line at line 20,
# its second nowhere (None).
NOTEBOOK_LINES = [CellLine(1, 1, 0, 10, 6), CellLine(1, 2, 4, 11, 6), CellLine(2, 1, 0, 20, 8), CellLine(2, 2)]


@pytest.mark.parametrize("position, cell, in_file", [
    (Position(2, 3, 2, 9), (1, 2, 7, 2, 13), (11, 12, 11, 18)),  # shifted by the removed indentation
    (Position(1, 5, 2, 9), (1, 1, 5, 2, 13), (10, 10, 11, 18)),  # over two lines of a cell
    (Position(2, 3, 3, 4), (1, 2, 7, 2, 8), (11, 12, 11, 12)),  # across cells: kept on its first line
    (Position(3, 2, 3, 5), (2, 1, 2, 1, 5), (20, 9, 20, 12)),
    (Position(3, 2, 4, 5), (2, 1, 2, 2, 5), (20, 9, 20, 9)),  # its end not found in the file
    (Position(4, 2, 4, 5), (2, 2, 2, 2, 5), (2, 2, 2, 5)),  # not found: the cell's own line
])
def test_notebook_positions_in_the_cell_and_in_the_file(position, cell, in_file):
    report = FileReport("nb.ipynb", cells=NOTEBOOK_LINES)
    assert report.locate(position.line) == cell[:2]
    assert report.where(position) == cell
    assert report.in_file(position) == in_file
    plain = FileReport("model.py")
    assert plain.locate(position.line) == (None, position.line)
    assert plain.in_file(position) == (position.line, position.column, position.end_line, position.end_column)
