"""Keras 1 functional model: Model(input=, output=), fitted with nb_epoch."""
import numpy as np
from keras.models import Model
from keras.layers import Input, Dense, Add

a = Input(shape=(20,))
b = Input(shape=(20,))
total = Add()([a, b])
out = Dense(1, activation="sigmoid")(total)
model = Model(inputs=[a, b], outputs=out)
model.compile(loss="binary_crossentropy", optimizer="rmsprop")
model.fit([np.zeros((10, 20)), np.zeros((10, 20))], np.zeros((10,)), epochs=1)
