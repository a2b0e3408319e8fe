"""What older Keras called things, and where it went (hand-written; facts checked in tests)."""

from __future__ import annotations

# Keras 1 constructor keywords -> their Keras 2/3 name ("" when the argument is simply gone).
KERAS1_ARGUMENTS = {
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

# The Keras 1 keywords whose value means the same under the new name (a rename fixes them).
# Not: dim_ordering ('tf'/'th' values), forget_bias_init (now a bool), nb_row/nb_col (one tuple).
SAME_VALUE_RENAMES = frozenset({
    "output_dim", "init", "inner_init", "inner_activation", "border_mode", "subsample",
    "subsample_length", "stride", "nb_filter", "filter_length", "pool_length", "atrous_rate",
    "W_regularizer", "b_regularizer", "U_regularizer", "W_constraint", "b_constraint", "U_constraint",
    "dropout_W", "dropout_U", "bias", "beta_init", "gamma_init", "p", "sigma",
})

# Keras 1 fit/evaluate/predict keywords -> their Keras 2/3 name.
KERAS1_METHOD_ARGUMENTS = {
    "nb_epoch": "epochs",
    "samples_per_epoch": "steps_per_epoch",
    "nb_val_samples": "validation_steps",
    "nb_worker": "workers",
    "show_accuracy": "",
}

# Model methods older Keras had -> what to call instead.
REMOVED_METHODS = {
    "fit_generator": "call fit(generator, ...): fit takes generators and datasets",
    "evaluate_generator": "call evaluate(generator, ...)",
    "predict_generator": "call predict(generator, ...)",
    "predict_classes": "use np.argmax(model.predict(x), axis=-1), or (model.predict(x) > 0.5).astype('int32') "
                       "for a sigmoid output",
    "predict_proba": "call predict(x): it returns the probabilities",
}

# Of those, the ones tf.keras's Sequential had up to TensorFlow 2.5 (removed in 2.6).
SEQUENTIAL_UNTIL_TF26 = frozenset({"predict_classes", "predict_proba"})

# Layers older Keras had, with the replacement to suggest.
REMOVED_LAYERS = {
    "Merge": "use Concatenate()([a, b]) for mode='concat', Add() for 'sum', Multiply() for 'mul', "
             "Average() for 'ave', Dot(axes) for 'dot'",
    "TimeDistributedDense": "use TimeDistributed(Dense(units))",
    "MaxoutDense": "use Dense(units * k) then Reshape((units, k)) and a max over the last axis",
    "Highway": "write it from two Dense layers (transform gate and carry)",
    "AtrousConvolution1D": "use Conv1D(filters, kernel_size, dilation_rate=rate)",
    "AtrousConvolution2D": "use Conv2D(filters, kernel_size, dilation_rate=rate)",
    "Deconvolution2D": "use Conv2DTranspose(filters, kernel_size, strides=...)",
    "CuDNNLSTM": "use LSTM: it runs on cuDNN by itself with the default arguments",
    "CuDNNGRU": "use GRU: it runs on cuDNN by itself with the default arguments",
    "LocallyConnected1D": "Keras 3 has no locally connected layers; use Conv1D (shared weights) or keep tf-keras",
    "LocallyConnected2D": "Keras 3 has no locally connected layers; use Conv2D (shared weights) or keep tf-keras",
    "ThresholdedReLU": "use ReLU(threshold=theta)",
    "RandomHeight": "use Resizing or RandomZoom(height_factor=...)",
    "RandomWidth": "use Resizing or RandomZoom(width_factor=...)",
    "DenseFeatures": "feature columns are gone in Keras 3; preprocess with keras.utils.FeatureSpace",
    "AbstractRNNCell": "subclass keras.layers.Layer with a state_size attribute",
}

# Keras 2 arguments of every layer that Keras 3 rejects, and what to do instead.
REMOVED_IN_KERAS3 = {
    "batch_input_shape": "start the model with keras.Input(batch_shape={value}) instead",
    "batch_size": "give it to the model input: keras.Input(shape=..., batch_size={value})",
    "input_length": "start the model with keras.Input(shape=({value}, features)) instead",
    "weights": "build the layer, then call layer.set_weights(...)",
    "dynamic": "remove it (Keras 3 has no dynamic layers; use run_eagerly=True in compile)",
    "implementation": "remove it (Keras 3 chooses the implementation itself)",
    "time_major": "remove it and feed (batch, timesteps, features) data",
}


# Legacy module paths under standalone ``keras.``, and removed layer classes its ``keras.layers``
# exported: the first and last Keras 2 release (of the wheels read: 2.0.8, 2.0.9, 2.1.6, 2.2.0,
# 2.3.1, 2.4.3, 2.6-2.12, 2.13.1) that ships each. Generated by tools/gen_keras2_modules.py from
# the published wheels; a first release of 2.0.8 means "2.0.8 or earlier".
KERAS2_MODULE_RANGES = {'engine': ('2.0.8', '2.12.0'),
 'engine.topology': ('2.0.8', '2.4.3'),
 'engine.training': ('2.0.8', '2.12.0'),
 'layers.advanced_activations': ('2.0.8', '2.8.0'),
 'layers.convolutional': ('2.0.8', '2.12.0'),
 'layers.convolutional_recurrent': ('2.0.8', '2.8.0'),
 'layers.core': ('2.0.8', '2.12.0'),
 'layers.cudnn_recurrent': ('2.0.9', '2.8.0'),
 'layers.embeddings': ('2.0.8', '2.8.0'),
 'layers.local': ('2.0.8', '2.8.0'),
 'layers.merge': ('2.0.8', '2.8.0'),
 'layers.noise': ('2.0.8', '2.12.0'),
 'layers.normalization': ('2.0.8', '2.12.0'),
 'layers.pooling': ('2.0.8', '2.12.0'),
 'layers.recurrent': ('2.0.8', '2.8.0'),
 'layers.wrappers': ('2.0.8', '2.8.0'),
 'preprocessing.text': ('2.0.8', '2.13.1'),
 'utils.generic_utils': ('2.0.8', '2.12.0'),
 'utils.np_utils': ('2.0.8', '2.12.0'),
 'utils.vis_utils': ('2.0.8', '2.12.0'),
 'wrappers.scikit_learn': ('2.0.8', '2.12.0')}

# tf.keras never had these in TensorFlow 2 (CuDNNLSTM/CuDNNGRU: only tf.compat.v1.keras.layers).
KERAS2_LAYER_RANGES = {'AtrousConvolution1D': ('2.0.8', '2.3.1'),
 'AtrousConvolution2D': ('2.0.8', '2.3.1'),
 'CuDNNGRU': ('2.0.9', '2.3.1'),
 'CuDNNLSTM': ('2.0.9', '2.3.1'),
 'Deconvolution2D': ('2.0.8', '2.3.1'),
 'Highway': ('2.0.8', '2.3.1'),
 'MaxoutDense': ('2.0.8', '2.3.1'),
 'Merge': ('2.0.8', '2.1.6')}
