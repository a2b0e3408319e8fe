"""A file's Keras era: the APIs it uses that only Keras 2 or only Keras 3 has."""

from __future__ import annotations

import re
from typing import Any, Iterable

# Modules only one major version has. tf_keras is the Keras 2 package (tf_keras.__version__
# is 2.x), and so is TensorFlow's private copy.
_KERAS3_MODULES = ("keras_core", "keras.ops", "keras.src", "keras.random", "tensorflow.keras.ops")
_KERAS2_MODULES = ("tf_keras", "tensorflow.python.keras", "keras.layers.merge", "keras.layers.Merge",
                   "keras.utils.np_utils", "keras.preprocessing.text", "keras.layers.CuDNNLSTM",
                   "keras.layers.CuDNNGRU", "tensorflow.keras.layers.CuDNNLSTM", "tensorflow.keras.layers.CuDNNGRU")
_KERAS3_PREFIXES = tuple(f"{module}." for module in _KERAS3_MODULES)
_KERAS2_PREFIXES = tuple(f"{module}." for module in _KERAS2_MODULES)
# One word of each marker (module or call), the rarest in other code: without any of them
# in the text no regular expression runs (they cost ~0.2 ms per 4 KB).
_MARKER_WORDS = ("keras_core", "ops", "src", "random", "tf_keras", "python", "merge", "Merge", "np_utils",
                 "text", "CuDNN", "_generator", "_session", "lr")
_KERAS3_TEXT = re.compile(r"\bkeras\.(?:ops|random)\.")
_KERAS2_TEXT = re.compile(
    r"(?<![\w.])Merge\(|\.(?:fit|evaluate|predict)_generator\(|\bbackend\.(?:get|set)_session\(|"
    r"\bK\.(?:get|set)_session\(|\bCuDNN(?:LSTM|GRU)\(|"
    r"\b(?:SGD|RMSprop|Adagrad|Adadelta|Adam|Adamax|Nadam|Ftrl)\([^()]*\blr\s*=")
_IMPORT_LINE = re.compile(r"^[ \t]*(?:from[ \t]+([\w.]+)[ \t]+import[ \t]+([\w., \t()]+)|import[ \t]+([\w., \t]+))",
                          re.MULTILINE)


def file_era(modules: Iterable[str], text: str) -> tuple[int, str] | None:
    """(2 or 3, the API that says so) when only one version's markers appear, else None.

    ``modules`` are the imported module names (``imported_modules``); the source text's import
    lines are read as well, so an empty list works.
    """
    found = set(modules)
    marked = any(word in text for word in _MARKER_WORDS)
    if marked:
        found.update(modules_in_text(text))
    keras3 = next((m for m in sorted(found) if _within(m, _KERAS3_PREFIXES)), None)
    keras2 = next((m for m in sorted(found) if _within(m, _KERAS2_PREFIXES)), None)
    if keras3 is None and marked:
        match = _KERAS3_TEXT.search(text)
        keras3 = match.group().rstrip("(") if match else None
    if keras2 is None and marked:
        match = _KERAS2_TEXT.search(text)
        keras2 = _shown(match.group()) if match else None
    if (keras2 is None) == (keras3 is None):
        return None
    return (2, f"`{keras2}`") if keras2 is not None else (3, f"`{keras3}`")


def _shown(call: str) -> str:
    """A matched call as a message shows it: ``Adam(lr=``, ``.fit_generator(``..."""
    return re.sub(r"\([^()]*\blr\s*=$", "(lr=...)", call).rstrip("(")


def imported_modules(imports: Iterable[Any]) -> list[str]:
    """Every module an import makes reachable: ``from keras import ops`` gives keras and keras.ops."""
    found = []
    for item in imports:
        if isinstance(item, str):
            found.append(item)
            continue
        module = getattr(item, "module", None)
        if not isinstance(module, str):
            continue
        found.append(module)
        found.extend(f"{module}.{name}" for name in getattr(item, "names", None) or () if isinstance(name, str))
    return found


def modules_in_text(text: str) -> list[str]:
    """The modules the import lines of a source text name (as ``imported_modules`` gives them)."""
    found = []
    for match in _IMPORT_LINE.finditer(text):
        source, names, plain = match.groups()
        if source:
            found.append(source)
            found.extend(f"{source}.{part.split()[0]}" for part in re.split(r"[,()]", names) if part.strip())
        else:
            found.extend(part.split()[0] for part in plain.split(",") if part.strip())
    return found


def _within(module: str, prefixes: tuple[str, ...]) -> bool:
    """Whether ``module`` is one of the modules, or inside one, whose ``name.`` are ``prefixes``."""
    return f"{module}.".startswith(prefixes)
