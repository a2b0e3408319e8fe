"""A compile's loss as written: its ``from_logits``, and the loss rewritten to another
cross-entropy (a string, a loss class instance such as
``keras.losses.CategoricalCrossentropy(from_logits=True)``, or a loss function).

Keras 3's ``CategoricalCrossentropy`` and ``SparseCategoricalCrossentropy`` share their first
parameter (``from_logits``) and the keywords below; the others (``label_smoothing``,
``ignore_class``) exist in one only, so a loss written with them is not rewritten.
"""

from __future__ import annotations

import ast
import re
from typing import Any

from kerascheck.graph import Opaque

_SHARED_KEYWORDS = frozenset({"from_logits", "reduction", "name", "dtype"})
_CLASSES = {"categorical_crossentropy": "CategoricalCrossentropy",
            "sparse_categorical_crossentropy": "SparseCategoricalCrossentropy"}


def swapped_loss(loss: Any, old: str, new: str) -> tuple[str, Any] | None:
    """``(code, value)`` of ``loss`` (which means ``old``) rewritten to mean ``new``: the code to
    write in its place and the value the graph then holds; None when it is not written so that a
    rename is certain."""
    if isinstance(loss, str):
        return repr(new), new
    if not isinstance(loss, Opaque) or old not in _CLASSES or new not in _CLASSES:
        return None
    try:
        tree = ast.parse(loss.text.strip(), mode="eval").body
    except SyntaxError:
        return None
    called = isinstance(tree, ast.Call)
    func = tree.func if called else tree
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
    wanted = _CLASSES[old] if called else old
    if name != wanted:
        return None
    if called and (len(tree.args) > 1 or any(k.arg not in _SHARED_KEYWORDS for k in tree.keywords)):
        return None
    replacement = _CLASSES[new] if called else new
    text = loss.text.strip()
    # the callee's name is the last occurrence of it before the arguments
    end = text.index("(") if called else len(text)
    start = [m.start() for m in re.finditer(rf"\b{wanted}\b", text[:end])]
    if len(start) != 1:
        return None
    code = text[:start[0]] + replacement + text[start[0] + len(wanted):]
    return code, Opaque(code)


def from_logits(loss: Any) -> Any:
    """The ``from_logits`` a loss class instance is given (a keyword, or the first argument of the
    cross-entropies, which it is), as a literal; None when not given or not a literal."""
    keywords = getattr(loss, "kwargs", None)
    if isinstance(keywords, dict):
        return keywords.get("from_logits")
    if not isinstance(loss, Opaque):
        return None
    try:
        tree = ast.parse(loss.text.strip(), mode="eval").body
    except SyntaxError:
        return None
    if not isinstance(tree, ast.Call):
        return None
    given = [k.value for k in tree.keywords if k.arg == "from_logits"]
    func = tree.func.attr if isinstance(tree.func, ast.Attribute) else getattr(tree.func, "id", "")
    if not given and tree.args and func.endswith("Crossentropy"):
        given = [tree.args[0]]
    try:
        return ast.literal_eval(given[0]) if given else None
    except ValueError:
        return None
