"""Input sizes repeated on layers that are not the first: Keras ignores them (and warns)."""
import numpy as np
import keras
from keras import layers

X = np.random.random((32, 10, 3))
y = np.random.random((32, 1))

inputs = keras.Input(shape=(10, 3))
x = layers.LSTM(16)(inputs)
x = layers.Dense(8, activation="relu")(x)
outputs = layers.Dense(1)(x)
model = keras.Model(inputs, outputs)
model.compile(loss="mse", optimizer="adam")
model.fit(X, y, epochs=1)
