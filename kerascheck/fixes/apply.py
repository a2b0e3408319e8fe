"""Apply fixes to source text with libcst, keeping every byte outside the edited nodes.

Only ``--fix`` and ``--diff`` come here, so a whole-tree position pass is affordable. Each edit
finds its call by position. Two fixes conflict when they touch the same part of a call (the same
argument, or a layer inserted on the same side of it): the later one is skipped with a reason
instead of guessing. Equal fixes (two diagnostics, one repair) are made once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Sequence

import libcst as cst
from libcst.metadata import MetadataWrapper, ParentNodeProvider, PositionProvider

from kerascheck.repairs import (
    Edit,
    ExtendTuple,
    Fix,
    GroupKeywords,
    GroupPositional,
    InsertLayer,
    MoveKeywordToInput,
    RemoveKeyword,
    RemoveLayer,
    RenameKeyword,
    RenameMethod,
    ReplaceArgument,
    ReplaceLayer,
    SetKeyword,
    UnwrapLayer,
    UnwrapWith,
)
from kerascheck.graph import Position


@dataclass
class FixOutcome:
    """The new text, the fixes made, and the fixes skipped with why."""

    text: str
    applied: list[Fix] = field(default_factory=list)
    skipped: list[tuple[Fix, str]] = field(default_factory=list)


class _Index:
    """Calls by start position, parents, and the module's layer-import statements."""

    def __init__(self, module: cst.Module) -> None:
        wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
        positions = wrapper.resolve(PositionProvider)
        self.parents = wrapper.resolve(ParentNodeProvider)
        self.calls: dict[tuple[int, int], cst.Call] = {}
        for node, where in positions.items():
            if isinstance(node, cst.Call) and not isinstance(node.func, cst.Call):
                self.calls.setdefault((where.start.line, where.start.column + 1), node)
        self.imports = [n for n in positions if isinstance(n, cst.ImportFrom)]
        quotes = [n.quote for n in positions if isinstance(n, cst.SimpleString) and n.quote in ('"', "'")]
        self.quote = max(("'", '"'), key=quotes.count)  # the file's usual quote, for new strings

    def call_at(self, position: Position) -> cst.Call | None:
        return self.calls.get((position.line, position.column))


def apply_fixes(text: str, fixes: list[Fix]) -> FixOutcome:
    """Make every applicable fix; a fix touching what another already changes is skipped."""
    module = cst.parse_module(text)
    index = _Index(module)
    staged = _Staged()
    outcome = FixOutcome(text)
    touched: set[tuple[int, str]] = set()

    for fix in dict.fromkeys(fixes):
        targets = [index.call_at(edit.target) for edit in fix.edits]
        if any(t is None for t in targets):
            outcome.skipped.append((fix, "the code it applies to was not found"))
            continue
        keys = {(id(_owner(index, t)), part) for edit, t in zip(fix.edits, targets) for part in _parts(edit, t)}
        if _overlap(keys, touched):
            outcome.skipped.append((fix, "another fix already changes the same part of the call"))
            continue
        plan = _Plan(index)
        try:
            for edit, target in zip(fix.edits, targets):
                plan.edit(edit, target)
        except _CannotFix as reason:
            outcome.skipped.append((fix, str(reason)))
            continue
        staged.merge(plan.staged)
        touched |= keys
        outcome.applied.append(fix)

    if outcome.applied:
        outcome.text = module.visit(_Rewriter(staged)).code
    return outcome


class _CannotFix(Exception):
    """The fix's shape in this source is one we do not rewrite (the user is told why)."""


WHOLE = "whole"  # the part of a call an edit changes when it removes or replaces the call


def _overlap(keys: set[tuple[int, str]], touched: set[tuple[int, str]]) -> bool:
    """Whether two sets of (call, part) keys change the same part of a call; a call changed
    ``whole`` (a layer removed or replaced) overlaps any change of that call."""
    whole = {owner for owner, part in keys | touched if part == WHOLE}
    both = {owner for owner, _ in keys} & {owner for owner, _ in touched}
    return bool(keys & touched or both & whole)


def _parts(edit: Edit, call: cst.Call) -> list[str]:
    """What of a call an edit changes: its arguments by name (positional ones by index, and by
    the name they may bind), the places before/after it where layers are inserted, or all of
    it (``WHOLE``)."""
    if isinstance(edit, (RemoveLayer, ReplaceLayer, UnwrapLayer, UnwrapWith)):
        return [WHOLE]
    if isinstance(edit, SetKeyword):
        return [f"argument {edit.name}"]
    if isinstance(edit, RenameKeyword):
        return [f"argument {edit.old}", f"argument {edit.new}"]
    if isinstance(edit, (ReplaceArgument, ExtendTuple)):
        return [f"argument {edit.name}", f"position {edit.index}"]
    if isinstance(edit, InsertLayer):
        return ["after" if edit.after else "before"]
    if isinstance(edit, RemoveKeyword):
        return [f"argument {edit.name}"]
    if isinstance(edit, GroupKeywords):
        return [f"argument {name}" for name in (*edit.names, edit.name)]
    if isinstance(edit, GroupPositional):
        return [f"position {i}" for i in range(edit.start, len(call.args))]
    if isinstance(edit, RenameMethod):
        return ["method", *(f"argument {a.keyword.value}" for a in call.args if a.keyword is not None),
                *(f"position {i}" for i in range(len(call.args)))]
    moved = (edit.name, *edit.also, *(("batch_size",) if edit.batch_size else ()))
    return [f"argument {name}" for name in moved] + ["before"]


def _owner(index: _Index, call: cst.Call) -> cst.CSTNode:
    """The node two fixes must not both edit: the layer call (its functional call if any)."""
    parent = index.parents.get(call)
    return parent if isinstance(parent, cst.Call) and parent.func is call else call


def _expression(code: str) -> cst.BaseExpression:
    return cst.parse_expression(code)


def _code(node: cst.CSTNode) -> str:
    return cst.Module(body=[]).code_for_node(node)


def _spelling(call: cst.Call) -> tuple[str, str | None]:
    """How the neighbouring layer is written: its module prefix (``layers.``) and bare name."""
    func = call.func
    if isinstance(func, cst.Name):
        return "", func.value
    if isinstance(func, cst.Attribute):
        return _code(func.value) + ".", None
    raise _CannotFix("the layer is not called by name")


Op = Callable[[cst.CSTNode], cst.CSTNode]


@dataclass
class _Staged:
    """Rewrites keyed by original node, applied bottom-up to the already-rewritten node, so
    edits of a node and of its children compose."""

    ops: dict[cst.CSTNode, list[Op]] = field(default_factory=dict)
    list_inserts: dict[cst.CSTNode, list[tuple[int, bool, cst.BaseExpression]]] = field(default_factory=dict)
    list_removals: dict[cst.CSTNode, set[int]] = field(default_factory=dict)
    statements: dict[cst.CSTNode, list[tuple[bool, cst.BaseStatement]]] = field(default_factory=dict)
    imports: dict[cst.CSTNode, list[str]] = field(default_factory=dict)

    def merge(self, other: _Staged) -> None:
        for mine, theirs in ((self.ops, other.ops), (self.list_inserts, other.list_inserts),
                             (self.statements, other.statements)):
            for key, items in theirs.items():
                mine.setdefault(key, []).extend(items)
        for key, removed in other.list_removals.items():
            self.list_removals.setdefault(key, set()).update(removed)
        for key, names in other.imports.items():
            known = self.imports.setdefault(key, [])
            known.extend(n for n in names if n not in known)


class _Plan:
    """The edits of one fix, staged so that a fix applies whole or not at all."""

    def __init__(self, index: _Index) -> None:
        self.index = index
        self.staged = _Staged()

    def op(self, node: cst.CSTNode, op: Op) -> None:
        self.staged.ops.setdefault(node, []).append(op)

    def edit(self, edit: Edit, call: cst.Call) -> None:
        if isinstance(edit, SetKeyword):
            value = _same_quotes(cst.SimpleString(self.index.quote * 2), _expression(edit.code))
            self.op(call, lambda c: c.with_changes(args=_with_keyword(c, edit.name, value)))
        elif isinstance(edit, RenameKeyword):
            if not _keyword(call, edit.old):
                raise _CannotFix(f"{edit.old}= is not written in the call")
            self.op(call, lambda c: c.with_changes(args=[
                a.with_changes(keyword=cst.Name(edit.new)) if _is_keyword(a, edit.old) else a for a in c.args]))
        elif isinstance(edit, (ReplaceArgument, ExtendTuple)):
            self._replace_argument(call, edit)
        elif isinstance(edit, InsertLayer):
            self._insert_layer(call, edit.layer, edit.after)
        elif isinstance(edit, RemoveLayer):
            self._remove_layer(call)
        elif isinstance(edit, ReplaceLayer):
            new_layer = self._new_layer(call, edit.layer)
            self.op(call, lambda c: new_layer)
        elif isinstance(edit, UnwrapLayer):
            if _wrapped(call) is None:
                raise _CannotFix("the wrapped layer is not written in the call")
            self.op(call, lambda c: _wrapped(c).value)
        elif isinstance(edit, UnwrapWith):
            self._unwrap_with(call)
        elif isinstance(edit, MoveKeywordToInput):
            names = (*edit.also, edit.name)
            moved = [_keyword(call, name) for name in names]
            if any(m is None for m in moved):
                raise _CannotFix(f"{', '.join(n + '=' for n in names)} not all written in the call")
            value = ", ".join(_code(m.value) for m in moved)
            if edit.as_tuple:
                value = f"({value},)" if len(moved) == 1 else f"({value})"
            if edit.batch_size:
                size = _keyword(call, "batch_size")
                if size is None:
                    raise _CannotFix("batch_size= is not written in the call")
                names, value = (*names, "batch_size"), f"{value}, batch_size={_code(size.value)}"
            self._drop_keywords(call, names)
            self._insert_layer(call, f"Input({edit.input_keyword}={value})", after=False)
        elif isinstance(edit, RemoveKeyword):
            if not _keyword(call, edit.name):
                raise _CannotFix(f"{edit.name}= is not written in the call")
            self._drop_keywords(call, (edit.name,))
        elif isinstance(edit, RenameMethod):
            self._rename_method(call, edit)
        elif isinstance(edit, GroupPositional):
            self._group_positional(call, edit)
        elif isinstance(edit, GroupKeywords):
            grouped = [_keyword(call, name) for name in edit.names]
            if any(a is None for a in grouped) or _keyword(call, edit.name):
                raise _CannotFix(f"{', '.join(n + '=' for n in edit.names)} not all written, or {edit.name}= is")
            value = _expression("(" + ", ".join(_code(a.value) for a in grouped) + ")")
            first, rest = edit.names[0], edit.names[1:]  # the tuple takes the first one's place
            self.op(call, lambda c: c.with_changes(args=_fix_commas(c, [
                a.with_changes(keyword=cst.Name(edit.name), value=value) if _is_keyword(a, first) else a
                for a in c.args if not any(_is_keyword(a, n) for n in rest)])))

    def _group_positional(self, call: cst.Call, edit: GroupPositional) -> None:
        positional = [a for a in call.args if a.keyword is None and not a.star]
        if any(a.star for a in call.args) or len(positional) < edit.start + edit.count:
            raise _CannotFix("the arguments to group are not written positionally")
        end = edit.start + edit.count

        def group(c: cst.Call) -> cst.Call:
            grouped = list(c.args[edit.start:end])
            between = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
            elements = [cst.Element(a.value, comma=between if i < len(grouped) - 1 else cst.MaybeSentinel.DEFAULT)
                        for i, a in enumerate(grouped)]
            # the last grouped argument's ending (its space before a ')', its comma) stays
            first = grouped[0].with_changes(value=cst.Tuple(elements), comma=grouped[-1].comma,
                                            whitespace_after_arg=grouped[-1].whitespace_after_arg)
            return c.with_changes(args=[*c.args[:edit.start], first, *c.args[end:]])

        self.op(call, group)

    def _drop_keywords(self, call: cst.Call, names: Sequence[str]) -> None:
        self.op(call, lambda c: c.with_changes(
            args=_fix_commas(c, [a for a in c.args if not any(_is_keyword(a, n) for n in names)])))

    def _rename_method(self, call: cst.Call, edit: RenameMethod) -> None:
        if not isinstance(call.func, cst.Attribute):
            raise _CannotFix("the method is not called as an attribute")
        if any(a.star for a in call.args):
            raise _CannotFix("the call unpacks its arguments (* or **)")
        if sum(a.keyword is None for a in call.args) > len(edit.positional):
            raise _CannotFix("the call has more positional arguments than the method takes")
        renamed = dict(edit.keywords)
        no_space = cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace(""))

        def argument(i: int, arg: cst.Arg) -> cst.Arg:
            if arg.keyword is None:  # positional arguments come first: i is its place
                return arg if i == 0 else arg.with_changes(keyword=cst.Name(edit.positional[i]), equal=no_space)
            if arg.keyword.value in renamed:
                return arg.with_changes(keyword=cst.Name(renamed[arg.keyword.value]))
            return arg

        def rename(c: cst.Call) -> cst.Call:
            kept = [argument(i, a) for i, a in enumerate(c.args)]
            kept = [a for a in kept if a.keyword is None or a.keyword.value not in edit.dropped]
            return c.with_changes(func=c.func.with_changes(attr=cst.Name(edit.new)),
                                  args=_fix_commas(c, kept))

        self.op(call, rename)

    def _replace_argument(self, call: cst.Call, edit: ReplaceArgument | ExtendTuple) -> None:
        positional = [i for i, a in enumerate(call.args) if a.keyword is None and not a.star]
        for i, arg in enumerate(call.args):
            by_name = edit.name is not None and _is_keyword(arg, edit.name)
            by_index = edit.index is not None and edit.index < len(positional) and positional[edit.index] == i
            if by_name or by_index:
                value = _extended(arg.value, edit.code) if isinstance(edit, ExtendTuple) else \
                    _same_quotes(arg.value, _expression(edit.code))
                self.op(call, lambda c, i=i: c.with_changes(
                    args=[a.with_changes(value=value) if j == i else a for j, a in enumerate(c.args)]))
                return
        raise _CannotFix("the argument to replace is not written in the call")

    def _new_layer(self, neighbour: cst.Call, layer: str) -> cst.BaseExpression:
        """``layer`` spelled like ``neighbour`` (``layers.X()`` or ``X()`` imported beside it)."""
        prefix, bare = _spelling(neighbour)
        if bare is not None:
            self._import_beside(bare, layer.split("(", 1)[0])
        return _expression(prefix + layer)

    def _insert_layer(self, call: cst.Call, layer: str, after: bool) -> None:
        new_layer = self._new_layer(call, layer)
        parent = self.index.parents.get(call)
        if isinstance(parent, cst.Element):
            container = self.index.parents.get(parent)
            if not isinstance(container, (cst.List, cst.Tuple)):
                raise _CannotFix("the layer list is not a literal list")
            position = list(container.elements).index(parent)
            self.staged.list_inserts.setdefault(container, []).append((position, after, new_layer))
        elif isinstance(parent, cst.Arg) and self._is_add_argument(parent):
            self._insert_add_statement(parent, new_layer, after)
        elif isinstance(parent, cst.Call) and parent.func is call:
            if after:
                self.op(parent, lambda c: cst.Call(func=new_layer, args=[cst.Arg(value=c)]))
            elif len(parent.args) != 1:
                raise _CannotFix("the layer is called on more than one tensor")
            else:
                self.op(parent, lambda c: c.with_changes(args=[c.args[0].with_changes(
                    value=cst.Call(func=new_layer, args=[cst.Arg(value=c.args[0].value)]))]))
        else:
            raise _CannotFix("the layer is not in a Sequential list, an .add call or a call chain")

    def _remove_layer(self, call: cst.Call) -> None:
        parent = self.index.parents.get(call)
        if isinstance(parent, cst.Element):
            container = self.index.parents.get(parent)
            if not isinstance(container, (cst.List, cst.Tuple)) or len(container.elements) < 2:
                raise _CannotFix("the layer list is not a literal list of several layers")
            self.staged.list_removals.setdefault(container, set()).add(list(container.elements).index(parent))
        elif isinstance(parent, cst.Arg) and self._is_add_argument(parent):
            self.op(self._add_statement(parent), lambda line: cst.RemoveFromParent())
        elif isinstance(parent, cst.Call) and parent.func is call:
            if len(parent.args) != 1 or parent.args[0].keyword is not None or parent.args[0].star:
                raise _CannotFix("the layer is not called on one tensor alone")
            self.op(parent, lambda c: c.args[0].value)  # y = Pool(4)(x) -> y = x
        else:
            raise _CannotFix("the layer is not in a Sequential list, an .add call or a call chain")

    def _unwrap_with(self, call: cst.Call) -> None:
        item = self.index.parents.get(call)
        statement = self.index.parents.get(item)
        if not isinstance(item, cst.WithItem) or item.asname is not None or not isinstance(statement, cst.With) \
                or len(statement.items) != 1 or statement.asynchronous is not None:
            raise _CannotFix("the call is not the only item of a with statement")
        if isinstance(statement.body, cst.IndentedBlock) and any(line.comment for line in statement.body.footer):
            raise _CannotFix("comments end the with block")
        self.op(statement, _unwrapped)

    def _is_add_argument(self, arg: cst.Arg) -> bool:
        add = self.index.parents.get(arg)
        return (isinstance(add, cst.Call) and isinstance(add.func, cst.Attribute)
                and add.func.attr.value == "add")

    def _add_statement(self, arg: cst.Arg) -> cst.SimpleStatementLine:
        """The line of the ``.add(...)`` call whose argument is ``arg``, if it has no other statement."""
        node: cst.CSTNode | None = self.index.parents.get(arg)
        while node is not None and not isinstance(node, cst.SimpleStatementLine):
            node = self.index.parents.get(node)
        if node is None or len(node.body) != 1:
            raise _CannotFix("the .add call does not stand on its own line")
        return node

    def _insert_add_statement(self, arg: cst.Arg, new_layer: cst.BaseExpression, after: bool) -> None:
        add = self.index.parents.get(arg)
        statement = cst.SimpleStatementLine(body=[cst.Expr(add.with_changes(args=[cst.Arg(value=new_layer)]))])
        self.staged.statements.setdefault(self._add_statement(arg), []).append((after, statement))

    def _import_beside(self, neighbour: str, name: str) -> None:
        """Import ``name`` in the from-import that brings in ``neighbour``, unless a from-import
        already binds it; a neighbour that no from-import binds (nor a keras star import) is
        not one we can follow."""
        named = [n for n in self.index.imports if not isinstance(n.names, cst.ImportStar)]
        if any(name == (a.evaluated_alias or a.evaluated_name) for n in named for a in n.names):
            return
        for node in named:
            if any(neighbour == (a.evaluated_alias or a.evaluated_name) for a in node.names):
                self.staged.imports.setdefault(node, []).append(name)
                return
        stars = [n for n in self.index.imports if isinstance(n.names, cst.ImportStar)]
        if not any("keras" in _code(n.module) for n in stars if n.module is not None):
            raise _CannotFix(f"{neighbour} is not imported by name, so {name} cannot be imported beside it")


def _wrapped(wrapper: cst.Call) -> cst.Arg | None:
    """The argument of a wrapper's call that constructs the wrapped layer (``layer=``, or the first)."""
    found = _keyword(wrapper, "layer") or next((a for a in wrapper.args if a.keyword is None and not a.star), None)
    return found if found is not None and isinstance(found.value, cst.Call) else None


def _unwrapped(statement: cst.With) -> cst.FlattenSentinel:
    """A ``with`` statement's body in its place, one level out; the comments before the
    statement and on its header line stay, above the body."""
    body = statement.body
    if isinstance(body, cst.SimpleStatementSuite):  # with x: stmt
        statements, comment = [cst.SimpleStatementLine(body=body.body)], body.trailing_whitespace.comment
    else:
        statements, comment = list(body.body), body.header.comment
    lines = [*statement.leading_lines, *([cst.EmptyLine(comment=comment)] if comment else [])]
    statements[0] = statements[0].with_changes(leading_lines=[*lines, *statements[0].leading_lines])
    return cst.FlattenSentinel(statements)


def _extended(value: cst.BaseExpression, code: str) -> cst.Tuple:
    """``(28, 28)`` -> ``(28, 28, 1)``, keeping how the existing elements are written."""
    if not isinstance(value, cst.Tuple) or not value.elements:
        raise _CannotFix("the shape is not written as a tuple")
    elements = list(value.elements)
    last = elements[-1]
    between = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    elements[-1] = last.with_changes(comma=between)
    ending = last.comma if len(elements) > 1 else cst.MaybeSentinel.DEFAULT
    return value.with_changes(elements=[*elements, cst.Element(_expression(code), comma=ending)])


def _same_quotes(old: cst.BaseExpression, new: cst.BaseExpression) -> cst.BaseExpression:
    """A string replacing a string keeps the user's quote character."""
    if isinstance(old, cst.SimpleString) and isinstance(new, cst.SimpleString):
        quote = old.quote
        if quote in ('"', "'") and not old.prefix and quote not in new.evaluated_value:
            return new.with_changes(value=f"{quote}{new.evaluated_value}{quote}")
    return new


def _is_keyword(arg: cst.Arg, name: str) -> bool:
    return arg.keyword is not None and arg.keyword.value == name


def _keyword(call: cst.Call, name: str) -> cst.Arg | None:
    return next((a for a in call.args if _is_keyword(a, name)), None)


def _with_keyword(call: cst.Call, name: str, value: cst.BaseExpression) -> list[cst.Arg]:
    args = call.args
    if any(_is_keyword(a, name) for a in args):
        return [a.with_changes(value=_same_quotes(a.value, value)) if _is_keyword(a, name) else a for a in args]
    no_space = cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace(""))
    return _fix_commas(call, [*args, cst.Arg(keyword=cst.Name(name), value=value, equal=no_space)])


def _fix_commas(call: cst.Call, args: list[cst.Arg]) -> list[cst.Arg]:
    """Commas after an edit of ``call``'s arguments: the call's own separator between them (``, ``,
    or a line break and the arguments' indentation when it writes one argument per line), and
    its own ending (a trailing comma or none) on whichever argument is now last. A comment after
    a comma stays with its argument."""
    original = call.args
    if not args:
        return args
    ending = original[-1].comma if original else cst.MaybeSentinel.DEFAULT
    if _commented(ending) and args[-1] is not original[-1]:  # the comment stays with its argument
        ending = ending.with_changes(whitespace_after=ending.whitespace_after.with_changes(
            first_line=cst.TrailingWhitespace()))
    between = _separator(call)
    fixed = [a.with_changes(comma=_keeping_comment(a.comma, between))
             if (a is original[-1] or not isinstance(a.comma, cst.Comma)) else a
             for a in args[:-1]]
    last = args[-1]
    if _commented(last.comma):  # its trailing comma carries a comment: keep both, ending as the call ended
        closing = getattr(ending, "whitespace_after", None)
        if isinstance(closing, cst.ParenthesizedWhitespace):
            comment = last.comma.whitespace_after.first_line
            return [*fixed, last.with_changes(comma=ending.with_changes(
                whitespace_after=closing.with_changes(first_line=comment)))]
        return [*fixed, last]
    return [*fixed, last.with_changes(comma=ending)]


def _separator(call: cst.Call) -> cst.Comma:
    opening = call.whitespace_before_args
    if isinstance(opening, cst.ParenthesizedWhitespace):  # "(" ends its line: one argument per line
        return cst.Comma(whitespace_after=cst.ParenthesizedWhitespace(
            first_line=cst.TrailingWhitespace(), empty_lines=[], indent=opening.indent,
            last_line=opening.last_line))
    return cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))


def _keeping_comment(comma: cst.Comma | cst.MaybeSentinel, between: cst.Comma) -> cst.Comma | cst.MaybeSentinel:
    if not _commented(comma):
        return between
    if isinstance(between.whitespace_after, cst.ParenthesizedWhitespace):
        return between.with_changes(whitespace_after=between.whitespace_after.with_changes(
            first_line=comma.whitespace_after.first_line))
    return comma  # the comment ends the line: the next argument starts on the following one


def _commented(comma: cst.Comma | cst.MaybeSentinel) -> bool:
    after = getattr(comma, "whitespace_after", None)
    return isinstance(after, cst.ParenthesizedWhitespace) and after.first_line.comment is not None


class _Rewriter(cst.CSTTransformer):
    """Applies staged operations bottom-up, then list insertions, statements and imports."""

    def __init__(self, staged: _Staged) -> None:
        super().__init__()
        self.staged = staged

    def on_leave(self, original: cst.CSTNode, updated: cst.CSTNode):
        for op in self.staged.ops.get(original, []):
            updated = op(updated)
        inserts, removed = self.staged.list_inserts.get(original), self.staged.list_removals.get(original)
        if inserts or removed:
            updated = _edit_elements(updated, inserts or [], removed or set())
        names = self.staged.imports.get(original)
        if names:
            updated = updated.with_changes(names=_with_names(list(updated.names), names))
        statements = self.staged.statements.get(original)
        if statements:
            before = [s for after, s in statements if not after]
            after = [s for is_after, s in statements if is_after]
            leading = updated.leading_lines
            if before:
                before[0] = before[0].with_changes(leading_lines=leading)
                updated = updated.with_changes(leading_lines=[])
            return cst.FlattenSentinel([*before, updated, *after])
        return updated


def _with_names(aliases: list[cst.ImportAlias], names: list[str]) -> list[cst.ImportAlias]:
    """An import's names with ``names`` added at the end, separated as the import separates its
    own (``Dense,LSTM`` stays tight, one per line stays one per line), ending as it ended."""
    inner = [a.comma for a in aliases[:-1] if isinstance(a.comma, cst.Comma)]
    separator = inner[0] if inner else cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    ending = aliases[-1].comma
    joined = [*aliases, *(cst.ImportAlias(name=cst.Name(n)) for n in names)]
    return [a.with_changes(comma=ending if i == len(joined) - 1 else separator) for i, a in enumerate(joined)]


def _edit_elements(container, inserts: list[tuple[int, bool, cst.BaseExpression]], removed: set[int]):
    """Insert new elements around original positions and drop those at ``removed``. Separators
    copy the list's own (so a one-per-line list stays one per line); the list keeps its
    original ending."""
    elements = list(container.elements)
    inner = [e.comma for e in elements[:-1] if isinstance(e.comma, cst.Comma)]
    separator = inner[0] if inner else cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    result = []
    for i, element in enumerate(elements):
        result += [cst.Element(value) for position, after, value in inserts if position == i and not after]
        if i not in removed:
            result.append(element)
        result += [cst.Element(value) for position, after, value in inserts if position == i and after]
    ending = elements[-1].comma
    fixed = []
    for i, element in enumerate(result):
        if i == len(result) - 1:
            fixed.append(element.with_changes(comma=ending))
        elif element is elements[-1] or not isinstance(element.comma, cst.Comma):
            fixed.append(element.with_changes(comma=separator))
        else:
            fixed.append(element)
    return container.with_changes(elements=fixed)
