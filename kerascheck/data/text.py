"""Keras 2's text ``Tokenizer`` (``keras.preprocessing.text``), as NLP scripts use it.

``texts_to_sequences(texts)`` gives one list of word indices per text, of lengths not known
here: ``pad_sequences`` of them is ``(len(texts), maxlen)``. ``texts_to_matrix(texts)`` and
``sequences_to_matrix(sequences)`` give one row of ``num_words`` columns per text (Keras takes
the vocabulary's size, unknown here, when ``num_words`` is not given). ``fit_on_texts`` changes
no shape.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from kerascheck.data import ops
from kerascheck.data.arrays import Array, counted


@dataclass(frozen=True)
class Tokenizer:
    """``Tokenizer(num_words=...)``: the width of its matrices (None: unknown)."""

    num_words: int | None


@dataclass(frozen=True)
class WordSequences:
    """What ``texts_to_sequences`` returns: ``count`` lists of word indices (None: unknown count)."""

    count: int | None


def _tokenizer(args: tuple, kwargs: dict) -> Tokenizer:
    num_words = kwargs.get("num_words", args[0] if args else None)
    return Tokenizer(num_words if ops.is_int(num_words) and num_words > 0 else None)


def _count(texts: Any) -> int | None:
    """How many texts (or sequences) a value holds, when known."""
    if isinstance(texts, (list, tuple)) and counted(texts):
        return len(texts)
    if isinstance(texts, WordSequences):
        return texts.count
    if isinstance(texts, Array) and texts.shape:
        return texts.shape[0]
    return None


def method(tokenizer: Tokenizer, name: str, args: tuple, kwargs: dict) -> Any:
    given = args[0] if args else kwargs.get("texts", kwargs.get("sequences"))
    if name == "texts_to_sequences":
        return WordSequences(_count(given))
    if name in ("texts_to_matrix", "sequences_to_matrix"):
        return Array((_count(given), tokenizer.num_words), "float")
    if name in ("fit_on_texts", "fit_on_sequences"):
        return None
    raise ops.Unresolved(name)


CALLS: dict[str, Callable[[tuple, dict], Any]] = {
    "keras.preprocessing.text.Tokenizer": _tokenizer,
    "keras_preprocessing.text.Tokenizer": _tokenizer,
}
