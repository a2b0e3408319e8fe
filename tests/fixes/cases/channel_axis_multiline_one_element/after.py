"""Sensor windows of 100 readings, one channel, into a small Conv1D classifier."""
import numpy as np
import keras
from keras import layers

windows = np.random.rand(64, 100, 1)
labels = np.random.randint(0, 2, size=(64, 1))

inputs = keras.Input(
    shape=(100, 1),  # one reading per time step
    name="signal",
)
h = layers.Conv1D(8, 3, activation="relu")(inputs)
h = layers.GlobalMaxPooling1D()(h)
model = keras.Model(inputs, layers.Dense(1, activation="sigmoid")(h))
model.compile(loss="binary_crossentropy", optimizer="adam")
model.fit(windows, labels, epochs=1)
