"""The rename tables, entry by entry: each Keras 1 name maps to the exact Keras 2 name that took
its meaning (Keras 2.0's legacy interface conversions), not merely to a name Keras accepts."""

from __future__ import annotations

import pytest

from kerascheck.versions.renames import KERAS1_ARGUMENTS, KERAS1_METHOD_ARGUMENTS, SAME_VALUE_RENAMES

# Written from keras 2.0's keras/legacy/interfaces.py conversions, one fact per line.
KERAS2_NAMES = {
    "output_dim": "units",
    "init": "kernel_initializer",
    "inner_init": "recurrent_initializer",
    "forget_bias_init": "unit_forget_bias",
    "inner_activation": "recurrent_activation",
    "border_mode": "padding",
    "subsample": "strides",
    "subsample_length": "strides",
    "stride": "strides",
    "nb_filter": "filters",
    "filter_length": "kernel_size",
    "nb_row": "kernel_size",
    "nb_col": "kernel_size",
    "pool_length": "pool_size",
    "atrous_rate": "dilation_rate",
    "dim_ordering": "data_format",
    "W_regularizer": "kernel_regularizer",
    "b_regularizer": "bias_regularizer",
    "U_regularizer": "recurrent_regularizer",
    "W_constraint": "kernel_constraint",
    "b_constraint": "bias_constraint",
    "U_constraint": "recurrent_constraint",
    "dropout_W": "dropout",
    "dropout_U": "recurrent_dropout",
    "bias": "use_bias",
    "beta_init": "beta_initializer",
    "gamma_init": "gamma_initializer",
    "p": "rate",
    "sigma": "stddev",
    "consume_less": "",
    "mode": "",
}
KERAS2_METHOD_NAMES = {
    "nb_epoch": "epochs",
    "samples_per_epoch": "steps_per_epoch",
    "nb_val_samples": "validation_steps",
    "nb_worker": "workers",
    "show_accuracy": "",
}


@pytest.mark.parametrize("old", sorted(KERAS2_NAMES))
def test_each_keras1_argument_maps_to_its_keras2_name(old):
    assert KERAS1_ARGUMENTS.get(old) == KERAS2_NAMES[old]


def test_no_keras1_argument_is_mapped_without_a_checked_target():
    assert set(KERAS1_ARGUMENTS) == set(KERAS2_NAMES)


@pytest.mark.parametrize("old", sorted(KERAS2_METHOD_NAMES))
def test_each_keras1_method_argument_maps_to_its_keras2_name(old):
    assert KERAS1_METHOD_ARGUMENTS.get(old) == KERAS2_METHOD_NAMES[old]


def test_no_keras1_method_argument_is_mapped_without_a_checked_target():
    assert set(KERAS1_METHOD_ARGUMENTS) == set(KERAS2_METHOD_NAMES)


def test_only_renames_that_keep_the_value_are_fixed_by_renaming():
    # dim_ordering takes 'tf'/'th', forget_bias_init an initializer (now a bool), nb_row/nb_col
    # are one tuple now; consume_less and mode are gone.
    assert SAME_VALUE_RENAMES == set(KERAS2_NAMES) - {
        "dim_ordering", "forget_bias_init", "nb_row", "nb_col", "consume_less", "mode"}
