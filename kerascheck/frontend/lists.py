"""Python lists mutated where the interpreter cannot follow each item: they become uncounted.

A list the program builds (``xs = []``) is a Python list the interpreter mutates in place. When
it cannot tell how often, or whether, items were added (a loop over unknown data, a call it does
not follow, an append in a comprehension it cannot unroll), the list's items are replaced by one
``UnknownItems``: its length is unknown, so ``np.array(xs)`` has unknown samples, never ``(0,)``.
"""

from __future__ import annotations

import builtins
from typing import Any, Callable

import libcst as cst

from kerascheck.data.arrays import UnknownItems, uncounted
from kerascheck.frontend.imports import Symbol
from kerascheck.frontend.positions import children
from kerascheck.graph import UNKNOWN, Opaque

LIST_MUTATORS = frozenset({"append", "extend", "insert", "pop", "clear", "remove", "sort", "reverse"})
# Libraries whose functions never change the length of a list they are given.
_KEEPS_LISTS = ("keras", "tensorflow", "numpy", "sklearn", "pandas", "builtins")


class ListMethod:
    """``items.append`` of a list, waiting for its call."""

    def __init__(self, values: list[Any], name: str) -> None:
        self.values = values
        self.name = name


def given_to_call(func: Any, node: cst.Call, args: list[Any], kwargs: dict[str, Any]) -> None:
    """Lists handed to a call: uncounted if the callee may change them without our seeing it
    (``load_rows(xs)``), or gets one of their mutators (``map(xs.append, lines)``)."""
    for value in (*args, *kwargs.values()):
        if isinstance(value, ListMethod):
            value.values[:] = [uncounted(value.values)]
        elif isinstance(value, list) and _may_mutate(func, node):
            value[:] = [UnknownItems()]


def _may_mutate(func: Any, node: cst.Call) -> bool:
    """An unknown callee, or a library function outside the ones that never do (builtins included)."""
    if isinstance(func, Symbol):
        return func.qualname.split(".", 1)[0] not in _KEEPS_LISTS
    if func is UNKNOWN or isinstance(func, Opaque):
        return not (type(node.func) is cst.Name and hasattr(builtins, node.func.value))
    return False


def forget_mutations(node: cst.CSTNode, lookup: Callable[[str], Any]) -> None:
    """Lists an expression not evaluated item by item would mutate (``[xs.append(v) for v in
    rows]`` over unknown rows) are uncounted."""
    stack = [node]
    while stack:
        current = stack.pop()
        if type(current) is cst.Call and type(current.func) is cst.Attribute \
                and current.func.attr.value in LIST_MUTATORS and type(current.func.value) is cst.Name:
            values = lookup(current.func.value.value)
            if isinstance(values, list):
                values[:] = [UnknownItems()]
        stack.extend(children(current))
