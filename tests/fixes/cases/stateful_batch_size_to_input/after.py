"""Keras 2 stateful LSTM: the first layer gives the batch size beside its input shape."""
import numpy as np
from keras.models import Sequential
from keras.layers import LSTM, Dense, Input

X = np.random.random((100, 1, 10))
y = np.random.random((100, 1))

model = Sequential()
model.add(Input(shape=(1, 10), batch_size=50))
model.add(LSTM(32, stateful=True))
model.add(Dense(1))
model.compile(loss="mse", optimizer="adam")
model.fit(X, y, batch_size=50, epochs=1, shuffle=False)
