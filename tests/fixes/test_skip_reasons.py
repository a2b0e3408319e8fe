"""A fix whose edit finds the call written otherwise than it expects is skipped, the file left
as it was, with the exact reason (what --diff and --fix report)."""

from __future__ import annotations

import pytest

from kerascheck.fixes.apply import apply_fixes
from kerascheck.repairs import (
    ExtendTuple,
    Fix,
    GroupKeywords,
    GroupPositional,
    InsertLayer,
    MoveKeywordToInput,
    RemoveKeyword,
    RenameKeyword,
    RenameMethod,
    ReplaceArgument,
)
from kerascheck.graph import Position

HEADER = "from keras.layers import Dense, LSTM, Conv2D\n"


def at(line: int, column: int) -> Position:
    return Position(line, column, line, column)


CASES = [
    ("x = LSTM(8)\n", RenameKeyword(at(2, 5), "dropout_W", "dropout"), "dropout_W= is not written in the call"),
    ("x = Dense(8)\n", MoveKeywordToInput(at(2, 5), "input_dim", "shape", as_tuple=True),
     "input_dim= not all written in the call"),
    ("x = LSTM(8, input_dim=3)\n", MoveKeywordToInput(at(2, 5), "input_dim", "shape", also=("input_length",)),
     "input_length=, input_dim= not all written in the call"),
    ("x = Dense(8, input_dim=3)\n", MoveKeywordToInput(at(2, 5), "input_dim", "shape", as_tuple=True, batch_size=True),
     "batch_size= is not written in the call"),
    ("x = Dense(8)\n", RemoveKeyword(at(2, 5), "weights"), "weights= is not written in the call"),
    ("x = Conv2D(8, nb_row=3)\n", GroupKeywords(at(2, 5), ("nb_row", "nb_col"), "kernel_size"),
     "nb_row=, nb_col= not all written, or kernel_size= is"),
    ("x = Conv2D(8, nb_row=3, nb_col=3, kernel_size=3)\n", GroupKeywords(at(2, 5), ("nb_row", "nb_col"), "kernel_size"),
     "nb_row=, nb_col= not all written, or kernel_size= is"),
    ("x = Conv2D(8, 3)\n", GroupPositional(at(2, 5), 1, 2), "the arguments to group are not written positionally"),
    ("x = Conv2D(8, *sizes)\n", GroupPositional(at(2, 5), 1, 2), "the arguments to group are not written positionally"),
    ("fit_generator(g)\n", RenameMethod(at(2, 1), "fit"), "the method is not called as an attribute"),
    ("m.fit_generator(*a)\n", RenameMethod(at(2, 1), "fit"), "the call unpacks its arguments (* or **)"),
    ("m.fit_generator(g, 1, 2)\n", RenameMethod(at(2, 1), "fit", positional=("x", "steps_per_epoch")),
     "the call has more positional arguments than the method takes"),
    ("x = Dense(8)\n", ReplaceArgument(at(2, 5), "4", name="units", index=None),
     "the argument to replace is not written in the call"),
    ("x = Dense(8, input_shape=shape)\n", ExtendTuple(at(2, 5), "1", name="input_shape"),
     "the shape is not written as a tuple"),
    ("x = Dense(8)\n", InsertLayer(at(2, 5), "Flatten()"),
     "the layer is not in a Sequential list, an .add call or a call chain"),
    ("m = Sequential({Dense(8)})\n", InsertLayer(at(2, 17), "Flatten()"), "the layer list is not a literal list"),
    ("y = Dense(8)(a, b)\n", InsertLayer(at(2, 5), "Flatten()"), "the layer is called on more than one tensor"),
    ("m.add(Dense(8)); m.add(Dense(1))\n", InsertLayer(at(2, 7), "Flatten()"),
     "the .add call does not stand on its own line"),
    ("x = layers_by_name['Dense'](8)\n", InsertLayer(at(2, 5), "Flatten()"), "the layer is not called by name"),
]


@pytest.mark.parametrize(("code", "edit", "reason"), CASES, ids=[c[2] for c in CASES])
def test_a_fix_that_cannot_apply_is_skipped_with_its_reason(code, edit, reason):
    source = HEADER + code
    fix = Fix("the fix", (edit,))
    outcome = apply_fixes(source, [fix])
    assert outcome.applied == []
    assert outcome.skipped == [(fix, reason)]
    assert outcome.text == source
