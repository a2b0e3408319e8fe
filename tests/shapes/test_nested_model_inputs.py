"""A model called as a layer checks its input against its own Input, as Keras 3 does."""

from __future__ import annotations

import pytest

from kerascheck import check_source

PROGRAM = """
import keras
from keras import layers

inner = keras.Input({declared})
model = {build}
outer = keras.Input({given})
result = model(outer)
"""
BUILDS = {
    "functional": "keras.Model(inner, layers.Dense(4)(inner))",
    "sequential": "keras.Sequential([inner, layers.Dense(4)])",
}
CASES = [
    ((16,), (8,), True),
    ((16,), (16,), False),
    ((16,), (16, 5), False),  # extra axes are not compared
    ((16,), (1,), False),  # a trailing axis of 1 is dropped before comparing
    ((16,), (None,), False),
    ((4, 16), (5, 16), True),
    ((4, 16), (4, 16, 1), False),
    ((None, 16), (7, 16), False),
]


@pytest.mark.parametrize("kind", sorted(BUILDS))
@pytest.mark.parametrize("declared, given, fails", CASES)
def test_model_input_check_agrees_with_keras(kind, declared, given, fails, keras3):
    source = PROGRAM.format(declared=declared, given=given, build=BUILDS[kind])
    found = [(d.position.line, d.code) for d in check_source(source, "model.py").diagnostics]
    assert found == ([(8, "KC204")] if fails else [])
    keras3.backend.clear_session()
    if fails:
        with pytest.raises(ValueError):
            exec(compile(source, "model.py", "exec"), {})
    else:
        exec(compile(source, "model.py", "exec"), {})
