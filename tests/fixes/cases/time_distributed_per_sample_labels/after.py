"""One label per sequence, but the model scores every step through a TimeDistributed Dense."""
import numpy as np
from keras.models import Sequential
from keras.layers import Input, LSTM, TimeDistributed, Dense

sequences = np.random.random((100, 30, 6))
classes = np.random.randint(0, 2, size=(100, 1))

model = Sequential([
    Input(shape=(30, 6)),
    LSTM(32, return_sequences=False),
    Dense(1, activation="sigmoid"),
])
model.compile(loss="binary_crossentropy", optimizer="adam")
model.fit(sequences, classes, epochs=2, batch_size=20)
