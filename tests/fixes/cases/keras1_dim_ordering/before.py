"""Keras 1 CNN: dim_ordering='tf' says the channels come last."""
import numpy as np
from keras.models import Sequential
from keras.layers import Conv2D, MaxPooling2D, Flatten, Dense, Input

X = np.random.random((16, 28, 28, 1))
y = np.random.randint(0, 10, size=(16,))

model = Sequential()
model.add(Input(shape=(28, 28, 1)))
model.add(Conv2D(8, (3, 3), activation="relu", dim_ordering="tf"))
model.add(MaxPooling2D(pool_size=(2, 2), dim_ordering="tf"))
model.add(Flatten())
model.add(Dense(10, activation="softmax"))
model.compile(loss="sparse_categorical_crossentropy", optimizer="adam")
model.fit(X, y, epochs=1)
