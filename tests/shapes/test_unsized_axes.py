"""Weights sized from an input axis that is Keras's ``None``: every weight-making layer, built on
inputs with a ``None`` in each axis in turn, accepted or rejected as Keras 3 and tf-keras do."""

from __future__ import annotations

from pathlib import Path

import pytest

from kerascheck import check_source
from kerascheck.graph import Position
from kerascheck.repairs import Fix, ReplaceLayer
from kerascheck.shapes.base import UnsizedAxis, infer
from kerascheck.shapes.propagate import propagate
from tests.differential.harness import sequential
from tests.shapes.helpers import layer, real, static

L = layer
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
# A layer and a fully known input (batch first); each case puts a None on one non-batch axis.
SINGLE_INPUT = [
    (L("Dense", 4), (2, 5)),
    (L("Dense", 4), (2, 3, 5)),
    (L("EinsumDense", "ab,bc->ac", output_shape=4), (2, 5)),
    (L("EinsumDense", "abc,cd->abd", output_shape=(None, 4)), (2, 3, 5)),
    (L("Conv1D", 8, 3), (2, 10, 5)),
    (L("Conv1D", 8, 3, data_format="channels_first"), (2, 5, 10)),
    (L("Conv2D", 8, 3), (2, 10, 10, 5)),
    (L("Conv2D", 8, 3, data_format="channels_first"), (2, 5, 10, 10)),
    (L("Conv3D", 8, 3), (2, 6, 6, 6, 5)),
    (L("SeparableConv1D", 8, 3), (2, 10, 5)),
    (L("SeparableConv2D", 8, 3), (2, 10, 10, 5)),
    (L("DepthwiseConv1D", 3), (2, 10, 5)),
    (L("DepthwiseConv2D", 3), (2, 10, 10, 5)),
    (L("Conv1DTranspose", 8, 3), (2, 10, 5)),
    (L("Conv2DTranspose", 8, 3), (2, 10, 10, 5)),
    (L("Conv3DTranspose", 8, 3), (2, 6, 6, 6, 5)),
    (L("LSTM", 8), (2, 10, 5)),
    (L("LSTM", 8, return_sequences=True), (2, 10, 5)),
    (L("GRU", 8), (2, 10, 5)),
    (L("SimpleRNN", 8), (2, 10, 5)),
    (L("RNN", L("LSTMCell", 8)), (2, 10, 5)),
    (L("ConvLSTM1D", 4, 3), (2, 5, 10, 3)),
    (L("ConvLSTM2D", 4, 3), (2, 5, 10, 10, 3)),
    (L("ConvLSTM1D", 4, 3, data_format="channels_first"), (2, 5, 3, 10)),
    (L("Embedding", 10, 4), (2, 7)),
    (L("BatchNormalization"), (2, 5)),
    (L("BatchNormalization"), (2, 3, 5)),
    (L("BatchNormalization", axis=1), (2, 3, 5)),
    (L("LayerNormalization"), (2, 3, 5)),
    (L("LayerNormalization", axis=1), (2, 3, 5)),
    (L("LayerNormalization", axis=[1, 2]), (2, 3, 5)),
    (L("GroupNormalization", groups=1), (2, 3, 5)),
    (L("UnitNormalization"), (2, 3, 5)),
    (L("PReLU"), (2, 3, 5)),
    (L("PReLU", shared_axes=[1]), (2, 3, 5)),
    (L("Bidirectional", L("LSTM", 8)), (2, 10, 5)),
    (L("TimeDistributed", L("Dense", 4)), (2, 10, 5)),
    (L("TimeDistributed", L("Conv1D", 4, 3)), (2, 6, 10, 5)),
    (L("Flatten"), (2, 3, 5)),
]
MULTI_INPUT = [
    (L("MultiHeadAttention", 2, 4), [(2, 3, 5), (2, 4, 6)]),
    (L("Attention", use_scale=True), [(2, 3, 5), (2, 4, 5)]),
    (L("AdditiveAttention"), [(2, 3, 5), (2, 4, 5)]),
]


def with_none(shape: tuple, axis: int) -> tuple:
    return shape[:axis] + (None,) + shape[axis + 1:]


def name(node) -> str:
    inner = ", ".join([name(v) if hasattr(v, "type") else repr(v) for v in node.args]
                      + [f"{k}={v!r}" for k, v in node.kwargs.items()])
    return f"{node.type}({inner})"


def single_cases() -> list:
    return [pytest.param(node, with_none(shape, axis), id=f"{name(node)}-axis{axis}")
            for node, shape in SINGLE_INPUT for axis in range(1, len(shape))]


def multi_cases() -> list:
    return [pytest.param(node, [with_none(s, axis) if k == j else s for k, s in enumerate(shapes)],
                         id=f"{name(node)}-input{j}-axis{axis}")
            for node, shapes in MULTI_INPUT for j in range(len(shapes)) for axis in range(1, len(shapes[j]))]


def static_verdict(node, shape: tuple, version: int) -> str:
    """kerascheck on a one-layer Sequential of the given Keras version: accepted, or the code."""
    model = sequential([node], shape)
    model.keras_version = version
    errors = [d.code for d in propagate(model).diagnostics if d.severity == "error"]
    return errors[0] if errors else "accepted"


@pytest.mark.parametrize(("node", "shape"), single_cases())
def test_keras3_agrees(node, shape, keras3) -> None:
    theirs = real(node, shape, keras3)
    ours = static_verdict(node, shape, 3)
    assert (ours != "accepted") == (theirs == "rejected"), f"ours {ours}, Keras 3 {theirs}"


@pytest.mark.parametrize(("node", "shape"), single_cases())
def test_tf_keras_agrees(node, shape, keras2) -> None:
    theirs = real(node, shape, keras2)
    ours = static_verdict(node, shape, 2)
    assert (ours != "accepted") == (theirs == "rejected"), f"ours {ours}, tf-keras {theirs}"


@pytest.mark.parametrize(("node", "shape"), multi_cases())
def test_keras3_agrees_on_attention(node, shape, keras3) -> None:
    theirs = real(node, shape, keras3)
    ours = static(node, shape)
    assert isinstance(ours, str) == (theirs == "rejected"), f"ours {ours}, Keras 3 {theirs}"


@pytest.mark.parametrize(("node", "shape", "axis"), [
    (L("ConvLSTM1D", 4, 3), (2, 5, 10, 3), 2), (L("ConvLSTM2D", 4, 3), (2, 5, 10, 10, 3), 2),
    (L("ConvLSTM2D", 4, 3), (2, 5, 10, 10, 3), 3), (L("ConvLSTM2D", 4, 3), (2, 5, 10, 10, 3), 4)])
def test_convlstm_frame_sizes_follow_the_version(node, shape, axis) -> None:
    """Keras 3 needs fixed frame sizes, tf-keras did not; both need the channel axis."""
    spatial = axis < len(shape) - 1
    assert static_verdict(node, with_none(shape, axis), 3) == "KC204"
    assert static_verdict(node, with_none(shape, axis), 2) == ("accepted" if spatial else "KC204")


@pytest.mark.parametrize(("node", "shape", "axis"), [
    (L("Dense", 4), (None, 3, None), -1),
    (L("Conv2D", 8, 3, data_format="channels_first"), (None, None, 10, 10), -3),
    (L("LSTM", 8), (None, 10, None), -1),
    (L("PReLU", shared_axes=[2]), (None, None, 5), -2),
    (L("BatchNormalization", axis=1), (None, None, 5), -2),
])
def test_the_error_names_the_unsized_axis(node, shape, axis) -> None:
    with pytest.raises(UnsizedAxis) as caught:
        infer(node, shape)
    assert caught.value.code == "KC204"
    assert caught.value.axis == axis


def test_the_hint_traces_the_none_to_the_input_and_says_how_to_fix_it() -> None:
    model = sequential([L("Flatten"), L("Dense", 1)], (None, None, 20))
    [diagnostic] = propagate(model).diagnostics
    assert (diagnostic.code, diagnostic.position.line) == ("KC204", 3)
    assert diagnostic.text == (
        "Dense needs a known size on axis -1, got 2D (None, None); the None comes from "
        "Input(shape=(None, 20)) on line 1, kept by Flatten (line 2); use GlobalAveragePooling1D or "
        "GlobalMaxPooling1D, an LSTM without return_sequences, or a fixed length instead; Keras 3 raises "
        "'Shapes used to initialize variables must be fully-defined', tf-keras 'The last dimension of "
        "the inputs to a Dense layer should be defined'")


def test_a_none_straight_from_the_input_asks_for_a_fixed_size_there() -> None:
    model = sequential([L("Conv1D", 8, 3)], (None, 10, None))
    [diagnostic] = propagate(model).diagnostics
    assert diagnostic.hint.startswith("the None comes from Input(shape=(10, None)) on line 1; "
                                      "give that Input a known size on axis -1; Keras 3 raises")


def test_a_fold_of_variable_steps_or_sides_gets_the_global_pooling_of_its_rank_as_an_unsafe_fix() -> None:
    path = FIXTURES / "programs" / "variable_length_unsized_weights.py"
    fixed = [(d.position.line, d.fix) for d in check_source(path.read_text(encoding="utf-8"), str(path)).diagnostics
             if d.fix is not None]
    assert fixed == [
        (11, Fix("GlobalAveragePooling1D() instead of the Flatten on line 10",
                 (ReplaceLayer(Position(10, 8, 10, 24), "GlobalAveragePooling1D()"),), Fix.UNSAFE)),
        (30, Fix("GlobalAveragePooling1D() instead of the Reshape on line 29",
                 (ReplaceLayer(Position(29, 10, 29, 31), "GlobalAveragePooling1D()"),), Fix.UNSAFE)),
        (36, Fix("GlobalAveragePooling2D() instead of the Flatten on line 35",
                 (ReplaceLayer(Position(35, 13, 35, 29), "GlobalAveragePooling2D()"),), Fix.UNSAFE))]


def test_the_hint_for_a_flattened_image_of_any_size_names_2d_pooling() -> None:
    model = sequential([L("Conv2D", 8, 3), L("Flatten"), L("Dense", 2)], (None, None, None, 3))
    [diagnostic] = propagate(model).diagnostics
    assert diagnostic.hint.startswith(
        "the None comes from Input(shape=(None, None, 3)) on line 1, kept by Conv2D (line 2), Flatten (line 3); "
        "use GlobalAveragePooling2D or GlobalMaxPooling2D, or a fixed size instead; Keras 3 raises")
    assert diagnostic.fix.applicability == Fix.UNSAFE


def test_a_fold_of_unknown_features_asks_for_them_not_for_pooling() -> None:
    model = sequential([L("Flatten"), L("Dense", 1)], (None, 10, None))
    [diagnostic] = propagate(model).diagnostics
    assert diagnostic.hint.startswith(
        "the None comes from Input(shape=(10, None)) on line 1, kept by Flatten (line 2); "
        "give the last axis a fixed size before the Flatten on line 2; Keras 3 raises")


@pytest.mark.parametrize("layers, shape", [
    ([L("Flatten", data_format="channels_first")], (None, None, 8)),  # which axis is the channel
    ([L("Flatten")], (None, 10, None)),  # the features themselves unknown
    ([L("Flatten")], (None, None, 4, 3, 2, 8)),  # no global pooling of that rank
    ([L("Dense", 4), L("Flatten")], (None, 10, None)),  # the None reaches the Dense itself
])
def test_no_pooling_fix_where_the_fold_is_not_plain(layers, shape) -> None:
    model = sequential([*layers, L("Dense", 1)], shape)
    diagnostics = propagate(model).diagnostics
    assert [d.code for d in diagnostics] == ["KC204"] and diagnostics[0].fix is None
