"""Positions taken from CPython's ast equal libcst's own (PositionProvider), node for node."""

from __future__ import annotations

import ast
from pathlib import Path

import libcst as cst
import pytest

from kerascheck import check_source
from kerascheck.frontend.execute import statement_pairs
from kerascheck.frontend.interpreter import Interpreter
from kerascheck.frontend.positions import SourceText, children, pair_directly, pair_nodes

ROOT = Path(__file__).resolve().parents[2]

# Constructs where CPython's and libcst's trees or ranges differ, or the walk order could.
TRICKY = '''\
import os, sys as system; from keras import layers as L
from keras.layers import (Dense,
    LSTM)
x = (f)(a, (b)); y = ((1, 2)); z = a.b[ (c) ]
w = (a).b(c)[d](e)
v = [(1, 2)], {1: (k), **rest}, {s, t}, -1, +2.5, 3j, not q, ~r
u = f(*a, k=1, *b, **c); t = x[1:2, ::3], x[(1, 2)], x[1, 2]
s = a if f(b) else g(c)
r = [f(i) for i in g(j) if h(i)] + list(f(i) for i in k)
q = {k: f(v) for k, v in d.items()}
p = lambda a, b=f(1), *c, d=g(2), **e: a
o = f"{f(x)!r:>{width}} and {g(y)}" "plain" + 'x' "y"
n = None if True else False
m = (yield_ := f(1))
l = 1 if a < b < c else 2
del a, b[0], c.d
assert f(x), g("message")
café = "été" + f("ü", g(é)); x = Dense(3, name="ñandú")(y)
kk = {"ü": layers.Dense(4)}["ü"]
a = \\
    layers.Dense(5)(
        x)


@decorator(f(1))
@other.decorator
class Model(Base, keras.Model, metaclass=Meta):
    """Doc."""

    units = Dense(3)

    def __init__(self, a: int = f(1), /, b: list[int] = [g(2)], *, c=h(3), **kw) -> Dense:
        super().__init__(**kw)
        self.d = layers.Dense(a)

    async def call(self, x):
        return await self.d(x)


class  Spaced  : x = f(1)
def  spaced  (a=f(2)): return g(a)


if f(1):
    a = f(2)
elif g(3): b = h(4)
elif k(5):
    pass
else:
    if m(6):
        c = n(7)
for i, (j, k) in enumerate(f(1)):
    g(i)
else: h(2)
while f(1): g(2)
with f(1) as (a, b), g(2) as c:
    h(3)
try:
    f(1)
except (E, F) as e:
    g(e)
except G: h(1)
else:
    k(1)
finally: m(1)
match f(x):
    case [1, Point(x=0)] if g(1):
        h(1)
    case {"k": v, **rest}:
        k(v)
    case _:
        pass
global_var = 1
def outer():
    global global_var
    def inner():
        nonlocal_var = 1
        def innermost():
            nonlocal nonlocal_var
            raise f(1) from g(2)
    yield from f(1)
def tabbed():
\tif f(1):
\t\treturn g(2)
'''


def _statements(module: cst.Module, tree: ast.Module):
    """Every statement the interpreter pairs with an ast statement, nested ones too."""
    found = []

    def suite(block, body):
        if isinstance(block, cst.IndentedBlock):
            for node, tree_node in statement_pairs(block.body, body):
                found.append((node, tree_node))
                blocks(node, tree_node)

    def blocks(node, tree_node):
        if isinstance(node, (cst.If, cst.For, cst.While, cst.With, cst.Try, cst.FunctionDef, cst.ClassDef)):
            suite(node.body, tree_node.body)
        if isinstance(node, cst.Try):
            for handler, tree_handler in zip(node.handlers, tree_node.handlers):
                suite(handler.body, tree_handler.body)
            if node.finalbody is not None:
                suite(node.finalbody.body, tree_node.finalbody)
        if isinstance(node, cst.Match):
            for case, tree_case in zip(node.cases, tree_node.cases):
                suite(case.body, tree_case.body)
        orelse = getattr(node, "orelse", None)
        if isinstance(orelse, cst.If):  # elif: part of this statement, with blocks of its own
            blocks(orelse, tree_node.orelse[0])
        elif orelse is not None:
            suite(orelse.body, tree_node.orelse)

    suite(cst.IndentedBlock(body=module.body), tree.body)
    return found


def _own_nodes(statement: cst.CSTNode):
    """The statement's nodes outside the indented blocks below it."""
    stack = [statement]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(child for child in node.children if not isinstance(child, cst.IndentedBlock))


def _compare(text: str) -> tuple[int, int]:
    """Assert every node's position equals the rendering's; (nodes answered from the ast, all nodes)."""
    module, tree = cst.parse_module(text), ast.parse(text)
    interpreter = Interpreter(module, text, set)
    from_ast = total = 0
    for statement, tree_node in _statements(module, tree):
        context = interpreter.context(statement, tree_node)
        paired = context._pairing()
        for node in _own_nodes(statement):
            starts = [None, node.func] if isinstance(node, cst.Call) else [None]
            for start in starts:
                expected = context._rendered(node, start)
                assert context.position(node, start) == expected, (node, start, tree_node.lineno)
                total += 1
                from_ast += id(node) in paired
    return from_ast, total


def test_tricky_constructs_give_libcst_positions():
    from_ast, total = _compare(TRICKY)
    assert from_ast > 250  # the ast answered most of them; the rest fell back to rendering


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_other_newlines(newline):
    from_ast, _ = _compare(TRICKY.replace("\n", newline))
    assert from_ast > 250


def test_every_tricky_statement_pairs():
    module, tree = cst.parse_module(TRICKY), ast.parse(TRICKY)
    source = SourceText(TRICKY)
    unpaired = [tree_node.lineno for statement, tree_node in _statements(module, tree)
                if pair_nodes(statement, tree_node, source) is None]
    assert unpaired == []


def test_direct_pairing_is_a_part_of_the_full_pairing():
    texts = [TRICKY] + [path.read_text(encoding="utf-8") for path in sorted((ROOT / "fixtures").rglob("*.py"))]
    direct = 0
    for text in texts:
        try:
            tree = ast.parse(text)
        except SyntaxError:
            continue  # the KC001 fixtures
        module, source = cst.parse_module(text), SourceText(text)
        for statement, tree_node in _statements(module, tree):
            found = pair_directly(statement, tree_node)
            if found:
                full = pair_nodes(statement, tree_node, source)
                assert full is not None and all(full.get(k) is v for k, v in found.items()), tree_node.lineno
                direct += len(found)
    assert direct > 2_000


def test_fixture_files_give_libcst_positions():
    answered = 0
    for path in sorted((ROOT / "fixtures").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        try:
            ast.parse(text)
        except SyntaxError:
            continue  # the KC001 fixtures
        answered += _compare(text)[0]
    assert answered > 2_000


@pytest.mark.parametrize("line", [
    'model = models.Sequential([layers.Dense(0, name="ñandú"), layers.Dense(0, name="ü")]); café = "é"',
    'café = "ünïcödé"; model = models.Sequential([layers.Dense(0, name="ñandú"), layers.Dense(0, name="ü")])',
])
def test_columns_are_characters_after_non_ascii_text(line):
    result = check_source(f"from keras import layers, models\n{line}\n", "m.py")
    found = [(d.position.line, d.position.column, d.position.end_column) for d in result.diagnostics
             if d.code == "KC301"]
    first = line.index("layers.Dense")
    second = line.index("layers.Dense", first + 1)
    assert found == [(2, first + 1, line.index(")", first) + 2), (2, second + 1, line.index(")", second) + 2)]


def test_children_are_libcsts_children():
    module = cst.parse_module(TRICKY)
    stack = [module]
    while stack:
        node = stack.pop()
        assert sorted(map(id, children(node))) == sorted(map(id, node.children)), type(node)
        stack.extend(node.children)
