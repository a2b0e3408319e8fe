"""Stacked ConvLSTM2D over video frames: the first one must pass on every frame."""
import numpy as np
import keras
from keras import layers

frames = np.random.random((4, 6, 12, 12, 1))
labels = np.random.random((4, 1))

inputs = keras.Input(shape=(6, 12, 12, 1))
x = layers.ConvLSTM2D(4, (3, 3), padding="same", return_sequences=True)(inputs)
x = layers.ConvLSTM2D(2, (3, 3), padding="same")(x)
x = layers.GlobalAveragePooling2D()(x)
outputs = layers.Dense(1)(x)
model = keras.Model(inputs, outputs)
model.compile(loss="mse", optimizer="adam")
model.fit(frames, labels, epochs=1)
