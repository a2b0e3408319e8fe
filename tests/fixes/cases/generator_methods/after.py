"""Keras 2 code: training from a Python generator with the *_generator methods."""
import numpy as np
from keras.models import Sequential
from keras.layers import Dense, Input


def batches():
    while True:
        yield np.random.random((8, 4)), np.random.random((8, 1))


model = Sequential([Input(shape=(4,)), Dense(16, activation="relu"), Dense(1)])
model.compile(loss="mse", optimizer="adam")
model.fit(batches(), steps_per_epoch=2, epochs=1, verbose=0)
loss = model.evaluate(batches(), steps=2)
predictions = model.predict(x=batches(), steps=2)
