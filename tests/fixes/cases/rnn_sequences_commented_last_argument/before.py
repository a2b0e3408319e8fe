"""An encoder LSTM whose last argument carries a comment."""
import numpy as np
import keras
from keras import layers

x = np.random.rand(32, 20, 4)
y = np.random.rand(32, 1)

model = keras.Sequential([
    keras.Input(shape=(20, 4)),
    layers.LSTM(
        32,
        dropout=0.1,  # light regularisation
    ),
    layers.LSTM(16),
    layers.Dense(1),
])
model.compile(loss="mse", optimizer="adam")
model.fit(x, y, epochs=1)
