"""Keras 1 convolution written with keywords: nb_filter, nb_row, nb_col, border_mode."""
import numpy as np
from keras.models import Sequential
from keras.layers import Convolution2D, Flatten, Dense, Input

X = np.random.random((16, 28, 28, 1))
y = np.random.random((16, 1))

model = Sequential()
model.add(Input(shape=(28, 28, 1)))
model.add(Convolution2D(filters=8, kernel_size=(3, 5), padding="same", activation="relu"))
model.add(Flatten())
model.add(Dense(1))
model.compile(loss="mse", optimizer="adam")
model.fit(X, y, epochs=1)
