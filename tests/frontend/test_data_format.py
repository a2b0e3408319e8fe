"""``K.set_image_data_format`` (and Keras 1's ``K.set_image_dim_ordering``) give the layers made
after it their data format; a setting the program may not make leaves it unknown. Real Keras
builds the same shapes: fixtures/realistic/channels_first_backend.py, run in Keras 3 and
tf-keras by test_real_code_keras.py."""

from __future__ import annotations

import textwrap

import pytest

from kerascheck import check_source
from kerascheck.config import Options

PROGRAM = """
import sys
import keras
from keras import backend as K
from keras import layers
{setting}
inputs = keras.Input(shape=(1, 28, 28))
x = layers.Conv2D(8, 3)(inputs)
x = layers.MaxPooling2D()(x)
model = keras.Model(inputs, x)
"""


def _rows(setting: str, version: int = 3) -> tuple[list, list]:
    result = check_source(textwrap.dedent(PROGRAM).format(setting=setting), "model.py", Options(keras_version=version))
    return [(d.code, d.position.line) for d in result.diagnostics], [row.output for row in result.models[0].layers[1:]]


@pytest.mark.parametrize("setting", [
    'K.set_image_data_format("channels_first")',
    'keras.config.set_image_data_format("channels_first")',
    'keras.backend.set_image_data_format(data_format="channels_first")',
])
def test_layers_made_after_the_setting_take_its_format(setting):
    assert _rows(setting) == ([], [(None, 8, 26, 26), (None, 8, 13, 13)])


def test_keras_1_dim_ordering_th_is_channels_first():
    assert _rows('K.set_image_dim_ordering("th")', version=2) == ([], [(None, 8, 26, 26), (None, 8, 13, 13)])


def test_the_default_is_channels_last():
    assert _rows("")[0] == [("KC201", 8)]
    assert _rows('K.set_image_data_format("channels_first")\nK.set_image_data_format("channels_last")')[0] \
        == [("KC201", 9)]


@pytest.mark.parametrize("setting", [
    'if sys.argv[1] == "th":\n    K.set_image_data_format("channels_first")',
    'K.set_image_data_format(sys.argv[1])',
])
def test_a_setting_not_known_leaves_the_format_unknown(setting):
    diagnostics, outputs = _rows(setting)
    assert [code for code, _ in diagnostics] == ["KC920"] and outputs == [None, None]  # inference stops: an info
