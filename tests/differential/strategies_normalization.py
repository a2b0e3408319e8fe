"""Random normalization layers and inputs: axes in and out of range, unknown sizes, bad groups."""

from __future__ import annotations

from hypothesis import strategies as st

from tests.shapes.helpers import layer

DIMS = st.sampled_from([None, 2, 3, 4, 6])
SHAPES = st.builds(lambda batch, dims: (batch,) + tuple(dims), st.sampled_from([None, None, 2]),
                   st.lists(DIMS, min_size=0, max_size=3))
AXIS = st.integers(-4, 3)
AXES = st.one_of(AXIS, st.lists(AXIS, min_size=0, max_size=2), st.tuples(AXIS, AXIS))


def _kwargs(**options: st.SearchStrategy) -> st.SearchStrategy[dict]:
    """A dict drawing each option or leaving it out (Keras's default)."""
    return st.fixed_dictionaries({}, optional=options)


def _case(name: str, kwargs: st.SearchStrategy[dict]) -> st.SearchStrategy:
    return st.tuples(st.builds(lambda k: layer(name, **k), kwargs), SHAPES)


STRATEGIES = {
    "BatchNormalization": _case("BatchNormalization", _kwargs(
        axis=st.one_of(AXIS, st.just(1.7), st.just([1])), center=st.booleans(), scale=st.booleans(),
        renorm=st.booleans(), momentum=st.just(0.9))),
    "LayerNormalization": _case("LayerNormalization", _kwargs(
        axis=st.one_of(AXES, st.just("x")), center=st.booleans(), scale=st.booleans(),
        rms_scaling=st.booleans())),
    "RMSNormalization": _case("RMSNormalization", _kwargs(axis=AXES, epsilon=st.just(1e-5))),
    "GroupNormalization": _case("GroupNormalization", _kwargs(
        groups=st.sampled_from([-1, 0, 1, 2, 3, 4, 32, 2.0, -2]), axis=AXIS, center=st.booleans(),
        scale=st.booleans())),
    "UnitNormalization": _case("UnitNormalization", _kwargs(axis=st.one_of(AXES, st.just(1.5)))),
}
