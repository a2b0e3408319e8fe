"""libcst rewriting of fixes: exact output text, untouched bytes elsewhere, conflicts skipped."""

from __future__ import annotations

from kerascheck.fixes.apply import apply_fixes
from kerascheck.repairs import (
    ExtendTuple,
    Fix,
    InsertLayer,
    MoveKeywordToInput,
    RemoveLayer,
    RenameKeyword,
    ReplaceArgument,
    ReplaceLayer,
    SetKeyword,
    UnwrapLayer,
    UnwrapWith,
)
from kerascheck.graph import Position


def at(line: int, column: int) -> Position:
    return Position(line, column, line, column)


SEQUENTIAL_ADD = """\
from keras.models import Sequential
from keras.layers import LSTM, Dense  # the layers we use

model = Sequential()
model.add(LSTM(12, input_shape=(40, 2), return_sequences=True))
# decoder
model.add(Dense((10, 2)))
"""


def test_set_keyword_and_dense_tuple_fix_keep_comments_and_imports():
    outcome = apply_fixes(SEQUENTIAL_ADD, [
        Fix("unset return_sequences", (SetKeyword(at(5, 11), "return_sequences", "False"),)),
        Fix("Dense(20) + Reshape", (ReplaceArgument(at(7, 11), "10 * 2", index=0),
                                    InsertLayer(at(7, 11), "Reshape((10, 2))", after=True))),
    ])
    assert outcome.text == """\
from keras.models import Sequential
from keras.layers import LSTM, Dense, Reshape  # the layers we use

model = Sequential()
model.add(LSTM(12, input_shape=(40, 2), return_sequences=False))
# decoder
model.add(Dense(10 * 2))
model.add(Reshape((10, 2)))
"""
    assert len(outcome.applied) == 2 and outcome.skipped == []


def test_conflicting_fix_on_the_same_argument_is_skipped_with_reason():
    outcome = apply_fixes(SEQUENTIAL_ADD, [
        Fix("first", (SetKeyword(at(5, 11), "return_sequences", "False"),)),
        Fix("second", (SetKeyword(at(5, 11), "return_sequences", "1"),)),
        Fix("third", (MoveKeywordToInput(at(5, 11), "input_shape", "shape"),)),
        Fix("fourth", (InsertLayer(at(5, 11), "Masking()"),)),
    ])
    assert [f.description for f in outcome.applied] == ["first", "third"]
    assert [(f.description, why) for f, why in outcome.skipped] == [
        ("second", "another fix already changes the same part of the call"),
        ("fourth", "another fix already changes the same part of the call")]
    assert "model.add(Input(shape=(40, 2)))\nmodel.add(LSTM(12, return_sequences=False))" in outcome.text


def test_fixes_of_different_arguments_of_one_call_compose_and_equal_fixes_apply_once():
    source = "model.add(Conv1D(nb_filter=64, filter_length=3, border_mode='valid'))\n"
    rename = Fix("filters", (RenameKeyword(at(1, 11), "nb_filter", "filters"),))
    outcome = apply_fixes(source, [
        rename, rename,
        Fix("kernel", (RenameKeyword(at(1, 11), "filter_length", "kernel_size"),)),
        Fix("same", (SetKeyword(at(1, 11), "border_mode", '"same"'),)),
    ])
    assert outcome.text == "model.add(Conv1D(filters=64, kernel_size=3, border_mode='same'))\n"
    assert len(outcome.applied) == 3 and outcome.skipped == []


def test_extend_tuple_and_replacing_a_string_keeps_its_quotes():
    source = 'Conv2D(8, 3, input_shape=(rows, cols))\nm.compile(loss="categorical_crossentropy", optimizer="adam")\n'
    outcome = apply_fixes(source, [
        Fix("channels", (ExtendTuple(at(1, 1), "1", name="input_shape"),)),
        Fix("loss", (ReplaceArgument(at(2, 1), "'sparse_categorical_crossentropy'", name="loss", index=0),)),
    ])
    assert outcome.text == ('Conv2D(8, 3, input_shape=(rows, cols, 1))\n'
                            'm.compile(loss="sparse_categorical_crossentropy", optimizer="adam")\n')


def test_list_insertion_keeps_one_layer_per_line_and_moves_batch_shape_to_input():
    source = """\
from tensorflow import keras
model = keras.Sequential([
    keras.layers.LSTM(4, batch_input_shape=(2, 3, 4)),
    keras.layers.Dense(3),
])
"""
    outcome = apply_fixes(source, [
        Fix("Keras 3 input", (MoveKeywordToInput(at(3, 5), "batch_input_shape", "batch_shape"),)),
        Fix("flatten", (InsertLayer(at(4, 5), "Flatten()"),)),
    ])
    assert outcome.text == """\
from tensorflow import keras
model = keras.Sequential([
    keras.layers.Input(batch_shape=(2, 3, 4)),
    keras.layers.LSTM(4),
    keras.layers.Flatten(),
    keras.layers.Dense(3),
])
"""


def test_functional_chain_insertions_and_rename():
    source = 'x = layers.Dense(4, activation="relu",)(inputs)\nmodel.fit(X, y, nb_epoch=3)\n'
    outcome = apply_fixes(source, [
        Fix("flatten first", (InsertLayer(at(1, 5), "Flatten()"), SetKeyword(at(1, 5), "use_bias", "False"))),
        Fix("epochs", (RenameKeyword(at(2, 1), "nb_epoch", "epochs"),)),
    ])
    assert outcome.text == ('x = layers.Dense(4, activation="relu", use_bias=False,)(layers.Flatten()(inputs))\n'
                            "model.fit(X, y, epochs=3)\n")


def test_fix_whose_target_is_gone_is_skipped_and_text_unchanged():
    outcome = apply_fixes(SEQUENTIAL_ADD, [Fix("nowhere", (SetKeyword(at(99, 1), "a", "1"),))])
    assert outcome.text == SEQUENTIAL_ADD
    assert outcome.skipped[0][1] == "the code it applies to was not found"


def test_an_edited_call_keeps_its_own_spacing_and_everything_else_is_byte_identical():
    source = ("x = 1  # untouched\r\n"
              "model.add(LSTM( 12 ,return_sequences = True ))\t# odd spacing\r\n"
              "y = [1,2]\r\n")
    outcome = apply_fixes(source, [Fix("flip", (SetKeyword(at(2, 11), "return_sequences", "False"),))])
    assert outcome.text == ("x = 1  # untouched\r\n"
                            "model.add(LSTM( 12 ,return_sequences = False ))\t# odd spacing\r\n"
                            "y = [1,2]\r\n")


def test_inserted_layers_are_imported_beside_their_neighbour_or_not_at_all():
    def flatten_before_dense(source: str):
        return apply_fixes(source, [Fix("flatten", (InsertLayer(at(3, 11), "Flatten()"),))])

    star = flatten_before_dense("from keras.layers import *\nmodel = Sequential()\nmodel.add(Dense(1))\n")
    assert star.text == "from keras.layers import *\nmodel = Sequential()\nmodel.add(Flatten())\nmodel.add(Dense(1))\n"
    imports = "from keras.layers import Dense\nfrom keras.layers import Flatten\n"
    known = flatten_before_dense(imports + "model.add(Dense(1))\n")
    assert known.text == imports + "model.add(Flatten())\nmodel.add(Dense(1))\n"
    local = flatten_before_dense("import keras\nDense = keras.layers.Dense\nmodel.add(Dense(1))\n")
    assert local.applied == [] and local.skipped[0][1] == (
        "Dense is not imported by name, so Flatten cannot be imported beside it")


def test_an_imported_name_follows_the_style_of_its_import():
    def flatten_before_dense(imports: str) -> str:
        source = imports + "model = Sequential()\nmodel.add(Dense(1))\n"
        line = imports.count("\n") + 2
        text = apply_fixes(source, [Fix("flatten", (InsertLayer(at(line, 11), "Flatten()"),))]).text
        return text[:len(text) - len("model = Sequential()\nmodel.add(Flatten())\nmodel.add(Dense(1))\n")]

    assert flatten_before_dense("from keras.layers import Dense\n") == "from keras.layers import Dense, Flatten\n"
    assert flatten_before_dense("from keras.layers import LSTM,Dense\n") == "from keras.layers import LSTM,Dense,Flatten\n"
    assert flatten_before_dense("from keras.layers import (LSTM,\n                          Dense)\n") == (
        "from keras.layers import (LSTM,\n                          Dense,\n                          Flatten)\n")
    assert flatten_before_dense("from keras.layers import (\n    LSTM,\n    Dense,\n)\n") == (
        "from keras.layers import (\n    LSTM,\n    Dense,\n    Flatten,\n)\n")


def test_a_layer_is_removed_from_a_list_an_add_chain_and_a_call_chain():
    source = """\
model = Sequential([
    LSTM(4, return_sequences=True),
    MaxPooling1D(2),
])
other = Sequential()
other.add(Conv1D(8, 3))
other.add(MaxPooling1D(2))  # halves the steps
other.add(LSTM(4))
pooled = layers.MaxPooling1D(pool_size=4)(features)  # (None, 98, 32)
"""
    outcome = apply_fixes(source, [Fix("list", (RemoveLayer(at(3, 5)),)), Fix("add", (RemoveLayer(at(7, 11)),)),
                                   Fix("chain", (RemoveLayer(at(9, 10)),))])
    assert outcome.text == """\
model = Sequential([
    LSTM(4, return_sequences=True),
])
other = Sequential()
other.add(Conv1D(8, 3))
other.add(LSTM(4))
pooled = features  # (None, 98, 32)
"""
    assert outcome.skipped == []


def test_a_removed_layer_conflicts_with_any_other_edit_of_it_and_needs_one_tensor():
    source = "x = MaxPooling1D(2)(a)\ny = MaxPooling1D(2)(a, mask=m)\n"
    outcome = apply_fixes(source, [Fix("pool", (SetKeyword(at(1, 5), "padding", "'same'"),)),
                                   Fix("remove", (RemoveLayer(at(1, 5)),)), Fix("masked", (RemoveLayer(at(2, 5)),))])
    assert [f.description for f in outcome.applied] == ["pool"]
    assert [why for _, why in outcome.skipped] == ["another fix already changes the same part of the call",
                                                   "the layer is not called on one tensor alone"]


def test_a_layer_is_replaced_spelled_and_imported_like_the_old_one():
    source = "from keras.layers import Flatten, Dense\nx = Flatten()(x)\ny = layers.Flatten(name='f')(y)\n"
    outcome = apply_fixes(source, [Fix("a", (ReplaceLayer(at(2, 5), "GlobalAveragePooling1D()"),)),
                                   Fix("b", (ReplaceLayer(at(3, 5), "GlobalAveragePooling1D()"),))])
    assert outcome.text == ("from keras.layers import Flatten, Dense, GlobalAveragePooling1D\n"
                            "x = GlobalAveragePooling1D()(x)\ny = layers.GlobalAveragePooling1D()(y)\n")


def test_a_wrapper_is_unwrapped_keeping_the_wrapped_layer_as_written():
    source = "y = TimeDistributed(Dense(1, activation='sigmoid'))(x)\nz = TimeDistributed(layer=Dense(2))(y)\n"
    units = ReplaceArgument(at(1, 21), "3", name="units", index=0)
    outcome = apply_fixes(source, [Fix("a", (UnwrapLayer(at(1, 5)), units)),
                                   Fix("b", (UnwrapLayer(at(2, 5)),))])
    assert outcome.text == "y = Dense(3, activation='sigmoid')(x)\nz = Dense(2)(y)\n"


def test_a_with_statement_is_unwrapped_one_level_out_keeping_its_comments():
    source = """\
import keras.backend as K

# train
with K.get_session():  # TensorFlow 1
    model = build()
    if ready:
        model.fit(x, y)
with K.get_session(): model.save("m.keras")
with K.get_session() as sess:
    model.predict(x)
"""
    outcome = apply_fixes(source, [Fix("a", (UnwrapWith(at(4, 6)),)), Fix("b", (UnwrapWith(at(8, 6)),)),
                                   Fix("c", (UnwrapWith(at(9, 6)),))])
    assert outcome.text == """\
import keras.backend as K

# train
# TensorFlow 1
model = build()
if ready:
    model.fit(x, y)
model.save("m.keras")
with K.get_session() as sess:
    model.predict(x)
"""
    assert [why for _, why in outcome.skipped] == ["the call is not the only item of a with statement"]
