"""Integer class labels with a categorical cross-entropy loss object on logits."""
import numpy as np
import keras
from keras import layers

X = np.random.random((64, 20))
y = np.random.randint(0, 5, size=(64,))

model = keras.Sequential([keras.Input(shape=(20,)), layers.Dense(32, activation="relu"), layers.Dense(5)])
model.compile(optimizer="adam", loss=keras.losses.CategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
model.fit(X, y, epochs=1, batch_size=16)
