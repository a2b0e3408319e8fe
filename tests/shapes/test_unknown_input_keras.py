"""Real Keras (Keras 3 and tf-keras) against what kerascheck infers where code goes beyond
plain layers: after a layer it cannot follow (what later layers fix by themselves: a rank, a
last dim, a parameter count), and through tensor operators, slices and Lambdas. Every dim and
count it infers must be Keras's, and each mistake it reports must be where Keras raises."""

from __future__ import annotations

from pathlib import Path

import pytest

from kerascheck import check_source
from kerascheck.shapes.symbolic import is_sym
from tests.frontend.keras_recording import for_tf_keras, run_statements

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "realistic"
# fixture -> how many of its layers have a shape inferred (known wholly or in part)
CORRECT = {"unknown_then_known.py": 14, "operators_and_lambdas.py": 15}
BROKEN = {"unknown_then_known_broken.py": ["KC101", "KC101"],
          "operators_and_lambdas_broken.py": ["KC203", "KC101", "KC303"]}


def _source(name: str, version: int) -> str:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    return text if version == 3 else for_tf_keras(text)


def _agrees(ours: tuple, theirs: tuple) -> bool:
    return len(ours) == len(theirs) and all(is_sym(d) or d == k for d, k in zip(ours, theirs))


@pytest.mark.parametrize("version", [3, 2])
@pytest.mark.parametrize("name", sorted(CORRECT))
def test_what_is_inferred_is_kerass(name, version, keras3, keras2):
    text, path = _source(name, version), str(FIXTURES / name)
    result = check_source(text, path)
    assert [d for d in result.diagnostics if d.fails] == []
    theirs, raised = run_statements(text, path, keras3 if version == 3 else keras2)
    assert raised == []
    known = 0
    for model in result.models:
        for row in model.layers:
            if row.type == "InputLayer" or row.type.startswith("ops."):
                continue
            shape, params = theirs[row.line]
            if row.output is None:  # a count may still be known (a custom layer without weights)
                assert row.params is None or row.params == params, (row, params)
                continue
            assert _agrees(row.output, shape), (row, shape)
            assert is_sym(row.params) or row.params == params, (row, params)
            known += 1
    assert known == CORRECT[name]


@pytest.mark.parametrize("version", [3, 2])
@pytest.mark.parametrize("name", sorted(BROKEN))
def test_mistakes_are_where_keras_raises(name, version, keras3, keras2):
    text, path = _source(name, version), str(FIXTURES / name)
    found = [(d.code, d.position.line) for d in check_source(text, path).diagnostics]
    _, raised = run_statements(text, path, keras3 if version == 3 else keras2)
    assert [code for code, _ in found] == BROKEN[name] and len(raised) == len(found)
    assert all(line in lines for (_, line), lines in zip(found, raised))
