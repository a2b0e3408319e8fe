"""--format json: exactly design.md's schema (a public interface), checked strictly."""

from __future__ import annotations

import json

import jsonschema
import pytest

from kerascheck.notebooks import CellLine
from kerascheck.report import FileReport, shape_json
from kerascheck.report.json import render
from tests.report.graphs import report_with_problems, two_branches

SHAPE = {"anyOf": [{"type": "null"},
                   {"type": "array", "items": {"type": ["integer", "null"]}},
                   {"type": "array", "items": {"type": "array", "items": {"type": ["integer", "null"]}}}]}


def schema(notebook: bool = False) -> dict:
    def obj(properties: dict) -> dict:
        if notebook and "line" in properties:
            properties = {**properties, "cell": {"type": "integer", "minimum": 1}}
        return {"type": "object", "properties": properties, "required": list(properties),
                "additionalProperties": False}

    diagnostic = obj({"code": {"type": "string", "pattern": "^KC[0-9]{3}$"},
                      "severity": {"enum": ["error", "warning"]},
                      "line": {"type": "integer", "minimum": 1}, "column": {"type": "integer", "minimum": 1},
                      "end_line": {"type": "integer"}, "end_column": {"type": "integer"},
                      "message": {"type": "string"}, "hint": {"type": ["string", "null"]},
                      "fix": {"anyOf": [{"type": "null"}, {"type": "object", "required": ["description", "applicability"],
                                                           "properties": {"description": {"type": "string"},
                                                                          "applicability": {"enum": ["safe", "unsafe"]}},
                                                           "additionalProperties": False}]}})
    layer = obj({"name": {"type": "string"}, "type": {"type": "string"}, "line": {"type": "integer"},
                 "output_shape": SHAPE, "params": {"type": ["integer", "null"]}})
    model = obj({"name": {"type": "string"}, "line": {"type": "integer"},
                 "kind": {"enum": ["sequential", "functional"]},
                 "layers": {"type": "array", "items": layer}, "total_params": {"type": ["integer", "null"]}})
    file = obj({"path": {"type": "string"}, "keras_version": {"enum": [2, 3, None]},
                "keras_version_source": {"type": ["string", "null"]},
                "diagnostics": {"type": "array", "items": diagnostic},
                "models": {"type": "array", "items": model}})
    return obj({"files": {"type": "array", "items": file}})


def test_document_matches_schema_and_content():
    document = json.loads(render([report_with_problems(), FileReport("clean.py")]))
    jsonschema.validate(document, schema())
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

    from kerascheck.fixes.edits import Fix, SetKeyword

    report = report_with_problems()
    problem = report.diagnostics[0]
    fix = Fix("set return_sequences=False on the LSTM on line 6", (SetKeyword(problem.position, "a", "1"),))
    report.diagnostics[0] = replace(problem, fix=fix)
    document = json.loads(render([report]))
    jsonschema.validate(document, schema())
    assert document["files"][0]["diagnostics"][0]["fix"] == {
        "description": "set return_sequences=False on the LSTM on line 6", "applicability": "safe"}
    assert document["files"][0]["diagnostics"][1]["fix"] is None


def test_functional_model_rows_include_inputs():
    document = json.loads(render([FileReport("f.py", [], [two_branches()])]))
    jsonschema.validate(document, schema())
    layers = document["files"][0]["models"][0]["layers"]
    assert [(l["name"], l["type"], l["output_shape"], l["params"]) for l in layers] == [
        ("inp", "InputLayer", [None, 4], 0), ("a", "Dense", [None, 3], 15),
        ("b", "Dense", [None, 3], 15), ("sum", "Add", [None, 3], 0)]
    assert document["files"][0]["models"][0]["total_params"] == 30


@pytest.mark.parametrize("shape, expected", [
    (None, None), ((None, 3), [None, 3]), ((2,), [2]),
    ([(None, 4), (None, 4, 2)], [[None, 4], [None, 4, 2]]), ([None, (None, 1)], [None, [None, 1]]),
])
def test_shapes(shape, expected):
    assert shape_json(shape) == expected


def test_notebook_adds_cell_and_cell_lines():
    report = report_with_problems("nb.ipynb")
    # program lines 1-5 are cell 1, 6-10 cell 2
    report.cells = [CellLine(1, i) for i in range(1, 6)] + [CellLine(2, i) for i in range(1, 6)]
    document = json.loads(render([report]))
    jsonschema.validate(document, schema(notebook=True))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, schema())
    first = document["files"][0]
    assert [(d["cell"], d["line"], d["end_line"]) for d in first["diagnostics"]] == [(2, 2, 2), (2, 4, 4)]
    model = first["models"][0]
    assert (model["cell"], model["line"]) == (1, 3)
    assert [(l["cell"], l["line"]) for l in model["layers"]] == [(1, 4), (1, 5)]
