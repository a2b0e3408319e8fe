"""Grayscale digits without a channel axis, and an input shape without one either."""
import numpy as np
import keras
from keras import layers

rows, cols = 28, 28
images = np.random.random((32, rows, cols))
digits = np.random.randint(0, 10, size=(32,))

inputs = keras.Input(shape=(rows, cols))
x = layers.Conv2D(8, (3, 3), activation="relu")(inputs)
x = layers.GlobalAveragePooling2D()(x)
outputs = layers.Dense(10, activation="softmax")(x)
model = keras.Model(inputs, outputs)
model.compile(loss="sparse_categorical_crossentropy", optimizer="adam")
model.fit(images, digits, epochs=1)
