"""One-hot labels with the sparse cross-entropy loss function."""
import numpy as np
import keras

X = np.random.random((64, 20))
y = keras.utils.to_categorical(np.random.randint(0, 4, size=(64,)), 4)

model = keras.Sequential([
    keras.layers.Input(shape=(20,)),
    keras.layers.Dense(4, activation="softmax"),
])
model.compile(optimizer="adam", loss=keras.losses.categorical_crossentropy)
model.fit(X, y, epochs=1)
