"""Which local names mean Keras or NumPy objects, for every import style.

Every imported object becomes a ``Symbol`` holding a canonical qualified name: all the copies of
Keras (``tensorflow.keras``, ``tf.keras``, ``tensorflow.python.keras``, ``tf_keras``,
``keras_core``, ``keras.src``, Keras 2 submodules such as ``keras.layers.core``) map to one
``keras.*`` name, NumPy to ``numpy.*``. ``keras.Sequential`` and ``keras.Model`` are
``keras.models.Sequential``/``keras.models.Model``; ``keras.Input`` is ``keras.layers.Input``.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import lru_cache

import libcst as cst

from kerascheck.frontend.layer_names import LAYER_NAMES

# Longest first: each is rewritten to "keras".
_KERAS_COPIES = (
    "tensorflow.compat.v1.keras", "tensorflow.compat.v2.keras", "tensorflow.python.keras",
    "keras._tf_keras.keras", "keras.api._v2.keras", "tensorflow.keras", "keras.src", "keras.api",
    "tf_keras", "keras_core",
)
_ENGINE_MODELS = {"Sequential", "Model", "Functional"}
_ENGINE_INPUTS = {"Input", "InputLayer"}
_TOP_LEVEL_ALIASES = {
    "keras.Sequential": "keras.models.Sequential",
    "keras.Model": "keras.models.Model",
    "keras.Input": "keras.layers.Input",
    "keras.models.Functional": "keras.models.Model",
}
MODEL_NAMES = frozenset({"Sequential", "Model", "load_model", "model_from_json", "clone_model", "save_model"})
_KERAS_TOP_NAMES = frozenset({"Sequential", "Model", "Input", "layers", "models", "utils", "backend",
                              "datasets", "optimizers", "losses", "metrics", "callbacks", "ops",
                              "activations", "initializers", "regularizers", "applications"})


@dataclass(frozen=True)
class Symbol:
    """An imported module, class or function, by canonical qualified name (``keras.layers.LSTM``)."""

    qualname: str

    def attribute(self, name: str) -> Symbol:
        return _attribute(self.qualname, name)

    @property
    def last(self) -> str:
        return self.qualname.rsplit(".", 1)[-1]

    def is_keras(self) -> bool:
        return self.qualname == "keras" or self.qualname.startswith("keras.")


@lru_cache(maxsize=4096)  # the same few names again and again (symbols are immutable: shared)
def _attribute(qualname: str, name: str) -> Symbol:
    return Symbol(canonical(f"{qualname}.{name}"))


@lru_cache(maxsize=4096)  # the same few names, for every attribute of every import
def canonical(qualname: str) -> str:
    """The one name of an object that Keras/NumPy copies spell differently."""
    name = qualname
    stripped = True
    while stripped:  # tf_keras.src.engine -> keras.src.engine -> keras.engine (each step shortens it)
        stripped = False
        for copy in _KERAS_COPIES:
            if name == copy or name.startswith(copy + "."):
                name = "keras" + name[len(copy):]
                stripped = True
                break
    if name.startswith("tensorflow.") and not name.startswith("tensorflow.keras"):
        return name
    parts = name.split(".")
    if parts[0] != "keras" or len(parts) < 2:
        return name
    if parts[1] == "engine" and len(parts) >= 3:
        if parts[-1] in _ENGINE_MODELS:
            return f"keras.models.{parts[-1]}" if parts[-1] != "Functional" else "keras.models.Model"
        if parts[-1] in _ENGINE_INPUTS:
            return f"keras.layers.{parts[-1]}"
    if parts[1] in ("layers", "models", "utils") and len(parts) >= 4:
        name = f"keras.{parts[1]}.{parts[-1]}"
        if parts[1] == "models" and parts[-1] == "Functional":
            return "keras.models.Model"
        return name
    return _TOP_LEVEL_ALIASES.get(name, name)


def dotted_name(node: cst.BaseExpression) -> str | None:
    """``a.b.c`` for a Name/Attribute chain, else None."""
    parts = []
    while type(node) is cst.Attribute:  # not isinstance: a failed check on a libcst class is slow
        parts.append(node.attr.value)
        node = node.value
    if type(node) is not cst.Name:
        return None
    parts.append(node.value)
    return ".".join(reversed(parts))


@dataclass
class ImportBinding:
    """What one import statement does: names bound, star-imported modules, modules touched."""

    names: list[tuple[str, Symbol | None]]  # None: a relative import, value unknown
    stars: list[str]  # canonical module names imported with *
    modules: list[tuple[str, tuple[str, ...]]]  # (module as written, names taken)


def bind_import(node: cst.Import | cst.ImportFrom) -> ImportBinding:
    """The bindings an ``import``/``from ... import`` statement makes."""
    binding = ImportBinding([], [], [])
    if isinstance(node, cst.Import):
        for alias in node.names:
            module = dotted_name(alias.name) or ""
            binding.modules.append((module, ()))
            if alias.asname is not None:
                local = _as_name(alias)
                binding.names.append((local, Symbol(canonical(module))))
            else:
                top = module.split(".")[0]
                binding.names.append((top, Symbol(canonical(top))))
        return binding
    relative = len(node.relative) > 0
    module = dotted_name(node.module) if node.module is not None else ""
    module = module or ""
    if isinstance(node.names, cst.ImportStar):
        binding.modules.append((module, ("*",)))
        binding.stars.append("" if relative else canonical(module))
        return binding
    taken = tuple(dotted_name(alias.name) or "" for alias in node.names)
    binding.modules.append(("." * len(node.relative) + module, taken))
    for alias, name in zip(node.names, taken):
        local = _as_name(alias) if alias.asname is not None else name
        symbol = None if relative else Symbol(canonical(f"{module}.{name}"))
        binding.names.append((local, symbol))
    return binding


def _as_name(alias: cst.ImportAlias) -> str:
    target = alias.asname.name if alias.asname is not None else alias.name
    return dotted_name(target) or ""


def star_symbol(module: str, name: str) -> Symbol | None:
    """What ``name`` means after ``from <module> import *``, if the module is Keras or NumPy.

    None means the name is not known to come from that module.
    """
    if module == "keras.layers" or module.startswith("keras.layers."):
        return Symbol(f"keras.layers.{name}") if name in LAYER_NAMES else None
    if module == "keras.models":
        return Symbol(f"keras.models.{name}") if name in MODEL_NAMES else None
    if module == "keras":
        return Symbol(canonical(f"keras.{name}")) if name in _KERAS_TOP_NAMES else None
    if module == "numpy":
        return Symbol(f"numpy.{name}")
    return None


def is_opaque_star(module: str) -> bool:
    """A star import that may bind any name (not a module whose names we know)."""
    return not (module == "keras" or module.startswith("keras.") or module == "numpy")


_IMPORT_FAILURES = frozenset({"ImportError", "ModuleNotFoundError", "Exception", "BaseException"})


def guarded_import_lines(tree: ast.Module) -> set[int]:
    """Lines of the imports a program expects may fail: inside a ``try`` whose handlers catch
    ImportError (or a base class of it), or one of the alternatives of an ``if``/``elif``/``else``
    chain where another branch imports the same name (one per Keras version)."""
    guarded: set[int] = set()
    for node in _statements(tree):
        if isinstance(node, (ast.Try, getattr(ast, "TryStar", ast.Try))) and any(
                _catches_import_error(h.type) for h in node.handlers):
            guarded.update(i.lineno for statement in node.body for i in _imports_in([statement]))
        elif isinstance(node, ast.If):
            branches = _if_chain(node)
            bound = [{name: i.lineno for i in _imports_in(b) for name in _bound_by(i)} for b in branches]
            for k, names in enumerate(bound):
                others = set().union(*(b for j, b in enumerate(bound) if j != k))
                guarded.update(line for name, line in names.items() if name in others)
    return guarded


# Statements that hold no statements (any other kind is searched for blocks).
_SIMPLE_STATEMENTS = frozenset({ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Expr, ast.Import, ast.ImportFrom,
                                ast.Return, ast.Pass, ast.Break, ast.Continue, ast.Delete, ast.Raise, ast.Assert,
                                ast.Global, ast.Nonlocal})


def _statements(tree: ast.Module) -> list[ast.stmt]:
    """Every statement of the tree, nested ones included (a walk that skips expressions)."""
    found: list[ast.stmt] = []
    stack = list(tree.body)
    while stack:
        node = stack.pop()
        found.append(node)
        if type(node) in _SIMPLE_STATEMENTS:
            continue
        for field in ("body", "orelse", "finalbody"):
            stack.extend(getattr(node, field, ()))
        for part in (*getattr(node, "handlers", ()), *getattr(node, "cases", ())):
            stack.extend(part.body)
    return found


def _catches_import_error(caught: ast.expr | None) -> bool:
    if caught is None:
        return True
    if isinstance(caught, ast.Tuple):
        return any(_catches_import_error(e) for e in caught.elts)
    name = caught.id if isinstance(caught, ast.Name) else caught.attr if isinstance(caught, ast.Attribute) else None
    return name in _IMPORT_FAILURES


def _if_chain(node: ast.If) -> list[list[ast.stmt]]:
    branches = [node.body]
    while len(node.orelse) == 1 and isinstance(node.orelse[0], ast.If):
        node = node.orelse[0]
        branches.append(node.body)
    if node.orelse:
        branches.append(node.orelse)
    return branches


def _imports_in(statements: list[ast.stmt]) -> list[ast.Import | ast.ImportFrom]:
    return [n for s in statements for n in ast.walk(s) if isinstance(n, (ast.Import, ast.ImportFrom))]


def _bound_by(node: ast.Import | ast.ImportFrom) -> list[str]:
    if isinstance(node, ast.Import):
        return [a.asname or a.name.split(".")[0] for a in node.names]
    return [a.asname or a.name for a in node.names]
