"""Keras 2 text model: the Embedding's input_length declared the model's input."""
import numpy as np
from keras.models import Sequential
from keras.layers import Embedding, LSTM, Dense, Input

maxlen = 10
X = np.random.randint(0, 1000, size=(32, maxlen))
y = np.random.randint(0, 2, size=(32, 1))

model = Sequential()
model.add(Input(shape=(maxlen,)))
model.add(Embedding(1000, 16))
model.add(LSTM(8))
model.add(Dense(1, activation="sigmoid"))
model.compile(loss="binary_crossentropy", optimizer="adam")
model.fit(X, y, epochs=1)
