"""Older Keras arguments that Keras 3 rejects and whose removal changes nothing computed."""
import numpy as np
import keras
from keras import layers

X = np.random.random((32, 10, 3))
y = np.random.random((32, 1))

inputs = keras.Input(shape=(10, 3))
x = layers.LSTM(16, return_sequences=True)(inputs)
x = layers.GRU(8)(x)
outputs = layers.Dense(1)(x)
model = keras.Model(inputs, outputs)
model.compile(loss="mse", optimizer="adam")
model.fit(X, y, epochs=1)
model.evaluate(X, y)
