"""Sensor recordings of any length, one alarm probability per recording."""
import numpy as np
import keras
from keras import layers

readings = keras.Input(shape=(None, 6))
steps = layers.LSTM(16, return_sequences=True)(readings)
folded = layers.GlobalAveragePooling1D()(steps)
alarm = layers.Dense(1, activation="sigmoid")(folded)
model = keras.Model(readings, alarm)
model.compile(optimizer="adam", loss="binary_crossentropy")

recordings = np.random.random((32, 25, 6))
alarms = np.random.randint(0, 2, size=(32, 1))
model.fit(recordings, alarms, epochs=1, batch_size=8)
