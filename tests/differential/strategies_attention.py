"""Random attention layers and [query, value(, key)] inputs, valid and invalid."""

from __future__ import annotations

from hypothesis import strategies as st

from tests.shapes.helpers import layer

DIMS = st.sampled_from([None, 2, 3, 5, 8])
FEATURES = st.sampled_from([None, 4, 8, 8, 6])


@st.composite
def tensor(draw, min_rank: int = 2, max_rank: int = 4) -> tuple:
    middle = draw(st.lists(DIMS, min_size=min_rank - 2, max_size=max_rank - 2))
    return (draw(st.sampled_from([None, None, 2])),) + tuple(middle) + (draw(FEATURES),)


@st.composite
def query_value_key(draw, min_rank: int = 2, max_rank: int = 4) -> list[tuple]:
    """[query, value] or [query, value, key]; the key often shares the value's inner axes."""
    query, value = draw(tensor(min_rank, max_rank)), draw(tensor(min_rank, max_rank))
    if draw(st.booleans()):
        return [query, value]
    key = value[:-1] + (draw(FEATURES),) if draw(st.integers(0, 3)) else draw(tensor(min_rank, max_rank))
    return [query, value, key]


def _kwargs(**options: st.SearchStrategy) -> st.SearchStrategy[dict]:
    return st.fixed_dictionaries({}, optional=options)


@st.composite
def _multi_head(draw) -> tuple:
    node = layer("MultiHeadAttention", draw(st.sampled_from([1, 2, 3, 0])), draw(st.sampled_from([1, 2, 4, -1])),
                 **draw(_kwargs(value_dim=st.sampled_from([None, 2, 3, 0]),
                                output_shape=st.sampled_from([None, 0, 3, (2, 3), [4], (2, None)]),
                                attention_axes=st.sampled_from([None, 1, -1, (1,), (1, 2), [], 3, 4, (-6,), -9]),
                                use_bias=st.booleans(), use_gate=st.booleans(),
                                dropout=st.sampled_from([0.0, 0.1]))))
    return node, draw(st.one_of(query_value_key(), tensor().map(lambda s: [s])))


@st.composite
def _grouped(draw) -> tuple:
    node = layer("GroupQueryAttention", draw(st.sampled_from([2, 4, 0])), draw(st.sampled_from([4, 2, 0, 3])),
                 draw(st.sampled_from([2, 1, 4])),
                 **draw(_kwargs(use_bias=st.booleans(), use_gate=st.booleans())))
    return node, draw(query_value_key(2, 4))


@st.composite
def _dot_attention(draw, name: str) -> tuple:
    options = {"use_scale": st.booleans(), "dropout": st.sampled_from([0.0, 0.2])}
    if name == "Attention":
        options["score_mode"] = st.sampled_from(["dot", "concat", "general"])
    inputs = draw(st.one_of(query_value_key(2, 4), st.lists(tensor(), min_size=1, max_size=4)))
    return layer(name, **draw(_kwargs(**options))), inputs


STRATEGIES = {
    "MultiHeadAttention": _multi_head(),
    "GroupQueryAttention": _grouped(),
    "Attention": _dot_attention("Attention"),
    "AdditiveAttention": _dot_attention("AdditiveAttention"),
}
