"""One value per sequence to predict, but the bidirectional LSTM hands every step to the Dense."""
import numpy as np
from keras.models import Sequential
from keras.layers import Bidirectional, Dense, Input, LSTM

X = np.random.random((32, 10, 8))
y = np.random.random((32, 1))

model = Sequential([Input(shape=(10, 8)), Bidirectional(LSTM(16, return_sequences=True)), Dense(1)])
model.compile(loss="mse", optimizer="adam")
model.fit(X, y, epochs=1)
