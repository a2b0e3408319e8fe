"""Internal errors (KC901) met on real Keras code (autokeras, Keras's and tf-keras's sources):
each reduced program must be checked without one."""

from __future__ import annotations

import textwrap

import pytest

from kerascheck import check_source

PROGRAMS = {
    # autokeras/blocks/basic.py, tf_keras/src/engine/base_layer_v1.py...: a function parameter
    # (a named dim to kerascheck) used as a dict key.
    "parameter_as_dict_key": """
        import keras

        def build(version, units):
            table = {version: units}
            inputs = keras.Input(shape=(4,))
            return keras.Model(inputs, keras.layers.Dense(table[version])(inputs))
        """,
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_no_internal_error(name: str) -> None:
    result = check_source(textwrap.dedent(PROGRAMS[name]).lstrip(), f"{name}.py")
    assert [d.code for d in result.diagnostics if d.code == "KC901"] == []
