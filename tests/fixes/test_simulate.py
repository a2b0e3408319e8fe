"""A fix's edits made on the model graph, which the fix engine checks again before offering it."""

from __future__ import annotations

import typing

import pytest

from kerascheck.fixes import simulate
from kerascheck.fixes.simulate import apply_to_graph
from kerascheck.frontend import build_graphs
from kerascheck.graph import Opaque, TensorRef
from kerascheck.repairs import (
    Edit,
    Fix,
    MoveKeywordToInput,
    RemoveKeyword,
    RemoveLayer,
    RenameKeyword,
    ReplaceArgument,
    ReplaceLayer,
    UnwrapLayer,
    UnwrapWith,
)

SOURCE = """\
import numpy as np
from keras.models import Sequential
from keras.layers import Dense

X = np.zeros((8, 4))
model = Sequential([Dense(3, batch_input_shape=(2, 4), input_shape=(4,), output_dim=3), Dense(1)])
model.compile(loss='categorical_crossentropy')
model.fit(X, X[:, :1], nb_epoch=2)
"""


def graph():
    [model] = build_graphs(SOURCE).models
    return model


def test_every_edit_kind_has_a_mirror() -> None:
    assert set(typing.get_args(Edit)) == set(simulate._MIRRORS)
    with pytest.raises(TypeError):
        apply_to_graph(graph(), Fix("not an edit", ("set units=4",)))


def test_keywords_are_renamed_on_a_layer_and_on_a_fit_call() -> None:
    model = graph()
    dense, fit = model.calls[0].layer, model.data_calls[0]
    changed = apply_to_graph(model, Fix("", (RenameKeyword(dense.position, "output_dim", "units"),
                                             RenameKeyword(fit.position, "nb_epoch", "epochs"))))
    assert changed.calls[0].layer.kwargs["units"] == 3 and "output_dim" not in changed.calls[0].layer.kwargs
    assert changed.data_calls[0].args["epochs"] == 2 and "nb_epoch" not in changed.data_calls[0].args
    assert "output_dim" in dense.kwargs and "nb_epoch" in fit.args  # the source's graph is unchanged
    taken = RenameKeyword(dense.position, "output_dim", "input_shape")  # the new name is given already
    assert apply_to_graph(model, Fix("", (taken,))) is None


def test_batch_input_shape_moves_into_the_input_with_its_batch_size() -> None:
    model = graph()
    dense = model.calls[0].layer
    changed = apply_to_graph(model, Fix("", (MoveKeywordToInput(dense.position, "batch_input_shape", "batch_shape"),
                                             RemoveKeyword(dense.position, "input_shape"))))
    assert changed.inputs[0].shape == (2, 4) and not changed.inputs[0].from_layer_argument
    assert {"batch_input_shape", "input_shape"}.isdisjoint(changed.calls[0].layer.kwargs)


@pytest.mark.parametrize("code, loss", [
    ("'sparse_categorical_crossentropy'", "sparse_categorical_crossentropy"),
    ("keras.losses.SparseCategoricalCrossentropy()", Opaque("keras.losses.SparseCategoricalCrossentropy()")),
])
def test_a_compile_loss_edit_changes_the_loss_the_data_checks_read(code, loss) -> None:
    model = graph()
    changed = apply_to_graph(model, Fix("", (ReplaceArgument(model.compile.position, code, name="loss", index=1),)))
    assert changed.compile.loss == loss and changed.data_calls[0].compile.loss == loss
    assert model.compile.loss == "categorical_crossentropy"


CHAIN = """\
from keras import Input, Model
from keras.layers import Conv1D, MaxPooling1D, LSTM, TimeDistributed, Dense, Flatten, Concatenate

signal = Input(shape=(40, 4))
features = Conv1D(8, 3)(signal)
pooled = MaxPooling1D(2)(features)
steps = LSTM(6, return_sequences=True)(pooled)
labels = TimeDistributed(Dense(1))(steps)
flat = Flatten()(pooled)
model = Model(signal, [labels, flat])
"""


def chain():
    [model] = build_graphs(CHAIN).models
    return model


def test_a_removed_layer_s_readers_read_its_input_and_later_calls_shift() -> None:
    model = chain()
    pool = model.calls[1].layer
    changed = apply_to_graph(model, Fix("", (RemoveLayer(pool.position),)))
    assert [c.layer.type for c in changed.calls] == ["Conv1D", "LSTM", "TimeDistributed", "Flatten"]
    assert [c.inputs for c in changed.calls] == [TensorRef.of_input(0), TensorRef.of_call(0), TensorRef.of_call(1),
                                                 TensorRef.of_call(0)]
    assert changed.outputs == [TensorRef.of_call(2), TensorRef.of_call(3)]
    assert len(model.calls) == 5  # the source's graph is unchanged


def test_a_layer_removed_must_be_called_once_on_one_tensor() -> None:
    [model] = build_graphs(CHAIN.replace("flat = Flatten()(pooled)", "flat = Concatenate()([pooled, pooled])")).models
    concatenate = model.calls[-1].layer
    assert apply_to_graph(model, Fix("", (RemoveLayer(concatenate.position),))) is None


def test_a_layer_replaced_and_a_wrapper_unwrapped() -> None:
    model = chain()
    flatten, wrapper = model.calls[4].layer, model.calls[3].layer
    changed = apply_to_graph(model, Fix("", (ReplaceLayer(flatten.position, "GlobalAveragePooling1D()"),
                                             UnwrapLayer(wrapper.position))))
    assert [c.layer.type for c in changed.calls] == \
        ["Conv1D", "MaxPooling1D", "LSTM", "Dense", "GlobalAveragePooling1D"]
    assert changed.calls[3].layer is wrapper.args[0] and changed.calls[4].inputs == model.calls[4].inputs


def test_a_with_statement_unwrapped_leaves_the_model_as_it_is() -> None:
    model = chain()
    assert apply_to_graph(model, Fix("", (UnwrapWith(model.position),))) is model
