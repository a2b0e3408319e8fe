"""Forgetting dims never creates problems: an unknown dim (None) can only silence a check, or
soften an error that depended on it into a warning at the same place."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from kerascheck.data.arrays import Array
from tests.data.helpers import diagnostics
from tests.data.test_checks import SCENARIOS, build


def forget(value, mask):
    """``value`` with the dims picked by ``mask`` (an iterator of bools) replaced by None."""
    if isinstance(value, Array):
        return replace(value, shape=tuple(None if next(mask) else d for d in value.shape))
    if isinstance(value, (list, tuple)):
        return type(value)(forget(v, mask) for v in value)
    if isinstance(value, dict):
        return {k: forget(v, mask) for k, v in value.items()}
    return value


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(SCENARIOS), st.lists(st.booleans(), min_size=16, max_size=16), st.sampled_from([3, 2]))
def test_unknown_dims_only_remove_diagnostics(scenario, bits, version):
    """In Keras 3 and under tf-keras's stricter input and label contracts alike."""
    model = build(scenario)
    model.keras_version = version
    before = diagnostics(model)
    mask = iter(bits * 4)
    call = model.data_calls[0]
    model.data_calls[0] = replace(call, args={k: forget(v, mask) for k, v in call.args.items()})
    after = diagnostics(model)
    assert {d.position for d in after} <= {d.position for d in before}
    errors = {(d.code, d.position) for d in before if d.severity == "error"}
    assert {(d.code, d.position) for d in after if d.severity == "error"} <= errors
