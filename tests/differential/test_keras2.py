"""Differential tests against tf-keras: every registered shape rule in its Keras 2 mode.

The same strategies as ``test_differential.py`` (``tests/differential/strategies_*.py``), run
with kerascheck's Keras 2 rules (``Context(2)``) against tf-keras, for every layer tf-keras has.
A drawn layer whose keywords tf-keras does not take is left out: the API check reports those
(``kerascheck.versions.api``, tested in ``tests/versions``), not the shape rules. Output shape,
parameter count and accept/reject must agree, as against Keras 3.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from hypothesis import assume, given

from kerascheck.graph import LayerNode
from kerascheck.shapes.base import Context
from kerascheck.versions.api import check_layer
from kerascheck.versions.tables import signatures
from tests.differential.harness import load_strategies
from tests.differential.test_differential import SETTINGS
from tests.shapes.helpers import agree, layer, real, static

KERAS2 = Context(2)
STRATEGIES = load_strategies()

# Layers whose drawn cases cannot be rebuilt in tf-keras the way the harness builds them.
NOT_REBUILT = {
    "Lambda": "tf-keras runs the function on symbolic tensors; verify never runs user code",
    "InputLayer": "an InputLayer starts a model; tf-keras takes input_shape=, checked by the API rules",
    "SpectralNormalization": "tf-keras's calls tf.keras.layers.InputSpec, Keras 3's in this process: "
                             "compared in a process of its own (test_spectral_normalization_agrees_with_tf_keras)",
}
# tf-keras preprocessing layers that reject the float32 inputs the harness feeds (they hash or
# look up integers and strings): accept/reject there depends on the dtype, which no rule models.
DTYPE_BOUND = {"Hashing", "IntegerLookup", "StringLookup", "TextVectorization", "CategoryEncoding"}
# Differences from tf-keras found here and not yet followed by the rules, so these layers are
# not compared (an open issue, not a verdict): their rules follow Keras 3 there, and tf-keras
# only in the facts KERAS2_FACTS checks.
NOT_YET_FOLLOWED = {
    "MultiHeadAttention": "tf-keras takes num_heads=0, rejects 2D inputs, and its einsums set the batch size",
}

COMPARED = sorted(name for name in STRATEGIES.pairs
                  if name in signatures.LAYERS[2] and not {name} & (set(NOT_REBUILT) | DTYPE_BOUND | set(NOT_YET_FOLLOWED)))


def test_most_rules_are_compared_with_tf_keras():
    """The rules compared here, of those for a layer tf-keras has (88 of 97 on 2026-12-07)."""
    assert len(COMPARED) >= 88


def keras2_accepts_keywords(node: LayerNode) -> bool:
    """tf-keras takes every keyword of ``node`` and of the layers it wraps."""
    if any(d.severity == "error" for d in check_layer(node, 2)):
        return False
    wrapped = [v for v in (*node.args, *node.kwargs.values()) if isinstance(v, LayerNode)]
    return all(keras2_accepts_keywords(inner) for inner in wrapped)


@pytest.mark.parametrize("name", COMPARED)
def test_layer_agrees_with_tf_keras(name, keras2):
    @SETTINGS
    @given(pair=STRATEGIES.pairs[name])
    def check(pair):
        node, shape = pair
        assume(keras2_accepts_keywords(node))
        agree(node, shape, keras2, KERAS2)

    check()


# Where tf-keras decides otherwise than Keras 3 (each a fact in the rule's docstring).
KERAS2_FACTS = [
    (layer("ConvLSTM1D", 0, 2), (None, 4, 6, 3)),  # tf-keras rejects filters=0
    (layer("SeparableConv1D", 4, 3, padding="causal"), (None, 10, 2)),  # tf-keras takes causal
    (layer("GroupNormalization", groups=-1), (2,)),  # tf-keras cannot group a 1D input
    (layer("RepeatVector", 0), (None, 3)),  # tf-keras only checks isinstance(n, int)
    (layer("UpSampling1D", 2.7), (None, 4, 1)),  # tf-keras truncates int(size)
    (layer("UpSampling1D", 0), (None, None, 1)),  # 0 repeats of unknown steps build
    (layer("UpSampling2D", 2), (None, 3, None, 5)),  # tf-keras loses the known height
    (layer("UpSampling2D", 2, data_format="channels_first"), (None, 3, 4, None)),
    (layer("UpSampling3D", 2), (None, 3, 4, 5)),  # tf-keras's UpSampling3D has no input spec
    (layer("UpSampling3D", 2), (None, 3, 4, 5, 6, 7)),
    (layer("UpSampling3D", 2, data_format="channels_first"), (None, 3, 4, 5, 6, 7)),
    (layer("DepthwiseConv2D", 3, depth_multiplier=0), (None, 8, 8, 2)),  # tf-keras builds no channels
    (layer("Cropping3D", cropping=-1), (None, 1, 1, 1, 1)),  # an int is never checked: x[-1:1] per axis
    (layer("Cropping3D", cropping=-1), (None, 3, 2, 1, 4)),
    (layer("DepthwiseConv1D", 3, depth_multiplier=0), (None, 8, 2)),
    (layer("DepthwiseConv2D", 3, strides=2, dilation_rate=2), (None, 16, 16, 2)),  # tf-keras cannot
    (layer("RandomFlip"), (None, 5)),  # tf-keras's image layers take 3D or 4D inputs
    (layer("RandomFlip"), (None, 5, 6, 7, 3)),
    (layer("RandomRotation", 0.1), (None, 5, 6, 7, 3)),
    (layer("RandomZoom", 0.1), (None, 5)),
    (layer("RandomTranslation", 0.1, 0.1), (None, 5, 6, 7, 3)),
    (layer("RandomBrightness", 0.1), (None, 5)),
    (layer("RandomContrast", 0.1), (None, 5)),  # at least 3D
    (layer("Resizing", 4, 4), (None, 5)),
    (layer("RandomCrop", 2, 2), (None, 5, 6, 7, 3)),
    (layer("Discretization", bin_boundaries=[0.0, 1.0], output_mode="one_hot"), (None, 4, 1)),
    (layer("Discretization", bin_boundaries=[0.0, 1.0], output_mode="multi_hot"), (None, 4, 2)),
    # tf-keras's factors: (-x, x) for a number x, the first two items of a list
    (layer("RandomRotation", 1.5), (None, 8, 8, 3)),  # only lower <= upper is checked
    (layer("RandomRotation", -0.2), (None, 8, 8, 3)),
    (layer("RandomRotation", (0.1, 0.2, 0.3)), (None, 8, 8, 3)),
    (layer("RandomZoom", -1.0), (None, 8, 8, 3)),  # the height's bounds in [-1, 1]
    (layer("RandomZoom", (0.1, 0.2, 0.3)), (None, 8, 8, 3)),
    (layer("RandomZoom", 0.1, width_factor=(0.3, 2.0)), (None, 8, 8, 3)),  # the width's from -1
    (layer("RandomTranslation", (0.1, 0.2, 0.3), 0.1), (None, 8, 8, 3)),
    (layer("RandomTranslation", -0.2, 0.1), (None, 8, 8, 3)),  # lower <= upper
    (layer("RandomTranslation", (0.3, -0.2), 0.1), (None, 8, 8, 3)),
    (layer("RandomContrast", (0.1, 0.2, 0.3)), (None, 8, 8, 3)),  # (x, x) for a number x
    (layer("RandomContrast", 0), (None, 8, 8, 3)),  # the call's contrast range is empty
    (layer("RandomBrightness", (-1.5, 0.4)), (None, 8, 8, 3)),  # each of a pair in [-1, 1]
    (layer("RandomBrightness", None), (None, 8, 8, 3)),
    (layer("RandomFlip", "diag"), (None, 8, 8, 3)),  # tf-keras checks the mode
    (layer("RandomFlip", "HORIZONTAL"), (None, 8, 8, 3)),
    (layer("Dot", axes=0), [(None, 3), (None, 3)]),  # batch_dot never sums over the batch axis
    (layer("Dot", axes=-2), [(None, 3), (None, 3)]),
    (layer("Dot", axes=1), [(None, 3), (2, 3)]),  # the batch size either input knows
    (layer("Dot", axes=1), [(2, 3), (3, 3)]),
    # tf-keras's attention shapes are TensorFlow's matmuls: scores, then scores times value
    (layer("Attention"), [(None, 5, 8), (None, 6, 4)]),  # query and key features differ
    (layer("Attention"), [(None, 5, 8), (None, 6, 8), (None, 7, 8)]),  # key and value steps differ
    (layer("Attention"), [(None, 5, 8), (None, 3, 6, 8)]),  # the axes before the last two broadcast
    (layer("Attention", score_mode="concat"), [(None, 5, 8), (None, 6, 4)]),
    (layer("AdditiveAttention"), [(None, 5, 4), (None, 6, 8), (None, 6, 4)]),  # scale sized from the value
    (layer("AdditiveAttention"), [(None, 5, None), (None, 6, 8)]),
    (layer("AdditiveAttention"), [(None, 5, 8), (None, 6, None)]),
    # tf-keras merges both layers' outputs, a backward_layer's units its own
    (layer("Bidirectional", layer("LSTM", 4), backward_layer=layer("LSTM", 3, go_backwards=True)), (None, 5, 2)),
    (layer("Bidirectional", layer("GRU", 4), merge_mode="sum", backward_layer=layer("GRU", 3, go_backwards=True)),
     (None, 5, 2)),
    (layer("Bidirectional", layer("SimpleRNN", 4, return_state=True), merge_mode=None,
           backward_layer=layer("SimpleRNN", 3, go_backwards=True, return_state=True)), (None, 5, 2)),
    # tf-keras crops with tf.image.crop_to_bounding_box (sizes from 1) or smart_resize, under a
    # tf.cond whose static shape keeps the batch size only when the height and width are known
    (layer("CenterCrop", 0, 4), (None, 8, 8, 3)),
    (layer("RandomCrop", 4, 0), (None, 8, 8, 3)),
    (layer("CenterCrop", 4, 4), (2, None, None, 3)),
    (layer("RandomCrop", 4, 4), (2, 8, None, 3)),
    (layer("Resizing", -1, 4), (None, 8, 8, 3)),  # tf.image.resize: -1 is an unknown size
    (layer("Resizing", 4, 4, crop_to_aspect_ratio=True), (2, None, None, 3)),
    (layer("Resizing", 0, 4, crop_to_aspect_ratio=True), (None, 8, 8, 3)),  # an invalid crop box
    (layer("Dense", 0), (None, 4)),  # tf-keras's units: int(units), from 0
    (layer("Dense", 2.5), (None, 4)),
    (layer("Dense", True), (None, 4)),
]
# Their limits, where tf-keras agrees with Keras 3 again.
KERAS2_LIMITS = [
    (layer("UpSampling1D", 0), (None, 4, 1)),  # a known step repeated 0 times
    (layer("UpSampling3D", 2, data_format="channels_first"), (None, 3, 4, 5)),  # no axis 4
    (layer("UpSampling3D", 2), (None, 3, 4)),  # no axis 3
    (layer("RandomContrast", 0.1), (None, 5, 6, 7, 3)),  # any rank from 3
    (layer("RandomFlip"), (None, 5, 6)),  # an unbatched image
    (layer("DepthwiseConv2D", 3, strides=2), (None, 16, 16, 2)),
    (layer("Discretization", bin_boundaries=[0.0, 1.0], output_mode="one_hot"), (None, 1)),
    (layer("Discretization", bin_boundaries=[0.0, 1.0], output_mode="count"), (None, 4)),
]


@pytest.mark.parametrize("node, shape", KERAS2_FACTS)
def test_keras2_rules_follow_tf_keras_where_keras3_differs(node, shape, keras2, keras3):
    assert real(node, shape, keras2) != real(node, shape, keras3)
    agree(node, shape, keras2, KERAS2)
    agree(node, shape, keras3)


@pytest.mark.parametrize("node, shape", KERAS2_LIMITS)
def test_keras2_rules_stop_where_tf_keras_does(node, shape, keras2, keras3):
    agree(node, shape, keras2, KERAS2)
    agree(node, shape, keras3)


SPECTRAL_CASES = [
    (layer("SpectralNormalization", layer("Dense", 3)), (None, 4)),
    (layer("SpectralNormalization", layer("Dense", 3), power_iterations=0), (None, 4)),
    (layer("SpectralNormalization", layer("Dense", 0)), (None, 4)),  # tf-keras's Dense takes 0 units
    (layer("SpectralNormalization", layer("Dense", 2.5)), (2, 3, 4)),
    (layer("SpectralNormalization", layer("Conv2D", 4, 3)), (None, 8, 8, 2)),
    (layer("SpectralNormalization", layer("DepthwiseConv1D", 3)), (None, 6, 3)),  # a depthwise_kernel
    (layer("SpectralNormalization", layer("DepthwiseConv2D", 3, depth_multiplier=2)), (None, 6, 6, 3)),
    (layer("SpectralNormalization", layer("Embedding", 10, 5)), (2, 3, 4)),
]
_TF_KERAS_ANSWERS = """
import json
from kerascheck.verify.build import import_keras
from tests.differential.test_keras2 import SPECTRAL_CASES
from tests.shapes.helpers import real
keras = import_keras(2)
print(json.dumps([real(node, shape, keras) for node, shape in SPECTRAL_CASES]))
"""


def test_spectral_normalization_agrees_with_tf_keras(keras2):
    """Run where tf.keras is tf-keras, as on TensorFlow 2.15 and earlier (TF_USE_LEGACY_KERAS)."""
    env = dict(os.environ, TF_USE_LEGACY_KERAS="1", TF_CPP_MIN_LOG_LEVEL="3")
    done = subprocess.run([sys.executable, "-c", _TF_KERAS_ANSWERS], env=env, capture_output=True, text=True,
                          check=True)
    answers = json.loads(done.stdout.strip().splitlines()[-1])
    for (node, shape), theirs in zip(SPECTRAL_CASES, answers, strict=True):
        ours = static(node, shape, KERAS2)
        ours = ours if isinstance(ours, str) else [list(ours.output), ours.params]
        assert (ours == theirs) if theirs != "rejected" else isinstance(ours, str), (node, shape, ours, theirs)
