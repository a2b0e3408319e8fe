"""Class ids as labels with the one-hot loss."""
import numpy as np
from keras.models import Sequential
from keras.layers import Dense, Input

X = np.random.random((32, 20))
y = np.random.randint(0, 5, size=(32,))

model = Sequential([Input(shape=(20,)), Dense(5, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(X, y, epochs=1)
model.evaluate(X, y)
