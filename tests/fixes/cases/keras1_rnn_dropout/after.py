"""A Keras 1 sentiment model: input and recurrent dropout under their Keras 1 names."""
import numpy as np
from keras.models import Sequential
from keras.layers import Embedding, LSTM, Dense

x = np.random.randint(0, 100, size=(16, 12))
y = np.random.randint(0, 2, size=(16, 1))

model = Sequential()
model.add(Embedding(100, 16))
model.add(LSTM(8, dropout=0.1, recurrent_dropout=0.2))
model.add(Dense(1, activation="sigmoid"))
model.compile(loss="binary_crossentropy", optimizer="adam")
model.fit(x, y, batch_size=8, epochs=1)
