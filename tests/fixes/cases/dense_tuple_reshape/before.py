"""Two stacked series of 10 steps to predict: Dense is asked for a tuple of units."""
import numpy as np
from keras.models import Sequential
from keras.layers import Input, LSTM, Dense

X = np.random.random((32, 40, 2))
y = np.random.random((32, 10, 2))

model = Sequential()
model.add(Input(shape=(40, 2)))
model.add(LSTM(12))
model.add(Dense((10, 2)))  # one (10, 2) target per sample
model.compile(loss="mse", optimizer="adam")
model.fit(X, y, epochs=1)
