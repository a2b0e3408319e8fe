"""Source positions of libcst nodes, one statement at a time, computed only when asked for.

Positions come from CPython's ast of the same statement. Most nodes are paired by walking both
trees at once through the kinds whose children correspond one to one (``pair_directly``); the
others by pairing the names, attributes, calls, subscripts, numbers and imports of both trees in
source order (``pair_nodes``). A pairing is used only when every pair agrees on kind and name.
Anything else (a node of another kind, a statement whose trees do not pair up) is found by
rendering that statement through libcst's ``PositionProvider``, which gives the same figures,
slower.
"""

from __future__ import annotations

import ast
import dataclasses
import re
from operator import attrgetter
from typing import Any

import libcst as cst

from kerascheck.graph import Position

_NEWLINE = re.compile(r"\r\n|\r|\n")


class SourceText:
    """The file's text by line: indentation, and CPython's UTF-8 byte columns as characters."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.ascii = text.isascii()
        self._line_starts: list[int] | None = None

    def line(self, number: int) -> str:
        """The text of 1-based line ``number`` (without its newline; empty past the end)."""
        starts = self._starts()
        if not 0 < number <= len(starts):
            return ""
        start = starts[number - 1]
        end = starts[number] if number < len(starts) else len(self.text)
        return self.text[start:end].rstrip("\r\n")

    def indentation(self, line: int, column: int) -> str:
        """The text before CPython column ``column`` of ``line`` if it is only whitespace, else ''."""
        if column == 0:
            return ""
        starts = self._starts()
        start = starts[line - 1] if line - 1 < len(starts) else 0
        prefix = self.text[start:start + column]
        return prefix if prefix.isspace() else ""

    def column(self, line: int, offset: int) -> int:
        """CPython's 0-based UTF-8 byte ``offset`` on ``line`` as a 0-based character column."""
        if self.ascii:
            return offset
        text = self.line(line)
        if text.isascii():
            return offset
        return len(text.encode("utf-8")[:offset].decode("utf-8", errors="replace"))

    def _starts(self) -> list[int]:
        if self._line_starts is None:
            self._line_starts = [0] + [m.end() for m in _NEWLINE.finditer(self.text)]
        return self._line_starts


class StatementPositions:
    """Positions of the nodes of one statement, computed once, only when one is asked for.

    The direct ast pairing, then the one in source order (see the module docstring), are tried
    first, each computed once and only when needed. The fallback renders the statement
    alone (inside an ``if _:`` block carrying its indentation when it is nested), so its cost is
    that statement's size, never the whole file's.
    """

    def __init__(self, node: cst.CSTNode, module: cst.Module, source: SourceText,
                 tree_node: ast.stmt | None = None, line: int = 1) -> None:
        """``tree_node`` is CPython's ast of the statement; without it nothing pairs, and ``line``
        is the statement's first line."""
        self.node = node
        self.module = module
        self.source = source
        self.tree_node = tree_node
        self._line = line
        self._direct: dict[int, Any] | None = None
        self._paired: dict[int, Any] | None = None
        self._positions: Any = None
        self._code_line = 1

    @property
    def first_line(self) -> int:
        """The statement's first line (its first decorator's, if it has any)."""
        tree_node = self.tree_node
        if tree_node is None:
            return self._line
        decorators = getattr(tree_node, "decorator_list", None)
        return decorators[0].lineno if decorators else tree_node.lineno

    @property
    def indent(self) -> str:
        """The whitespace before the statement on its line ('' at the top level)."""
        tree_node = self.tree_node
        return "" if tree_node is None else self.source.indentation(tree_node.lineno, tree_node.col_offset)

    def position(self, node: cst.CSTNode, start: cst.CSTNode | None = None) -> Position:
        """The 1-based range of ``node`` (starting at ``start`` if given), in file coordinates."""
        direct = self._direct if self._direct is not None else self._direct_pairing()
        end = direct.get(id(node))
        begin = direct.get(id(start)) if start is not None else end
        if begin is None or end is None:
            paired = self._paired if self._paired is not None else self._pairing()
            end = paired.get(id(node))
            begin = paired.get(id(start)) if start is not None else end
        if begin is not None and end is not None:
            if self.source.ascii:
                return Position(begin.lineno, begin.col_offset + 1, end.end_lineno, end.end_col_offset + 1)
            column = self.source.column
            return Position(begin.lineno, column(begin.lineno, begin.col_offset) + 1,
                            end.end_lineno, column(end.end_lineno, end.end_col_offset) + 1)
        return self._rendered(node, start)

    def _direct_pairing(self) -> dict[int, Any]:
        self._direct = {}
        if self.tree_node is not None:
            self._direct = pair_directly(self.node, self.tree_node)
        return self._direct

    def _pairing(self) -> dict[int, Any]:
        if self._paired is None:
            self._paired = {}
            if self.tree_node is not None:
                self._paired = pair_nodes(self.node, self.tree_node, self.source) or {}
        return self._paired

    def _rendered(self, node: cst.CSTNode, start: cst.CSTNode | None) -> Position:
        positions = self._resolve()
        begin = positions.get(start if start is not None else node)
        end = positions.get(node)
        if begin is None or end is None:
            return Position(self.first_line, 1, self.first_line, 1)
        shift = self.first_line - self._code_line
        return Position(begin.start.line + shift, begin.start.column + 1,
                        end.end.line + shift, end.end.column + 1)

    def _resolve(self) -> Any:
        if self._positions is None:
            from libcst.metadata import MetadataWrapper, PositionProvider

            statement: Any = self.node
            header = 0
            indent = self.indent
            if indent:
                block = cst.IndentedBlock(body=[statement], indent=indent)
                statement, header = cst.If(test=cst.Name("_"), body=block), 1
            mini = cst.Module(body=[statement], default_indent=self.module.default_indent,
                              default_newline=self.module.default_newline)
            self._code_line = header + len(getattr(self.node, "leading_lines", ())) + 1
            try:
                self._positions = _positions(MetadataWrapper(mini, unsafe_skip_copy=True), PositionProvider)
            except (RecursionError, cst.CSTValidationError):
                self._positions = {}
        return self._positions


def _positions(wrapper: Any, provider: Any) -> Any:
    # MetadataWrapper.resolve() also runs an (empty) batched visitor over every node, which costs
    # more than the positions themselves; the provider's own _gen does only the codegen pass.
    generate = getattr(provider(), "_gen", None)
    return generate(wrapper) if generate is not None else wrapper.resolve(provider)


# ---- pairing libcst nodes with CPython ast nodes ------------------------------------------------


def pair_nodes(statement: cst.CSTNode, tree_node: ast.stmt, source: SourceText) -> dict[int, ast.AST] | None:
    """id(libcst node) -> its ast node, for the statement's paired kinds; None if the trees disagree.

    Only the statement's own line is walked: the statements of an indented block below a
    compound statement's header are statements of their own. Of a line holding several ``;``
    statements, only the first is paired (``tree_node`` is that one).
    """
    if isinstance(statement, cst.SimpleStatementLine):
        statement = statement.body[0] if statement.body else statement
    ours = _cst_nodes(statement)
    theirs = _ast_nodes(tree_node, source)
    if len(ours) != len(theirs):
        return None
    kind_of, number_of, name_kind, attribute_kind = _AST_KIND_OF, _NUMBER_OF, cst.Name, cst.Attribute
    for node, tree in zip(ours, theirs):
        kind = type(node)
        if kind_of[kind] is not type(tree):
            return None
        if kind is name_kind:
            if node.value != tree.id:  # type: ignore[attr-defined]
                return None
        elif kind is attribute_kind:
            if node.attr.value != tree.attr:  # type: ignore[attr-defined]
                return None
        elif kind in number_of and number_of[kind] is not type(tree.value):  # type: ignore[attr-defined]
            return None
    paired: dict[int, Any] = dict(zip(map(id, ours), theirs))
    name = _definition_name(statement, tree_node)
    if name is not None:
        paired[id(statement.name)] = name  # type: ignore[attr-defined]
    return paired


def pair_directly(statement: cst.CSTNode, tree_node: ast.stmt) -> dict[int, ast.AST]:
    """id(libcst node) -> its ast node, for the nodes of the paired kinds that a walk of both
    trees at once reaches through kinds whose children correspond one to one (an expression or
    assignment statement, calls and their arguments, lists, tuples, attributes); {} if a pair
    disagrees. Nodes under other kinds are left to ``pair_nodes``.
    """
    if type(statement) is cst.SimpleStatementLine:
        statement = statement.body[0] if statement.body else statement
    kind = type(statement)
    tree_kind = type(tree_node)
    paired: dict[int, ast.AST] = {}
    stack: list[tuple[Any, Any]] = []
    if (kind is cst.Expr and tree_kind is ast.Expr) or (kind is cst.Return and tree_kind is ast.Return):
        if (statement.value is None) != (tree_node.value is None):  # type: ignore[attr-defined]
            return {}
        if statement.value is not None:  # type: ignore[attr-defined]
            stack.append((statement.value, tree_node.value))  # type: ignore[attr-defined]
    elif kind is cst.Assign and tree_kind is ast.Assign:
        if len(statement.targets) != len(tree_node.targets):  # type: ignore[attr-defined]
            return {}
        stack.extend(zip([target.target for target in statement.targets], tree_node.targets))  # type: ignore
        stack.append((statement.value, tree_node.value))  # type: ignore[attr-defined]
    elif (kind is cst.Import and tree_kind is ast.Import) or (kind is cst.ImportFrom and tree_kind is ast.ImportFrom):
        paired[id(statement)] = tree_node
    push, pop, number_of = stack.append, stack.pop, _NUMBER_OF
    while stack:
        node, tree = pop()
        kind, tree_kind = type(node), type(tree)
        if kind is cst.Name:
            if node.value in _CONSTANT_NAMES:
                if tree_kind is not ast.Constant:
                    return {}
            elif tree_kind is not ast.Name or node.value != tree.id:
                return {}
            else:
                paired[id(node)] = tree
        elif kind is cst.Attribute:
            if tree_kind is not ast.Attribute or node.attr.value != tree.attr:
                return {}
            paired[id(node)] = tree
            push((node.value, tree.value))
        elif kind is cst.Call:
            if tree_kind is not ast.Call or not _push_arguments(node, tree, push):
                return {}
            paired[id(node)] = tree
            push((node.func, tree.func))
        elif kind is cst.List or kind is cst.Tuple:
            if tree_kind is not _SEQUENCE_KIND_OF[kind] or len(node.elements) != len(tree.elts):
                return {}
            if kind is cst.List:
                paired[id(node)] = tree
            for element, item in zip(node.elements, tree.elts):
                if type(element) is cst.StarredElement:
                    if type(item) is not ast.Starred:
                        return {}
                    item = item.value
                push((element.value, item))
        elif kind in number_of:
            if tree_kind is not ast.Constant or number_of[kind] is not type(tree.value):
                return {}
            paired[id(node)] = tree
    return paired


_SEQUENCE_KIND_OF = {cst.List: ast.List, cst.Tuple: ast.Tuple}


def _push_arguments(node: cst.Call, tree: ast.Call, push: Any) -> bool:
    """Push each argument's value with its ast value; False if the arguments do not correspond."""
    positional, keywords = tree.args, tree.keywords
    p = k = 0
    for arg in node.args:
        if arg.keyword is None and arg.star != "**":
            if p == len(positional):
                return False
            item = positional[p]
            p += 1
            if arg.star == "*":
                if type(item) is not ast.Starred:
                    return False
                item = item.value
            push((arg.value, item))
        else:
            if k == len(keywords):
                return False
            keyword = keywords[k]
            k += 1
            if (arg.keyword.value if arg.keyword is not None else None) != keyword.arg:
                return False
            push((arg.value, keyword.value))
    return p == len(positional) and k == len(keywords)


class _Range:
    """A source range in CPython's terms, for a name that has no ast node of its own."""

    def __init__(self, line: int, start: int, end: int) -> None:
        self.lineno = self.end_lineno = line
        self.col_offset, self.end_col_offset = start, end


def _definition_name(statement: cst.CSTNode, tree_node: ast.stmt) -> _Range | None:
    """Where a class's or (non-async) function's name is: after its keyword and plain spaces."""
    if type(statement) is cst.ClassDef and isinstance(tree_node, ast.ClassDef):
        keyword, space = "class", statement.whitespace_after_class.value
    elif type(statement) is cst.FunctionDef and isinstance(tree_node, ast.FunctionDef) \
            and statement.asynchronous is None:
        keyword, space = "def", statement.whitespace_after_def.value
    else:
        return None
    if not space.isspace() or not space.isascii() or "\n" in space or "\r" in space:
        return None
    start = tree_node.col_offset + len(keyword) + len(space)
    return _Range(tree_node.lineno, start, start + len(statement.name.value.encode("utf-8")))


# Kinds whose source range CPython and libcst agree on (neither counts the parentheses around
# a node; both count a call's parenthesised callee). Tuples are left out: CPython's range of a
# parenthesised tuple includes its parentheses, and a subscript's `a, b` is a tuple only there.
_AST_KIND_OF = {cst.Name: ast.Name, cst.Attribute: ast.Attribute, cst.Call: ast.Call, cst.Subscript: ast.Subscript,
                cst.Integer: ast.Constant, cst.Float: ast.Constant, cst.Imaginary: ast.Constant, cst.List: ast.List,
                cst.Dict: ast.Dict, cst.Set: ast.Set, cst.BinaryOperation: ast.BinOp,
                cst.UnaryOperation: ast.UnaryOp, cst.Import: ast.Import, cst.ImportFrom: ast.ImportFrom}
_CST_KIND_SET = frozenset(_AST_KIND_OF)
_CONSTANT_NAMES = frozenset({"None", "True", "False"})  # ast.Constant, not ast.Name

# Children in source order where libcst's field order differs, or where some children have no
# ast node of their own (an attribute's name, a keyword's name, a parameter's name).
_CST_CHILDREN: dict[type, tuple[str, ...]] = {
    cst.Attribute: ("value",),
    cst.Arg: ("value",),
    cst.Param: ("annotation", "default"),
    cst.Parameters: ("posonly_params", "params", "star_arg", "kwonly_params", "star_kwarg"),
    cst.FunctionDef: ("decorators", "params", "returns", "body"),
    cst.ClassDef: ("decorators", "bases", "keywords", "body"),
    cst.IfExp: ("body", "test", "orelse"),
    cst.ExceptHandler: ("type", "body"),
    cst.ExceptStarHandler: ("type", "body"),
    cst.Match: ("subject",),
    cst.Name: (),
    cst.Integer: (),
    cst.Float: (),
    cst.Imaginary: (),
    cst.Import: (),
    cst.ImportFrom: (),
    cst.Global: (),
    cst.Nonlocal: (),
    cst.SimpleString: (),
    cst.FormattedString: (),
    cst.ConcatenatedString: (),
    cst.IndentedBlock: (),  # its statements are paired on their own
}
_SKIPPED_FIELDS = frozenset({"lpar", "rpar", "comma", "semicolon", "leading_lines", "lines_after_decorators",
                             "trailing_whitespace", "header", "footer", "operator", "dot", "equal", "colon",
                             "asynchronous", "lbracket", "rbracket", "lbrace", "rbrace", "first_colon",
                             "second_colon", "star", "type_parameters", "leading_whitespace"})


def _children_fields(kind: type) -> tuple[str, ...]:
    """The fields of a libcst node type to walk, in source order (anything else walks nothing)."""
    fields = _CST_CHILDREN.get(kind)
    if fields is None:
        fields = ()
        if isinstance(kind, type) and issubclass(kind, cst.CSTNode):
            fields = tuple(name for name in _field_names(kind)
                           if name not in _SKIPPED_FIELDS and not name.startswith("whitespace"))
        _CST_CHILDREN[kind] = fields
    return fields


# type -> (whether it is a paired kind, a getter of its walked fields' values or None, number of fields)
_CST_PLANS: dict[type, tuple[bool, Any, int]] = {}


def _cst_plan(kind: type) -> tuple[bool, Any, int]:
    fields = _children_fields(kind)
    plan = (kind in _CST_KIND_SET, attrgetter(*fields) if fields else None, len(fields))
    _CST_PLANS[kind] = plan
    return plan


def _cst_nodes(statement: cst.CSTNode) -> list[cst.CSTNode]:
    """The statement's nodes of the paired kinds, in source order (pre-order)."""
    # Types, not isinstance: CSTNode is an ABC, and its isinstance checks cost more than the walk.
    found: list[cst.CSTNode] = []
    stack: list[Any] = [statement]
    push, pop, extend, plans = stack.append, stack.pop, stack.extend, _CST_PLANS
    name_kind, constants = cst.Name, _CONSTANT_NAMES
    while stack:
        node = pop()
        kind = type(node)
        collect, children, count = plans.get(kind) or _cst_plan(kind)
        if collect and not (kind is name_kind and node.value in constants):
            found.append(node)
        if children is None:
            continue
        for value in reversed(children(node)) if count > 1 else (children(node),):
            if type(value) is tuple or type(value) is list:
                extend(reversed(value))
            elif value is not None:
                push(value)
    return found


def _ast_nodes(tree_node: ast.stmt, source: SourceText) -> list[ast.AST]:
    """The ast statement's nodes of the paired kinds, in source order (by start, outer first)."""
    # A pre-order walk in field order is already in source order unless a node's fields are not
    # in source order (see _AST_ORDERED); only then is the list sorted.
    found: list[ast.AST] = []
    stack: list[Any] = [tree_node]
    push, pop, extend, plans = stack.append, stack.pop, stack.extend, _AST_PLANS
    constant, statement, numbers = ast.Constant, ast.stmt, _NUMBERS
    ordered = True
    while stack:
        node = pop()
        kind = type(node)
        collect, children, count, reorders = plans.get(kind) or _ast_plan(kind)
        if collect and (kind is not constant or type(node.value) in numbers):
            found.append(node)
        if children is None:
            continue
        if reorders:
            ordered = False
        for value in reversed(children(node)) if count > 1 else (children(node),):
            if type(value) is list:
                if value and isinstance(value[0], statement) and _indented_block(node, value, source):
                    continue
                extend(reversed(value))
            elif value is not None:
                push(value)
    if not ordered:
        found.sort(key=_source_order)
    return found


_AST_KINDS = frozenset(_AST_KIND_OF.values())
_AST_LEAVES = frozenset({ast.Name, ast.Constant, ast.Import, ast.ImportFrom, ast.JoinedStr, ast.Global,
                         ast.Nonlocal})
_AST_SKIPPED_FIELDS = frozenset({"ctx", "op", "ops", "type_comment", "id", "attr", "arg", "name", "names",
                                 "module", "level", "kind", "is_async", "conversion", "simple", "value_str"})
_NUMBERS = frozenset({int, float, complex})


# Kinds whose walked fields are in source order, each inside its node's range. Any other kind
# with children (a dict's keys then values, an if-expression's test first, a function's
# decorators last, parameters' defaults apart from them, kinds newer Pythons add) has the
# statement's nodes sorted. A starred value is not listed: ``f(k=1, *rest)`` puts a call's
# keyword before its positional argument.
_AST_ORDERED = frozenset({
    ast.Return, ast.Delete, ast.Assign, ast.AugAssign, ast.AnnAssign, ast.For, ast.AsyncFor, ast.While,
    ast.If, ast.With, ast.AsyncWith, ast.Raise, ast.Try, ast.Assert, ast.Expr, ast.BoolOp, ast.NamedExpr,
    ast.BinOp, ast.UnaryOp, ast.Set, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp, ast.Await,
    ast.Yield, ast.YieldFrom, ast.Compare, ast.Call, ast.Attribute, ast.Subscript, ast.List, ast.Tuple,
    ast.Slice, ast.comprehension, ast.ExceptHandler, ast.keyword, ast.withitem, ast.Match})
_AST_PLANS: dict[type, tuple[bool, Any, int, bool]] = {
    ast.Match: (False, attrgetter("subject"), 1, False),  # case patterns bind names: not paired
}


def _ast_plan(kind: type) -> tuple[bool, Any, int, bool]:
    """(whether it is a paired kind, a getter of its walked fields' values or None, number of
    fields, whether a node of it may hold its fields out of source order)."""
    fields: tuple[str, ...] = ()
    if kind not in _AST_LEAVES and isinstance(kind, type) and issubclass(kind, ast.AST):
        fields = tuple(name for name in kind._fields if name not in _AST_SKIPPED_FIELDS)
    reorders = bool(fields) and kind not in _AST_ORDERED
    plan = (kind in _AST_KINDS, attrgetter(*fields) if fields else None, len(fields), reorders)
    _AST_PLANS[kind] = plan
    return plan


def _indented_block(owner: ast.AST, body: list[ast.stmt], source: SourceText) -> bool:
    """Whether ``body`` is an indented block (not a one-line suite, nor the ``elif`` of an ``if``)."""
    first = body[0]
    if type(owner) is ast.If and body is owner.orelse and isinstance(first, ast.If) \
            and source.line(first.lineno).startswith("elif", first.col_offset):
        return False  # the byte offset is a character offset here: only whitespace precedes it
    return bool(source.indentation(first.lineno, first.col_offset)) or first.col_offset == 0


def _source_order(node: Any) -> tuple[int, int, int, int]:
    return node.lineno, node.col_offset, -node.end_lineno, -node.end_col_offset


_NUMBER_OF = {cst.Integer: int, cst.Float: float, cst.Imaginary: complex}


# ---- a fast libcst walk --------------------------------------------------------------------------

_ALL_FIELDS: dict[type, Any] = {}
_IS_NODE: dict[type, bool] = {}


def _field_names(kind: type) -> tuple[str, ...]:
    """A libcst node type's dataclass fields, without pseudo-fields (its ``__slots__`` ClassVar)."""
    return tuple(field.name for field in dataclasses.fields(kind)) if dataclasses.is_dataclass(kind) else ()


def _is_node(kind: type) -> bool:
    found = _IS_NODE.get(kind)
    if found is None:
        found = _IS_NODE[kind] = isinstance(kind, type) and issubclass(kind, cst.CSTNode)
    return found


def children(node: cst.CSTNode) -> list[cst.CSTNode]:
    """The nodes directly under ``node``: those of ``node.children`` (which runs a visitor), faster."""
    kind = type(node)
    plan = _ALL_FIELDS.get(kind)
    if plan is None:
        fields = _field_names(kind)
        plan = _ALL_FIELDS[kind] = (attrgetter(*fields) if fields else None, len(fields) == 1)
    getter, single = plan
    if getter is None:
        return []
    found: list[cst.CSTNode] = []
    for value in (getter(node),) if single else getter(node):
        value_kind = type(value)
        if value_kind is tuple or value_kind is list:
            found.extend(item for item in value if _IS_NODE.get(type(item)) or _is_node(type(item)))
        elif _IS_NODE.get(value_kind) or _is_node(value_kind):
            found.append(value)
    return found
