"""Keras 2 calls outside any model: TensorFlow 1 sessions through the Keras backend (KC530) and
optimizers given ``lr=`` (KC531), found in the source text at their line.

``with K.get_session():`` only made Keras's own session the default one, which TensorFlow 2 and
Keras 3 do not have: its body runs the same without the ``with``, the one fix offered (safe).
"""

from __future__ import annotations

import re
from dataclasses import replace

from typing import Any, Iterable, Iterator

from kerascheck.diagnostics import WARNING, Diagnostic, diagnostic
from kerascheck.graph import Position
from kerascheck.repairs import Fix, UnwrapWith
from kerascheck.versions.detect import imported_modules

OPTIMIZERS = ("SGD", "RMSprop", "Adagrad", "Adadelta", "Adam", "Adamax", "Nadam", "Ftrl", "AdamW")
_SESSION = re.compile(r"(?<![\w.])((?:(?:tf|tensorflow)\.)?(?:keras\.)?backend|K)\.([gs]et_session)\(")
_WITH = re.compile(r"[ \t]*with[ \t]+$")  # before the call, on its line
_WITHOUT_ARGUMENTS = re.compile(r"[ \t]*\)[ \t]*:")  # after its "("
_LR = re.compile(r"(?<![\w])(" + "|".join(OPTIMIZERS) + r")\(([^()]*?)\blr\s*=")
_VERSIONS = {3: "Keras 3 or TensorFlow 2's tf.keras",
             2: "TensorFlow 2 (only TensorFlow 1.x and Keras 2.0-2.3 have sessions)"}
# The private backends keep the TensorFlow 1 session functions their v1 code paths use.
_SESSION_BACKENDS = ("tf_keras.src.backend", "tensorflow.python.keras.backend")


def check_calls(text: str, version: int, imports: Iterable[Any] = ()) -> list[Diagnostic]:
    """KC530 at each backend session call, KC531 at each optimizer given ``lr=`` (Keras 3 only).
    Under Keras 2 a session call is a warning: Keras 2.0-2.3 and TensorFlow 1.x run it; in a file
    importing a private backend (tf_keras's own sources, TensorFlow's private Keras copy, which
    TensorFlow 2.21 still ships) it is none: those have them, whatever Keras is public."""
    found = []
    if "_session(" in text and not set(imported_modules(imports)) & set(_SESSION_BACKENDS):
        for match in _in_code(text, _SESSION.finditer(text)):
            name = f"{match.group(1)}.{match.group(2)}"
            hint = ("TensorFlow 2 needs no session: drop it (tf.config.experimental.set_memory_growth for GPU "
                    "memory; tf.compat.v1.keras.backend for TensorFlow 1 code)")
            position = _at(text, match.start(), match.end() - 1)
            d = diagnostic("KC530", position, hint, _with_fix(text, match, position), name=name,
                           versions=_VERSIONS[version])
            found.append(d if version == 3 else replace(d, level=WARNING))
    if version == 3 and "lr" in text:
        for match in _in_code(text, _LR.finditer(text)):
            start = match.end() - len(match.group().rsplit("lr", 1)[1]) - 2
            found.append(diagnostic("KC531", _at(text, start, match.end()), "use learning_rate= (Keras 2 named it lr)",
                                    optimizer=match.group(1)))
    return found


def _with_fix(text: str, match: re.Match, position: Position) -> Fix | None:
    """``with K.get_session():`` (nothing bound by ``as``): its body without the ``with``."""
    line_start = text.rfind("\n", 0, match.start()) + 1
    if match.group(2) != "get_session" or not _WITH.match(text, line_start, match.start()) \
            or not _WITHOUT_ARGUMENTS.match(text, match.end()):
        return None
    return Fix(f"run the body of the with statement on line {position.line} without {match.group(1)}.get_session()",
               (UnwrapWith(position),))


def _in_code(text: str, matches: Iterator[re.Match]) -> list[re.Match]:
    """The matches that start in code, not in a string or a comment (a docstring saying
    ``K.set_session(sess)`` calls nothing)."""
    found = list(matches)
    if not found:
        return found
    import io
    import tokenize

    line_starts = [0]
    for line in io.StringIO(text):
        line_starts.append(line_starts[-1] + len(line))
    spans = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type in (tokenize.STRING, tokenize.COMMENT):
                spans.append((line_starts[token.start[0] - 1] + token.start[1],
                              line_starts[token.end[0] - 1] + token.end[1]))
    except (tokenize.TokenError, SyntaxError):
        return found
    return [m for m in found if not any(start <= m.start() < end for start, end in spans)]


def _at(text: str, start: int, end: int) -> Position:
    line = text.count("\n", 0, start) + 1
    column = start - (text.rfind("\n", 0, start) + 1) + 1
    end_line = text.count("\n", 0, end) + 1
    end_column = end - (text.rfind("\n", 0, end) + 1) + 1
    return Position(line, column, end_line, end_column)
