"""KC920: a model checked only in part is said once, at the model, naming where inference
stopped; never when something on the file already fails, nor on a model fully inferred."""

from __future__ import annotations

import textwrap

from kerascheck import check_source

HEADER = "import numpy as np\nimport keras\nfrom keras import layers\n"


def found(body: str) -> list[tuple[str, int, str]]:
    result = check_source(HEADER + textwrap.dedent(body), "model.py")
    return [(d.code, d.position.line, d.message) for d in result.diagnostics]


def test_the_first_unknown_layer_is_named_with_what_stays_unchecked_after_it():
    assert found("""
        x = keras.Input((28, 28))
        y = layers.Lambda(lambda t: keras.ops.sort(t, axis=-1))(x)
        y = layers.Dense(10)(y)
        y = layers.Activation("softmax")(y)
        model = keras.Model(x, y)
        """) == [("KC920", 9, "model 'model' checked only in part: inference stopped at the Lambda "
                               "on line 6 (2 layers after it unchecked)")]


def test_an_input_read_from_data_is_named():
    assert found("""
        data = np.load("x.npy")
        x = keras.Input(data.shape[1:])
        model = keras.Model(x, layers.Dense(10)(x))
        """) == [("KC920", 7, "model 'model' checked only in part: inference stopped at the input "
                               "on line 6, whose shape kerascheck could not infer (1 layer after it unchecked)")]


def test_nothing_when_an_error_is_reported_or_all_is_inferred():
    assert [code for code, _, _ in found("""
        x = keras.Input((28, 28))
        y = layers.Lambda(lambda t: keras.ops.sort(t, axis=-1))(x)
        y = layers.Conv2D(4, 3)(x)
        model = keras.Model(x, [y, layers.Dense(3)(x)])
        """)] == ["KC101"]
    assert found("""
        x = keras.Input((28, 28))
        model = keras.Model(x, layers.Dense(10)(x))
        """) == []


def test_a_sequential_never_given_an_input_is_not_built_nothing_to_say():
    assert found("""
        model = keras.Sequential([layers.Dense(10)])
        """) == []


def hints(body: str) -> list[str | None]:
    return [d.hint for d in check_source(HEADER + textwrap.dedent(body), "model.py").diagnostics]


BUILT_ON_DATA = """
    model = keras.Sequential([layers.Dense(16), layers.Dense(1)])
    model.compile("adam", "mse")
    model.fit(np.load("x.npy"), np.load("y.npy"))
    """


def test_a_sequential_built_on_data_of_unknown_shape_says_so():
    assert found(BUILT_ON_DATA) == [("KC920", 5, "model 'model' checked only in part: inference stopped at its "
                                                 "input, whose shape kerascheck could not infer (2 layers after "
                                                 "it unchecked)")]
    assert hints(BUILT_ON_DATA) == ["Keras builds it on the data given to fit on line 7, whose shape kerascheck "
                                    "cannot infer"]


def test_layers_added_from_an_unknown_list_are_named_by_their_line():
    spread = """
        def build(extra):
            model = keras.Sequential()
            model.add(keras.Input((4,)))
            model.add(*extra)
            model.add(layers.Dense(1))
            return model
        """
    assert found(spread) == [("KC920", 6, "model 'model' checked only in part: inference stopped at the Dense "
                                          "on line 9 (no layer after it unchecked)")]
    assert hints(spread) == ["the layers added on line 8 are not known to kerascheck"]
    assert hints("""
        model = keras.Sequential(make_layers())
        model.add(layers.Dense(1))
        model.build((None, 5))
        """) == ["a layer kerascheck cannot resolve was added on line 5"]
