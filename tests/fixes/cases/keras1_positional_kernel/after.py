"""Keras 1 CNN: Convolution2D(nb_filter, nb_row, nb_col), now read as (filters, kernel, strides)."""
import numpy as np
from keras.models import Sequential
from keras.layers import Convolution2D, MaxPooling2D, Flatten, Dense, Input

X = np.random.random((16, 28, 28, 1))
y = np.random.randint(0, 10, size=(16,))

model = Sequential()
model.add(Input(shape=(28, 28, 1)))
model.add(Convolution2D(32, (3, 3), activation="relu"))
model.add(Convolution2D(32, (3, 3), activation="relu"))
model.add(MaxPooling2D(pool_size=(2, 2)))
model.add(Flatten())
model.add(Dense(10, activation="softmax"))
model.compile(loss="sparse_categorical_crossentropy", optimizer="adam")
model.fit(X, y, epochs=1)
