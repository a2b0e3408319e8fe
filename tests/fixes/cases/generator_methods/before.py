"""Keras 2 code: training from a Python generator with the *_generator methods."""
import numpy as np
from keras.models import Sequential
from keras.layers import Dense, Input


def batches():
    while True:
        yield np.random.random((8, 4)), np.random.random((8, 1))


model = Sequential([Input(shape=(4,)), Dense(16, activation="relu"), Dense(1)])
model.compile(loss="mse", optimizer="adam")
model.fit_generator(batches(), 2, 1, verbose=0, workers=2, use_multiprocessing=False)
loss = model.evaluate_generator(batches(), steps=2, max_queue_size=4)
predictions = model.predict_generator(generator=batches(), steps=2)
