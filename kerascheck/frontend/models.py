"""Abstract interpretation of a module's statements, in order, to find the Keras models it builds.

Sequential models (list or ``.add``), functional graphs (``Input`` -> layer calls -> ``Model``),
their ``compile`` and their ``fit``/``evaluate``/``predict`` calls become ``ModelGraph`` objects.
Function bodies run when called (with the call's argument values), or once with unknown arguments
if never called; loops over known ranges are unrolled; a branch whose condition is unknown makes
what it changes unknown afterwards, so no layer is assumed that may not be there. Layers applied
to tensors outside any ``Model(...)`` join the model computing their input, or one graph of kind
"unattached". Subclassed models and ``keras.ops`` calls: see ``subclassed.py``.
"""

from __future__ import annotations

import ast
from typing import Any, Callable, Iterable

import libcst as cst

from kerascheck.data.arrays import Array, counted, row_of
from kerascheck.diagnostics import Diagnostic, diagnostic
from kerascheck.frontend.graphs import (
    BoundCall,
    CallRecord,
    ClassValue,
    Function,
    MethodValue,
    ModelValue,
    SuperValue,
    Tensor,
    argument_input,
    batch_shape,
    build_functional,
    call_refs,
    data_value,
    element_nodes,
    export,
    export_loss,
    flatten,
    input_layer_shape,
    merge,
    text_value,
)
from kerascheck.frontend.imports import Symbol, bind_import, dotted_name, is_opaque_star
from kerascheck.frontend.layer_names import LAYER_NAMES
from kerascheck.frontend.patterns import decide, unknown_captures
from kerascheck.frontend.tf_functions import TF_FUNCTIONS, gives_keras_tensors, keras_replacement, keras_tensor_among
from kerascheck.frontend.positions import SourceText, StatementPositions, children
from kerascheck.frontend.subclassed import (NO_ATTRIBUTE, SUPER, TRAINING_ARGUMENT, SubclassedModels, keras_op,
                                            tf_op)
from kerascheck.frontend.values import BUILTIN_NAMES, MISSING, Evaluator, Scope, is_plain, source
from kerascheck.graph import (DEFAULT_BATCH_SIZE, UNKNOWN, CompileInfo, DataCall, InputSpec, LayerCall,
                              LayerNode, ModelGraph, Position, TensorRef)
from kerascheck.shapes.symbolic import Sym

MAX_UNROLL = 1_000  # loop iterations interpreted one by one; longer loops are unknown loops
MAX_CALL_DEPTH = 8  # nested user-function calls (recursion ends here with an unknown result)
MAX_STATEMENTS = 50_000  # statements interpreted per file, loops and calls included

MERGE_FUNCTIONS = {"concatenate": "Concatenate", "add": "Add", "subtract": "Subtract",
                   "multiply": "Multiply", "average": "Average", "maximum": "Maximum",
                   "minimum": "Minimum", "dot": "Dot"}
_ATTENTION_TENSORS = ("query", "value", "key")
_NOT_LAYERS = {"Input", "InputSpec", "Layer", "Wrapper", "AbstractRNNCell", "deserialize", "serialize"}
DATA_METHODS = {
    "fit": ("x", "y", "batch_size", "epochs", "verbose", "callbacks", "validation_split",
            "validation_data", "shuffle", "class_weight", "sample_weight", "initial_epoch",
            "steps_per_epoch", "validation_steps", "validation_batch_size", "validation_freq"),
    "evaluate": ("x", "y", "batch_size", "verbose", "sample_weight", "steps", "callbacks"),
    "predict": ("x", "batch_size", "verbose", "steps", "callbacks"),
    "train_on_batch": ("x", "y", "sample_weight", "class_weight"),
    "test_on_batch": ("x", "y", "sample_weight"),
    "predict_on_batch": ("x",),
    "fit_generator": ("generator", "steps_per_epoch", "epochs", "verbose", "callbacks",
                      "validation_data", "validation_steps", "validation_freq", "class_weight",
                      "max_queue_size", "workers", "use_multiprocessing", "shuffle", "initial_epoch"),
    "evaluate_generator": ("generator", "steps", "callbacks", "max_queue_size", "workers",
                           "use_multiprocessing", "verbose"),
    "predict_generator": ("generator", "steps", "callbacks", "max_queue_size", "workers",
                          "use_multiprocessing", "verbose"),
    "predict_classes": ("x", "batch_size", "verbose"),  # gone since TensorFlow 2.6 (KC529)
    "predict_proba": ("x", "batch_size", "verbose"),
}


class BudgetExceeded(Exception):
    """The file needs more interpretation than we allow; models so far are kept."""


class _Return(Exception):
    def __init__(self, value: Any) -> None:
        super().__init__()
        self.value = value


# ---- the interpreter -------------------------------------------------------------------------


class Interpreter(SubclassedModels, Evaluator):
    """Runs a module's statements abstractly and collects the models built on the way.

    libcst statements are walked together with CPython's ast of the same code, which gives
    each statement's first line and indentation for positions.
    """

    def __init__(self, module: cst.Module, text: str, bound_names: Callable[[], set[str]]) -> None:
        self.module = module
        self.text = text
        self.scope = Scope()
        self.top: StatementPositions | None = None
        self.models: list[ModelValue] = []
        self.diagnostics: list[Diagnostic] = []
        self.imports: list[tuple[str, tuple[str, ...], Position]] = []
        self.functions: list[Function] = []
        self.records = 0
        self.all_records: list[CallRecord] = []
        self.placement: dict[int, tuple[ModelGraph, int]] = {}  # CallRecord id -> (model, call index)
        self.depth = 0
        self.statements = 0
        self.opaque_names = False  # a star import of an unknown module may define any name
        self._bound_names = bound_names
        self._returns: list[list[Any]] = []
        self._snapshots: list[tuple[int, dict[int, tuple[ModelValue, Any]]]] = []
        self._contexts: dict[int, StatementPositions] = {}
        self._source = SourceText(text)
        self.model_classes: list[ClassValue] = []
        self.method_stack: list[tuple[ClassValue, ModelValue]] = []
        self.in_model_call = 0  # > 0 while a subclassed model's call runs
        self._list_depths: dict[int, tuple[list, int]] = {}  # list literal -> branch depth it was made at
        self.unknown_dims = 0  # symbolic dims made so far: each gets its own identity
        self.shape_guards = 0  # > 0 inside branches of an undecided condition on tensor shapes
        self.assigned_from: dict[str, cst.BaseExpression] = {}  # a name -> what it was last assigned
        self.keras_inputs: set[int] = set()  # ids of the InputSpecs of keras.Input() calls (KerasTensors)
        self.keras3_diagnostics: list[Diagnostic] = []  # problems only if the file targets Keras 3
        self.keras2_batches: list[tuple[InputSpec, Any]] = []  # inputs built by data: tf-keras's batch dim
        self.opaque_tensors: dict[int, Tensor] = {}  # results of functions that may not be KerasTensors

    # -- driving --------------------------------------------------------------------------------

    def run(self, tree: ast.Module) -> None:
        try:
            for node, tree_node in _pairs(self.module.body, tree.body):
                try:
                    self.execute(node, tree_node)
                except RecursionError:
                    pass  # an expression nested too deep to evaluate: the statement has no effect
            self._run_uncalled()
            self.build_unbuilt()
        except BudgetExceeded:
            for model in self.models:
                model.graph.incomplete_reason = model.graph.incomplete_reason or "file too large to follow"

    def _run_uncalled(self) -> None:
        i = 0
        while i < len(self.functions):
            function = self.functions[i]
            i += 1
            if not function.called:
                self.top = function.top
                try:
                    self.call_function(function, None, {})
                except RecursionError:
                    pass

    def position(self, node: cst.CSTNode, start: cst.CSTNode | None = None) -> Position:
        return self.top.position(node, start) if self.top else Position(1, 1, 1, 1)

    def position_of(self, node: cst.CSTNode) -> Position:
        return self.position(node)

    def call_position(self, node: cst.Call) -> Position:
        """A call's range, starting at its callee (not at an opening parenthesis around it)."""
        return self.position(node, node.func)

    def context(self, node: cst.CSTNode, tree_node: ast.stmt | None) -> StatementPositions:
        found = self._contexts.get(id(node))
        if found is None:
            # Without an ast statement (cannot happen for code both parsers accept) nothing pairs.
            line = self.top.first_line if tree_node is None and self.top else 1
            found = self._contexts[id(node)] = StatementPositions(node, self.module, self._source, tree_node, line)
        return found

    # -- statements -----------------------------------------------------------------------------

    def execute_suite(self, suite: Any, tree_body: list[ast.stmt] | None) -> None:
        """An indented block, or the one-line suite after ``if x:`` (positions: the header's)."""
        if isinstance(suite, cst.SimpleStatementSuite):
            for small in suite.body:
                self.small(small)
        else:
            for node, tree_node in _pairs(suite.body, tree_body or []):
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
                self.branches([(node.body, _field(tree_node, "body")), None])
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
        guard = 1 if self.reads_shapes(node.test) else 0
        self.shape_guards += guard
        try:
            if isinstance(node.orelse, cst.If):
                self.branches([body, ("elif", node.orelse, orelse_tree[0] if orelse_tree else None)])
            elif node.orelse is not None:
                self.branches([body, (node.orelse.body, orelse_tree)])
            else:
                self.branches([body, None])
        finally:
            self.shape_guards -= guard

    def reads_shapes(self, node: cst.CSTNode, follow: bool = True) -> bool:
        """Whether an expression reads a tensor's shape: ``.shape``, ``int_shape(...)``, or a
        name last assigned one (``in_channels = inputs.shape[-1]``; followed one step)."""
        for n in _walk(node):
            if isinstance(n, cst.Attribute) and n.attr.value in _SHAPE_READERS:
                return True
            if isinstance(n, cst.Name):
                if n.value in _SHAPE_READERS:
                    return True
                source = self.assigned_from.get(n.value) if follow else None
                if source is not None and self.reads_shapes(source, follow=False):
                    return True
        return False

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
                    self._name(name, value)
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
        self.assign(node.target, row_of(iterable))
        self.branches([body, None])
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
            raise _Return(None if node.value is None else self.evaluate(node.value))
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
            self._name(target.value, value)
            self.scope.bind(target.value, value)
        elif isinstance(target, (cst.Tuple, cst.List)):
            elements = target.elements
            if any(isinstance(e, cst.StarredElement) for e in elements):
                values: Any = None
            elif isinstance(value, (tuple, list)) and len(value) == len(elements):
                values = list(value)
            elif isinstance(value, Tensor) and isinstance(value.producer, CallRecord):
                values = [Tensor(value.producer, k) for k in range(len(elements))]
            else:
                values = None
            for k, element in enumerate(elements):
                inner = element.value
                self.assign(inner, values[k] if values is not None else UNKNOWN)
        elif isinstance(target, cst.Attribute):
            owner = self.evaluate(target.value) if isinstance(target.value, cst.Name) else None
            if target.attr.value == "trainable":
                if isinstance(owner, (ModelValue, LayerNode)):
                    self.set_trainable(owner, value)
                    return
                for model in self.models:  # some layer of a model may be frozen: which, unknown
                    model.graph.trainable = UNKNOWN
            if isinstance(owner, ModelValue) and owner.cls is not None:
                # self.dense = Dense(8); under a condition kerascheck cannot decide: unknown
                certain = len(self._snapshots) <= owner.depth
                owner.attributes[target.attr.value] = value if certain else UNKNOWN
                return
            dotted = dotted_name(target)
            if dotted is not None:
                self.scope.bind(dotted, value)
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

    def set_trainable(self, owner: ModelValue | LayerNode, value: Any) -> None:
        """``model.trainable = False`` (freezing a model or layer): what the summary counts as
        non-trainable. Written under a condition kerascheck cannot decide, it is unknown."""
        depth = owner.depth if isinstance(owner, ModelValue) else 0
        known = isinstance(value, bool) and len(self._snapshots) <= depth
        if isinstance(owner, ModelValue):
            owner.graph.trainable = value if known else UNKNOWN
        else:
            owner.trainable_set = value if known else UNKNOWN

    def _name(self, name: str, value: Any) -> None:
        if isinstance(value, ModelValue) and not value.named:
            value.graph.name = name
            value.named = True
        elif isinstance(value, LayerNode) and value.var_name is None:
            value.var_name = name
        elif isinstance(value, Tensor) and isinstance(value.producer, InputSpec) and value.producer.var_name is None:
            value.producer.var_name = name

    # -- branches: conditions and loops we cannot decide ---------------------------------------

    def branches(self, suites: list[Any]) -> None:
        """Run each suite from the same state, then merge.

        A suite is (libcst suite, ast body), ("elif", If node, its ast), ("case", (suite, ast
        body), names a match case binds first), or None: the path that does nothing.

        A name bound differently by the suites becomes unknown; a Sequential that gained layers
        in one of them no longer has a known last layer. Only what the suites changed is undone
        and merged (a log of bindings), so the cost does not grow with the number of names.
        """
        scope = self.scope
        outer_log = scope.log
        snapshot: dict[int, tuple[ModelValue, Any]] = {}
        self._snapshots.append((len(self.models), snapshot))
        ends: list[dict[str, Any]] = []
        written: set[str] = set()
        returned: list[Any] = []
        changed: dict[int, ModelValue] = {}
        try:
            for suite in suites:
                scope.log = []
                finished = True
                if suite is not None:
                    try:
                        if suite[0] == "elif":
                            self.execute(suite[1], suite[2])
                        elif suite[0] == "case":
                            for name, value in suite[2].items():
                                self.scope.bind(name, value)
                            self.execute_suite(*suite[1])
                        else:
                            self.execute_suite(*suite)
                    except _Return as done:
                        returned.append(done.value)
                        finished = False
                log = scope.log
                names = {name for name, _ in log}
                written |= names
                if finished:
                    ends.append({name: scope.vars.get(name, MISSING) for name in names})
                for name, old in reversed(log):
                    if old is MISSING:
                        scope.vars.pop(name, None)
                    else:
                        scope.vars[name] = old
                for model, old_tail in snapshot.values():
                    if model.tail is not old_tail:
                        changed[id(model)] = model
                        model.tail = old_tail
        finally:
            scope.log = outer_log
            self._snapshots.pop()
        for model in changed.values():
            self.touch(model)
            model.tail = UNKNOWN
            model.graph.incomplete_reason = "layers are added under a condition kerascheck cannot decide"
        if returned and self._returns:
            self._returns[-1].extend(returned)
        if not ends:
            raise _Return(merge(returned))
        for name in sorted(written):
            before = scope.vars.get(name, MISSING)
            values = [end.get(name, before) for end in ends]
            value = values[0] if all(v is values[0] for v in values) else merge(values)
            if value is not MISSING and value is not before:
                scope.bind(name, value)

    def made_list(self, values: list[Any]) -> None:
        if self._snapshots:
            self._list_depths[id(values)] = (values, len(self._snapshots))

    def certain_mutation(self, values: list[Any]) -> bool:
        made = self._list_depths.get(id(values))
        return len(self._snapshots) <= (made[1] if made is not None and made[0] is values else 0)

    def touch(self, model: ModelValue) -> None:
        """Remember a model's last layer before an undecided branch changes it."""
        for first_new, snapshot in self._snapshots:
            if model.index < first_new:
                snapshot.setdefault(id(model), (model, model.tail))

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
        for statement, tree_statement in _pairs(node.body.body, _field(tree_node, "body") or []):
            if isinstance(statement, cst.FunctionDef):
                saved = self.top
                self.top = self.context(statement, tree_statement)
                function = self.define_function(statement, tree_statement, is_method=True)
                self.top = saved
                cls.methods[statement.name.value] = function
                if cls.is_model:  # runs on its model object, never alone with unknown arguments
                    self.functions.remove(function)

    def call_function(self, function: Function, args: list[Any] | None, kwargs: dict[str, Any]) -> Any:
        """Run a function body with these arguments (None: every argument unknown)."""
        if self.depth >= MAX_CALL_DEPTH:
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
        self.depth += 1
        self._returns.append([])
        result: Any = None
        try:
            self.execute_suite(function.node.body, _field(function.tree, "body"))
        except _Return as done:
            result = done.value
        finally:
            maybe = self._returns.pop()
            self.depth -= 1
            self.scope, self.top = saved_scope, saved_top
        if maybe:
            result = merge([*maybe, result])
        return result

    # -- calls ----------------------------------------------------------------------------------

    def call_object(self, func: Any, node: cst.Call, args: list[Any], kwargs: dict[str, Any]) -> Any:
        if isinstance(func, Symbol):
            return self.call_symbol(func, node, args, kwargs)
        if isinstance(func, LayerNode):
            return self.call_layer(func, node, args, kwargs)
        if isinstance(func, ModelValue):
            if func.cls is None and args and isinstance(args[0], Array):
                self.build_on_data(func, "call", args[0], None, self.call_position(node))
            if func.cls is not None:
                source = args[0] if args else kwargs.get("inputs", UNKNOWN)
                self.build_from(func, source, self.call_position(node), kwargs.get("training"))
                if not any(isinstance(t, Tensor) for t in flatten([source])):
                    return UNKNOWN  # an eager call on data
            return self.call_layer(func.graph, node, args, kwargs)
        if isinstance(func, Function):
            return self.call_function(func, args, kwargs)
        if isinstance(func, MethodValue):
            return self.run_method(func.owner, func.function, func.cls, args, kwargs)
        if func is SUPER:
            return self.call_super(args)
        if isinstance(func, ClassValue) and func.is_model:
            return self.instantiate(func, node, args, kwargs)
        if isinstance(func, ClassValue):
            name = func.name if func.name not in LAYER_NAMES else f"__main__.{func.name}"
            return self.make_layer(name, node, args, kwargs)
        if isinstance(func, BoundCall):
            return self.call_method(func, node, args, kwargs)
        return self.symbolic_result([*args, *kwargs.values()], complete=False)

    def call_symbol(self, symbol: Symbol, node: cst.Call, args: list[Any], kwargs: dict[str, Any]) -> Any:
        name, last = symbol.qualname, symbol.last
        if name == "keras.layers.Input":
            made = self.make_input(node, args, kwargs)
            self.keras_inputs.add(id(made.producer))
            return made
        if name == "keras.models.Sequential":
            return self.make_sequential(node, args, kwargs)
        if name == "keras.models.Model":
            return self.make_functional(node, args, kwargs)
        if name.startswith("keras.layers.") and name.count(".") == 2:
            if last in MERGE_FUNCTIONS and args:
                layer = self.make_layer(MERGE_FUNCTIONS[last], node, args[1:], kwargs)
                return self.apply(layer, args[0], {}, self.call_position(node))
            if last[:1].isupper() and last not in _NOT_LAYERS:
                return self.make_layer(last, node, args, kwargs)
        op = keras_op(name)
        translated = tf_op(name, args, kwargs) if op is None and self.in_model_call else None
        if translated is not None:
            op, kwargs = translated
        if op is not None:
            applied = self.apply_op(op, node, args[:2 if translated else None], kwargs)
            if applied is not None:
                return applied
        tensors = [*args, *kwargs.values()]
        if name in TF_FUNCTIONS and not self.in_model_call \
                and keras_tensor_among(tensors, self.keras_inputs, self.opaque_tensors):
            self.keras3_diagnostics.append(diagnostic("KC503", self.call_position(node), keras_replacement(name),
                                                      function=source(node.func)))
        if symbol.is_keras() or name.startswith("tensorflow"):
            result = self.symbolic_result(tensors)
            if isinstance(result, Tensor) and not gives_keras_tensors(name):
                self.opaque_tensors[id(result)] = result
            return result
        return self.symbolic_result(tensors, complete=False)

    def fresh_dim(self, name: str) -> Sym:
        """A symbolic dim for an unknown value that may be a size: a parameter no call gives a
        known value, or a dim of a declared shape (anywhere else it is as unknown as UNKNOWN)."""
        self.unknown_dims += 1
        return Sym.named(name, self.unknown_dims)

    def name_dims(self, shape: Any, node: cst.CSTNode | None) -> Any:
        """A declared shape with each unknown dim symbolic, shown as its source (``X.shape[1]``):
        an int once the program runs, not Keras's None, which only a literal None is."""
        if shape is UNKNOWN and isinstance(node, (cst.Name, cst.Attribute, cst.Subscript)):
            return self.fresh_dim(_label(node))  # input_dim=n_features
        if not isinstance(shape, (tuple, list)) or UNKNOWN not in shape:
            return shape
        parts = element_nodes(node) or []
        named = [self.fresh_dim(_label(parts[i] if i < len(parts) else None)) if d is UNKNOWN else d
                 for i, d in enumerate(shape)]
        return tuple(named) if isinstance(shape, tuple) else named

    def make_layer(self, type_name: str, node: cst.Call, args: list[Any], kwargs: dict[str, Any],
                   skip: int = 0) -> LayerNode:
        """A layer from a constructor call (``skip``: leading positional arguments not passed on)."""
        arg_nodes = [a.value for a in node.args if a.keyword is None and not a.star][skip:]
        kwarg_nodes = {a.keyword.value: a.value for a in node.args if a.keyword is not None}
        for key in _DECLARED_SHAPES if type_name != "InputLayer" else _DECLARED_SHAPES + ("shape", "batch_shape"):
            if key in kwargs:
                kwargs = {**kwargs, key: self.name_dims(kwargs[key], kwarg_nodes.get(key))}
        exported_args = tuple(export(v, arg_nodes[i] if i < len(arg_nodes) else None) for i, v in enumerate(args))
        exported_kwargs = {k: export(v, kwarg_nodes.get(k)) for k, v in kwargs.items()}
        return LayerNode(type_name, exported_args, exported_kwargs, self.call_position(node))

    def call_layer(self, layer: Any, node: cst.Call, args: list[Any], kwargs: dict[str, Any]) -> Any:
        inputs = args[0] if args else kwargs.pop("inputs", UNKNOWN)
        # Attention layers take query, value(, key) as separate arguments: one input list, in order.
        slots = dict(zip(_ATTENTION_TENSORS, [a for a in args if isinstance(a, Tensor)]))
        named = {k: kwargs.pop(k) for k in _ATTENTION_TENSORS if isinstance(kwargs.get(k), Tensor)}
        if named or len(slots) > 1:
            if set(named) & set(slots):
                inputs = UNKNOWN  # a tensor given twice: Python raises before Keras sees it
            else:
                slots.update(named)
                inputs = [slots[k] for k in _ATTENTION_TENSORS if k in slots]
        self.check_defined(_argument_node(node, ("inputs",), 0))
        return self.apply(layer, inputs, kwargs, self.call_position(node))

    def check_defined(self, node: cst.CSTNode | None) -> None:
        """KC502 for a tensor argument naming something bound nowhere (``Dense(1)(hidden)``)."""
        names = [node] if isinstance(node, cst.Name) else element_nodes(node) or []
        for name in names:
            if isinstance(name, cst.Name) and self.scope.lookup(name.value) is MISSING \
                    and self.undefined_tensor(name.value):
                self.diagnostics.append(diagnostic("KC502", self.position(name), name=name.value))

    def apply(self, layer: Any, inputs: Any, kwargs: dict[str, Any], position: Position) -> Tensor:
        extra = tuple(t for t in flatten(list(kwargs.values())) if isinstance(t, Tensor))
        call_kwargs = {k: export(v, None) for k, v in kwargs.items()}
        record = CallRecord(layer, inputs, position, self.records, call_kwargs, extra, self.shape_guards > 0)
        self.records += 1
        self.all_records.append(record)
        return Tensor(record)

    def make_input(self, node: cst.Call, args: list[Any], kwargs: dict[str, Any]) -> Tensor:
        shape = self.name_dims(kwargs.get("shape", args[0] if args else None), _argument_node(node, ("shape",), 0))
        given = self.name_dims(kwargs.get("batch_shape"), _argument_node(node, ("batch_shape",), None))
        batch_size = kwargs.get("batch_size", args[1] if len(args) > 1 else None)
        spec = InputSpec(batch_shape(given, shape, batch_size), self.call_position(node),
                         name=text_value(kwargs.get("name")), dtype=export(kwargs.get("dtype"), None))
        return Tensor(spec)

    # -- Sequential -----------------------------------------------------------------------------

    def make_sequential(self, node: cst.Call, args: list[Any], kwargs: dict[str, Any]) -> ModelValue:
        graph = ModelGraph(text_value(kwargs.get("name")) or "model", "sequential", self.call_position(node))
        keras_naming(graph, args, kwargs, ("layers", "trainable", "name"))
        model = ModelValue(graph, index=len(self.models))
        self.models.append(model)
        layers = kwargs.get("layers", args[0] if args else None)
        layer_nodes = _list_nodes(node, "layers")
        if isinstance(layers, (list, tuple)):
            for i, layer in enumerate(layers):
                at = layer_nodes[i] if layer_nodes and i < len(layer_nodes) else node
                self.add(model, layer, at)
        elif layers is not None:
            self.add(model, UNKNOWN, node)
        return model

    def add(self, model: ModelValue, layer: Any, at: cst.CSTNode) -> None:
        """``model.add(layer)``: one more call, on the previous output."""
        graph = model.graph
        if isinstance(at, cst.Call):
            position = self.call_position(at)
        else:
            position = self.position(at)
        if isinstance(layer, LayerNode) and layer.type == "InputLayer":
            if model.tail is None and not graph.inputs:
                graph.inputs.append(InputSpec(input_layer_shape(layer), layer.position,
                                              name=layer.name, var_name=layer.var_name))
            return
        if isinstance(layer, Tensor) and isinstance(layer.producer, InputSpec):
            if model.tail is None and not graph.inputs:
                graph.inputs.append(layer.producer)
            return
        if isinstance(layer, ModelValue):
            node_or_model: Any = layer.graph
            if model.tail is None and not graph.inputs and len(layer.graph.inputs) == 1:
                graph.inputs.append(layer.graph.inputs[0])
        elif isinstance(layer, LayerNode):
            node_or_model = layer
            if model.tail is None and not graph.inputs:
                spec = argument_input(layer)
                if spec is not None:
                    graph.inputs.append(spec)
        else:
            graph.incomplete_reason = "a layer kerascheck cannot resolve was added"
            self.touch(model)
            model.tail = UNKNOWN
            return
        self.touch(model)
        inputs = TensorRef.of_input(0) if model.tail is None else model.tail
        graph.calls.append(LayerCall(node_or_model, inputs, position))
        model.tail = TensorRef.of_call(len(graph.calls) - 1)

    # -- functional -----------------------------------------------------------------------------

    def make_functional(self, node: cst.Call, args: list[Any], kwargs: dict[str, Any]) -> Any:
        inputs = kwargs.get("inputs", kwargs.get("input", args[0] if args else MISSING))
        outputs = kwargs.get("outputs", kwargs.get("output", args[1] if len(args) > 1 else MISSING))
        if inputs is MISSING or outputs is MISSING:
            return UNKNOWN  # Model() with no graph: a subclassing pattern we do not follow
        graph = ModelGraph(text_value(kwargs.get("name")) or "model", "functional", self.call_position(node))
        keras_naming(graph, args, kwargs, ("inputs", "outputs", "name"))
        outputs_node = _argument_node(node, ("outputs", "output"), 1)
        self.check_defined(_argument_node(node, ("inputs", "input"), 0))
        self.check_defined(outputs_node)
        foreign, used = build_functional(graph, inputs, outputs)
        if foreign is not None and outputs_node is not None:
            self.report_disconnected(foreign, outputs_node)
            return UNKNOWN  # Keras refuses to build it: nothing more to check on this model
        model = ModelValue(graph, inputs=inputs, outputs=outputs, index=len(self.models))
        self.models.append(model)
        for i, record in enumerate(used):
            self.placement.setdefault(id(record), (graph, i))
        return model

    def attach_loose_calls(self) -> ModelGraph | None:
        """Layers applied to tensors that no Model(...) contains are still checked.

        A loose call on a tensor some model computes is appended to that model's calls (after
        them, outside its outputs); loose calls on Inputs only form one graph of kind
        "unattached", returned here. Snippets often stop before ``Model(...)``.
        """
        loose = [r for r in self.all_records
                 if id(r) not in self.placement and any(isinstance(t, Tensor) for t in flatten([r.inputs]))]
        if not loose:
            return None
        unattached = ModelGraph("unattached layers", "unattached", loose[0].position)
        for record in loose:
            host = unattached
            for tensor in flatten([record.inputs]):
                if isinstance(tensor, Tensor) and id(tensor.producer) in self.placement:
                    host = self.placement[id(tensor.producer)][0]
                    break
            inputs = call_refs(record.inputs, host, self.placement, add_inputs=host is unattached)
            self.placement[id(record)] = (host, len(host.calls))
            host.calls.append(LayerCall(record.layer, inputs, record.position, record.call_kwargs, record.guarded))
        return unattached if unattached.calls else None

    def report_disconnected(self, spec: InputSpec, outputs_node: cst.CSTNode) -> None:
        where = f"the Input on line {spec.position.line}"
        if spec.var_name:
            where = f"{spec.var_name} (the Input on line {spec.position.line})"
        self.diagnostics.append(diagnostic(
            "KC501", self.position(outputs_node), f"it is computed from {where}, which is not in inputs",
            detail=source(outputs_node)))

    # -- methods of models and layers -----------------------------------------------------------

    def attribute_of_object(self, value: Any, name: str, node: cst.Attribute) -> Any:
        if isinstance(value, SuperValue):
            return self.super_attribute(value, name)
        if isinstance(value, ModelValue) and value.cls is not None:
            found = self.model_attribute(value, name)
            if found is not NO_ATTRIBUTE:
                return found
        if isinstance(value, ModelValue):
            if value.graph.kind == "functional" and name in ("input", "inputs", "output", "outputs"):
                return value.inputs if name.startswith("input") else value.outputs
            if name in ("input", "inputs", "output", "outputs"):
                return Tensor(None, complete=False)
            return BoundCall(value, name)
        if isinstance(value, LayerNode):
            if name in ("output", "input"):
                return Tensor(None, complete=False)
            return BoundCall(value, name)
        return UNKNOWN

    def _eval_Attribute(self, node: cst.Attribute) -> Any:
        dotted = dotted_name(node)
        if dotted is not None:
            value = self.scope.lookup(dotted)
            if value is not MISSING:
                return value
        return super()._eval_Attribute(node)

    def call_method(self, method: BoundCall, node: cst.Call, args: list[Any], kwargs: dict[str, Any]) -> Any:
        owner, name = method.owner, method.name
        if not isinstance(owner, ModelValue):
            return UNKNOWN
        graph = owner.graph
        if name == "add" and graph.kind == "sequential" and (args or "layer" in kwargs):
            layer_node = node.args[0].value if node.args else node
            self.add(owner, args[0] if args else kwargs["layer"], layer_node)
        elif name == "pop" and graph.kind == "sequential":
            self.touch(owner)
            owner.tail = UNKNOWN
            graph.incomplete_reason = "model.pop() removes a layer"
        elif name == "build" and owner.cls is not None:
            self.declare(owner, kwargs.get("input_shape", args[0] if args else UNKNOWN), self.call_position(node))
        elif name == "build" and graph.kind == "sequential":
            shape = kwargs.get("input_shape", args[0] if args else None)
            if not graph.inputs and not owner.built and shape is not None:
                graph.inputs.append(InputSpec(batch_shape(shape, None, None), self.call_position(node)))
            owner.built = True
        elif name == "compile":
            loss = kwargs.get("loss", args[1] if len(args) > 1 else None)
            loss_node = _argument_node(node, ("loss",), 1)
            metrics = kwargs.get("metrics", UNKNOWN)
            graph.compile = CompileInfo(export_loss(loss, loss_node), self.call_position(node),
                                        export_loss(metrics, _argument_node(node, ("metrics",), None)))
        elif name in DATA_METHODS:
            call = self.data_call(graph, name, node, args, kwargs)
            if owner.cls is None:
                self.build_on_data(owner, name, call.args.get("x", UNKNOWN), call.args.get("batch_size"),
                                   call.position)
                graph.data_calls.append(call)
            else:
                x = call.args.get("x", UNKNOWN)
                built_now = self.build_from(owner, x, self.call_position(node), TRAINING_ARGUMENT.get(name),
                                            batched=True)
                if self.keeps_data_call(owner, x, built_now):
                    graph.data_calls.append(call)
        return UNKNOWN

    def build_on_data(self, model: ModelValue, method: str, x: Any, batch_size: Any, position: Position) -> None:
        """A Sequential without a declared input is built by the first data it gets (unknown
        data: built on an unknown shape), its batch dim as Keras sets it (see ``first_batch``)."""
        graph = model.graph
        if graph.kind != "sequential" or graph.inputs or model.built:
            return
        model.built = True
        if isinstance(x, Array) and x.shape:
            spec = InputSpec((first_batch(method, x.samples, batch_size, 3),) + tuple(x.shape[1:]), position,
                             built_by=method)
            graph.inputs.append(spec)
            self.keras2_batches.append((spec, first_batch(method, x.samples, batch_size, 2)))

    def data_call(self, graph: ModelGraph, method: str, node: cst.Call, args: list[Any],
                  kwargs: dict[str, Any]) -> DataCall:
        names = DATA_METHODS[method]
        values: dict[str, Any] = {}
        positions: dict[str, Position] = {}
        positional = [a for a in node.args if a.keyword is None and not a.star]
        for i, value in enumerate(args):
            if i < len(names):
                values[names[i]] = data_value(value)
                if i < len(positional):
                    positions[names[i]] = self.position(positional[i].value)
        for arg in node.args:
            if arg.keyword is not None:
                key = arg.keyword.value
                values[key] = data_value(kwargs.get(key, UNKNOWN))
                positions[key] = self.position(arg.value)
        call = DataCall(method, values, self.call_position(node), positions)
        call.compile = graph.compile
        return call

    def numpy_raises(self, node: cst.Call, message: str, hint: str | None) -> None:
        self.diagnostics.append(diagnostic("KC205", self.call_position(node), hint, detail=message))

    # -- tensors --------------------------------------------------------------------------------

    def is_symbolic(self, value: Any) -> bool:
        return isinstance(value, Tensor)

    def symbolic_result(self, operands: list[Any], complete: bool = True) -> Any:
        tensors = [t for t in flatten(operands) if isinstance(t, Tensor)]
        if not tensors:
            return UNKNOWN
        return Tensor(None, parents=tuple(tensors), complete=complete)

    def subscript_object(self, value: Any, index: Any) -> Any:
        if isinstance(value, Tensor) and isinstance(value.producer, CallRecord) and isinstance(index, int) \
                and value.index == 0 and index >= 0:
            return Tensor(value.producer, index)  # out, h, c = lstm(x) written as lstm(x)[1]
        return Tensor(None, parents=(value,))

    def undefined_tensor(self, name: str) -> bool:
        """Whether using ``name`` certainly raises NameError: bound nowhere in the file."""
        return (not self.opaque_names and name not in BUILTIN_NAMES
                and name not in self._bound_names())


def first_batch(method: str, samples: int | None, batch_size: Any, keras_version: int) -> int | None:
    """The batch dim of the input Keras builds a Sequential on (TensorFlow backend, measured):
    a call or ``*_on_batch`` builds it on the whole array; ``fit`` and ``evaluate`` (and tf-keras's
    ``predict``) on batches of ``batch_size``, a static dim only if every batch is full; Keras 3's
    ``predict`` on its first batch."""
    if method == "call" or method.endswith("_on_batch"):
        return samples
    size = DEFAULT_BATCH_SIZE if batch_size is None else batch_size
    if not isinstance(size, int) or isinstance(size, bool) or size <= 0 or samples is None:
        return None
    if method.startswith("predict") and keras_version == 3:
        return min(size, samples)
    return size if samples % size == 0 else None


def keras_naming(graph: ModelGraph, args: list[Any], kwargs: dict[str, Any], positional: tuple[str, ...]) -> None:
    """Record what Keras names a model from and whether it trains: ``name`` and ``trainable``
    (by keyword, or by position in the constructor's ``positional`` parameters)."""
    given = {**dict(zip(positional, args)), **kwargs}
    name = given.get("name")
    graph.given_name = name if name is None or isinstance(name, str) else UNKNOWN
    trainable = given.get("trainable", True)
    graph.trainable = trainable if isinstance(trainable, bool) else UNKNOWN


_DECLARED_SHAPES = ("input_shape", "batch_input_shape", "input_dim")
_SHAPE_READERS = frozenset({"shape", "int_shape", "get_shape"})


def _walk(node: cst.CSTNode) -> Iterable[cst.CSTNode]:
    """``node`` and every node under it (bounded: an expression the guard let through)."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(children(current))  # the nodes of current.children, without its visitor
_MAX_LABEL = 30


def _label(node: cst.CSTNode | None) -> str:
    """How an unknown dim is shown: its source when short, else ``?``."""
    text = " ".join(source(node).split()) if node is not None else ""
    return text if 0 < len(text) <= _MAX_LABEL else "?"


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


def _pairs(body: Iterable[cst.CSTNode], tree_body: list[ast.stmt]) -> Iterable[tuple[cst.CSTNode, Any]]:
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


def _argument_node(node: cst.Call, keywords: tuple[str, ...], index: int | None) -> cst.BaseExpression | None:
    for arg in node.args:
        if arg.keyword is not None and arg.keyword.value in keywords:
            return arg.value
    positional = [a for a in node.args if a.keyword is None and not a.star]
    if index is not None and index < len(positional):
        return positional[index].value
    return None


def _list_nodes(node: cst.Call, keyword: str) -> list[cst.BaseExpression] | None:
    return element_nodes(_argument_node(node, (keyword,), 0))
