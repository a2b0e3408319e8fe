"""A sequence classifier whose Sequential list nests the input, the LSTMs and a wrapper."""
import numpy as np
import keras
from keras import layers

x = np.random.rand(32, 20, 4)
y = np.random.randint(0, 3, size=(32,))

model = keras.Sequential([
    keras.Input(shape=(20, 4)),
    layers.Bidirectional(layers.LSTM(16)),  # summarises the sequence
    layers.TimeDistributed(layers.Dense(8)),
    layers.GlobalAveragePooling1D(),
    layers.Dense(3, activation="softmax"),
])
model.compile(loss="sparse_categorical_crossentropy", optimizer="adam")
model.fit(x, y, epochs=1)
