"""Keras 1 code: a stateful LSTM with a fixed batch, Keras 1 argument names."""
import numpy as np
from keras.models import Sequential
from keras.layers import LSTM, Dense, Input

X = np.random.random((32, 5, 3))
y = np.random.random((32, 1))

model = Sequential()
model.add(Input(batch_shape=(4, 5, 3)))
model.add(LSTM(units=8, stateful=True))
model.add(Dense(1, kernel_initializer="uniform"))
model.compile(loss="mse", optimizer="adam")
model.fit(X, y, batch_size=4, epochs=1, shuffle=False)
