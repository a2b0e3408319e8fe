"""Hierarchical RNN: an LSTM over the words of each sentence, then one over the sentences."""
import numpy as np
from keras.models import Sequential
from keras.layers import LSTM, Dense, Input, TimeDistributed

X = np.random.random((16, 5, 10, 3))  # 5 sentences of 10 words, 3 features per word
y = np.random.random((16, 1))

model = Sequential()
model.add(Input(shape=(5, 10, 3)))
model.add(TimeDistributed(LSTM(8, return_sequences=False)))
model.add(LSTM(4))
model.add(Dense(1))
model.compile(loss="mse", optimizer="adam")
model.fit(X, y, epochs=1)
