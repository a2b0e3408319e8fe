"""A denoiser: one output per input step, but the convolution shortens the series."""
import numpy as np
from keras.models import Sequential
from keras.layers import Conv1D, Dense, Input

noisy = np.random.random((32, 100, 1))
clean = np.random.random((32, 100, 1))

model = Sequential([
    Input(shape=(100, 1)),
    Conv1D(16, 5, activation="relu", padding="same"),
    Dense(1),
])
model.compile(loss="mse", optimizer="adam")
model.fit(noisy, clean, epochs=1)
