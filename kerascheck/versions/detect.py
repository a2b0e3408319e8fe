"""Which Keras a file targets: the configured version, else unambiguous markers, else 3."""

from __future__ import annotations

import re
from typing import Any, Iterable

from kerascheck.config import Options

# Markers only one major version has. tf_keras is the Keras 2 package (tf_keras.__version__
# is 2.x), so importing it means Keras 2.
_KERAS3_MODULES = ("keras_core", "keras.ops", "keras.src", "tensorflow.keras.ops")
_KERAS2_MODULES = ("tf_keras", "tensorflow.python.keras", "keras.layers.merge", "keras.layers.Merge")
_KERAS3_PREFIXES = tuple(f"{module}." for module in _KERAS3_MODULES)
_KERAS2_PREFIXES = tuple(f"{module}." for module in _KERAS2_MODULES)
# One part of each marker module, the rarest in other code (keras itself is in every file).
_MARKER_WORDS = ("keras_core", "ops", "src", "tf_keras", "python", "merge", "Merge")
_KERAS3_TEXT = re.compile(r"\bkeras\.ops\.|\bInput\(\s*batch_shape\s*=")
_KERAS2_TEXT = re.compile(r"(?<![\w.])Merge\(")
_IMPORT_LINE = re.compile(r"^[ \t]*(?:from[ \t]+([\w.]+)[ \t]+import[ \t]+([\w., \t()]+)|import[ \t]+([\w., \t]+))",
                          re.MULTILINE)


def detect_version(imports: Iterable[Any], text: str, options: Options | None = None) -> int:
    """``options.keras_version`` if set; else 3 or 2 when only one version's markers appear; else 3.

    ``imports`` holds module names (str) or import records with a ``module`` attribute (and
    optionally ``names``); the source text's import lines are read as well, so an empty list works.
    """
    if options is not None and options.keras_version is not None:
        return options.keras_version
    modules = set(imported_modules(imports))
    # A module in a marker names each of its parts, so without any of those words the import
    # lines need no reading.
    if any(word in text for word in _MARKER_WORDS):
        modules.update(_modules_in_text(text))
    # The substring tests skip the regexes on almost every file (they cost ~0.2 ms per 4 KB).
    says3 = any(_within(m, _KERAS3_PREFIXES) for m in modules) or (
        ("keras.ops." in text or "batch_shape" in text) and bool(_KERAS3_TEXT.search(text)))
    says2 = any(_within(m, _KERAS2_PREFIXES) for m in modules) or ("Merge(" in text and bool(_KERAS2_TEXT.search(text)))
    if says2 and not says3:
        return 2
    return 3


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


def _modules_in_text(text: str) -> list[str]:
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
