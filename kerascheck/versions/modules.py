"""Keras 3 modules used through a Keras 2 package (KC524 at each use): ``keras.ops.sum(x)`` or
``keras.random.normal(...)`` where ``keras`` is tf-keras, or is standalone or TensorFlow's Keras in
a file that runs on Keras 2. Python raises ``AttributeError`` there. Importing such a module
(``from keras import ops``) is ``imports.py``'s.
"""

from __future__ import annotations

import ast

from kerascheck.diagnostics import Diagnostic, diagnostic
from kerascheck.graph import Position
from kerascheck.versions.backend import dotted, syntax_tree
from kerascheck.versions.tables import signatures

# The top-level modules Keras 3 has and tf-keras lacks, with what to do instead.
_KERAS3_ONLY = {sub: instead for sub, (in3, in2, instead) in signatures.LEGACY_MODULES.items()
                if in3 and not in2 and "." not in sub}
_CAUGHT = ("AttributeError", "Exception", "BaseException")


def check_keras3_modules(text: str, version: int) -> list[Diagnostic]:
    """KC524 at each ``<Keras 2 package>.<Keras 3 module>`` the file reads outside a ``try`` that
    catches the ``AttributeError``."""
    if not any(f".{sub}." in text or f".{sub})" in text for sub in _KERAS3_ONLY):
        return []
    tree = syntax_tree(text)
    if tree is None:
        return []
    roots = _keras2_roots(tree, version)
    if not roots:
        return []
    guarded = _guarded_lines(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in _KERAS3_ONLY and node.lineno not in guarded:
            root = dotted(node.value)
            if root in roots:
                position = Position(node.lineno, node.col_offset + 1, node.end_lineno or node.lineno,
                                    (node.end_col_offset or node.col_offset) + 1)
                instead = _KERAS3_ONLY[node.attr] if roots[root] != "tf_keras" else \
                    f"tf_keras is Keras 2 whatever TensorFlow runs it; use TensorFlow's functions there or Keras 3's keras.{node.attr}"
                found.append(diagnostic("KC524", position, instead, module=f"{root}.{node.attr}", version=2))
    return sorted(found, key=lambda d: (d.position.line, d.position.column))


def _keras2_roots(tree: ast.Module, version: int) -> dict[str, str]:
    """{name standing for a Keras 2 package: that package}: ``tf_keras`` as imported, and on
    Keras 2 also ``keras``, ``tensorflow.keras`` and ``tf.keras`` as imported."""
    roots = {}
    packages = ("tf_keras",) if version == 3 else ("tf_keras", "keras", "tensorflow.keras")
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in packages:
                    roots[alias.asname or alias.name] = alias.name
                elif alias.name == "tensorflow" and version == 2:
                    roots[f"{alias.asname or 'tensorflow'}.keras"] = "tensorflow.keras"
        elif isinstance(node, ast.ImportFrom) and node.module == "tensorflow" and version == 2 and not node.level:
            roots.update({alias.asname or alias.name: "tensorflow.keras" for alias in node.names if alias.name == "keras"})
    return roots


def _guarded_lines(tree: ast.Module) -> set[int]:
    """The lines of ``try`` bodies whose handlers catch an ``AttributeError``."""
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Try) and any(_catches(handler.type) for handler in node.handlers):
            for statement in node.body:
                lines.update(range(statement.lineno, (statement.end_lineno or statement.lineno) + 1))
    return lines


def _catches(caught: ast.expr | None) -> bool:
    """Whether an ``except`` clause (bare, one name or a tuple of them) catches AttributeError."""
    return caught is None or any(isinstance(name, ast.Name) and name.id in _CAUGHT for name in ast.walk(caught))

