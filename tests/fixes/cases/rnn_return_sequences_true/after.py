"""One output per step, but the GRU returns only its last one."""
import numpy as np
import keras
from keras import layers

inputs = keras.Input(shape=(10, 4))
x = layers.GRU(8, return_sequences=True)(inputs)
outputs = layers.TimeDistributed(layers.Dense(1))(x)
model = keras.Model(inputs, outputs)
model.compile(loss="mse", optimizer="adam")
model.fit(np.random.random((32, 10, 4)), np.random.random((32, 10, 1)), epochs=1)
