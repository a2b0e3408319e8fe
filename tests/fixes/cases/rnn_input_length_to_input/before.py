"""Keras 1/2 code: an LSTM reading 10 steps of 3 features, declared by input_length and input_dim."""
import numpy as np
from keras.models import Sequential
from keras.layers import LSTM, Dense

X = np.random.random((32, 10, 3))
y = np.random.random((32, 1))

model = Sequential()
model.add(LSTM(16, input_dim=3, input_length=10))
model.add(Dense(1))
model.compile(loss="mse", optimizer="adam")
model.fit(X, y, epochs=1)
