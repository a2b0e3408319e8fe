"""Sentences of any length, 50-dim word vectors, one sentiment score per sentence."""
import numpy as np
import keras
from keras import layers

words = keras.Input(shape=(None, 50))
steps = layers.Conv1D(32, 3, padding="same", activation="relu")(words)
flat = layers.GlobalAveragePooling1D()(steps)
score = layers.Dense(1, activation="sigmoid")(flat)
model = keras.Model(words, score)
model.compile(optimizer="adam", loss="binary_crossentropy")

sentences = np.random.random((40, 12, 50))
labels = np.random.randint(0, 2, size=(40, 1))
model.fit(sentences, labels, epochs=1, batch_size=8)
