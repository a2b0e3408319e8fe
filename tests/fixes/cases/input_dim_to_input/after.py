"""Keras 2 style: the first layer declares its input size with input_dim."""
import numpy as np
from keras.models import Sequential
from keras.layers import Dense, Input

model = Sequential()
model.add(Input(shape=(8,)))
model.add(Dense(12, activation="relu"))
model.add(Dense(1, activation="sigmoid"))
model.compile(loss="binary_crossentropy", optimizer="adam")
model.fit(np.random.random((32, 8)), np.random.randint(0, 2, (32, 1)), epochs=1)
