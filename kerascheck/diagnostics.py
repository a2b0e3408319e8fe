"""The one catalog of diagnostic codes, and the Diagnostic record every stage emits.

Codes are ``KC`` + 3 digits, grouped by meaning and never reused:
KC0xx input problems · KC1xx rank mismatches between layers · KC2xx dimension arithmetic ·
KC3xx invalid layer arguments · KC4xx data and labels vs model · KC5xx model structure,
Keras-version and API misuse · KC6xx likely bugs Keras accepts (warnings) ·
KC9xx verification disagreements and internal errors.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kerascheck.graph import Position

if TYPE_CHECKING:
    from kerascheck.repairs import Fix

ERROR = "error"
WARNING = "warning"
INFO = "info"  # shown, never a failure: it never changes the exit code


# What every runnable example and fix is appended to: the imports they use and an empty model.
EXAMPLE_PRELUDE = """\
import numpy as np
import keras
import tensorflow as tf
from keras import layers
from keras.layers import (LSTM, Add, Concatenate, Conv1D, Conv2D, Convolution2D, Dense, Dropout,
                          Embedding, GlobalAveragePooling1D, Input, Lambda, RepeatVector, Reshape)
from keras.models import Model, Sequential
from keras.utils import to_categorical

model = Sequential()
"""


@dataclass(frozen=True)
class Code:
    """One catalog entry: the code, its kebab name, severity, message template and its doc.

    ``opt_in`` codes (style, migration and deprecation notes) are reported only when selected
    (``extend-select``), as ruff leaves its non-default rules to ``extend-select``. A
    ``runnable`` code's ``example`` and ``fix`` are programs after ``EXAMPLE_PRELUDE``: the
    example gives exactly this code, the fix nothing (tests/test_catalog.py); the others (a file
    too large or unreadable, an internal error, a verification outcome) are prose.
    """

    code: str
    name: str
    severity: str
    template: str
    what: str
    why: str
    example: str
    fix: str
    opt_in: bool = False
    runnable: bool = True


@dataclass(frozen=True)
class Diagnostic:
    """One reported problem. ``message`` is the filled template; ``hint`` the cause or fix;
    ``fix`` the mechanical repair when it is unambiguous: an analysis attaches a candidate, and
    ``analysis.py`` keeps it only once ``fixes.verify`` has checked it on the model graph;
    ``level`` a severity other than the code's (an error only some Keras versions raise is a
    warning while the file's Keras is unknown)."""

    code: str
    position: Position
    message: str
    hint: str | None = None
    fix: Fix | None = None
    level: str | None = None

    @property
    def severity(self) -> str:
        return self.level or CATALOG[self.code].severity

    @property
    def fails(self) -> bool:
        """Whether it makes the run fail (exit 1): every error and warning, never an info."""
        return self.severity != INFO

    @property
    def text(self) -> str:
        """The one-line message as printed: message, then ``; `` and the hint."""
        return f"{self.message}; {self.hint}" if self.hint else self.message


def diagnostic(code: str, position: Position, hint: str | None = None, fix: Fix | None = None,
               **fields: object) -> Diagnostic:
    """Build a diagnostic from its catalog template."""
    return Diagnostic(code, position, CATALOG[code].template.format(**fields), hint, fix)


def _catalog(*codes: Code) -> dict[str, Code]:
    table = {c.code: c for c in codes}
    if len(table) != len(codes) or len({c.name for c in codes}) != len(codes):
        raise RuntimeError("duplicate code or name in the catalog")
    return table


CATALOG: dict[str, Code] = _catalog(
    # ---- KC0xx: input problems -------------------------------------------------------------
    Code(
        "KC001", "syntax-error", ERROR, "syntax error: {detail}",
        what="The file could not be parsed as Python.",
        why="Nothing in a file that does not parse can be checked, and Python will refuse to run it.",
        example="model.add(Dense(10)",
        fix="model.add(Dense(10))",
    ),
    Code(
        "KC002", "unreadable-file", ERROR, "cannot read file: {detail}",
        what="The file could not be read or decoded (permissions, binary content, wrong encoding).",
        why="kerascheck cannot check what it cannot read; Python would not import it either.",
        example="a .py file saved as Latin-1 without a `# -*- coding: latin-1 -*-` line",
        fix="Save the file as UTF-8, or declare its encoding on the first or second line (PEP 263).",
        runnable=False,
    ),
    Code(
        "KC003", "file-too-complex", ERROR, "file not checked: {detail}",
        what="The file nests expressions deeper than the parser can handle safely.",
        why="CPython rejects more than 200 nested parentheses; such a file cannot be imported.",
        example="x = ((((((...1...))))))  # thousands deep",
        fix="Split the expression into named parts.",
        runnable=False,
    ),
    Code(
        "KC004", "file-too-large", WARNING,
        "file not checked: {size} MB is over the {limit} MB limit (max-file-size)",
        what="A file that mentions Keras is larger than `max-file-size` (default 1 MB), so it was "
        "reported instead of parsed.",
        why="Parsing costs about a second per 0.2-1 MB of source; files this large are almost always "
        "generated code or embedded data, and one of them would dominate the whole run. Nothing in "
        "the file was checked, so say so rather than stay silent.",
        example="# weights_dump.py, 12 MB: import keras, then a huge literal array",
        fix="Keep data out of source files, or raise the limit: `max-file-size = 20` under "
        "[tool.kerascheck] in pyproject.toml (0: no limit).",
        runnable=False,
    ),
    Code(
        "KC005", "not-analysed", WARNING, "could not be analysed (libcst: {detail})",
        what="Python accepts the file, but libcst, the parser kerascheck reads code with, does not, "
        "even with its indentation normalised; nothing in the file was checked.",
        why="The file is valid Python, so this is not a syntax error; but its models were not "
        "checked, and a silent pass would say they were.",
        example="a construct newer than the installed libcst understands",
        fix="Upgrade libcst (`pip install -U libcst`); if it persists, report it to kerascheck with "
        "the file.",
        runnable=False,
    ),
    # ---- KC1xx: rank mismatches ------------------------------------------------------------
    Code(
        "KC101", "input-rank-mismatch", ERROR, "{layer} needs {expected} input, got {actual}",
        what="A layer receives a tensor whose number of dimensions it does not accept.",
        why="Keras raises `Input 0 of layer ... is incompatible with the layer: expected ndim=...` "
        "when the model is built, naming an auto-generated layer instead of your line.",
        example="model.add(Input(shape=(40, 2)))\nmodel.add(LSTM(12, return_sequences=True))\n"
        "model.add(RepeatVector(10))  # RepeatVector needs 2D input, got 3D (None, 40, 12)",
        fix="model.add(Input(shape=(40, 2)))\nmodel.add(LSTM(12))\nmodel.add(RepeatVector(10))",
    ),
    # ---- KC2xx: dimension arithmetic -------------------------------------------------------
    Code(
        "KC201", "non-positive-dimension", ERROR, "{layer} output would have {detail}",
        what="Convolution, pooling or cropping arithmetic leaves a dimension of length zero or less.",
        why="Keras raises `Computed output size would be negative` (or builds an empty tensor that "
        "fails later).",
        example="model.add(Input(shape=(6, 16)))\nmodel.add(Conv1D(32, 8))  # kernel 8 longer than length 6",
        fix="model.add(Input(shape=(6, 16)))\n"
        "model.add(Conv1D(32, 8, padding='same'))  # or a smaller kernel",
    ),
    Code(
        "KC202", "reshape-size-mismatch", ERROR,
        "Reshape to {target} needs {needed} elements per sample, input {actual} has {have}",
        what="A Reshape's target shape holds a different number of elements than its input.",
        why="Keras raises `total size of new array must be unchanged` when the model is built.",
        example="model.add(Input(shape=(40, 2)))\nmodel.add(Reshape((10, 2)))  # 80 elements into 20",
        fix="model.add(Input(shape=(40, 2)))\nmodel.add(Reshape((20, 4)))  # or Reshape((-1, 2))",
    ),
    Code(
        "KC203", "merge-shape-mismatch", ERROR, "{layer} inputs do not match: {detail}",
        what="A merge layer (Add, Concatenate, Multiply, Dot, ...) gets inputs whose shapes it cannot combine.",
        why="Keras raises `Inputs have incompatible shapes` or `A Concatenate layer requires inputs "
        "with matching shapes except for the concatenation axis`.",
        example="x = Input(shape=(16,))\nmerged = Add()([Dense(32)(x), Dense(64)(x)])\n"
        "model = Model(x, merged)",
        fix="x = Input(shape=(16,))\nmerged = Add()([Dense(32)(x), Dense(32)(x)])\n"
        "model = Model(x, merged)",
    ),
    Code(
        "KC204", "incompatible-input-dimension", ERROR, "{layer} needs {expected}, got {actual}",
        what="A layer that fixes a dimension of its input (a built or shared layer, a declared input "
        "size) receives a tensor whose dimension differs.",
        why="Keras raises `expected axis -1 of input shape to have value ...`.",
        example="shared = Dense(8)\na, b = Input((4,)), Input((5,))\n"
        "model = Model([a, b], [shared(a), shared(b)])",
        fix="shared = Dense(8)\na, b = Input((4,)), Input((4,))\n"
        "model = Model([a, b], [shared(a), shared(b)])",
    ),
    Code(
        "KC205", "array-reshape-size", ERROR, "NumPy raises: {detail}",
        what="A NumPy reshape of an array whose size kerascheck knows asks for a shape holding "
        "another number of elements.",
        why="NumPy raises `ValueError: cannot reshape array of size 78400 into shape (600,784)` on "
        "that line, before any model sees the data; scripts often reuse the training set's sample "
        "count for the test set.",
        example="x_test = np.zeros((100, 28, 28))\nx_test = x_test.reshape(600, 784)",
        fix="x_test = np.zeros((100, 28, 28))\nx_test = x_test.reshape(-1, 784)  # or x_test.reshape(len(x_test), 784)",
    ),
    Code(
        "KC206", "weights-shape-mismatch", ERROR, "{layer} cannot take these weights=: {detail}",
        what="Arrays given as a layer's initial `weights=` (an Embedding's pretrained matrix, or any "
        "layer under tf-keras) that are not the weights Keras builds for it: another count, or "
        "another shape than the layer's arguments and input make.",
        why="Keras raises `Layer embedding weight shape (10, 8) is not compatible with provided weight "
        "shape (50, 16)` (or `You called set_weights(weights) ... with a weight list of length 1, but "
        "the layer was expecting 2 weights`) when it builds the layer.",
        example="embedding_matrix = np.zeros((50, 16))\nmodel.add(Input(shape=(10,)))\n"
        "model.add(Embedding(10, 8, weights=[embedding_matrix]))",
        fix="embedding_matrix = np.zeros((50, 16))\nmodel.add(Input(shape=(10,)))\n"
        "model.add(Embedding(50, 16, weights=[embedding_matrix]))",
    ),
    # ---- KC3xx: invalid layer arguments ----------------------------------------------------
    Code(
        "KC301", "invalid-units", ERROR, "{layer} {argument} must be a positive integer, got {value}",
        what="A layer's size argument (units, filters, n, output_dim...) is not a positive integer.",
        why="Keras raises `Received an invalid value for argument units` (a tuple is not a shape here).",
        example="model.add(Input(shape=(16,)))\nmodel.add(Dense((10, 2)))",
        fix="model.add(Input(shape=(16,)))\nmodel.add(Dense(10 * 2))\nmodel.add(Reshape((10, 2)))",
    ),
    Code(
        "KC302", "invalid-option", ERROR, "{layer} {argument}={value} is not one of {allowed}",
        what="A string option (padding, data_format, merge_mode, interpolation...) has a value Keras "
        "does not know.",
        why="Keras raises a ValueError listing the accepted values when the layer is created.",
        example="model.add(Input(shape=(40, 8)))\nmodel.add(Conv1D(32, 3, padding='full'))",
        fix="model.add(Input(shape=(40, 8)))\nmodel.add(Conv1D(32, 3, padding='same'))",
    ),
    Code(
        "KC303", "invalid-argument", ERROR, "{layer} {argument}={value}: {detail}",
        what="A layer argument has a value Keras rejects (a kernel size of 0, a rate outside [0, 1), "
        "a tuple of the wrong length, an unsupported combination).",
        why="Keras raises a ValueError when the layer is created or built.",
        example="model.add(Input(shape=(16,)))\nmodel.add(Dropout(1.5))",
        fix="model.add(Input(shape=(16,)))\nmodel.add(Dropout(0.5))",
    ),
    Code(
        "KC304", "missing-argument", ERROR, "{layer} is missing its required argument {argument}",
        what="A layer is created without an argument it requires.",
        why="Python raises `TypeError: __init__() missing 1 required positional argument`.",
        example="model.add(Input(shape=(16,)))\nmodel.add(Dense(activation='relu'))",
        fix="model.add(Input(shape=(16,)))\nmodel.add(Dense(64, activation='relu'))",
    ),
    # ---- KC4xx: data and labels vs model ---------------------------------------------------
    Code(
        "KC401", "feature-shape-mismatch", ERROR,
        "{argument} of {method} has shape {actual}, the model input is {expected}: {detail}",
        what="The array given as features (x) to fit/evaluate/predict cannot go through the model: "
        "its rank differs from the input's (beyond the trailing axis of 1 Keras adds or drops), or "
        "a layer built for the declared input gets a different size.",
        why="Keras raises `Invalid input shape for input ...` or `expected axis -1 of input shape "
        "to have value ...` when fit starts, after the model was built and compiled.",
        example="X, y = np.zeros((1000, 640)), np.zeros((1000, 1))\nmodel.add(Input(shape=(40, 16)))\n"
        "model.add(LSTM(32))\nmodel.add(Dense(1))\nmodel.compile(loss='mse')\nmodel.fit(X, y)",
        fix="X, y = np.zeros((1000, 640)), np.zeros((1000, 1))\nmodel.add(Input(shape=(40, 16)))\n"
        "model.add(LSTM(32))\nmodel.add(Dense(1))\nmodel.compile(loss='mse')\n"
        "model.fit(X.reshape(-1, 40, 16), y)",
    ),
    Code(
        "KC402", "label-shape-mismatch", ERROR,
        "{argument} of {method} has shape {actual}, the model output is {expected}: {detail}",
        what="The labels (y) do not fit the model's output under the compiled loss: categorical and "
        "binary cross-entropy need labels shaped like the output, sparse categorical cross-entropy "
        "integer labels with one dimension fewer, regression losses broadcastable labels.",
        why="Keras raises `Arguments target and output must have the same shape` (or rank) in the "
        "first training step.",
        example="X, y = np.zeros((1000, 20)), np.random.randint(0, 10, size=(1000,))\n"
        "model.add(Input(shape=(20,)))\nmodel.add(Dense(10, activation='softmax'))\n"
        "model.compile(loss='categorical_crossentropy')\nmodel.fit(X, y)",
        fix="X, y = np.zeros((1000, 20)), np.random.randint(0, 10, size=(1000,))\n"
        "model.add(Input(shape=(20,)))\nmodel.add(Dense(10, activation='softmax'))\n"
        "model.compile(loss='sparse_categorical_crossentropy')  # or fit on to_categorical(y, 10)\n"
        "model.fit(X, y)",
    ),
    Code(
        "KC403", "sample-count-mismatch", ERROR, "{first} has {n} samples but {second} has {m}",
        what="The arrays given together to fit/evaluate (features, labels, validation data, the "
        "inputs of a multi-input model) have different numbers of samples.",
        why="Keras raises `Data cardinality is ambiguous. Make sure all arrays contain the same "
        "number of samples.`",
        example="X, y = np.zeros((1000, 8)), np.zeros((1000, 1))\nmodel.add(Input(shape=(8,)))\n"
        "model.add(Dense(1))\nmodel.compile(loss='mse')\nmodel.fit(X[:800], y)",
        fix="X, y = np.zeros((1000, 8)), np.zeros((1000, 1))\nmodel.add(Input(shape=(8,)))\n"
        "model.add(Dense(1))\nmodel.compile(loss='mse')\nmodel.fit(X[:800], y[:800])",
    ),
    Code(
        "KC404", "data-structure-mismatch", ERROR,
        "{argument} of {method} gives {actual} array(s), the model has {expected} {what}",
        what="A model gets another number of arrays than it has inputs or outputs: one array for "
        "a model of two inputs, or a list of two for a model of one. (Keras 3's Sequential reads the "
        "first array of such a list as its input, and tf-keras the first as the labels of one output.)",
        why="Keras raises `Layer ... expects 2 input(s), but it received 1 input tensors`, or, for "
        "labels, `y_true and y_pred have different structures`.",
        example="a, b = Input((4,)), Input((4,))\nmodel = Model([a, b], Dense(1)(Concatenate()([a, b])))\n"
        "model.compile(loss='mse')\n"
        "Xa, Xb, y = np.zeros((100, 4)), np.zeros((100, 4)), np.zeros((100, 1))\nmodel.fit(Xa, y)",
        fix="a, b = Input((4,)), Input((4,))\nmodel = Model([a, b], Dense(1)(Concatenate()([a, b])))\n"
        "model.compile(loss='mse')\n"
        "Xa, Xb, y = np.zeros((100, 4)), np.zeros((100, 4)), np.zeros((100, 1))\n"
        "model.fit([Xa, Xb], y)",
    ),
    Code(
        "KC405", "ragged-sequences", ERROR,
        "{argument} of {method} holds sequences of different lengths ({lengths}): Keras needs arrays of one shape",
        what="Features or labels given to fit/evaluate/predict as sequences of different lengths: "
        "`np.array(sequences, dtype=object)`, or a Python list of them for a model with one input "
        "(or output).",
        why="Keras 3 raises `Invalid dtype: object` for an object array and `Data cardinality is "
        "ambiguous` (or an IndexError) for a list; tf-keras `Failed to convert a NumPy array to a "
        "Tensor` and `Data cardinality is ambiguous`.",
        example="sequences = [[4, 12, 7], [9, 3], [15, 8, 2, 6]]\nX, y = np.array(sequences, dtype=object), "
        "np.zeros((3, 1))\nmodel.add(Input(shape=(None,)))\nmodel.add(Embedding(20, 8))\n"
        "model.add(GlobalAveragePooling1D())\nmodel.add(Dense(1))\nmodel.compile(loss='mse')\nmodel.fit(X, y)",
        fix="sequences = [[4, 12, 7], [9, 3], [15, 8, 2, 6]]\n"
        "X, y = keras.utils.pad_sequences(sequences, padding='post'), np.zeros((3, 1))\n"
        "model.add(Input(shape=(None,)))\nmodel.add(Embedding(20, 8))\n"
        "model.add(GlobalAveragePooling1D())\nmodel.add(Dense(1))\nmodel.compile(loss='mse')\nmodel.fit(X, y)",
    ),
    # ---- KC5xx: model structure and API misuse ---------------------------------------------
    Code(
        "KC501", "disconnected-output", ERROR, "model output {detail} does not depend on its inputs",
        what="A functional Model's outputs are not computed from the tensors given as its inputs.",
        why="Keras raises `Graph disconnected: cannot obtain value for tensor ...`.",
        example="a, b = Input((4,)), Input((4,))\nmodel = Model(inputs=a, outputs=Dense(1)(b))",
        fix="a, b = Input((4,)), Input((4,))\nmodel = Model(inputs=b, outputs=Dense(1)(b))",
    ),
    Code(
        "KC502", "undefined-tensor", ERROR, "{name} is used as a tensor but never defined",
        what="A layer is called on, or a Model given, a name that is not defined before that line.",
        why="Python raises NameError when this line runs.",
        example="x = Input((4,))\nout = Dense(1)(hidden)  # no `hidden = ...` before\nmodel = Model(x, out)",
        fix="x = Input((4,))\nhidden = Dense(8)(x)\nout = Dense(1)(hidden)\nmodel = Model(x, out)",
    ),
    Code(
        "KC503", "tf-function-on-keras-tensor", ERROR, "{function} cannot take a KerasTensor in Keras 3",
        what="A TensorFlow function (tf.concat, tf.reshape, tf.nn.relu, tf.reduce_mean...) is called on "
        "a functional model's symbolic tensor: an Input, or a layer's output on one.",
        why="Keras 3 raises `ValueError: A KerasTensor cannot be used as input to a TensorFlow "
        "function` on that line. Keras 2 (tf.keras before TensorFlow 2.16, tf-keras) wrapped the call "
        "in a TFOpLambda layer, so old code that worked breaks on upgrade. TensorFlow functions inside "
        "a subclassed model's call(), a custom layer's call() or a Lambda layer are fine.",
        example="x = keras.Input(shape=(8,))\nh = layers.Dense(4)(x)\ny = tf.reduce_mean(h, axis=-1)\n"
        "model = keras.Model(x, y)",
        fix="x = keras.Input(shape=(8,))\nh = layers.Dense(4)(x)\ny = keras.ops.mean(h, axis=-1)\n"
        "# or: y = layers.Lambda(lambda t: tf.reduce_mean(t, axis=-1))(h)\n"
        "model = keras.Model(x, y)",
    ),
    Code(
        "KC504", "wrong-unpacking", ERROR, "{layer} returns {actual} tensors, unpacked into {expected} names",
        what="The result of a layer that returns several tensors (an RNN with return_state=True, "
        "a Bidirectional one, an attention layer called with return_attention_scores=True) is "
        "unpacked into another number of names.",
        why="Python raises `ValueError: not enough values to unpack` (or `too many values`) on that "
        "line. With return_state=True an LSTM returns its output and two states (h, c), a GRU or "
        "SimpleRNN its output and one state (h); Bidirectional returns the output, then the forward "
        "layer's states, then the backward layer's.",
        example="x = Input((10, 8))\nout, h, c = layers.GRU(16, return_state=True)(x)\nmodel = Model(x, out)",
        fix="x = Input((10, 8))\nout, h = layers.GRU(16, return_state=True)(x)\nmodel = Model(x, out)",
    ),
    # KC520-KC599: Keras-version and API misuse (kerascheck/versions)
    Code(
        "KC520", "unknown-keyword-argument", ERROR, "{layer} does not take {argument}= in Keras {version}",
        what="A layer is given a keyword argument its constructor does not accept in the targeted Keras.",
        why="Keras 3 raises `Unrecognized keyword arguments passed to ...`; tf-keras raises "
        "`Keyword argument not understood`. The layer is never created.",
        example="model.add(Input(shape=(16,)))\nmodel.add(Dense(10, return_sequences=True))",
        fix="model.add(Input(shape=(16,)))\n"
        "model.add(Dense(10))  # only recurrent layers take return_sequences",
    ),
    Code(
        "KC521", "argument-removed-in-keras-3", ERROR, "{layer} {argument}= was removed in Keras 3",
        what="A layer is given an argument every Keras 2 layer accepted but Keras 3 removed "
        "(batch_input_shape, batch_size, input_length, weights, dynamic...).",
        why="Keras 3 raises `Unrecognized keyword arguments passed to ...` when the layer is created.",
        example="model.add(LSTM(150, batch_input_shape=(50, 1, 10), stateful=True))",
        fix="model.add(keras.Input(batch_shape=(50, 1, 10)))\nmodel.add(LSTM(150, stateful=True))",
    ),
    Code(
        "KC522", "keras1-argument", ERROR, "{layer} {argument}= is the Keras 1 name, rejected since Keras 2",
        what="An argument uses its Keras 1 name (nb_epoch, output_dim, init, border_mode, nb_filter, "
        "subsample_length...).",
        why="Keras 2 and 3 raise: `unexpected keyword argument 'nb_epoch'`, `Unrecognized keyword "
        "arguments`, or `missing 1 required positional argument` for the renamed one.",
        example="X, y = np.zeros((100, 8)), np.zeros((100, 1))\nmodel.add(Input(shape=(8,)))\n"
        "model.add(Dense(1, init='uniform'))\nmodel.compile(loss='mse')\n"
        "model.fit(X, y, nb_epoch=10)",
        fix="X, y = np.zeros((100, 8)), np.zeros((100, 1))\nmodel.add(Input(shape=(8,)))\n"
        "model.add(Dense(1, kernel_initializer='uniform'))\nmodel.compile(loss='mse')\n"
        "model.fit(X, y, epochs=10)",
    ),
    Code(
        "KC523", "removed-layer", ERROR, "{layer} does not exist in Keras {version}",
        what="A layer class that the targeted Keras no longer has (Keras 1's Merge, Keras 2's "
        "LocallyConnected1D, ThresholdedReLU...).",
        why="`from keras.layers import Merge` fails with ImportError on its line (reported there, "
        "naming the standalone Keras 2 releases that had it); `keras.layers.Merge` has no such "
        "attribute where it is used.",
        example="from keras.layers import Merge\nleft = Sequential([Input((4,)), Dense(8)])\n"
        "right = Sequential([Input((4,)), Dense(8)])\n"
        "model.add(Merge([left, right], mode='concat'))",
        fix="left, right = Input((4,)), Input((4,))\n"
        "merged = Concatenate()([Dense(8)(left), Dense(8)(right)])\n"
        "model = Model([left, right], merged)",
    ),
    Code(
        "KC524", "removed-module", ERROR, "{module} does not exist in Keras {version}",
        what="An import from a module path of older Keras (keras.layers.core, keras.layers.recurrent, "
        "keras.utils.np_utils, keras.engine...), or a module only Keras 3 has (keras.ops, keras.random, "
        "keras.config...) imported or used where Keras 2 runs the file (tf_keras always is Keras 2).",
        why="Python raises `ModuleNotFoundError` on the import line, or `AttributeError: module "
        "'tf_keras' has no attribute 'ops'` at the use.",
        example="from keras.layers.recurrent import LSTM",
        fix="from keras.layers import LSTM",
    ),
    Code(
        "KC525", "private-keras-name", ERROR, "{name} cannot be imported from {module}",
        what="A name imported from TensorFlow's private Keras copy (tensorflow.python.keras) that "
        "current TensorFlow no longer ships there.",
        why="Python raises `ImportError: cannot import name ...` (LSTM, TimeDistributed... are gone "
        "from tensorflow.python.keras.layers).",
        example="from tensorflow.python.keras.layers import LSTM",
        fix="from keras.layers import LSTM",
    ),
    Code(
        "KC532", "removed-keras-name", ERROR, "{name} cannot be imported from {module} in Keras {version}",
        what="A name imported from a module Keras 3 kept, but without that name "
        "(`ImageDataGenerator` from keras.preprocessing.image, `TimeseriesGenerator` from "
        "keras.preprocessing.sequence).",
        why="Python raises `ImportError: cannot import name 'ImageDataGenerator' from "
        "'keras.preprocessing.image'`. TensorFlow 2.16+ keeps the old names under tensorflow.keras, "
        "which is not reported.",
        example="from keras.preprocessing.image import ImageDataGenerator",
        fix="from keras.utils import image_dataset_from_directory",
    ),
    Code(
        "KC533", "removed-backend-function", ERROR, "{name} does not exist in Keras 3",
        what="A Keras 2 backend function (`K.sum`, `K.int_shape`, `K.set_value`...) used through "
        "standalone Keras's `keras.backend`, which Keras 3 cut down to a dozen functions "
        "(`epsilon`, `clear_session`, `image_data_format`...).",
        why="Python raises `AttributeError: module 'keras.backend' has no attribute 'sum'`. "
        "TensorFlow 2.16+ keeps the Keras 2 functions in `tf.keras.backend`, which is not reported.",
        example="from keras import backend as K\nimport keras\nx = keras.Input(shape=(4,))\n"
                "y = keras.layers.Lambda(lambda t: K.sum(t, axis=1))(x)",
        fix="import keras\nx = keras.Input(shape=(4,))\n"
            "y = keras.layers.Lambda(lambda t: keras.ops.sum(t, axis=1))(x)",
    ),
    Code(
        "KC526", "stateful-without-batch-size", ERROR,
        "{layer} is stateful but the model's batch size is not fixed",
        what="A recurrent layer with stateful=True in a model whose input has no fixed batch size.",
        why="Keras 3 raises `When using stateful=True in a RNN, the batch size must be static`; "
        "tf-keras raises `If a RNN is stateful, it needs to know its batch size`.",
        example="model.add(Input(shape=(10, 8)))\nmodel.add(LSTM(32, stateful=True))",
        fix="model.add(Input(batch_shape=(16, 10, 8)))\nmodel.add(LSTM(32, stateful=True))",
    ),
    Code(
        "KC527", "stateful-batch-size-mismatch", ERROR,
        "stateful model needs batches of exactly {batch} samples, {method} {detail}",
        what="A model with a stateful RNN is trained or run with batches of another size than its "
        "fixed batch size (another batch_size=, the default 32, or a last partial batch).",
        why="Keras raises `If an RNN is stateful, the batch size of the input sequences must be the "
        "same as the batch size of the initial state`, or fails on the last, smaller batch.",
        example="X, y = np.zeros((32, 5, 3)), np.zeros((32, 4))\n"
        "model = Sequential([Input(batch_shape=(4, 5, 3)), LSTM(4, stateful=True)])\n"
        "model.compile(loss='mse')\nmodel.fit(X, y, batch_size=8, shuffle=False)",
        fix="X, y = np.zeros((32, 5, 3)), np.zeros((32, 4))  # len(X) a multiple of 4\n"
        "model = Sequential([Input(batch_shape=(4, 5, 3)), LSTM(4, stateful=True)])\n"
        "model.compile(loss='mse')\nmodel.fit(X, y, batch_size=4, shuffle=False)",
    ),
    Code(
        "KC528", "unknown-method-argument", ERROR, "{method}() does not take {argument}= in Keras {version}",
        what="fit/evaluate/predict is given a keyword argument it does not accept in the targeted "
        "Keras (workers=, use_multiprocessing=, max_queue_size= were removed in Keras 3).",
        why="Python raises `fit() got an unexpected keyword argument ...` when the line runs.",
        example="X, y = np.zeros((100, 8)), np.zeros((100, 1))\nmodel.add(Input(shape=(8,)))\n"
        "model.add(Dense(1))\nmodel.compile(loss='mse')\n"
        "model.fit(X, y, epochs=5, workers=4, use_multiprocessing=True)",
        fix="X, y = np.zeros((100, 8)), np.zeros((100, 1))\nmodel.add(Input(shape=(8,)))\n"
        "model.add(Dense(1))\nmodel.compile(loss='mse')\nmodel.fit(X, y, epochs=5)",
    ),
    Code(
        "KC529", "removed-model-method", ERROR, "{method}() does not exist in Keras {version}",
        what="A Model method older Keras had: fit_generator, evaluate_generator, predict_generator "
        "(gone in Keras 3), predict_classes and predict_proba (gone since TensorFlow 2.6).",
        why="Python raises `AttributeError: 'Sequential' object has no attribute 'fit_generator'`.",
        example="batches = ((np.zeros((32, 8)), np.zeros((32, 1))) for _ in range(500))\n"
        "model.add(Input(shape=(8,)))\nmodel.add(Dense(1))\nmodel.compile(loss='mse')\n"
        "model.fit_generator(batches, steps_per_epoch=100, epochs=5)",
        fix="batches = ((np.zeros((32, 8)), np.zeros((32, 1))) for _ in range(500))\n"
        "model.add(Input(shape=(8,)))\nmodel.add(Dense(1))\nmodel.compile(loss='mse')\n"
        "model.fit(batches, steps_per_epoch=100, epochs=5)",
    ),
    Code(
        "KC530", "removed-backend-session", ERROR, "{name}() does not work on {versions}",
        what="keras.backend.get_session() or set_session(): TensorFlow 1 sessions, which only "
        "standalone Keras 2.0-2.3 and TensorFlow 1.x's tf.keras have.",
        why="Keras 3 raises `AttributeError`; TensorFlow 2's tf.keras has no such function, and Keras "
        "2.4-2.15's raises `RuntimeError` unless eager execution is disabled. Under Keras 2 it is a "
        "warning, since Keras 2.0-2.3 run it.",
        example="from keras import backend as K\nsess = K.get_session()",
        fix="# TensorFlow 2 needs no session; for GPU memory growth:\n"
            "for gpu in tf.config.list_physical_devices('GPU'):\n"
            "    tf.config.experimental.set_memory_growth(gpu, True)",
    ),
    Code(
        "KC531", "optimizer-lr-argument", ERROR, "{optimizer} lr= was removed in Keras 3",
        what="An optimizer given its learning rate as lr=, the Keras 2 spelling.",
        why="Keras 3 raises `Argument(s) not recognized: {'lr': ...}` when the optimizer is created; "
        "tf-keras only warns that lr is deprecated.",
        example="model.add(Input(shape=(4,)))\nmodel.add(Dense(1))\n"
                "model.compile(optimizer=keras.optimizers.Adam(lr=0.001), loss='mse')",
        fix="model.add(Input(shape=(4,)))\nmodel.add(Dense(1))\n"
            "model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.001), loss='mse')",
    ),
    # ---- KC6xx: likely bugs Keras accepts (warnings) -----------------------------------------
    Code(
        "KC601", "label-broadcast", WARNING,
        "{argument} of {method} has shape {actual}, the model output is {expected}: {detail}",
        what="The labels and the model output have different shapes that the loss silently "
        "broadcasts (mean squared error and the other regression losses compute y_true - y_pred).",
        why="Training runs but compares every label with every output (or the batch axis with a "
        "feature axis): the loss is meaningless and the model learns nothing useful.",
        example="X, y = np.zeros((1000, 8)), np.zeros((1000, 400, 1))\nmodel.add(Input(shape=(8,)))\n"
        "model.add(Dense(1))\nmodel.compile(loss='mse')\nmodel.fit(X, y)",
        fix="X, y = np.zeros((1000, 8)), np.zeros((1000, 400, 1))\nmodel.add(Input(shape=(8,)))\n"
        "model.add(Dense(400))\nmodel.compile(loss='mse')\nmodel.fit(X, y.reshape(-1, 400))",
    ),
    Code(
        "KC602", "dense-on-sequence-output", WARNING,
        "{layer} is applied to each step of {actual} but the labels {labels} have one value per sample",
        what="The Dense layer that produces the output receives a 3D (or higher) tensor, so it makes "
        "one prediction per time step or position, while the labels have one value per sample.",
        why="Keras accepts it (the loss squeezes or broadcasts), but the model is trained on the "
        "wrong target; a Flatten or a global pooling layer was meant before the Dense.",
        example="X, y = np.zeros((1000, 40)), np.zeros((1000, 1))\nmodel.add(Input(shape=(40,)))\n"
        "model.add(Embedding(1000, 64))\nmodel.add(Dense(1))\nmodel.compile(loss='mse')\n"
        "model.fit(X, y)",
        fix="X, y = np.zeros((1000, 40)), np.zeros((1000, 1))\nmodel.add(Input(shape=(40,)))\n"
        "model.add(Embedding(1000, 64))\nmodel.add(GlobalAveragePooling1D())\nmodel.add(Dense(1))\n"
        "model.compile(loss='mse')\nmodel.fit(X, y)",
    ),
    Code(
        "KC603", "sequence-output-per-sample-labels", WARNING,
        "the model outputs a sequence {expected} but the labels {actual} have one value per sample",
        what="A recurrent layer with return_sequences=True feeds the output, so the model predicts "
        "one value per time step, while the labels have one value per sample.",
        why="Keras accepts it (the loss squeezes or broadcasts the labels), but every step is "
        "trained towards the sample's label instead of the sequence being summarised.",
        example="X, y = np.zeros((1000, 10, 8)), np.zeros((1000, 1))\nmodel.add(Input(shape=(10, 8)))\n"
        "model.add(LSTM(32, return_sequences=True))\nmodel.add(Dense(1))\n"
        "model.compile(loss='mse')\nmodel.fit(X, y)",
        fix="X, y = np.zeros((1000, 10, 8)), np.zeros((1000, 1))\nmodel.add(Input(shape=(10, 8)))\n"
        "model.add(LSTM(32))\nmodel.add(Dense(1))\nmodel.compile(loss='mse')\nmodel.fit(X, y)",
    ),
    Code(
        "KC604", "softmax-single-unit", WARNING, "{layer} applies softmax to a single unit: it always outputs 1.0",
        what="The output layer has one unit and a softmax activation.",
        why="A softmax over one value is always 1.0: the model cannot learn and accuracy stays at "
        "the share of the positive class.",
        example="model.add(Input(shape=(16,)))\nmodel.add(Dense(1, activation='softmax'))",
        fix="model.add(Input(shape=(16,)))\n"
        "model.add(Dense(1, activation='sigmoid'))  # with loss='binary_crossentropy'",
    ),
    Code(
        "KC605", "binary-loss-one-hot-labels", WARNING,
        "{loss} with one-hot labels of {classes} classes",
        what="Binary cross-entropy is used with one-hot labels of more than two classes.",
        why="Keras treats every class as an independent yes/no question; the reported accuracy is "
        "binary accuracy over all class slots (inflated by the many zeros), not classification accuracy.",
        example="X, y = np.zeros((1000, 20)), np.random.randint(0, 10, size=(1000,))\n"
        "model.add(Input(shape=(20,)))\nmodel.add(Dense(10, activation='sigmoid'))\n"
        "model.compile(loss='binary_crossentropy')\nmodel.fit(X, to_categorical(y, 10))",
        fix="X, y = np.zeros((1000, 20)), np.random.randint(0, 10, size=(1000,))\n"
        "model.add(Input(shape=(20,)))\nmodel.add(Dense(10, activation='softmax'))\n"
        "model.compile(loss='categorical_crossentropy')\nmodel.fit(X, to_categorical(y, 10))",
    ),
    # KC650-KC699: version-dependent likely bugs (kerascheck/versions)
    Code(
        "KC606", "categorical-loss-single-unit", WARNING,
        "{loss} on an output with a single unit: the loss is always 0",
        what="Categorical cross-entropy is used with a model whose output has one unit.",
        why="Keras normalises the output over its last axis, so one unit always predicts 1.0 and "
        "the loss is 0 whatever the weights: nothing is learned (Keras only prints a SyntaxWarning).",
        example="X, y = np.zeros((100, 16)), np.zeros((100, 1))\nmodel.add(Input(shape=(16,)))\n"
        "model.add(Dense(1, activation='sigmoid'))\n"
        "model.compile(loss='categorical_crossentropy')\nmodel.fit(X, y)",
        fix="X, y = np.zeros((100, 16)), np.zeros((100, 1))\nmodel.add(Input(shape=(16,)))\n"
        "model.add(Dense(1, activation='sigmoid'))\n"
        "model.compile(loss='binary_crossentropy')  # two classes, one sigmoid unit\n"
        "model.fit(X, y)",
    ),
    Code(
        "KC650", "input-shape-on-layer", WARNING, "{layer} {argument}={value} on a layer is deprecated in Keras 3",
        what="A layer is given input_shape= or input_dim= (Keras 2 style) under Keras 3.",
        why="Keras 3 still honours it but warns `Do not pass an input_shape/input_dim argument to a "
        "layer`; the model's input is clearer, and later Keras may drop it.",
        example="model.add(LSTM(12, input_shape=(40, 1)))",
        fix="model.add(Input(shape=(40, 1)))\nmodel.add(LSTM(12))",
        opt_in=True,
    ),
    Code(
        "KC651", "ignored-input-length", WARNING, "Embedding input_length={value} is ignored by Keras 3",
        what="Embedding(..., input_length=n) under Keras 3.",
        why="Keras 3 only warns `Argument input_length is deprecated` and ignores it: a Sequential "
        "model starting with this Embedding gets no input shape (no summary, no build) until it sees data.",
        example="model.add(Embedding(1000, 64, input_length=10))",
        fix="model.add(Input(shape=(10,)))\nmodel.add(Embedding(1000, 64))",
        opt_in=True,
    ),
    Code(
        "KC652", "keras1-positional-kernel", WARNING,
        "{layer}({args}) uses {value} as strides, not as a kernel dimension",
        what="A Keras 1 convolution call Convolution2D(nb_filter, nb_row, nb_col): since Keras 2 "
        "the third positional argument is strides.",
        why="The model builds, but with a square kernel and strides of nb_col: much smaller outputs "
        "than the author meant, and no error anywhere.",
        example="model.add(Input(shape=(28, 28, 1)))\n"
        "model.add(Convolution2D(32, 3, 3))  # (None, 9, 9, 32)",
        fix="model.add(Input(shape=(28, 28, 1)))\nmodel.add(Conv2D(32, (3, 3)))  # (None, 26, 26, 32)",
    ),
    Code(
        "KC653", "stateful-shuffle", WARNING, "{method} shuffles the samples of a stateful model",
        what="A model with a stateful RNN is trained with shuffle=True (fit's default).",
        why="A stateful RNN carries its state from sample i of one batch to sample i of the next; "
        "shuffling breaks that order silently, so the state carried over is meaningless.",
        example="X, y = np.zeros((32, 5, 3)), np.zeros((32, 4))\n"
        "model = Sequential([Input(batch_shape=(4, 5, 3)), LSTM(4, stateful=True)])\n"
        "model.compile(loss='mse')\nmodel.fit(X, y, batch_size=4, epochs=10)",
        fix="X, y = np.zeros((32, 5, 3)), np.zeros((32, 4))\n"
        "model = Sequential([Input(batch_shape=(4, 5, 3)), LSTM(4, stateful=True)])\n"
        "model.compile(loss='mse')\nmodel.fit(X, y, batch_size=4, epochs=10, shuffle=False)",
    ),
    Code(
        "KC654", "private-keras-module", WARNING, "{module} is TensorFlow's private copy of old Keras",
        what="An import from tensorflow.python.keras, TensorFlow's internal, frozen Keras 2.x.",
        why="It is not public API: most layers are gone from it in current TensorFlow, and its "
        "objects do not mix with keras / tf.keras ones.",
        example="from tensorflow.python.keras import Sequential",
        fix="from keras import Sequential",
        opt_in=True,
    ),
    # ---- KC9xx: verification and internal errors -------------------------------------------
    Code(
        "KC901", "internal-error", ERROR, "internal error while checking this file: {detail}",
        what="kerascheck itself failed on this file. The other files' results are unaffected.",
        why="This is a bug in kerascheck, not in your code.",
        example="(any file)",
        fix="Report it with the file that triggers it.",
        runnable=False,
    ),
    Code(
        "KC910", "verify-shape-mismatch", ERROR, "{layer}: static shape {static} but Keras built {keras}",
        what="`kerascheck verify` rebuilt the model in real Keras and this layer's output shape differs "
        "from the one kerascheck inferred statically.",
        why="kerascheck's rules must follow Keras exactly; a difference is a bug in the rule and can "
        "hide real errors downstream or report false ones.",
        example="Conv1D(32, 3) on (None, 100, 8): static (None, 98, 32) but Keras built (None, 97, 32)",
        fix="Report it: the static shapes of this model cannot be trusted after this layer.",
        runnable=False,
    ),
    Code(
        "KC911", "verify-params-mismatch", ERROR,
        "{layer}: static parameter count {static} but Keras built {keras}",
        what="`kerascheck verify` counted a different number of weights for this layer in real Keras "
        "than kerascheck computed statically.",
        why="The summary's parameter counts come from the static rules; a difference is a bug in the rule.",
        example="LSTM(32) on (None, 10, 8): static 5248 but Keras built 5376",
        fix="Report it: trust Keras's `model.summary()` for this layer.",
        runnable=False,
    ),
    Code(
        "KC912", "verify-keras-rejects", ERROR, "Keras rejects {layer} but kerascheck {ours}: {keras}",
        what="Real Keras raised an error building this layer, and kerascheck reported nothing here.",
        why="The model will fail when Keras builds it. Either kerascheck lacked information (an "
        "unknown shape upstream) or its rule misses this check.",
        example="a layer after an unresolved argument: static shape unknown, Keras rejects the input",
        fix="Fix the layer as Keras's message says; report it if kerascheck knew the input shape.",
        runnable=False,
    ),
    Code(
        "KC913", "verify-keras-accepts", ERROR, "kerascheck reports {static_code} for {layer} but Keras builds it: output {keras}",
        what="kerascheck reported an error on this layer, yet real Keras builds it.",
        why="kerascheck must never report an error Keras would not raise; this is a false alarm from "
        "a rule.",
        example="a rank check stricter than the layer's real InputSpec",
        fix="Ignore the static error on this line (# noqa: KCxxx) and report it.",
        runnable=False,
    ),
    Code(
        "KC914", "verify-timeout", ERROR, "Keras did not finish building model {model} within {seconds:g} s",
        what="Rebuilding the model in real Keras took longer than the time limit; it was stopped and "
        "the other models were verified.",
        why="A hung build says nothing about the model's shapes: this model is not verified.",
        example="a model with thousands of layers on a slow machine",
        fix="Rerun `kerascheck verify` on this file with a longer time limit.",
        runnable=False,
    ),
    Code(
        "KC915", "verify-skipped", INFO, "{layer} not verified: {reason}",
        what="Part of the model cannot be rebuilt from the source alone (a Lambda, a custom layer, an "
        "argument kerascheck could not resolve), or a data call cannot be run on zeros as it is "
        "written (data of unknown shape, a generator, a loss that is not a literal); verification "
        "stops there and goes on elsewhere.",
        why="verify never runs your code, so what depends on it is not cross-checked against Keras.",
        example="model.add(Lambda(lambda x: x[:, -1]))",
        fix="Nothing to fix in your code: an info line never changes the exit code.",
        runnable=False,
    ),
    Code(
        "KC916", "verify-worker-failed", ERROR, "the Keras worker failed on model {model}: {detail}",
        what="The subprocess that builds models in real Keras crashed or failed unexpectedly.",
        why="This model is not verified; the other models are.",
        example="TensorFlow aborting on an unsupported CPU instruction set",
        fix="Check the TensorFlow installation; report it with the file if it persists.",
        runnable=False,
    ),
    Code(
        "KC917", "verify-keras-rejects-data", ERROR, "Keras rejects {call} but kerascheck reports nothing: {keras}",
        what="`kerascheck verify` ran this fit/evaluate/predict call in real Keras on zero arrays of "
        "the shapes kerascheck inferred, compiled with the same loss, and Keras raised an error "
        "where kerascheck reported none.",
        why="The call will fail on the real data as well. Either kerascheck lacked information (a "
        "loss or a layer it does not model) or its data checks miss this case.",
        example="model.fit(X, y) with labels a loss kerascheck does not know rejects",
        fix="Fix the data or the model as Keras's message says; report it if kerascheck knew the shapes.",
        runnable=False,
    ),
    Code(
        "KC918", "verify-keras-accepts-data", ERROR,
        "kerascheck reports {static_code} but Keras runs {call}",
        what="kerascheck reported an error on the data of this call, yet real Keras runs it on zero "
        "arrays of the same shapes with the same loss.",
        why="kerascheck must never report an error Keras would not raise; this is a false alarm from "
        "a data check.",
        example="a label shape check stricter than the loss's real broadcasting",
        fix="Ignore the static error on this line (# noqa: KCxxx) and report it.",
        runnable=False,
    ),
    Code(
        "KC920", "partly-checked", INFO,
        "model '{model}' checked only in part: inference stopped at {what} ({after} after it unchecked)",
        what="Nothing failed, but some layers of the model have no shape inferred: kerascheck could "
        "not follow a construct (a Lambda or layer class whose call it cannot run, a value it "
        "cannot see, an input shape read from data). Said once per model, naming the first such "
        "layer; what later layers fix by themselves (a rank, a last dim) is still checked.",
        why="A clean result does not mean the whole model was checked: a mistake after that "
        "point is not seen.",
        example="x = Input((28, 28))\ny = Lambda(lambda t: keras.ops.sort(t, axis=-1))(x)\n"
        "y = Dense(10)(y)\nmodel = Model(x, y)",
        fix="x = Input((28, 28))\ny = Lambda(lambda t: keras.ops.sort(t, axis=-1), output_shape=(28, 28))(x)\n"
        "y = Dense(10)(y)\nmodel = Model(x, y)",
    ),
)
