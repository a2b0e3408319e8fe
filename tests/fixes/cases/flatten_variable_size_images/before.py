"""Photos of any size sorted into 5 classes by a small convolutional network."""
import numpy as np
from keras.models import Sequential
from keras.layers import Input, Conv2D, MaxPooling2D, Flatten, Dense

model = Sequential([
    Input(shape=(None, None, 3)),
    Conv2D(16, 3, activation="relu"),
    MaxPooling2D(),
    Conv2D(32, 3, activation="relu"),
    Flatten(),
    Dense(5, activation="softmax"),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])

photos = np.random.random((16, 48, 64, 3))
kinds = np.random.randint(0, 5, size=(16,))
model.fit(photos, kinds, epochs=1, batch_size=8)
