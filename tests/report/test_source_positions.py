"""Every output format gives a diagnostic's whole range, read from checked source (not from
positions built by hand): a layer call spanning several lines ends on its last line."""

from __future__ import annotations

import json
import re

from tests.cli.helpers import cli, write

# The Dense call starts on line 6, column 11 and ends on line 9 just past its ")" (column 2).
SOURCE = '''from keras.models import Sequential
from keras.layers import Dense, Input

model = Sequential()
model.add(Input(shape=(8,)))
model.add(Dense(
    (10, 2),
    activation="relu",
))
'''
START, END = (6, 11), (9, 2)


def run(tmp_path, output_format: str) -> str:
    write(tmp_path, {"model.py": SOURCE})
    result = cli(["--format", output_format, "model.py"], tmp_path)
    assert result.exit_code == 1, result.output
    return result.output


def test_json_ranges_come_from_the_source(tmp_path):
    [diagnostic] = json.loads(run(tmp_path, "json"))["files"][0]["diagnostics"]
    assert diagnostic["code"] == "KC301"
    assert (diagnostic["line"], diagnostic["column"]) == START
    assert (diagnostic["end_line"], diagnostic["end_column"]) == END


def test_sarif_regions_come_from_the_source(tmp_path):
    [result] = json.loads(run(tmp_path, "sarif"))["runs"][0]["results"]
    region = result["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == START
    assert (region["endLine"], region["endColumn"]) == END


def test_github_annotations_come_from_the_source(tmp_path):
    [annotation] = [line for line in run(tmp_path, "github").splitlines() if line.startswith("::error")]
    fields = dict(re.findall(r"(\w+)=([^,:]+)", annotation.split("::")[1]))
    assert (int(fields["line"]), int(fields["col"])) == START
    assert (int(fields["endLine"]), int(fields["endColumn"])) == END


def test_text_gives_the_start(tmp_path):
    assert run(tmp_path, "text").startswith(f"model.py:{START[0]}:{START[1]}: KC301 ")
