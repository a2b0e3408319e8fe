"""Every fixture program against its inline expectations.

A trailing comment on a source line states what kerascheck must find there:
``# KC101`` (or several codes) — exactly these diagnostics start on this line; a line without
codes must have none. ``# => (None, 40, 12) 672`` — the layer whose constructor starts on this
line has that output shape and parameter count (``?`` for unknown). ``# total 95210`` — the model
constructed on this line has that many parameters in all.
"""

from __future__ import annotations

import io
import re
import tokenize
from collections import Counter
from pathlib import Path

import pytest

from kerascheck import check_source
from kerascheck.shapes.base import format_shape

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
CODE = re.compile(r"\bKC\d{3}\b")
LAYER = re.compile(r"=>\s*(\?|\((?:[^()]|\([^()]*\))*\)|\[.*\])\s+(\?|\d+|\{[^}]*\})")
TOTAL = re.compile(r"\btotal\s+(\?|\d+|\{[^}]*\})")


def expectations(text: str) -> tuple[Counter, dict[int, tuple[str, str]], dict[int, str]]:
    """(line, code) counts, {line: (shape, params)} and {line: total params} from the comments."""
    codes: Counter = Counter()
    layers: dict[int, tuple[str, str]] = {}
    totals: dict[int, str] = {}
    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        if token.type != tokenize.COMMENT:
            continue
        line = token.start[0]
        for code in CODE.findall(token.string):
            codes[(line, code)] += 1
        match = LAYER.search(token.string)
        if match:
            layers[line] = (match.group(1), match.group(2).strip("{}"))
        total = TOTAL.search(token.string)
        if total:
            totals[line] = total.group(1).strip("{}")
    return codes, layers, totals


def fixture_files() -> list[Path]:
    return sorted(FIXTURES.rglob("*.py"))


@pytest.mark.parametrize("path", fixture_files(), ids=lambda p: str(p.relative_to(FIXTURES)))
def test_fixture(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    expected_codes, expected_layers, expected_totals = expectations(text)
    result = check_source(text, str(path))

    found_codes = Counter((d.position.line, d.code) for d in result.diagnostics)
    assert found_codes == expected_codes, "\n".join(
        f"{path.name}:{d.position.line}:{d.position.column}: {d.code} {d.text}" for d in result.diagnostics
    )

    rows = {}
    for model in result.models:
        for row in model.layers:
            if row.type != "InputLayer" or row.line in expected_layers:
                rows.setdefault(row.line, []).append(row)
    for line, (shape, params) in expected_layers.items():
        # A layer shared by several models has a row in each; all must match.
        assert rows.get(line), f"{path.name}:{line}: no layer starts on this line"
        for row in rows[line]:
            got_params = "?" if row.params is None else str(row.params)
            assert (format_shape(row.output), got_params) == (shape, params), f"{path.name}:{line}: {row}"

    models = {}
    for model in result.models:
        models.setdefault(model.model.position.line, []).append(model)
    for line, total in expected_totals.items():
        assert len(models.get(line, [])) == 1, f"{path.name}:{line}: expected one model, found {models.get(line)}"
        got = models[line][0].total_params
        assert ("?" if got is None else str(got)) == total, f"{path.name}:{line}: total {got}"
