"""--format json: exactly the shipped schema (kerascheck/report/schema.json, a public interface),
checked strictly. tests/conftest.py validates every JSON report a test renders against it."""

from __future__ import annotations

import json

import jsonschema
import pytest

from kerascheck.notebooks import CellLine
from kerascheck.report import FileReport, shape_json
from kerascheck.report.json import render, schema
from kerascheck.shapes.symbolic import Sym
from tests.report.graphs import report_with_problems, two_branches

def validate(document: dict) -> None:
    """Against the shipped schema; in a notebook's file every object with a line has its cell,
    in any other file none has."""
    jsonschema.Draft202012Validator(schema()).validate(document)
    for file in document["files"]:
        notebook = file["path"].endswith(".ipynb")
        located = [*file["diagnostics"], *file["models"], *(row for m in file["models"] for row in m["layers"])]
        assert all(("cell" in item) == notebook for item in located), file["path"]


def test_document_matches_schema_and_content():
    document = json.loads(render([report_with_problems(), FileReport("clean.py")], "1.2.3"))
    validate(document)
    assert document["version"] == "1.2.3"
    first, clean = document["files"]
    assert clean == {"path": "clean.py", "keras_version": None, "keras_version_source": None,
                     "diagnostics": [], "models": []}
    assert first["diagnostics"][0] == {
        "code": "KC101", "severity": "error", "line": 7, "column": 11, "end_line": 7, "end_column": 26,
        "message": "RepeatVector needs 2D input, got 3D (None, 40, 12)",
        "hint": "the LSTM on line 6 returns sequences; set return_sequences=False there", "fix": None}
    assert first["diagnostics"][1]["hint"] is None
    assert first["models"] == [{
        "name": "stack", "line": 3, "kind": "sequential",
        "layers": [{"name": "encoder", "type": "LSTM", "line": 4, "output_shape": [None, 40, 12], "params": 720},
                   {"name": "head", "type": "Dense", "line": 5, "output_shape": [None, 40, 1], "params": 13}],
        "total_params": 733}]


def test_a_fixable_diagnostic_describes_its_fix():
    from dataclasses import replace

    from kerascheck.repairs import Fix, SetKeyword

    report = report_with_problems()
    problem = report.diagnostics[0]
    fix = Fix("set return_sequences=False on the LSTM on line 6", (SetKeyword(problem.position, "a", "1"),))
    report.diagnostics[0] = replace(problem, fix=fix)
    document = json.loads(render([report], "1.2.3"))
    validate(document)
    assert document["files"][0]["diagnostics"][0]["fix"] == {
        "description": "set return_sequences=False on the LSTM on line 6", "applicability": "safe"}
    assert document["files"][0]["diagnostics"][1]["fix"] is None


def test_functional_model_rows_include_inputs():
    document = json.loads(render([FileReport("f.py", [], [two_branches()])], "1.2.3"))
    validate(document)
    layers = document["files"][0]["models"][0]["layers"]
    assert [(l["name"], l["type"], l["output_shape"], l["params"]) for l in layers] == [
        ("inp", "InputLayer", [None, 4], 0), ("a", "Dense", [None, 3], 15),
        ("b", "Dense", [None, 3], 15), ("sum", "Add", [None, 3], 0)]
    assert document["files"][0]["models"][0]["total_params"] == 30


@pytest.mark.parametrize("shape, expected", [
    (None, None), ((None, 3), [None, 3]), ((2,), [2]),
    ([(None, 4), (None, 4, 2)], [[None, 4], [None, 4, 2]]), ([None, (None, 1)], [None, [None, 1]]),
    ((None, Sym.named("n_steps") - 7, 3), [None, "n_steps - 7", 3]),
])
def test_shapes(shape, expected):
    assert json.dumps(shape_json(shape)) == json.dumps(expected)


def test_notebook_adds_cell_and_cell_lines():
    report = report_with_problems("nb.ipynb")
    # program lines 1-5 are cell 1, 6-10 cell 2
    report.cells = [CellLine(1, i) for i in range(1, 6)] + [CellLine(2, i) for i in range(1, 6)]
    document = json.loads(render([report], "1.2.3"))
    validate(document)
    report.path = "nb.py"
    with pytest.raises(AssertionError):
        validate(json.loads(render([report], "1.2.3")))
    first = document["files"][0]
    assert [(d["cell"], d["line"], d["end_line"]) for d in first["diagnostics"]] == [(2, 2, 2), (2, 4, 4)]
    model = first["models"][0]
    assert (model["cell"], model["line"]) == (1, 3)
    assert [(l["cell"], l["line"]) for l in model["layers"]] == [(1, 4), (1, 5)]


def test_the_schema_ships_with_the_package_and_catches_mistakes():
    from importlib.resources import files

    assert files("kerascheck.report").joinpath("schema.json").is_file()
    document = json.loads(render([report_with_problems()], "1.2.3"))
    for mistake in ({"severity": "fatal"}, {"line": 0}, {"extra": 1}):
        wrong = json.loads(json.dumps(document))
        wrong["files"][0]["diagnostics"][0].update(mistake)
        with pytest.raises(jsonschema.ValidationError):
            validate(wrong)
    del document["version"]
    with pytest.raises(jsonschema.ValidationError):
        validate(document)


def test_the_command_line_writes_the_installed_version(tmp_path):
    from kerascheck import version
    from tests.cli.helpers import cli

    (tmp_path / "clean.py").write_text("x = 1\n", encoding="utf-8")
    document = json.loads(cli(["--format", "json", "clean.py"], tmp_path).stdout)
    assert document["version"] == version() and list(document) == ["version", "files"]
