"""Keras 2's text Tokenizer: the shapes of what it gives, against tf-keras's own Tokenizer."""

from __future__ import annotations

import pytest

from kerascheck.data.arrays import evaluate_call, evaluate_method
from kerascheck.data.text import WordSequences

TEXTS = ["the movie was great", "a dull film", "great", "not worth it, not at all"]


@pytest.mark.parametrize("num_words", [None, 50])
def test_tokenizer_shapes_match_tf_keras(num_words, keras2):
    from tf_keras.preprocessing.sequence import pad_sequences
    from tf_keras.preprocessing.text import Tokenizer

    theirs = Tokenizer(num_words=num_words)
    theirs.fit_on_texts(TEXTS)
    ours = evaluate_call("keras.preprocessing.text.Tokenizer", (), {"num_words": num_words})
    assert evaluate_method(ours, "fit_on_texts", (TEXTS,), {}) is None
    sequences = evaluate_method(ours, "texts_to_sequences", (TEXTS,), {})
    assert sequences == WordSequences(len(theirs.texts_to_sequences(TEXTS)))
    padded = evaluate_call("keras.preprocessing.sequence.pad_sequences", (sequences,), {"maxlen": 7})
    assert padded.shape == pad_sequences(theirs.texts_to_sequences(TEXTS), maxlen=7).shape
    assert evaluate_call("keras.preprocessing.sequence.pad_sequences", (sequences,), {}).shape == (4, None)
    matrix = evaluate_method(ours, "texts_to_matrix", (TEXTS,), {"mode": "binary"})
    real = theirs.texts_to_matrix(TEXTS, mode="binary").shape
    assert matrix.shape == (real[0], real[1] if num_words else None)  # the vocabulary's size is not known here
