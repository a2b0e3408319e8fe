"""Random EinsumDense layers: well-formed and malformed equations, output shapes and bias axes."""

from __future__ import annotations

from hypothesis import strategies as st

from tests.shapes.helpers import layer

EQUATIONS = ["ab,bc->ac", "abc,cd->abd", "abc,cde->abde", "abc,cd->abc", "...b,bc->...c",
             "ab...,bc->ac...", "abcd,de->abce", "ab,bc->a", "ab,cd->ac", "ab,bc", "a,ab->b",
             "ab,bcd->acd", "abc,bcd->ad", "...c,cd->...d"]
SIZES = st.sampled_from([None, 0, 2, 3, 4, 5, -1])


@st.composite
def _einsum_dense(draw) -> tuple:
    equation = draw(st.sampled_from(EQUATIONS))
    output_shape = draw(st.one_of(SIZES.filter(lambda s: s is not None),
                                  st.lists(SIZES, min_size=1, max_size=3).map(tuple)))
    kwargs = {}
    if draw(st.booleans()):
        output = equation.split("->")[-1].replace(".", "")
        kwargs["bias_axes"] = draw(st.sampled_from([output[-1:], output[1:], "z", output]))
    batch = draw(st.sampled_from([None, None, 2]))
    dims = draw(st.lists(st.sampled_from([None, 2, 3, 4]), min_size=0, max_size=3))
    return layer("EinsumDense", equation, output_shape, **kwargs), (batch,) + tuple(dims)


STRATEGIES = {"EinsumDense": _einsum_dense()}
