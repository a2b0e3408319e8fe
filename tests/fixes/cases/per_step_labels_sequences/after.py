"""Accelerometer windows labelled at every step (walking or not), fed to a model with one output."""
import numpy as np
from keras.models import Sequential
from keras.layers import Input, Conv1D, MaxPooling1D, GRU, Dense

windows = np.random.random((256, 120, 3))
walking = np.random.randint(0, 2, size=(256, 120, 1))

model = Sequential()
model.add(Input(shape=(120, 3)))
model.add(Conv1D(16, 5, activation="relu", padding="same"))
model.add(GRU(24, return_sequences=True))
model.add(Dense(1, activation="sigmoid"))
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
model.fit(windows, walking, epochs=3, batch_size=32, validation_split=0.1)
