"""One label per review, but the Dense scores every token."""
import numpy as np
from keras.models import Model, Sequential
from keras.layers import Dense, Embedding, Input

tokens = np.random.randint(0, 1000, size=(32, 10))
sentiment = np.random.randint(0, 2, size=(32,))

classifier = Sequential([
    Input(shape=(10,)),
    Embedding(1000, 8),
    Dense(1, activation="sigmoid"),
])
classifier.compile(loss="binary_crossentropy", optimizer="adam")
classifier.fit(tokens, sentiment, epochs=1)

inputs = Input(shape=(10,))
x = Embedding(1000, 8)(inputs)
score = Dense(1)(x)
regression = Model(inputs, score)
regression.compile(loss="mse", optimizer="adam")
regression.fit(tokens, sentiment, epochs=1)
