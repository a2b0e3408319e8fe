"""The model interpreter: abstract interpretation of a module to find the Keras models it builds.

``Interpreter`` is assembled from rooms, each a mixin holding one concern:

- ``execute.Executor``: the generic abstract interpreter (statements, functions, classes, loops);
- ``state.BranchMerging``: undecided branches run each way from one state, then merged;
- ``model_parts.ModelParts``: ``model.layers[i]``, ``model.get_layer(name)``, a layer's ``.output``;
- ``keras_api.KerasSemantics``: layers, ``Input``, ``Sequential``/``Model``, ``compile`` and
  ``fit``/``evaluate``/``predict`` recording;
- ``tensor_shapes.TensorShapes``: sizes read from tensors (``x.shape[-1]``) as named dims;
- ``data_format.ImageDataFormat``: the data format ``K.set_image_data_format`` gives the layers made after it;
- ``custom_layers.CustomLayers``: layer classes of the project (``build``, ``add_weight``, ``call``);
- ``subclassed.SubclassedModels``: subclassed models and ``keras.ops`` calls;
- ``objects.PlainObjects``: instances of the file's plain classes (``class GAN:``), attributes on them;
- ``values.Evaluator``: the static values of expressions.

This module holds what they share: the state they read and write, positions, and the budget.
"""

from __future__ import annotations

import ast
from typing import Any, Callable

import libcst as cst

from kerascheck.diagnostics import Diagnostic
from kerascheck.frontend.applications import Applications
from kerascheck.frontend.custom_layers import CustomLayers, LayerObject
from kerascheck.frontend.data_format import ImageDataFormat
from kerascheck.frontend.execute import BudgetExceeded, Executor, statement_pairs
from kerascheck.frontend.graphs import CallRecord, ClassValue, Function, ModelValue, Tensor
from kerascheck.frontend.keras_api import KerasSemantics
from kerascheck.frontend.model_parts import ModelParts
from kerascheck.frontend.objects import PlainObjects
from kerascheck.frontend.positions import SourceText, StatementPositions
from kerascheck.frontend.state import BranchMerging, Depth, Scope
from kerascheck.frontend.subclassed import SubclassedModels
from kerascheck.frontend.tensor_shapes import TensorShapes
from kerascheck.frontend.values import Evaluator
from kerascheck.graph import ModelGraph, Position


class Interpreter(PlainObjects, TensorShapes, ImageDataFormat, CustomLayers, Applications, ModelParts, KerasSemantics, SubclassedModels, BranchMerging, Executor, Evaluator):
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
        self.call_depth = Depth()  # nested user-function calls
        self.traced = Depth()  # functions tf.data traces (Dataset.map)
        self.statements = 0
        self.opaque_names = False  # a star import of an unknown module may define any name
        self.bound_names = bound_names
        self.returns: list[list[Any]] = []
        self.snapshots: list[tuple[int, dict[int, tuple[ModelValue, Any]]]] = []
        self._contexts: dict[int, StatementPositions] = {}
        self._source = SourceText(text)
        self.model_classes: list[ClassValue] = []
        self.method_stack: list[tuple[ClassValue, ModelValue]] = []
        self.in_model_call = Depth()  # a subclassed model's call runs
        self.list_depths: dict[int, tuple[list, int]] = {}  # list literal -> branch depth it was made at
        self.unknown_dims = 0  # symbolic dims made so far: each gets its own identity
        self.shape_guards = Depth()  # branches of an undecided condition on tensor shapes
        self.assigned_from: dict[str, cst.BaseExpression] = {}  # a name -> what it was last assigned
        self.lambda_functions: dict[int, Any] = {}  # id(Lambda layer) -> its function (see lambda_result)
        self.layer_objects: dict[int, LayerObject] = {}  # id(custom layer node) -> its instance
        self.custom_frames: list[Any] = []  # custom layers' calls running, innermost last
        self.dim_reads: dict[Any, tuple[Tensor, int]] = {}  # named dim read from a tensor -> tensor, axis
        self.read_dims: dict[tuple, Any] = {}  # (producer id, output, axis) -> that named dim
        self.shape_reads: dict[int, tuple[cst.CSTNode, bool, tuple[str, ...]]] = {}
        self.sources: dict[int, tuple[cst.CSTNode, str]] = {}
        self.keras_inputs: set[int] = set()  # ids of the InputSpecs of keras.Input() calls (KerasTensors)
        self.keras3_diagnostics: list[Diagnostic] = []  # problems only if the file targets Keras 3
        self.opaque_tensors: dict[int, Tensor] = {}  # results of functions that may not be KerasTensors
        self.speculative = Depth()  # a function no statement calls runs with unknown arguments
        self.image_data_format: Any = "channels_last"  # K.set_image_data_format's (data_format.py)

    # -- driving --------------------------------------------------------------------------------

    def run(self, tree: ast.Module) -> None:
        try:
            for node, tree_node in statement_pairs(self.module.body, tree.body):
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
                    with self.speculative:
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
