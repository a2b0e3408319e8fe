"""A test suite builds wrong models on purpose inside ``pytest.raises`` / ``assertRaises``
blocks: nothing is reported there, and everything outside them still is."""

from __future__ import annotations

import pytest

from kerascheck import check_source

PROGRAM = """\
import pytest
import unittest
import keras
from keras import layers


def test_rejects_three_inputs():
    a, b, c = (keras.Input((4,)) for _ in range(3))
    with pytest.raises(ValueError, match="exactly 2 inputs"):
        layers.Subtract()([a, b, c])


class CroppingTest(unittest.TestCase):
    def test_crops_too_much(self):
        with self.assertRaisesRegex(
            ValueError, "must be smaller than"
        ):
            inputs = keras.Input(batch_shape=(3, 5, 7))
            layers.Cropping1D(cropping=(2, 3))(inputs)


def test_in_another_block():
    a, b, c = (keras.Input((4,)) for _ in range(3))
    with keras.device("cpu"):
        layers.Subtract()([a, b, c])
    layers.Cropping1D(cropping=(2, 3))(keras.Input(batch_shape=(3, 5, 7)))
"""


def codes_at_lines(source):
    return [(d.code, d.position.line) for d in check_source(source, "test_layers.py").diagnostics]


def test_nothing_inside_an_expecting_block_everything_outside():
    assert codes_at_lines(PROGRAM) == [("KC203", 25), ("KC201", 26)]


@pytest.mark.parametrize("opening", ["with self.assertRaises(ValueError):",
                                     "with np.testing.assert_raises(ValueError):",
                                     "with pytest.raises(ValueError), keras.device('cpu'):"])
def test_each_way_of_expecting_an_exception(opening):
    source = ("import numpy as np\nimport pytest\nimport keras\n"
              f"{opening}\n    keras.layers.Subtract()([keras.Input((4,))])\n")
    assert codes_at_lines(source) == []
    assert codes_at_lines(source.replace(opening, "if True:")) == [("KC203", 5)]
