"""Random merge layers and input lists: Add/Subtract/... Concatenate, Dot (valid and invalid)."""

from __future__ import annotations

from hypothesis import strategies as st

from tests.shapes.helpers import layer

DIMS = st.sampled_from([None, 1, 2, 3, 4])
BATCH = st.sampled_from([None, None, None, 2, 3])


@st.composite
def related_shapes(draw, count: st.SearchStrategy[int], min_rank: int = 1) -> list[tuple]:
    """Shapes derived from one base: some axes changed to 1, None or another size, some
    leading axes dropped, so that they sometimes match and sometimes do not."""
    base = draw(st.lists(DIMS, min_size=min_rank - 1, max_size=3))
    shapes = []
    for _ in range(draw(count)):
        dims = [draw(DIMS) if draw(st.integers(0, 4)) == 0 else d for d in base]
        if dims and draw(st.integers(0, 4)) == 0:
            dims = dims[draw(st.integers(1, len(dims))):]
        shapes.append((draw(BATCH),) + tuple(dims))
    return shapes


def _elementwise(name: str, count: st.SearchStrategy[int]) -> st.SearchStrategy:
    return st.tuples(st.just(layer(name)), related_shapes(count))


@st.composite
def _concatenate(draw) -> tuple:
    axis = draw(st.integers(-4, 3))
    return layer("Concatenate", axis=axis), draw(related_shapes(st.integers(1, 3), min_rank=2))


@st.composite
def _dot(draw) -> tuple:
    axes = draw(st.one_of(st.integers(-3, 3), st.tuples(st.integers(-3, 3), st.integers(-3, 3)),
                          st.just([1, 2, 3])))
    kwargs = {"normalize": draw(st.booleans())} if draw(st.booleans()) else {}
    return layer("Dot", axes=axes, **kwargs), draw(related_shapes(st.sampled_from([2, 2, 2, 1, 3]), min_rank=2))


STRATEGIES = {
    "Add": _elementwise("Add", st.integers(1, 3)),
    "Subtract": _elementwise("Subtract", st.sampled_from([2, 2, 2, 1, 3])),
    "Multiply": _elementwise("Multiply", st.integers(1, 3)),
    "Average": _elementwise("Average", st.integers(1, 3)),
    "Maximum": _elementwise("Maximum", st.integers(1, 3)),
    "Minimum": _elementwise("Minimum", st.integers(1, 3)),
    "Concatenate": _concatenate(),
    "Dot": _dot(),
}
