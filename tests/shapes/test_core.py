"""Core layer rules: exact shapes, params and codes, checked against real Keras."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kerascheck.diagnostics import diagnostic
from kerascheck.graph import UNKNOWN, Opaque
from kerascheck.shapes.base import ShapeError, infer
from kerascheck.shapes.symbolic import anonymous_dims
from tests.differential.strategies_core import STRATEGIES
from tests.shapes.helpers import POS, layer, rank_fix, shape_error, static
from tests.shapes.tables import agrees_with_keras_on, infers_each, rejects_each, strategies_agree_with_keras

DENSE_CASES = [
    (layer("Dense", 10), (None, 6), (None, 10), 70),
    (layer("Dense", 1, activation="sigmoid"), (None, 400, 32), (None, 400, 1), 33),
    (layer("Dense", 400), (None, 32), (None, 400), 13200),
    (layer("Dense", 8, use_bias=False), (None, 3, 4, 5), (None, 3, 4, 8), 40),
]

DENSE_REJECTS = [
    (layer("Dense", (10, 2)), (None, 6), "KC301"),
    (layer("Dense", 0), (None, 6), "KC301"),
    (layer("Dense", 10.0), (None, 6), "KC301"),
    (layer("Dense", 10), (None,), "KC101"),
    (layer("Dense"), (None, 6), "KC304"),
]

test_dense_shapes_and_params = infers_each(DENSE_CASES)
test_dense_rejections = rejects_each(DENSE_REJECTS)
test_dense_agrees_with_keras = agrees_with_keras_on(DENSE_CASES)


# ---- Embedding, Masking, Identity, Lambda, InputLayer ----------------------------------------

CASES = [
    (layer("Embedding", 10, 3), (None, 5), (None, 5, 3), 30),
    (layer("Embedding", 10, 3), (None,), (None, 3), 30),
    (layer("Embedding", 1000, 64, input_length=10), (None, 10), (None, 10, 64), 64000),
    (layer("Embedding", input_dim=10, output_dim=3, mask_zero=True), (2, 5, 2), (2, 5, 2, 3), 30),
    (layer("Masking"), (None, 5, 3), (None, 5, 3), 0),
    (layer("Masking", 0.0), (None,), (None,), 0),
    (layer("Identity"), (None, 5, 3), (None, 5, 3), 0),
    (layer("Lambda", Opaque("lambda x: x[:, -1]"), output_shape=(3,)), (None, 5, 3), (None, 3), 0),
    (layer("Lambda", Opaque("lambda x: x * 2"), (None, 1)), (7, None, 1), (7, None, 1), 0),
    (layer("InputLayer", shape=(3,)), (None, 3), (None, 3), 0),
    (layer("InputLayer", shape=(40, 2), batch_size=8), (8, 40, 2), (8, 40, 2), 0),
    (layer("Dense", 3, activation="gelu"), (None, 4), (None, 3), 15),
]

REJECTS = [
    (layer("Embedding", True, 3), (None, 5), "KC301"),
    (layer("Embedding", 10.0, 3), (None, 5), "KC301"),
    (layer("Embedding", 10, 0), (None, 5), "KC301"),
    (layer("Embedding", 10), (None, 5), "KC304"),
    (layer("Dense", 3, activation="Relu"), (None, 4), "KC303"),
    (layer("Dense", 3, activation=7), (None, 4), "KC303"),
]


test_shapes_and_params = infers_each(CASES)
test_rejections = rejects_each(REJECTS)
test_agrees_with_keras = agrees_with_keras_on(CASES, REJECTS)


def test_lambda_without_output_shape_is_unknown_not_an_error():
    assert static(layer("Lambda", Opaque("lambda x: x")), (None, 5, 3)).output is None


def test_dense_hint_for_a_tuple_of_units():
    assert shape_error(layer("Dense", (10, 2)), None).hint == (
        "Dense gives one vector per sample; use Dense(10 * 2) then Reshape((10, 2))")


def test_dense_rank_fix_when_2d_is_wanted():
    assert rank_fix(layer("Dense", 4), (None, 40, 4), "2D (batch, features)") == (
        "acts on the last axis only and keeps the 3D rank; "
        "add Flatten() or GlobalAveragePooling1D() before the Dense")


test_strategies_agree_with_keras = strategies_agree_with_keras(STRATEGIES)


# ---- unknown values never create an error ----------------------------------------------------

ALL_FAMILIES = ("core", "rnn", "reshaping", "activations", "regularization")


def _all_strategies():
    import importlib

    pool = {}
    for family in ALL_FAMILIES:
        pool.update(importlib.import_module(f"tests.differential.strategies_{family}").STRATEGIES)
    return st.one_of(*pool.values())


def _blur(node, which: int, value):
    """The node with its ``which``-th argument (positional, then keyword) replaced by ``value``."""
    names = [None] * len(node.args) + list(node.kwargs)
    if not names:
        return node
    slot = names[which % len(names)]
    if slot is None:
        args = list(node.args)
        args[which % len(names)] = value
        return layer(node.type, *args, **node.kwargs)
    return layer(node.type, *node.args, **{**node.kwargs, slot: value})


@settings(max_examples=150, deadline=None)
@given(pair=_all_strategies(), which=st.integers(0, 6), value=st.sampled_from([UNKNOWN, Opaque("f(x)")]),
       dim=st.integers(0, 5))
def test_an_unknown_value_or_dim_never_creates_an_error(pair, which, value, dim):
    node, shape = pair
    known = static(node, shape)
    # kerascheck's unknown is an anonymous dim; None is Keras's own None (a weight axis rejects it).
    unknown = anonymous_dims((None, None), "blurred")[1]
    blurred_shape = tuple(unknown if i == dim and i > 0 else d for i, d in enumerate(shape))
    for blurred in (static(_blur(node, which, value), shape), static(node, blurred_shape)):
        if isinstance(blurred, str):
            assert isinstance(known, str), f"{node} on {shape}: {blurred} appears once a value is unknown"


def test_embedding_rank_fix():
    assert rank_fix(layer("Embedding", 100, 8), (None, 10, 8), "2D (batch, features)") == (
        "adds an embedding axis (3D); add Flatten() or GlobalAveragePooling1D() after it")


@settings(max_examples=200, deadline=None)
@given(pair=_all_strategies())
def test_every_error_fills_its_catalog_template(pair):
    node, shape = pair
    try:
        infer(node, None)
        infer(node, shape, check_args=False)
    except ShapeError as error:
        text = diagnostic(error.code, POS, error.hint, **error.fields).text
        assert text.startswith(error.fields["layer"]) and "{" not in text
