"""A functional model whose head asks Dense for a (10, 2) output, beside a second head on the same features."""
import numpy as np
import keras
from keras import layers

inputs = keras.Input(shape=(40, 2))
features = layers.LSTM(12)(inputs)
targets = layers.Reshape((10, 2))(layers.Dense(10 * 2)(features))
summary = layers.Dense(1)(features)
model = keras.Model(inputs, [targets, summary])
model.compile(loss="mse", optimizer="adam")
model.fit(np.random.random((32, 40, 2)), [np.random.random((32, 10, 2)), np.random.random((32, 1))], epochs=1)
