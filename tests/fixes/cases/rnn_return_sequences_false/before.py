"""A seq2seq autoencoder whose encoder forgot to drop its time axis."""
import numpy as np
from keras.models import Sequential
from keras.layers import Input, LSTM, RepeatVector, TimeDistributed, Dense

timesteps, features = 8, 3
X = np.random.random((32, timesteps, features))

model = Sequential()
model.add(Input(shape=(timesteps, features)))
model.add(LSTM(16, return_sequences=True))  # the encoder
model.add(RepeatVector(timesteps))
model.add(LSTM(16, return_sequences=True))
model.add(TimeDistributed(Dense(features)))
model.compile(loss="mse", optimizer="adam")
model.fit(X, X, epochs=1)
