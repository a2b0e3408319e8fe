"""Two stacked recurrent layers written one argument per line."""
import numpy as np
import keras
from keras import layers

x = np.random.rand(32, 20, 4)
y = np.random.rand(32, 1)

model = keras.Sequential([
    keras.Input(shape=(20, 4)),
    layers.LSTM(
        32,  # the encoder's width
        dropout=0.1,
        return_sequences=True,
    ),
    layers.LSTM(16),
    layers.Dense(1),
])
model.compile(loss="mse", optimizer="adam")
model.fit(x, y, epochs=1)
