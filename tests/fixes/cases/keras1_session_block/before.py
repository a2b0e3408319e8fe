"""Keras 1 on TensorFlow 1: the model is built and trained inside Keras's session."""
import numpy as np
from keras import backend as K
from keras.models import Sequential
from keras.layers import Dense, Input

x = np.random.random((64, 8))
y = np.random.random((64, 1))

# build and train in the backend's session
with K.get_session():  # the TensorFlow 1 default session
    model = Sequential([Input(shape=(8,)), Dense(16, activation="relu"), Dense(1)])
    model.compile(loss="mse", optimizer="sgd")
    model.fit(x, y, epochs=2, batch_size=16)
    for row in model.predict(x[:2]):
        print(row)
