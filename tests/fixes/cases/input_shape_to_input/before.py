"""Keras 2 style: the first layer declares the input shape."""
import numpy as np
import keras

model = keras.Sequential([
    keras.layers.Dense(16, activation="relu", input_shape=(8,)),
    keras.layers.Dense(1),
])
model.compile(loss="mse", optimizer="adam")
model.fit(np.random.random((32, 8)), np.random.random((32, 1)), epochs=1)
