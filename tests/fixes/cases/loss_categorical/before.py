"""One-hot labels with the sparse loss (given positionally)."""
import numpy as np
import keras
from keras.utils import to_categorical

X = np.random.random((32, 20))
y = to_categorical(np.random.randint(0, 5, size=(32,)), 5)

model = keras.Sequential([keras.Input(shape=(20,)), keras.layers.Dense(5, activation="softmax")])
model.compile('adam', 'sparse_categorical_crossentropy')
model.fit(X, y, epochs=1)
