"""Fix texts in the corners of how calls are written: which fixes conflict, grouped positional
arguments, one-element and trailing-comma tuples, commas and comments, one-per-line calls and
lists, quotes. Each expected text is what a careful hand edit would give."""

from __future__ import annotations

import pytest

from kerascheck.fixes.apply import apply_fixes
from kerascheck.graph import Position
from kerascheck.repairs import (
    ExtendTuple,
    Fix,
    GroupPositional,
    InsertLayer,
    MoveKeywordToInput,
    RemoveKeyword,
    RenameMethod,
    ReplaceArgument,
    SetKeyword,
)

HEADER = "from keras.layers import Conv1D, Convolution2D, Convolution3D, Dense, Flatten, Input, LSTM, Reshape\n"


def call(source: str, text: str, occurrence: int = 0) -> Position:
    """The position of the call starting with ``text`` (its ``occurrence``-th one)."""
    start = len(HEADER) - 1 if source.startswith(HEADER) else -1  # not in the import line
    for _ in range(occurrence + 1):
        start = source.index(text, start + 1)
    line = source.count("\n", 0, start) + 1
    column = start - (source.rfind("\n", 0, start) + 1) + 1
    return Position(line, column, line, column)


def fixed(source: str, *edits_per_fix) -> str:
    outcome = apply_fixes(source, [Fix(f"fix {i}", tuple(edits)) for i, edits in enumerate(edits_per_fix)])
    assert not outcome.skipped, outcome.skipped
    return outcome.text


def test_layers_inserted_before_and_after_one_call_are_both_made():
    source = HEADER + "model = Sequential([Dense(4), Dense((10, 2))])\n"
    target = call(source, "Dense((10")
    assert fixed(source, [InsertLayer(target, "Reshape((8, 2))")], [InsertLayer(target, "Flatten()", after=True)]) \
        == HEADER + "model = Sequential([Dense(4), Reshape((8, 2)), Dense((10, 2)), Flatten()])\n"


def test_a_fix_after_a_skipped_or_conflicting_one_is_still_made():
    source = HEADER + "model = Sequential([Dense(4, activation='relu'), Dense(2)])\n"
    first, second = call(source, "Dense(4"), call(source, "Dense(2)")
    lost = Position(99, 1, 99, 1)
    fixes = [Fix("nowhere", (SetKeyword(lost, "units", "3"),)),
             Fix("units", (ReplaceArgument(first, "8", name="units", index=0),)),
             Fix("units again", (ReplaceArgument(first, "16", name="units"),)),
             Fix("absent", (RemoveKeyword(second, "dropout"),)),
             Fix("bias", (SetKeyword(second, "use_bias", "False"),)),
             Fix("units a third time", (SetKeyword(first, "units", "32"),))]
    outcome = apply_fixes(source, fixes)
    assert [fix.description for fix in outcome.applied] == ["units", "bias"]
    assert [(fix.description, why) for fix, why in outcome.skipped] == [
        ("nowhere", "the code it applies to was not found"),
        ("units again", "another fix already changes the same part of the call"),
        ("absent", "dropout= is not written in the call"),
        ("units a third time", "another fix already changes the same part of the call")]
    assert outcome.text == HEADER + "model = Sequential([Dense(8, activation='relu'), Dense(2, use_bias=False)])\n"


def test_grouping_positional_arguments_conflicts_only_from_its_start():
    source = HEADER + "x = Convolution2D(32, 3, 3, activation='relu')(x)\n"
    target = call(source, "Convolution2D")
    group = [GroupPositional(target, 1, 2)]
    assert fixed(source, group, [ReplaceArgument(target, "16", index=0)]) == \
        HEADER + "x = Convolution2D(16, (3, 3), activation='relu')(x)\n"
    outcome = apply_fixes(source, [Fix("group", tuple(group)), Fix("kernel", (ReplaceArgument(target, "5", index=2),))])
    assert [why for _, why in outcome.skipped] == ["another fix already changes the same part of the call"]


def test_grouped_arguments_end_as_the_call_ended():
    source = HEADER + "a = Convolution2D(32, 3, 3)\nb = Convolution3D(8, 3, 3, 3)\n"
    assert fixed(source, [GroupPositional(call(source, "Convolution2D"), 1, 2)],
                 [GroupPositional(call(source, "Convolution3D"), 1, 3)]) == \
        HEADER + "a = Convolution2D(32, (3, 3))\nb = Convolution3D(8, (3, 3, 3))\n"
    spaced = HEADER + "a = Convolution2D(32, 3 , 3 )\nb = Convolution3D(8, 3, 3, 3 )\n"  # the last one's space
    assert fixed(spaced, [GroupPositional(call(spaced, "Convolution2D"), 1, 2)],
                 [GroupPositional(call(spaced, "Convolution3D"), 1, 3)]) == \
        HEADER + "a = Convolution2D(32, (3, 3) )\nb = Convolution3D(8, (3, 3, 3) )\n"


def test_grouping_needs_the_arguments_written_positionally():
    source = HEADER + "a = Convolution2D(32, 3, strides=2)\n"
    outcome = apply_fixes(source, [Fix("group", (GroupPositional(call(source, "Convolution2D"), 1, 2),))])
    assert outcome.text == source
    assert [why for _, why in outcome.skipped] == ["the arguments to group are not written positionally"]


def test_a_moved_batch_size_conflicts_with_setting_it():
    source = HEADER + "model = Sequential([LSTM(4, input_dim=3, batch_size=8), Dense(1)])\n"
    lstm = call(source, "LSTM")
    move = Fix("move", (MoveKeywordToInput(lstm, "input_dim", "batch_shape", as_tuple=True, batch_size=True),))
    outcome = apply_fixes(source, [move, Fix("size", (SetKeyword(lstm, "batch_size", "16"),))])
    assert [why for _, why in outcome.skipped] == ["another fix already changes the same part of the call"]
    assert outcome.text == HEADER + "model = Sequential([Input(batch_shape=(3,), batch_size=8), LSTM(4), Dense(1)])\n"
    unsized = HEADER + "model = Sequential([LSTM(4, input_dim=3), Dense(1)])\n"
    lstm = call(unsized, "LSTM")
    assert fixed(unsized, [MoveKeywordToInput(lstm, "input_dim", "shape", as_tuple=True)],
                 [SetKeyword(lstm, "stateful", "False")]) == \
        HEADER + "model = Sequential([Input(shape=(3,)), LSTM(4, stateful=False), Dense(1)])\n"
    # a move that leaves batch_size= in the layer does not touch it
    sized = HEADER + "model = Sequential([LSTM(4, input_dim=3, batch_size=8), Dense(1)])\n"
    lstm = call(sized, "LSTM")
    assert fixed(sized, [MoveKeywordToInput(lstm, "input_dim", "shape", as_tuple=True)],
                 [SetKeyword(lstm, "batch_size", "16")]) == \
        HEADER + "model = Sequential([Input(shape=(3,)), LSTM(4, batch_size=16), Dense(1)])\n"


def test_layers_in_each_branch_of_a_conditional_are_fixed_apart():
    source = HEADER + "model.add(Dense(4) if wide else Dense(2))\n"
    assert fixed(source, [SetKeyword(call(source, "Dense(4)"), "use_bias", "False")],
                 [SetKeyword(call(source, "Dense(2)"), "use_bias", "False")]) == \
        HEADER + "model.add(Dense(4, use_bias=False) if wide else Dense(2, use_bias=False))\n"


def test_a_layer_passed_to_a_function_gets_no_layer_inserted_beside_it():
    source = HEADER + "head = wrap(Dense(4))\n"
    outcome = apply_fixes(source, [Fix("flatten", (InsertLayer(call(source, "Dense"), "Flatten()"),))])
    assert [why for _, why in outcome.skipped] == [
        "the layer is not in a Sequential list, an .add call or a call chain"]


def test_a_method_given_as_many_positional_arguments_as_it_takes_is_renamed():
    source = "model.fit_generator(batches, 10)\n"
    rename = RenameMethod(call(source, "model"), "fit", positional=("x", "steps_per_epoch"))
    assert fixed(source, [rename]) == "model.fit(batches, steps_per_epoch=10)\n"


def test_a_keyword_is_replaced_by_name_when_the_index_is_past_the_positional_ones():
    source = HEADER + "x = Conv1D(8, strides=2, kernel_size=3)(x)\n"
    assert fixed(source, [ReplaceArgument(call(source, "Conv1D"), "5", name="kernel_size", index=1)]) == \
        HEADER + "x = Conv1D(8, strides=2, kernel_size=5)(x)\n"


@pytest.mark.parametrize("written, extended", [
    ("(100,)", "(100, 1)"), ("(28, 28)", "(28, 28, 1)"), ("(28, 28,)", "(28, 28, 1,)")])
def test_a_shape_tuple_is_extended_as_it_was_written(written, extended):
    source = HEADER + f"inputs = Input(shape={written})\n"
    assert fixed(source, [ExtendTuple(call(source, "Input"), "1", name="shape")]) == \
        HEADER + f"inputs = Input(shape={extended})\n"


def test_new_strings_take_the_files_usual_quote_and_a_replaced_one_its_own():
    source = HEADER + "a = Dense(4, activation='relu', name='a')\nb = Dense(2, activation=\"relu\")\n"
    assert fixed(source, [SetKeyword(call(source, "Dense(4"), "kernel_initializer", '"zeros"')],
                 [SetKeyword(call(source, "Dense(2"), "activation", "'tanh'")]) == HEADER + (
        "a = Dense(4, activation='relu', name='a', kernel_initializer='zeros')\nb = Dense(2, activation=\"tanh\")\n")


@pytest.mark.parametrize("written, replaced", [
    ("r'valid'", '"same"'), ("'''valid'''", '"same"'), ("'valid'", "'same'")])
def test_only_a_plain_quote_is_imitated(written, replaced):
    source = HEADER + f"x = Conv1D(8, 3, padding={written})(x)\n"
    assert fixed(source, [ReplaceArgument(call(source, "Conv1D"), '"same"', name="padding")]) == \
        HEADER + f"x = Conv1D(8, 3, padding={replaced})(x)\n"


def test_a_keyword_added_to_an_empty_call_or_beside_tight_commas():
    source = HEADER + "model = Sequential([Flatten(), Dense(3,activation='relu')])\n"
    assert fixed(source, [SetKeyword(call(source, "Flatten"), "data_format", "'channels_last'")],
                 [SetKeyword(call(source, "Dense"), "use_bias", "False")]) == \
        HEADER + ("model = Sequential([Flatten(data_format='channels_last'), "
                  "Dense(3,activation='relu', use_bias=False)])\n")


def test_one_argument_per_line_stays_one_per_line_in_an_indented_block():
    source = HEADER + """
def build():
    return Dense(
        3,
        activation="relu",
    )
"""
    assert fixed(source, [SetKeyword(call(source, "Dense"), "use_bias", "False")]) == HEADER + """
def build():
    return Dense(
        3,
        activation="relu",
        use_bias=False,
    )
"""


def test_comments_after_commas_stay_with_their_arguments():
    source = HEADER + """head = Dense(
    3,
    use_bias=True,
    activation="relu",  # hidden
)
tail = Dense(
    3,  # units
    activation="relu",
)
"""
    assert fixed(source, [RemoveKeyword(call(source, "Dense"), "activation")],
                 [RemoveKeyword(call(source, "Dense", 1), "activation")]) == HEADER + """head = Dense(
    3,
    use_bias=True,
)
tail = Dense(
    3,  # units
)
"""


def test_layers_inserted_in_a_list_take_its_separators():
    one = HEADER + "model = Sequential([Dense((10, 2))])\n"
    assert fixed(one, [InsertLayer(call(one, "Dense"), "Reshape((10, 2))", after=True)]) == \
        HEADER + "model = Sequential([Dense((10, 2)), Reshape((10, 2))])\n"
    ending = HEADER + "model = Sequential([Dense((10, 2)),])\n"
    assert fixed(ending, [InsertLayer(call(ending, "Dense"), "Reshape((10, 2))", after=True)]) == \
        HEADER + "model = Sequential([Dense((10, 2)), Reshape((10, 2)),])\n"
    three = HEADER + "model = Sequential([Dense(4), Dense(2),Dense((10, 2))])\n"
    assert fixed(three, [InsertLayer(call(three, "Dense(4)"), "Flatten()", after=True)],
                 [InsertLayer(call(three, "Dense((10"), "Reshape((10, 2))", after=True)]) == \
        HEADER + "model = Sequential([Dense(4), Flatten(), Dense(2),Dense((10, 2)), Reshape((10, 2))])\n"


def test_a_name_imported_beside_one_that_ends_with_a_comma():
    source = "from keras.layers import (Dense,)\nmodel = Sequential([Dense((10, 2))])\n"
    target = call(source, "Dense((10")
    assert fixed(source, [InsertLayer(target, "Reshape((10, 2))", after=True)]) == \
        "from keras.layers import (Dense, Reshape,)\nmodel = Sequential([Dense((10, 2)), Reshape((10, 2))])\n"
