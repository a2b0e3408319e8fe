"""The frontend's libcst parse skips libcst's node validation only while it parses."""

from __future__ import annotations

import threading
from pathlib import Path

import libcst as cst
import pytest

from kerascheck import check_source
from kerascheck.frontend import _parse

ROOT = Path(__file__).resolve().parents[2]


def test_same_tree_as_libcst():
    compared = 0
    for path in sorted((ROOT / "fixtures").rglob("*.py")) + sorted((ROOT / "kerascheck" / "frontend").glob("*.py")):
        text = path.read_text(encoding="utf-8")
        try:
            expected = cst.parse_module(text)
        except cst.ParserSyntaxError:
            continue
        assert _parse(text).deep_equals(expected), path
        compared += 1
    assert compared > 50


def test_validation_is_back_after_a_check():
    check_source("import keras\nmodel = keras.Sequential([keras.layers.Dense(3)])\n", "m.py")
    with pytest.raises(cst.CSTValidationError):
        cst.Name("")


def test_validation_is_back_after_a_parse_error():
    with pytest.raises(cst.ParserSyntaxError):
        _parse("def f(:\n")
    with pytest.raises(cst.CSTValidationError):
        cst.Name("")


def test_parallel_checks_leave_validation_on():
    text = (ROOT / "fixtures").joinpath("seeds", "seed1_one_to_many.py").read_text(encoding="utf-8")
    expected = check_source(text, "seed.py").diagnostics
    results: list[object] = []
    threads = [threading.Thread(target=lambda: results.append(check_source(text, "seed.py").diagnostics))
               for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [expected] * 4
    with pytest.raises(cst.CSTValidationError):
        cst.Name("")
