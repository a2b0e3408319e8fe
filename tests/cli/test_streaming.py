"""--format json and sarif are written file by file: the text is exactly ``json.dumps(document,
indent=2)`` of the whole document, and no report is read before the pieces before it are out."""

from __future__ import annotations

import json

import pytest

from kerascheck import version
from kerascheck.report import json as json_report
from kerascheck.report import sarif
from kerascheck.report.streaming import ITEMS, dumps_streaming
from tests.cli.helpers import BROKEN, CLEAN, SYNTAX_ERROR, cli, notebook, write
from tests.report.graphs import report_with_problems
from tests.report.test_json import validate

MANY = 150
BROKEN_FILES = sum(i % 4 in (0, 3) for i in range(MANY))  # .py files and notebooks with BROKEN
SYNTAX_ERRORS = sum(i % 4 == 2 for i in range(MANY))
NOTEBOOKS = sum(i % 4 == 3 for i in range(MANY))


@pytest.fixture
def many_files(tmp_path):
    files = {}
    for i in range(MANY):
        kind = i % 4
        if kind == 0:
            files[f"pkg/m{i:03}.py"] = BROKEN
        elif kind == 1:
            files[f"pkg/m{i:03}.py"] = CLEAN
        elif kind == 2:
            files[f"pkg/m{i:03}.py"] = SYNTAX_ERROR
        else:
            files[f"pkg/m{i:03}.ipynb"] = notebook(("markdown", "# notes"), ("code", BROKEN))
    return write(tmp_path, files)


def whole_document_text(output: str) -> str:
    """What ``json.dumps`` of the whole document prints (the renderers' output before streaming)."""
    return json.dumps(json.loads(output), indent=2) + "\n"


def test_json_for_many_files_is_the_whole_document_text(many_files):
    result = cli(["pkg", "--format", "json"], many_files)
    assert result.exit_code == 1
    assert result.stdout == whole_document_text(result.stdout)
    document = json.loads(result.stdout)
    validate(document)
    paths = [f["path"] for f in document["files"]]
    assert len(paths) == MANY and paths == sorted(paths)
    codes = [d["code"] for f in document["files"] for d in f["diagnostics"]]
    assert sorted(set(codes)) == ["KC001", "KC301"]
    assert codes.count("KC301") == BROKEN_FILES and codes.count("KC001") == SYNTAX_ERRORS
    assert cli(["pkg", "--format", "json", "-j", "2"], many_files).stdout == result.stdout


def test_sarif_for_many_files_is_the_whole_document_text(many_files):
    result = cli(["pkg", "--format", "sarif"], many_files)
    assert result.exit_code == 1
    assert result.stdout == whole_document_text(result.stdout)
    (run,) = json.loads(result.stdout)["runs"]
    results = run["results"]
    assert len(results) == BROKEN_FILES + SYNTAX_ERRORS
    cells = [r["properties"]["cell"] for r in results if "properties" in r]
    assert cells == [1] * NOTEBOOKS  # the first code cell of every notebook


@pytest.mark.parametrize("output_format", ["json", "sarif"])
def test_no_file_and_clean_files_give_the_whole_document_text(tmp_path, output_format):
    write(tmp_path, {"clean.py": CLEAN})
    result = cli(["clean.py", "--format", output_format], tmp_path)
    assert result.exit_code == 0 and result.stdout == whole_document_text(result.stdout)
    if output_format == "json":
        assert result.stdout == f'{{\n  "version": "{version()}",\n  "files": [\n    {{\n      "path": "clean.py",\n' \
                                '      "keras_version": null,\n      "keras_version_source": null,\n' \
                                '      "diagnostics": [],\n      "models": []\n    }\n  ]\n}\n'
    else:
        assert '"results": []' in result.stdout
    assert json_report.render([], "1.2.3") == '{\n  "version": "1.2.3",\n  "files": []\n}'


@pytest.mark.parametrize("render", [lambda reports: json_report.chunks(reports, "1.0"),
                                    lambda reports: sarif.chunks(reports, "1.0")])
def test_each_file_is_written_before_the_next_is_read(render):
    read = []

    def reports():
        for i in range(5):
            read.append(i)
            yield report_with_problems(f"m{i}.py")

    written = [(piece, len(read)) for piece in render(reports())]
    assert written[0][1] == 0  # the opening text comes before any file is checked
    for i in range(5):
        about_file = [count for piece, count in written if f"m{i}.py" in piece]
        assert about_file and set(about_file) == {i + 1}


def test_streamed_pieces_join_to_json_dumps_at_any_depth():
    items = [{"a": [1, {"b": []}], "s": "line\nbreak"}, [], {}, "x", None]

    def document(filled):
        return {"k": 1, "deep": [{"list": filled, "after": {"z": [1, 2]}}]}

    for template, whole in [([ITEMS], items), (document([ITEMS]), document(items))]:
        assert "".join(dumps_streaming(template, iter(items))) == json.dumps(whole, indent=2)
    assert "".join(dumps_streaming(document([ITEMS]), iter([]))) == json.dumps(document([]), indent=2)
    assert "".join(dumps_streaming([ITEMS], iter([]))) == "[]"


def test_the_streamed_list_must_be_in_the_document_once():
    with pytest.raises(ValueError):
        list(dumps_streaming({"a": [ITEMS], "b": [ITEMS]}, []))
    with pytest.raises(ValueError):
        list(dumps_streaming({"a": []}, []))


def test_parallel_checking_keeps_few_files_ahead_of_the_output(tmp_path, monkeypatch):
    import concurrent.futures

    from kerascheck.config import Options
    from kerascheck.runner import BATCHES_IN_FLIGHT_PER_WORKER, MAX_BATCH, check_items

    submitted = []

    class Recording(concurrent.futures.ProcessPoolExecutor):
        def submit(self, fn, batch, *args, **kwargs):
            submitted.append(len(batch))
            return super().submit(fn, batch, *args, **kwargs)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Recording)
    write(tmp_path, {f"m{i:03}.py": BROKEN if i % 50 == 0 else CLEAN for i in range(400)})
    work = sorted(str(p) for p in tmp_path.glob("*.py"))
    reports = check_items(work, Options(), jobs=2)
    first = next(reports)
    assert len(submitted) <= 2 * BATCHES_IN_FLIGHT_PER_WORKER and max(submitted) <= MAX_BATCH
    rest = list(reports)
    assert [r.path for r in [first, *rest]] == work and sum(submitted) == 400
    assert [len(r.diagnostics) for r in [first, *rest]] == [1 if i % 50 == 0 else 0 for i in range(400)]
