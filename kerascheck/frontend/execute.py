"""The generic abstract interpreter: a module's statements, run in order on static values.

Statements are walked as libcst nodes together with CPython's ast of the same code (each
statement's first line and indentation give positions). Function bodies run when called (with
the call's argument values), or once with unknown arguments if never called; loops over known
ranges are unrolled; a branch whose condition is unknown runs each way and merges (``state.py``),
so no layer is assumed that may not be there. What statements mean for Keras (naming a model
after its variable, ``model.trainable = False``, attributes of a subclassed model) is left to
the hooks ``take_name`` and ``assign_attribute``, which ``keras_api.py`` gives meaning.
"""

from __future__ import annotations

import ast
from contextlib import nullcontext
from typing import Any, Iterable

import libcst as cst

from kerascheck.data.arrays import counted, row_of
from kerascheck.data.pipelines import Dataset
from kerascheck.frontend.graphs import CallRecord, Function, Tensor
from kerascheck.frontend.imports import bind_import, dotted_name, is_opaque_star
from kerascheck.frontend.patterns import decide, unknown_captures
from kerascheck.frontend.positions import StatementPositions, children
from kerascheck.frontend.state import MISSING, Depth, Returned, Scope
from kerascheck.frontend.values import is_plain
from kerascheck.graph import UNKNOWN, Position
from kerascheck.shapes.symbolic import Sym

MAX_UNROLL = 1_000  # loop iterations interpreted one by one; longer loops are unknown loops
MAX_CALL_DEPTH = 8  # nested user-function calls (recursion ends here with an unknown result)
MAX_STATEMENTS = 50_000  # statements interpreted per file, loops and calls included


class BudgetExceeded(Exception):
    """The file needs more interpretation than we allow; models so far are kept."""


class Executor:
    """Mixin of the interpreter (``interpreter.Interpreter``): statements, functions and classes."""

    scope: Scope
    top: StatementPositions | None
    functions: list[Function]
    imports: list[tuple[str, tuple[str, ...], Position]]
    statements: int
    call_depth: Depth  # nested user-function calls
    shape_guards: Depth  # branches of an undecided condition on tensor shapes
    unknown_dims: int
    assigned_from: dict[str, cst.BaseExpression]
    shape_reads: dict[int, tuple[cst.CSTNode, bool, tuple[str, ...]]]  # _shape_reads's, by node id
    opaque_names: bool
    returns: list[list[Any]]

    # -- statements -----------------------------------------------------------------------------

    def execute_suite(self, suite: Any, tree_body: list[ast.stmt] | None) -> None:
        """An indented block, or the one-line suite after ``if x:`` (positions: the header's)."""
        if isinstance(suite, cst.SimpleStatementSuite):
            for small in suite.body:
                self.small(small)
        else:
            for node, tree_node in statement_pairs(suite.body, tree_body or []):
                self.execute(node, tree_node)

    def execute(self, node: cst.CSTNode, tree_node: ast.stmt | None) -> None:
        self.statements += 1
        if self.statements > MAX_STATEMENTS:
            raise BudgetExceeded()
        saved = self.top
        self.top = self.context(node, tree_node)
        try:
            self._execute(node, tree_node)
        finally:
            self.top = saved

    def _execute(self, node: cst.CSTNode, tree_node: Any) -> None:
        if isinstance(node, cst.SimpleStatementLine):
            for small in node.body:
                self.small(small)
        elif isinstance(node, cst.If):
            self.execute_if(node, tree_node)
        elif isinstance(node, cst.Match):
            self.execute_match(node, tree_node)
        elif isinstance(node, cst.For):
            self.execute_for(node, tree_node)
        elif isinstance(node, cst.While):
            test = self.evaluate(node.test)
            if is_plain(test) and not test:
                self.execute_else(node.orelse, tree_node)
            else:
                self.branches([(node.body, _field(tree_node, "body")), None], loop=True)
        elif isinstance(node, cst.With):
            for item in node.items:
                self.evaluate(item.item)
                if item.asname is not None:
                    self.assign(item.asname.name, UNKNOWN)
            self.execute_suite(node.body, _field(tree_node, "body"))
        elif isinstance(node, (cst.Try, cst.TryStar)):
            self.execute_suite(node.body, _field(tree_node, "body"))
            handlers = _field(tree_node, "handlers") or []
            self.branches([(h.body, handlers[i].body if i < len(handlers) else None)
                           for i, h in enumerate(node.handlers)] + [None])
            self.execute_else(node.orelse, tree_node)
            if node.finalbody is not None:
                self.execute_suite(node.finalbody.body, _field(tree_node, "finalbody"))
        elif isinstance(node, cst.FunctionDef):
            self.define_function(node, tree_node, is_method=False)
        elif isinstance(node, cst.ClassDef):
            self.define_class(node, tree_node)

    def execute_else(self, orelse: Any, tree_node: Any) -> None:
        if orelse is not None:
            self.execute_suite(orelse.body, _field(tree_node, "orelse"))

    def execute_if(self, node: cst.If, tree_node: Any) -> None:
        test = self.evaluate(node.test)
        orelse_tree = _field(tree_node, "orelse")
        if is_plain(test):
            if test:
                self.execute_suite(node.body, _field(tree_node, "body"))
            elif isinstance(node.orelse, cst.If):
                self.execute(node.orelse, orelse_tree[0] if orelse_tree else None)
            else:
                self.execute_else(node.orelse, tree_node)
            return
        body = (node.body, _field(tree_node, "body"))
        with self.shape_guards if self.reads_shapes(node.test) else nullcontext():
            if isinstance(node.orelse, cst.If):
                self.branches([body, ("elif", node.orelse, orelse_tree[0] if orelse_tree else None)])
            elif node.orelse is not None:
                self.branches([body, (node.orelse.body, orelse_tree)])
            else:
                self.branches([body, None])

    def reads_shapes(self, node: cst.CSTNode) -> bool:
        """Whether an expression reads a tensor's shape: ``.shape``, ``int_shape(...)``, or a
        name last assigned one (``in_channels = inputs.shape[-1]``; followed one step)."""
        direct, names = self._shape_reads(node)
        if direct:
            return True
        for name in names:
            source = self.assigned_from.get(name)
            if source is not None and self._shape_reads(source)[0]:
                return True
        return False

    def _shape_reads(self, node: cst.CSTNode) -> tuple[bool, tuple[str, ...]]:
        """Whether an expression itself reads a shape, else the names in it; once per node (a
        function's body runs again at each call)."""
        found = self.shape_reads.get(id(node))
        if found is None or found[0] is not node:
            names: dict[str, None] = {}
            direct = False
            for n in _walk(node):
                if isinstance(n, cst.Attribute) and n.attr.value in _SHAPE_READERS:
                    direct = True
                    break
                if isinstance(n, cst.Name):
                    if n.value in _SHAPE_READERS:
                        direct = True
                        break
                    names[n.value] = None
            found = self.shape_reads[id(node)] = (node, direct, () if direct else tuple(names))
        return found[1], found[2]

    def execute_match(self, node: cst.Match, tree_node: Any) -> None:
        """Like an if/elif chain: a case whose pattern certainly fails is skipped, the first that
        certainly matches ends the chain, and undecided cases before it are branches (with the
        path where none matches, unless one certainly does)."""
        subject = self.evaluate(node.subject)
        tree_cases = _field(tree_node, "cases") or []
        possible: list[Any] = []
        for i, case in enumerate(node.cases):
            matched, bound = decide(case.pattern, subject, self.evaluate)
            if matched is False:
                continue
            body = (case.body, tree_cases[i].body if i < len(tree_cases) else None)
            if matched and not possible:
                for name, value in bound.items():
                    self.take_name(name, value)
                    self.scope.bind(name, value)
                guard = UNKNOWN if case.guard is None else self.evaluate(case.guard)
                if case.guard is None or (is_plain(guard) and guard):
                    self.execute_suite(*body)
                    return
                if is_plain(guard):
                    continue
            elif matched and case.guard is None:
                possible.append(("case", body, bound))
                break
            possible.append(("case", body, {**unknown_captures(case.pattern), **bound}))
        else:
            if possible:
                self.branches([*possible, None])
            return
        self.branches(possible)

    def execute_for(self, node: cst.For, tree_node: Any) -> None:
        iterable = self.evaluate(node.iter)
        items = _items(iterable)
        body = (node.body, _field(tree_node, "body"))
        if items is not None and not _jumps(node.body):
            for item in items:
                self.assign(node.target, item)
                self.execute_suite(*body)
            self.execute_else(node.orelse, tree_node)
            return
        # ``for images, labels in dataset``: each pass gets one element (a batch once batched)
        self.assign(node.target, iterable.first_element() if isinstance(iterable, Dataset) else row_of(iterable))
        self.branches([body, None], loop=True)
        self.execute_else(node.orelse, tree_node)

    def small(self, node: cst.BaseSmallStatement) -> None:
        kind = type(node)  # not isinstance: a failed check on a libcst (ABC) class is slow
        if kind is cst.Expr:
            self.evaluate(node.value)
        elif kind is cst.Assign:
            value = self.evaluate(node.value)
            for target in node.targets:
                self.assign(target.target, value)
                if isinstance(target.target, cst.Name):
                    self.assigned_from[target.target.value] = node.value
        elif kind is cst.AnnAssign:
            if node.value is not None:
                self.assign(node.target, self.evaluate(node.value))
        elif kind is cst.AugAssign:
            combined = cst.BinaryOperation(left=node.target, operator=_binary_of(node.operator),
                                           right=node.value)
            self.assign(node.target, self.evaluate(combined))
        elif kind is cst.Return:
            raise Returned(None if node.value is None else self.evaluate(node.value))
        elif kind is cst.Import or kind is cst.ImportFrom:
            self.do_import(node)
        elif kind is cst.Global:
            self.scope.globals.update(n.name.value for n in node.names)
        elif kind is cst.Del:
            targets = node.target.elements if isinstance(node.target, (cst.Tuple, cst.List)) else [node.target]
            for target in (t.value if isinstance(t, cst.BaseElement) else t for t in targets):
                if isinstance(target, cst.Subscript):
                    self.assign_item(target, None, delete=True)

    def do_import(self, node: cst.Import | cst.ImportFrom) -> None:
        binding = bind_import(node)
        position = self.position(node)
        for module, names in binding.modules:
            self.imports.append((module, names, position))
        for name, symbol in binding.names:
            self.scope.bind(name, UNKNOWN if symbol is None else symbol)
        for module in binding.stars:
            self.scope.stars.append(module)
            if is_opaque_star(module):
                self.opaque_names = True

    def assign(self, target: cst.BaseExpression, value: Any) -> None:
        if isinstance(target, cst.Name):
            self.take_name(target.value, value)
            self.scope.bind(target.value, value)
        elif isinstance(target, (cst.Tuple, cst.List)):
            elements = target.elements
            if any(isinstance(e, cst.StarredElement) for e in elements):
                values: Any = None
            elif isinstance(value, (tuple, list)) and len(value) == len(elements):
                values = list(value)
            elif isinstance(value, Tensor) and isinstance(value.producer, CallRecord):
                values = [Tensor(value.producer, k) for k in range(len(elements))]
                if value.index == 0 and value.producer.unpacked is None:
                    value.producer.unpacked = (len(elements), self.position(target))
            else:
                values = None
            for k, element in enumerate(elements):
                inner = element.value
                self.assign(inner, values[k] if values is not None else UNKNOWN)
        elif isinstance(target, cst.Attribute):
            self.assign_attribute(target, value)
        elif isinstance(target, cst.Subscript):
            self.assign_item(target, value)

    def assign_item(self, target: cst.Subscript, value: Any, delete: bool = False) -> None:
        """``config["units"] = 64`` (or ``del``) on a known dict or list: done in place when it
        certainly runs with a known key; otherwise every item of it is unknown from here on."""
        container = self.evaluate(target.value)
        if not isinstance(container, (dict, list)):
            return
        key = self._index(target.slice[0].slice) if len(target.slice) == 1 else MISSING
        if self.certain_mutation(container) and _set_item(container, key, value, delete):
            return
        for k in (container if isinstance(container, dict) else range(len(container))):
            container[k] = UNKNOWN
        if isinstance(target.value, cst.Name):  # the key may be new, or gone: the dict is unknown
            self.assign(target.value, UNKNOWN)

    def take_name(self, name: str, value: Any) -> None:
        """``value`` was just bound to ``name`` (Keras objects take their variable's name)."""

    def assign_attribute(self, target: cst.Attribute, value: Any) -> None:
        """``owner.attr = value``: a dotted name bound in scope."""
        dotted = dotted_name(target)
        if dotted is not None:
            self.scope.bind(dotted, value)

    def _eval_Attribute(self, node: cst.Attribute) -> Any:
        dotted = dotted_name(node)
        if dotted is not None:
            value = self.scope.lookup(dotted)
            if value is not MISSING:
                return value
        return super()._eval_Attribute(node)

    # -- functions and classes -----------------------------------------------------------------

    def define_function(self, node: cst.FunctionDef, tree_node: Any, is_method: bool) -> Function:
        defaults = {}
        params = node.params
        for param in (*params.posonly_params, *params.params, *params.kwonly_params):
            if param.default is not None:
                defaults[param.name.value] = self.evaluate(param.default)
        function = Function(node, tree_node, self.scope, self.top, defaults)
        self.functions.append(function)
        if not is_method:
            self.scope.bind(node.name.value, function)
        return function

    def define_class(self, node: cst.ClassDef, tree_node: Any) -> None:
        cls = self.class_value(node)
        self.scope.bind(node.name.value, cls)
        if isinstance(node.body, cst.SimpleStatementSuite):
            return
        body = Scope(self.scope)  # names the class body binds, seen by its later statements
        for statement, tree_statement in statement_pairs(node.body.body, _field(tree_node, "body") or []):
            if _class_attributes(statement):
                saved_scope, self.scope = self.scope, body
                try:
                    self.execute(statement, tree_statement)
                finally:
                    self.scope = saved_scope
                cls.attributes.update(body.vars)
            if isinstance(statement, cst.FunctionDef):
                saved = self.top
                self.top = self.context(statement, tree_statement)
                function = self.define_function(statement, tree_statement, is_method=True)
                self.top = saved
                cls.methods[statement.name.value] = function
                if cls.is_model:  # runs on its model object, never alone with unknown arguments
                    self.functions.remove(function)

    def map_dataset(self, dataset: Dataset, node: cst.Call, args: list[Any], kwargs: dict[str, Any]) -> Any:
        """``dataset.map(fn)``: ``fn`` (a def of the file, or the lambda written there) run on one
        element, a tuple element spread over its parameters as tf.data does, traced (see
        ``Evaluator.traced``); its result is the new element. UNKNOWN when the function or the
        element is not known."""
        function = args[0] if args else kwargs.get("map_func")
        parts = list(dataset.element) if isinstance(dataset.element, tuple) else [dataset.element]
        if any(part is UNKNOWN for part in parts):
            return UNKNOWN
        written = node.args[0].value if node.args and node.args[0].keyword is None else None
        with self.traced:
            if isinstance(function, Function):
                return dataset.mapped(self.call_function(function, parts, {}))
            if isinstance(written, cst.Lambda):
                return dataset.mapped(self.call_lambda(written, self.scope, parts))
        return UNKNOWN

    def call_lambda(self, node: cst.Lambda, scope: Scope, args: list[Any], kwargs: dict[str, Any] | None = None) -> Any:
        """A ``lambda`` written in ``scope`` called on ``args`` and ``kwargs``: UNKNOWN unless
        they fill its plain parameters, the ones left having defaults (``lambda x, training=False:
        x``, evaluated in ``scope``: its defaults are literals in practice, as Python's are
        evaluated where the lambda is written)."""
        params = node.params
        kwargs = kwargs or {}
        names = [param.name.value for param in params.params]
        if len(args) > len(names) or params.posonly_params or params.kwonly_params \
                or params.star_arg is not cst.MaybeSentinel.DEFAULT or params.star_kwarg is not None \
                or any(k not in names[len(args):] for k in kwargs) \
                or any(param.default is None for param in params.params[len(args):] if param.name.value not in kwargs) \
                or self.call_depth.level >= MAX_CALL_DEPTH:
            return UNKNOWN
        outer, self.scope = self.scope, scope
        try:
            values = {**dict(zip(names, args)), **kwargs}
            defaults = {p.name.value: self.evaluate(p.default) for p in params.params if p.name.value not in values}
            self.scope = Scope(scope)
            for name in names:
                self.scope.bind(name, values[name] if name in values else defaults[name])
            with self.call_depth:
                return self.evaluate(node.body)
        finally:
            self.scope = outer

    def call_function(self, function: Function, args: list[Any] | None, kwargs: dict[str, Any]) -> Any:
        """Run a function body with these arguments (None: every argument unknown)."""
        if self.call_depth.level >= MAX_CALL_DEPTH:
            return UNKNOWN
        function.called = True
        local = Scope(function.scope)
        params = function.node.params
        positional = [*params.posonly_params, *params.params]
        kwargs = dict(kwargs)
        for i, param in enumerate(positional):
            name = param.name.value
            if args is None:
                value = UNKNOWN
            elif i < len(args):
                value = args[i]
            elif name in kwargs:
                value = kwargs.pop(name)
            else:
                value = function.defaults.get(name, UNKNOWN)
            local.vars[name] = self.fresh_dim(name) if value is UNKNOWN else value
        for param in params.kwonly_params:
            name = param.name.value
            value = UNKNOWN if args is None else kwargs.pop(name, function.defaults.get(name, UNKNOWN))
            local.vars[name] = self.fresh_dim(name) if value is UNKNOWN else value
        if isinstance(params.star_arg, cst.Param):
            rest = args[len(positional):] if args is not None else None
            local.vars[params.star_arg.name.value] = tuple(rest) if rest is not None else UNKNOWN
        if params.star_kwarg is not None:
            local.vars[params.star_kwarg.name.value] = kwargs if args is not None else UNKNOWN
        saved_scope, saved_top = self.scope, self.top
        self.scope, self.top = local, function.top
        self.returns.append([])
        result: Any = None
        try:
            with self.call_depth:
                self.execute_suite(function.node.body, _field(function.tree, "body"))
        except Returned as done:
            result = done.value
        finally:
            maybe = self.returns.pop()
            self.scope, self.top = saved_scope, saved_top
        if maybe:
            result = self.merge([*maybe, result])
        return result

    def fresh_dim(self, name: str) -> Sym:
        """A symbolic dim for an unknown value that may be a size: a parameter no call gives a
        known value, or a dim of a declared shape (anywhere else it is as unknown as UNKNOWN)."""
        self.unknown_dims += 1
        return Sym.named(name, self.unknown_dims)

    def data_dims(self, shape: tuple) -> tuple:
        """An array's dims as a built input's: a size kerascheck does not know is a named dim,
        known when the program runs, not Keras's None (a Dense on it is built all the same)."""
        return tuple(self.fresh_dim("?") if d is None else d for d in shape)


_SHAPE_READERS = frozenset({"shape", "int_shape", "get_shape"})


def _class_attributes(statement: cst.CSTNode) -> bool:
    """A class-body line of plain assignments to names (``img_size = 64``, ``shape: tuple = (64, 64)``)."""
    return isinstance(statement, cst.SimpleStatementLine) and all(
        (isinstance(small, cst.Assign) and all(isinstance(t.target, cst.Name) for t in small.targets))
        or (isinstance(small, cst.AnnAssign) and small.value is not None and isinstance(small.target, cst.Name))
        for small in statement.body)


def _walk(node: cst.CSTNode) -> Iterable[cst.CSTNode]:
    """``node`` and every node under it (bounded: an expression the guard let through)."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(children(current))  # the nodes of current.children, without its visitor


def _set_item(container: dict | list, key: Any, value: Any, delete: bool) -> bool:
    """``container[key] = value`` (or ``del container[key]``) if the key is a known, valid one."""
    if isinstance(container, list):
        if not isinstance(key, int) or isinstance(key, bool) or not -len(container) <= key < len(container):
            return False
    elif not is_plain(key):
        return False
    try:
        if delete:
            del container[key]
        else:
            container[key] = value
    except (TypeError, KeyError):
        return False
    return True


def _items(iterable: Any) -> list[Any] | None:
    if isinstance(iterable, range) and len(iterable) <= MAX_UNROLL:
        return list(iterable)
    if isinstance(iterable, (tuple, list)) and not counted(iterable):
        return None
    if isinstance(iterable, (tuple, list, str)) and len(iterable) <= MAX_UNROLL:
        return list(iterable)
    if isinstance(iterable, dict) and len(iterable) <= MAX_UNROLL:
        return list(iterable)
    return None


def _jumps(suite: Any) -> bool:
    """Whether a loop body may leave an iteration early (break/continue/return/raise)."""
    if isinstance(suite, cst.SimpleStatementSuite):
        return any(isinstance(s, (cst.Break, cst.Continue, cst.Return, cst.Raise)) for s in suite.body)
    stack = list(suite.body)
    while stack:
        node = stack.pop()
        if isinstance(node, cst.SimpleStatementLine):
            if any(isinstance(s, (cst.Break, cst.Continue, cst.Return, cst.Raise)) for s in node.body):
                return True
        elif isinstance(node, (cst.If, cst.With, cst.Try, cst.Else, cst.ExceptHandler, cst.Finally, cst.MatchCase)):
            if isinstance(node.body, cst.SimpleStatementSuite):
                if _jumps(node.body):
                    return True
            else:
                stack.extend(node.body.body)
            if isinstance(node, cst.If) and node.orelse is not None:
                stack.append(node.orelse)
            if isinstance(node, cst.Try):
                stack.extend(node.handlers)
                if node.orelse is not None:
                    stack.append(node.orelse)
                if node.finalbody is not None:
                    stack.append(node.finalbody)
        elif isinstance(node, cst.Match):
            stack.extend(case for case in node.cases)
        elif isinstance(node, (cst.For, cst.While)) and isinstance(node.body, cst.IndentedBlock):
            stack.extend(s for s in node.body.body if _returns_or_raises(s))
    return False


def _returns_or_raises(node: cst.CSTNode) -> bool:
    return isinstance(node, cst.SimpleStatementLine) and any(
        isinstance(s, (cst.Return, cst.Raise)) for s in node.body)


def statement_pairs(body: Iterable[cst.CSTNode], tree_body: list[ast.stmt]) -> Iterable[tuple[cst.CSTNode, Any]]:
    """libcst statements with their CPython ast statement (a ``;`` line holds several of those)."""
    i = 0
    for node in body:
        yield node, tree_body[i] if i < len(tree_body) else None
        i += len(node.body) if isinstance(node, cst.SimpleStatementLine) else 1


def _field(tree_node: Any, name: str) -> Any:
    return getattr(tree_node, name, None)


def _binary_of(operator: cst.BaseAugOp) -> cst.BaseBinaryOp:
    name = type(operator).__name__.replace("Assign", "")
    return getattr(cst, name)()

