"""Correct Keras programs found in real code (Keras's own tests and applications, keras-hub,
keras-cv, tf-keras...) that kerascheck once reported: each must run in real Keras and get no
diagnostic at all."""

from __future__ import annotations

import textwrap

import pytest

from kerascheck import check_source
from kerascheck.shapes.symbolic import is_sym

# name -> a correct program, reduced from the code that raised the false alarm.
PROGRAMS = {
    # keras/src/saving/saving_lib_test.py: any callable object is an activation.
    "callable_object_activation": """
        import keras

        class GrowthFactor:
            def __init__(self, factor):
                self.factor = factor

            def __call__(self, inputs):
                return inputs * self.factor

        inputs = keras.Input(shape=(4, 4))
        outputs = keras.layers.Dense(1, activation=GrowthFactor(0.5))(inputs)
        model = keras.Model(inputs, outputs)
        """,
    # keras/src/trainers/trainer_test.py: a loss list with None entries takes one label
    # array per non-None loss.
    "partial_loss_partial_labels": """
        import keras
        import numpy as np

        inputs = keras.Input((2,))
        x = keras.layers.Dense(3)(inputs)
        model = keras.Model(inputs, [x, x, x])
        model.compile(loss=["mse", None, None])
        model.evaluate(np.ones((32, 2)), np.ones((32, 3)), verbose=0)
        """,
    "partial_loss_label_list": """
        import keras
        import numpy as np

        inputs = keras.Input((2,))
        a = keras.layers.Dense(3)(inputs)
        b = keras.layers.Dense(4)(inputs)
        c = keras.layers.Dense(5)(inputs)
        model = keras.Model(inputs, [a, b, c])
        model.compile(loss=[None, "mse", "mse"])
        model.evaluate(np.ones((8, 2)), [np.ones((8, 4)), np.ones((8, 5))], verbose=0)
        """,
    # tensorflow_model_optimization/.../prune_registry.py: an import that may fail is caught.
    "import_caught_by_try": """
        import keras

        try:
            from keras.engine import base_layer
        except ImportError:
            base_layer = None
        """,
    # tensorflow_addons/utils/types.py: alternatives for several Keras versions, one runs.
    "import_alternatives_by_version": """
        import keras

        if keras.__version__.startswith("3."):
            from keras.layers import Layer
        elif keras.__version__.startswith("2.5"):
            from keras.engine.base_layer import Layer
        else:
            from tensorflow.python.keras.engine.base_layer import Layer
        """,
    # keras/src/applications/mobilenet_v2.py: the residual Add runs only when the block keeps
    # its channel count. The frontend cannot decide a condition on a tensor's shape, runs both
    # branches, and propagation checks the Add of the branch Keras never takes.
    "add_guarded_by_shape_condition": """
        import keras
        from keras import layers

        def block(inputs, filters):
            in_channels = inputs.shape[-1]
            x = layers.Conv2D(filters, 1)(inputs)
            if in_channels == filters:
                return layers.Add()([inputs, x])
            return x

        inputs = keras.Input(shape=(32, 32, 32))
        x = block(inputs, 16)
        model = keras.Model(inputs, block(x, 16))
        """,  # was a false alarm: frontend: layer calls under an undecided shape condition are checked as if they ran
    # keras/src/applications/densenet.py: filters computed from a tensor's shape are unknown to
    # kerascheck, so the channel axis is None, which the normalization rules read as Keras's None.
    "normalization_after_unknown_filters": """
        import keras
        from keras import layers

        def transition(x, reduction):
            x = layers.Conv2D(int(x.shape[3] * reduction), 1)(x)
            return layers.BatchNormalization(axis=3)(x)

        inputs = keras.Input(shape=(28, 28, 8))
        model = keras.Model(inputs, transition(inputs, 0.5))
        """,  # was a false alarm: shapes: a dim kerascheck cannot compute is None, the same value as Keras's unknown dim
    # The squeeze-and-excitation block (SE-ResNet, EfficientNet, MobileNetV3): its sizes come from
    # ``x.shape[-1]``; the excitation multiplies into the trunk, whose channels become None.
    "normalization_after_squeeze_excitation": """
        import keras
        from keras import layers

        def se_block(x, ratio=4):
            filters = x.shape[-1]
            se = layers.GlobalAveragePooling2D()(x)
            se = layers.Reshape((1, 1, filters))(se)
            se = layers.Dense(filters // ratio, activation="relu")(se)
            se = layers.Dense(filters, activation="sigmoid")(se)
            return layers.Multiply()([x, se])

        inputs = keras.Input(shape=(32, 32, 16))
        x = se_block(layers.Conv2D(32, 3, padding="same")(inputs))
        model = keras.Model(inputs, layers.LayerNormalization()(x))
        """,  # was a false alarm: shapes: a dim kerascheck cannot compute is None, the same value as Keras's unknown dim
}


# name -> (a wrong program next to a fixed false alarm, the (line, code) Keras's failure gives)
STILL_REPORTED = {
    "number_activation": ("""
        import keras

        inputs = keras.Input(shape=(4,))
        outputs = keras.layers.Dense(1, activation=5)(inputs)
        """, [(4, "KC303")]),
    "partial_loss_wrong_label_count": ("""
        import keras
        import numpy as np

        inputs = keras.Input((2,))
        x = keras.layers.Dense(3)(inputs)
        model = keras.Model(inputs, [x, x, x])
        model.compile(loss=["mse", None, None])
        model.evaluate(np.ones((32, 2)), [np.ones((32, 3)), np.ones((32, 3))], verbose=0)
        """, [(8, "KC404")]),
    "import_not_caught": ("""
        import keras

        try:
            from keras.engine import base_layer
        except KeyError:
            base_layer = None
        """, [(4, "KC524")]),
    "import_in_one_sided_if": ("""
        import keras

        if keras.__version__:
            from keras.engine import base_layer
        """, [(4, "KC524")]),
}



def _source(name: str) -> str:
    return textwrap.dedent(PROGRAMS[name]).lstrip()


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_no_diagnostic(name: str) -> None:
    result = check_source(_source(name), f"{name}.py")
    assert [(d.position.line, d.code, d.message) for d in result.diagnostics if d.fails] == []


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_keras_runs_it(name: str, keras3) -> None:
    """Keras runs the program, and every model kerascheck found and inferred has the output
    shape Keras gives the model of that name."""
    namespace = {"__name__": "__main__"}
    exec(compile(_source(name), f"{name}.py", "exec"), namespace)
    result = check_source(_source(name), f"{name}.py")
    assert [d for d in result.diagnostics if d.fails] == []
    for found in result.models:
        built = namespace.get(found.model.name)
        if isinstance(built, keras3.Model) and found.outputs is not None:
            theirs = [tuple(t.shape) for t in built.outputs]
            ours = found.outputs if isinstance(found.outputs, list) else [found.outputs]
            assert len(ours) == len(theirs)
            for shape, keras_shape in zip(ours, theirs):
                assert len(shape) == len(keras_shape)
                # A dim kerascheck could not know (?) is not compared; every other one must agree.
                assert all(is_sym(d) or d == k for d, k in zip(shape, keras_shape)), (shape, keras_shape)


@pytest.mark.parametrize("name", sorted(STILL_REPORTED))
def test_wrong_neighbour_still_reported(name: str) -> None:
    source, expected = STILL_REPORTED[name]
    result = check_source(textwrap.dedent(source).lstrip(), f"{name}.py")
    assert [(d.position.line, d.code) for d in result.diagnostics] == expected


@pytest.mark.parametrize("name", sorted(STILL_REPORTED))
def test_keras_refuses_wrong_neighbour(name: str, keras3) -> None:
    source, _ = STILL_REPORTED[name]
    with pytest.raises((ValueError, TypeError, ImportError)):
        exec(compile(textwrap.dedent(source).lstrip(), f"{name}.py", "exec"), {"__name__": "__main__"})


# tf_keras/src/applications/regnet.py (RegNetX080) builds Conv2D(groups=80 // 120): tf-keras
# reads groups=0 as 1, Keras 3 refuses it (a Keras 3 file with it is still reported).
KERAS2_GROUPS_ZERO = """
    import tf_keras
    from tf_keras import layers

    inputs = tf_keras.Input(shape=(16, 16, 8))
    outputs = layers.Conv2D(8, 3, groups=80 // 120)(inputs)
    model = tf_keras.Model(inputs, outputs)
    """


def test_keras2_groups_zero_is_one() -> None:
    result = check_source(textwrap.dedent(KERAS2_GROUPS_ZERO).lstrip(), "regnet_block.py")
    assert [(d.position.line, d.code) for d in result.diagnostics] == []


def test_keras2_runs_groups_zero(keras2) -> None:
    namespace = {"__name__": "__main__"}
    exec(compile(textwrap.dedent(KERAS2_GROUPS_ZERO).lstrip(), "regnet_block.py", "exec"), namespace)
    [found] = check_source(textwrap.dedent(KERAS2_GROUPS_ZERO).lstrip(), "regnet_block.py").models
    assert found.outputs == tuple(namespace["model"].output_shape) == (None, 14, 14, 8)
    assert found.total_params == namespace["model"].count_params()


# tf_keras/src/applications: the model class imported from tf_keras's private package path.
TF_KERAS_SRC_MODEL = """
    from tf_keras.src import layers
    from tf_keras.src.engine import training

    inputs = layers.Input(shape=(8,))
    outputs = layers.Dense(4)(inputs)
    model = training.Model(inputs, outputs)
    """


def test_tf_keras_src_model_is_found() -> None:
    result = check_source(textwrap.dedent(TF_KERAS_SRC_MODEL).lstrip(), "app.py")
    assert [(m.model.position.line, m.total_params) for m in result.models] == [(6, 36)]


def test_tf_keras_src_model_params(keras2) -> None:
    namespace: dict = {}
    exec(compile(textwrap.dedent(TF_KERAS_SRC_MODEL).lstrip(), "app.py", "exec"), namespace)
    assert namespace["model"].count_params() == 36


def test_keras3_groups_zero_is_reported() -> None:
    source = textwrap.dedent(KERAS2_GROUPS_ZERO).lstrip().replace("tf_keras", "keras")
    result = check_source(source, "regnet_block.py")
    assert [(d.position.line, d.code) for d in result.diagnostics] == [(5, "KC301")]
