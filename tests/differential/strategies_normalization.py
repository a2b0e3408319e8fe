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


# SpectralNormalization around the layers whose kernel Keras normalizes; the inputs keep a known
# last axis (a Dense on a None last axis is left unknown by kerascheck, refused by Keras).
_SPECTRAL_INNER = st.one_of(
    st.tuples(st.builds(lambda units, bias: layer("Dense", units, use_bias=bias), st.sampled_from([1, 3, 0]),
                        st.booleans()),
              st.builds(lambda batch, dims, last: (batch, *dims, last), st.sampled_from([None, 2]),
                        st.lists(st.sampled_from([None, 3]), max_size=2), st.sampled_from([2, 4]))),
    st.tuples(st.builds(lambda filters, kernel: layer("Conv2D", filters, kernel), st.sampled_from([1, 4]),
                        st.sampled_from([1, 3, 9])), st.just((None, 8, 8, 2))),
    st.tuples(st.builds(lambda m: layer("DepthwiseConv1D", 3, depth_multiplier=m), st.sampled_from([1, 2])),
              st.sampled_from([(None, 6, 3), (None, 6)])),
    st.tuples(st.builds(lambda n: layer("Embedding", 10, n), st.sampled_from([2, 5])),
              st.sampled_from([(None, 4), (2, 3, 4)])),
)
STRATEGIES["SpectralNormalization"] = st.builds(
    lambda pair, kwargs: (layer("SpectralNormalization", pair[0], **kwargs), pair[1]), _SPECTRAL_INNER,
    _kwargs(power_iterations=st.sampled_from([1, 2, 0])))


def _weighted_follower(name: str):
    """Layers sized from the last axis: they follow a tensor whose last dim is known."""
    def follow(shape: tuple):
        if len(shape) < 2 or shape[-1] is None:
            return None
        return st.builds(lambda k: layer(name, **k), _kwargs(center=st.booleans(), scale=st.booleans()))
    return follow


def _group_follower(shape: tuple):
    channels = shape[-1] if len(shape) >= 2 else None
    if channels is None:
        return None
    divisors = [g for g in range(1, channels + 1) if channels % g == 0]
    return st.builds(lambda g: layer("GroupNormalization", groups=g), st.sampled_from(divisors + [-1]))


FOLLOWERS = {
    "BatchNormalization": _weighted_follower("BatchNormalization"),
    "LayerNormalization": _weighted_follower("LayerNormalization"),
    "GroupNormalization": _group_follower,
    "RMSNormalization": lambda shape: st.just(layer("RMSNormalization")) if shape[-1] is not None else None,
    "UnitNormalization": lambda shape: st.just(layer("UnitNormalization")),
}
