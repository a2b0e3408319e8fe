"""Preprocessing layer rules: exact shapes, parameter counts and codes, checked against Keras 3.

Keras builds these symbolically from float32 inputs here; StringLookup and TextVectorization
give the same symbolic shapes on float inputs as on strings (checked while writing the rules),
so they are compared the same way. adapt() is never run: vocabulary sizes are known only from
the arguments.
"""

from __future__ import annotations

import pytest

from kerascheck.graph import UNKNOWN
from kerascheck.shapes.base import format_shape
from tests.differential.strategies_preprocessing import STRATEGIES
from tests.shapes.helpers import layer, static
from tests.shapes.tables import agrees_with_keras_on, infers_each, rejects_each, strategies_agree_with_keras

ACCEPTED = [
    (layer("Rescaling", 1 / 255), (None, 8), (None, 8), 0),
    (layer("Resizing", 4, 5), (None, 8, 8, 3), (None, 4, 5, 3), 0),
    (layer("Resizing", 4, 5, data_format="channels_first"), (None, 3, 8, 8), (None, 3, 4, 5), 0),
    (layer("Resizing", 4, 5, data_format="CHANNELS_FIRST"), (None, 3, 8, 8), (None, 3, 4, 5), 0),
    (layer("Resizing", 4, 5), (None, 8, 8), (4, 5, 8), 0),  # 3D is one image: the batch axis is resized
    (layer("Resizing", 4, 5), (None, 8), (4, 5), 0),
    (layer("Resizing", 0, 5), (None, 8, 8, 3), (None, 0, 5, 3), 0),
    (layer("Resizing", 4, 5, interpolation="foo"), (None, 8, 8, 3), (None, 4, 5, 3), 0),  # checked only when run
    (layer("CenterCrop", 4, 5), (None, 8, 8, 3), (None, 4, 5, 3), 0),
    (layer("CenterCrop", 10, 12), (None, 8, 8, 3), (None, 10, 12, 3), 0),
    (layer("RandomCrop", 4, 4), (None, 8, 8, 8, 3), (None, 8, 4, 4, 3), 0),
    (layer("RandomCrop", 4, 4, data_format="channels_first"), (None, 8), (4, 4), 0),
    (layer("RandomFlip", "diag"), (None, 8, 8, 3), (None, 8, 8, 3), 0),  # mode is not validated
    (layer("RandomFlip"), (None, 8), (None, 8), 0),  # no rank check
    (layer("RandomRotation", (0.5, 5)), (None, 8, 8, 3), (None, 8, 8, 3), 0),
    (layer("RandomZoom", 1.0), (None, 8, 8, 3), (None, 8, 8, 3), 0),
    (layer("RandomTranslation", -1.0, 1.0), (None, 8, 8, 3), (None, 8, 8, 3), 0),
    (layer("RandomContrast", 0.2), (None, None, None, 3), (None, None, None, 3), 0),
    (layer("RandomBrightness", 0.2), (2, 8, 8, 3), (2, 8, 8, 3), 0),
    (layer("RandomColorDegeneration", 0.2, data_format="channels_first"), (None, 3, 8, 8), (None, 3, 8, 8), 0),
    (layer("Normalization"), (None, 3), (None, 3), 7),
    (layer("Normalization", axis=None), (None, None), (None, None), 3),
    (layer("Normalization", axis=(1, 2)), (None, 3, 4), (None, 3, 4), 25),
    (layer("Normalization", mean=2.0, variance=1.0), (None, 3), (None, 3), 0),
    (layer("Normalization", mean=[1.0, 2.0, 3.0], variance=[1.0, 1.0, 1.0]), (None, 3), (None, 3), 0),
    (layer("CategoryEncoding", 5), (None, 3), (None, 5), 0),
    (layer("CategoryEncoding", 5, output_mode="one_hot"), (None, 1), (None, 5), 0),
    (layer("CategoryEncoding", 5, output_mode="one_hot"), (None, 3), (None, 3, 5), 0),
    (layer("CategoryEncoding", 5, output_mode="multi_hot"), (None,), (5,), 0),  # Keras drops the batch axis
    (layer("Hashing", 5), (None, 3), (None, 3), 0),
    (layer("Hashing", 5, output_mode="one_hot"), (None, 1), (None, 5), 0),
    (layer("Hashing", 5, output_mode="multi_hot"), (None, 3), (None, 5), 0),
    (layer("Discretization", bin_boundaries=[0.0, 1.0]), (None, 3), (None, 3), 0),
    (layer("Discretization", bin_boundaries=[0.0, 1.0], output_mode="multi_hot"), (None, 3, 4), (None, 4, 3), 0),
    (layer("Discretization", num_bins=4, output_mode="one_hot"), (None, 3), (None, 3, 4), 0),
    (layer("IntegerLookup"), (None, 3), (None, 3), 0),
    (layer("IntegerLookup", output_mode="multi_hot"), (None, 3), (None, None), 0),  # before adapt()
    (layer("IntegerLookup", output_mode="multi_hot", vocabulary=[1, 2, 3]), (None, 3), (None, 4), 0),
    (layer("IntegerLookup", output_mode="multi_hot", vocabulary=[1, 2, 3], mask_token=0), (None, 3), (None, 4), 0),
    (layer("IntegerLookup", output_mode="one_hot", num_oov_indices=2, vocabulary=[1, 2, 3]), (None, 3),
     (None, 3, 5), 0),
    (layer("IntegerLookup", output_mode="count", max_tokens=10, pad_to_max_tokens=True), (None, 3), (None, 10), 0),
    (layer("StringLookup", output_mode="one_hot", vocabulary=["a", "b"]), (None, 1), (None, 3), 0),
    (layer("IntegerLookup", max_tokens=5, vocabulary=[1, 2, 3], output_mode="one_hot"), (None,), (None, 4), 0),
    (layer("TextVectorization"), (None, 1), (None, None), 0),
    (layer("TextVectorization", output_sequence_length=7), (None,), (None, 7), 0),
    (layer("TextVectorization", output_sequence_length=4), (None, 3, 2), (None, 4), 0),
    (layer("TextVectorization", output_mode="multi_hot", max_tokens=10), (None, 1), (None, 1, None), 0),
    (layer("TextVectorization", output_mode="multi_hot", vocabulary=["a", "b"]), (None, 1), (None, 1, 3), 0),
    (layer("TextVectorization", output_mode="multi_hot", vocabulary=["a", "b"]), (None,), (None, 3), 0),
    (layer("TextVectorization", output_mode="count", split=None, max_tokens=5, pad_to_max_tokens=True),
     (None,), (None, 5), 0),
    (layer("TextVectorization", output_mode="one_hot", max_tokens=5, pad_to_max_tokens=True),
     (None, 3), (None, 3, None, 5), 0),
]

REJECTED = [
    (layer("Resizing", -1, 5), (None, 8, 8, 3), "KC303"),
    (layer("Resizing", 2.5, 5), (None, 8, 8, 3), "KC303"),
    (layer("Resizing", 4, 5), (None,), "KC101"),
    (layer("Resizing", 4, 5, data_format="nchw"), (None, 8, 8, 3), "KC302"),
    (layer("CenterCrop", 4, 5), (None, 8), "KC101"),
    (layer("CenterCrop", 4, 5), (None, 8, 8, 8, 3), "KC101"),
    (layer("RandomCrop", 4, 4), (None, 8), "KC101"),
    (layer("RandomRotation", 1.5), (None, 8, 8, 3), "KC303"),
    (layer("RandomRotation", 0.2, fill_mode="foo"), (None, 8, 8, 3), "KC302"),
    (layer("RandomRotation", 0.2, interpolation="bicubic"), (None, 8, 8, 3), "KC302"),
    (layer("RandomRotation"), (None, 8, 8, 3), "KC304"),
    (layer("RandomZoom", -1.0), (None, 8, 8, 3), "KC303"),
    (layer("RandomZoom", (0.1, 0.2, 0.3)), (None, 8, 8, 3), "KC303"),
    (layer("RandomContrast", -0.2), (None, 8, 8, 3), "KC303"),
    (layer("RandomContrast", 1.2), (None, 8, 8, 3), "KC303"),
    (layer("RandomContrast", None), (None, 8, 8, 3), "KC303"),  # unlike RandomRotation(None)
    (layer("RandomBrightness", 1.2), (None, 8, 8, 3), "KC303"),
    (layer("RandomBrightness", 0.2, value_range=(0, 1, 2)), (None, 8, 8, 3), "KC303"),
    (layer("RandomColorDegeneration", 0.2), (None, 8, 8, 1), "KC204"),
    (layer("RandomColorDegeneration", 0.2, data_format="channels_first"), (None, 8, 8, 3), "KC204"),
    (layer("RandomColorDegeneration", 0.2), (None, 8, 8), "KC204"),
    (layer("RandomColorDegeneration", 0.2), (None, 8), "KC101"),
    (layer("Normalization"), (None, None), "KC204"),
    (layer("Normalization", axis=0), (None, 3), "KC204"),
    (layer("Normalization", axis=5), (None, 3), "KC303"),
    (layer("Normalization", mean=2.0), (None, 3), "KC303"),
    (layer("Normalization", mean=[1.0, 2.0], variance=[1.0, 2.0]), (None, 3), "KC303"),
    (layer("CategoryEncoding"), (None, 3), "KC304"),
    (layer("CategoryEncoding", 0), (None, 3), "KC303"),
    (layer("CategoryEncoding", 5, output_mode="int"), (None, 3), "KC302"),
    (layer("Hashing", 0), (None, 3), "KC303"),
    (layer("Hashing", 5, sparse=True), (None, 3), "KC303"),
    (layer("Discretization"), (None, 3), "KC304"),
    (layer("Discretization", bin_boundaries=[0.0], num_bins=3), (None, 3), "KC303"),
    (layer("IntegerLookup", max_tokens=1), (None, 3), "KC303"),
    (layer("IntegerLookup", max_tokens=3, vocabulary=[1, 2, 3], output_mode="one_hot"), (None,), "KC303"),
    (layer("IntegerLookup", output_mode="one_hot", invert=True), (None, 3), "KC303"),
    (layer("StringLookup", output_mode="embedding"), (None, 3), "KC302"),
    (layer("TextVectorization", split="comma"), (None, 1), "KC302"),
    (layer("TextVectorization", output_mode="one_hot", output_sequence_length=4), (None,), "KC303"),
    (layer("TextVectorization", output_sequence_length=4.0), (None,), "KC303"),
]


test_shapes_and_params = infers_each(ACCEPTED)
test_rejections = rejects_each(REJECTED)
test_agrees_with_keras = agrees_with_keras_on(ACCEPTED, REJECTED)


@pytest.mark.parametrize("node, shape, output", [
    (layer("StringLookup", output_mode="multi_hot", vocabulary=UNKNOWN), (None, 3), "(None, ?)"),
    (layer("TextVectorization", output_sequence_length=UNKNOWN), (None, 1), "(None, ?)"),
    (layer("Resizing", UNKNOWN, 5), (None, 8, 8, 3), "(None, ?, 5, 3)"),
])
def test_unknown_arguments_give_unknown_sizes(node, shape, output):
    assert format_shape(static(node, shape).output) == output


test_strategies_agree_with_keras = strategies_agree_with_keras(STRATEGIES)
