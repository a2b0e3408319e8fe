"""The arrays given to fit/evaluate/predict against the model's inputs, outputs and loss.

Keras 3 semantics (measured, see tests/data): a model accepts data whose rank equals the
input's, or differs by a trailing axis of 1 (added or dropped). A functional model then checks
every known dimension (its InputSpec); a Sequential one does not, so there a mismatch fails
exactly where a layer's built weights would need another shape (LSTM time steps and conv
spatial sizes may differ). Keras 2 checks every dimension. Labels follow ``losses.contract``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional

from kerascheck.data import losses
from kerascheck.data.acceptance import adjust_rank, first_breaking_step, spec_compatible
from kerascheck.data.arrays import Array, is_ragged, items_dtype, sequence_lengths
from kerascheck.data.pipelines import Batches
from kerascheck.data.graphwalk import (
    Step,
    activation,
    chain,
    output_refs,
    recorded,
    recorded_step,
    recurrent,
    returns_sequences,
    walk,
    walked,
    wrapped,
)
from kerascheck.data.hints import assigned, counts_samples, feature_hint, greater, label_hint, per_step_plan, time_fix
from kerascheck.data.loss_code import from_logits, swapped_loss
from kerascheck.diagnostics import Diagnostic, diagnostic
from kerascheck.graph import DEFAULT_BATCH_SIZE, UNKNOWN, DataCall, LayerNode, Position, TensorRef
from kerascheck.repairs import Fix, InsertLayer, RemoveLayer, ReplaceArgument, UnwrapLayer
from kerascheck.shapes.base import format_shape, is_int, rule_for

if TYPE_CHECKING:
    from kerascheck.shapes.propagate import ModelResult

WITH_LABELS = ("fit", "evaluate", "train_on_batch", "test_on_batch")


def shape_text(array: Array) -> str:
    return format_shape(array.shape)


class ModelData:
    """What the checks need to know of one model, computed once."""

    def __init__(self, result: ModelResult) -> None:
        self.result = result
        self.model = result.model
        self.inputs = [s if isinstance(s, tuple) else None for s in result.inputs]
        outputs = result.outputs
        self.outputs = outputs if isinstance(outputs, list) else [outputs]
        self.outputs = [s if isinstance(s, tuple) else None for s in self.outputs]
        self._steps: Optional[list[Step]] = None  # made when a check first needs them all
        self.output_refs = output_refs(self.model)
        self.compile = self.model.compile

    @property
    def steps(self) -> list[Step]:
        """Every call's step for the model's inputs."""
        if self._steps is None:
            self._steps = walked(self.result)
        return self._steps

    def loss_at(self, call: DataCall) -> Any:
        """The loss in effect for ``call``: the frontend's ``call.compile`` when it records one
        (an optional DataCall attribute), else the model's compile if it comes before the call."""
        info = getattr(call, "compile", None)
        if info is None:
            info = self.compile
            if info is None or (info.position.line, info.position.column) > \
                    (call.position.line, call.position.column):
                return None
        return info.loss

    def output_chain(self, i: int) -> list[Step]:
        if i >= len(self.output_refs):
            return []
        return [self.steps[k] for k in chain(self.model, self.output_refs[i]) if k < len(self.steps)]

    def output_step(self, i: int) -> Optional[Step]:
        """The step of the call producing output ``i``: ``output_chain(i)[0]``, without the
        chain, nor every step when propagation recorded the shapes (a model without data calls
        needs no other)."""
        ref = self.output_refs[i] if i < len(self.output_refs) else None
        if not isinstance(ref, TensorRef) or ref.call is None or ref.call >= len(self.model.calls):
            return None
        if self._steps is None and recorded(self.result):
            return recorded_step(self.result, ref.call)
        return self.steps[ref.call]

    def output_name(self, i: int) -> Optional[str]:
        step = self.output_step(i)
        node = step.node if step is not None else None
        return node.name if isinstance(node, LayerNode) else None


def check_model(result: ModelResult) -> list[Diagnostic]:
    """Every data diagnostic for one model: its data calls, and output-layer warnings."""
    data = ModelData(result)
    found = _softmax_single_unit(data)
    for call in data.model.data_calls:
        found.extend(CallCheck(data, call).run())
    return found


def _softmax_single_unit(data: ModelData) -> list[Diagnostic]:
    found = []
    for i in range(len(data.output_refs)):
        step = data.output_step(i)
        if step is not None and activation(step.node) == "softmax" and isinstance(step.output, tuple) \
                and step.output[-1:] == (1,):
            found.append(diagnostic("KC604", step.node.position,
                                    "use activation='sigmoid' with one unit, or one unit per class",
                                    layer=step.type))
    return found


class CallCheck:
    """The checks of one ``model.fit/evaluate/predict/..._on_batch(...)`` call."""

    def __init__(self, data: ModelData, call: DataCall) -> None:
        self.data = data
        self.call = call
        self.method = call.method
        self.found: list[Diagnostic] = []
        self.shown: dict[int, str] = {}  # id(array) -> "y[1]", "x['meta']" for multi-input/output models
        self.keys: dict[int, str] = {}  # id(array) -> its key in the call's arg_names: "x", "validation_data[0]"
        self.unbatched = False  # x is a dataset of single samples

    def at(self, name: str) -> Position:
        return self.call.arg_positions.get(name, self.call.position)

    def run(self) -> list[Diagnostic]:
        steps = self.data.model.custom_steps
        if _step_of(self.method) in steps:  # the class's own step reads the data: nothing to say
            return self.found
        args = self.call.args
        x, y = args.get("x", UNKNOWN), args.get("y", UNKNOWN)
        keys: tuple = ("x", "y", "validation_data[0]", "validation_data[1]")  # where each is written
        if isinstance(args.get("generator"), Batches):  # fit_generator(...): only a generator is one
            x = args["generator"]
        self.unbatched = isinstance(x, Batches) and x.unbatched
        if isinstance(x, Batches):  # a generator or dataset: features and labels of each step
            x, y = x.x, x.y
            keys = (None, None) + keys[2:]
        validation = args.get("validation_data")
        if isinstance(validation, Batches):
            validation = (validation.x, validation.y)
            keys = keys[:2] + (None, None)
        for key, value in zip(keys, (x, y) + (tuple(validation[:2]) if isinstance(validation, (tuple, list)) else ())):
            self.spelled(key, value)
        pairs = validation if isinstance(validation, (tuple, list)) else ()
        fed = [("x", "x", x, len(self.data.inputs)), ("y", "y", y, len(self.data.outputs))] + \
            [("validation_data", label, value, expected) for label, value, expected
             in zip(("validation x", "validation y"), pairs, (len(self.data.inputs), len(self.data.outputs)))]
        if any([self.ragged(*item) for item in fed]):
            return self.found
        xs = self.split("x", x, self.data.inputs, "inputs")
        labelled = self.method.startswith(WITH_LABELS) and "compute_loss" not in steps  # else its loss reads them
        ys = self.split("y", y, self.data.outputs, "outputs") if labelled else []
        weights = args.get("sample_weight")
        weighted = [("sample_weight", (0, weights))] if isinstance(weights, Array) and weights.shape else []
        # A dataset's single samples are taken as batches: their first axes are no sample counts.
        if not self.unbatched and not self.counts(self.labelled("x", xs) + self.labelled("y", ys) + weighted,
                                                  "x", "y"):
            return self.found
        if self.features("x", xs):
            return self.found  # the model's input shape is wrong: its outputs and validation with it
        self.labels("y", ys)
        if self.method.startswith("fit") and isinstance(validation, (tuple, list)) and len(validation) >= 2:
            vxs = self.split("validation_data", validation[0], self.data.inputs, "inputs", "validation x")
            vys = self.split("validation_data", validation[1], self.data.outputs, "outputs", "validation y") \
                if labelled else []
            pairs = self.labelled("validation x", vxs) + self.labelled("validation y", vys)
            if self.counts(pairs, "validation_data", "validation_data"):
                if not self.features("validation_data", vxs, "validation x"):
                    self.labels("validation_data", vys, "validation y")
        return self.found

    # ---- structure ---------------------------------------------------------------------------

    def ragged(self, name: str, label: str, value: Any, expected: int) -> bool:
        """KC405: sequences of different lengths where Keras needs one array (an object array of
        them, or a list of them for a model with one input or output)."""
        lengths = sequence_lengths(value)
        if not is_ragged(lengths) or (not isinstance(value, Array) and expected != 1):
            return False
        shown = ", ".join("?" if n is None else str(n) for n in lengths[:4]) + (", ..." if len(lengths) > 4 else "")
        written = self.call.arg_names.get(name) if name == label else None
        kind = None if isinstance(value, Array) else items_dtype(value)
        dtype = ", dtype='float32'" if kind == "float" else ""
        padding = f"keras.utils.pad_sequences({written or 'sequences'}, padding='post'{dtype})"
        hint = f"pad them to one length: {assigned(written, padding) if written else 'use ' + padding}"
        if kind not in ("int", "float"):
            hint += " (with dtype='float32' for values that are not integers)"
        argument = label if name == "validation_data" else name
        hint = self.origin(hint, value) if isinstance(value, Array) else hint
        self.found.append(diagnostic("KC405", self.at(name), hint, argument=argument, method=self.method,
                                     lengths=shown))
        return True

    def split(self, name: str, value: Any, shapes: list, what: str, label: str = "") -> list[tuple[int, Array]]:
        """(input/output index, array) pairs for the known arrays in ``value`` (KC404 on a count mismatch)."""
        expected = len(shapes)
        label = label or name
        if isinstance(value, dict):
            names = [self.input_name(i) if what == "inputs" else self.data.output_name(i)
                     for i in range(expected)]
            found = [(names.index(k), v) for k, v in value.items()
                     if k in names and isinstance(v, Array) and v.shape is not None]
            self.shown.update({id(v): f"{label}[{k!r}]" for k, v in value.items() if isinstance(v, Array)})
            return found
        if isinstance(value, Array):
            items = [value]
        elif isinstance(value, (list, tuple)) and value and all(isinstance(v, Array) for v in value):
            items = list(value)
        else:
            return []
        partial = self.partial_outputs() if what == "outputs" else None
        if partial is not None and len(items) == len(partial) != expected:
            self.shown.update({id(v): f"{label}[{i}]" for i, v in enumerate(items)})
            return [(partial[i], v) for i, v in enumerate(items) if v.shape is not None]
        if expected > 1 and len(items) != expected:
            self.found.append(diagnostic("KC404", self.at(name), None, argument=label, method=self.method,
                                         actual=len(items), expected=expected, what=what))
            return []
        if len(items) > 1 and expected == 1:
            items = self.one_of_many(name, label, items, what)
        elif len(items) > max(expected, 1):
            return []
        if expected > 1:
            self.shown.update({id(v): f"{label}[{i}]" for i, v in enumerate(items)})
        return [(i, v) for i, v in enumerate(items) if v.shape is not None]

    def one_of_many(self, name: str, label: str, items: list[Array], what: str) -> list[Array]:
        """The arrays Keras reads of a list of several for a model of one input or output:
        a functional model rejects them (KC404), and so does tf-keras, but Keras 3's Sequential
        runs on the first features and tf-keras fits on the first labels (measured)."""
        model = self.data.model
        version = model.keras_version
        if model.kind not in ("sequential", "functional"):
            return []
        takes_first = version == 3 and model.kind == "sequential" if what == "inputs" else version == 2
        if takes_first:
            self.shown[id(items[0])] = f"{label}[0]"
            return items[:1]
        self.found.append(diagnostic("KC404", self.at(name), None, argument=label, method=self.method,
                                     actual=len(items), expected=1, what=what[:-1]))
        return []

    def partial_outputs(self) -> list[int] | None:
        """The outputs of a loss list with None entries: Keras then also takes one label array
        per non-None loss, in order (None: no such loss)."""
        loss = self.data.loss_at(self.call)
        if isinstance(loss, (list, tuple)) and len(loss) == len(self.data.outputs) \
                and any(entry is None for entry in loss):
            return [i for i, entry in enumerate(loss) if entry is not None]
        return None

    def labelled(self, name: str, arrays: list[tuple[int, Array]]) -> list[tuple[str, tuple[int, Array]]]:
        """``x``, or ``x[1]`` / ``x['meta']`` for one input of a multi-input model."""
        return [(self.shown.get(id(a), name), (i, a)) for i, a in arrays]

    def argument(self, name: str, array: Array) -> str:
        return self.shown.get(id(array), name)

    def spelled(self, key: str | None, value: Any) -> None:
        """Note where the arrays of ``value`` are written (``key``, or an item of it)."""
        if isinstance(value, dict):
            items = [(f"{key}[{k!r}]", v) for k, v in value.items()]
        elif isinstance(value, (list, tuple)):
            items = [(f"{key}[{i}]", v) for i, v in enumerate(value)]
        else:
            items = [(key, value)]
        for item_key, item in items:
            if isinstance(item, Array) and key is not None:
                self.keys.setdefault(id(item), item_key)

    def written(self, array: Array, default: str) -> str:
        """The array as the call writes it (``X_train``, ``np.zeros((8, 3))``), for the fix a hint
        shows; ``default`` when that is not known (an array of a dataset, a long expression)."""
        return self.call.arg_names.get(self.keys.get(id(array)), default)

    def input_name(self, i: int) -> Optional[str]:
        specs = self.data.model.inputs
        return specs[i].name if i < len(specs) else None

    def counts(self, arrays: list[tuple[str, tuple[int, Array]]], first_arg: str, second_arg: str) -> bool:
        """KC403 when arrays fed together disagree on the sample count; False stops the call's checks."""
        known = [(label, a.samples) for label, (_, a) in arrays if a.shape and a.samples is not None]
        for label, n in known[1:]:
            if n != known[0][1]:
                where = self.at("sample_weight" if label == "sample_weight" else
                                second_arg if label.split("[")[0].endswith("y") else first_arg)
                self.found.append(diagnostic("KC403", where, "give every array the same samples",
                                             first=known[0][0], n=known[0][1], second=label, m=n))
                return False
        return True

    # ---- features ----------------------------------------------------------------------------

    def features(self, name: str, xs: list[tuple[int, Array]], label: str = "") -> bool:
        """Report the first array the model's inputs cannot take (written at ``name``, called
        ``label``: "validation x"); True when the model's input shape is what is wrong (it counts
        the samples), so that its outputs are not to be trusted."""
        data = self.data
        fed = list(data.inputs)
        problems = []
        # Functional models check their input shape (input_spec); Sequential ones only the rank.
        strict = data.model.kind == "functional" or data.model.keras_version == 2
        for i, array in xs:
            declared = data.inputs[i] if i < len(data.inputs) else None
            if declared is None or not array.shape:
                continue
            adjusted = adjust_rank(array.shape, declared)
            if adjusted is None:
                detail = f"{len(array.shape)}D data for a {len(declared)}D input"
                problems.append((array, declared, detail))
                continue
            if strict and not spec_compatible(array.shape, declared):
                what = "a functional model" if data.model.kind == "functional" else "Keras 2"
                problems.append((array, declared, f"{what} checks every dimension of its input"))
                continue
            fed[i] = (declared[0],) + tuple(adjusted[1:])
        if problems:
            array, declared, detail = problems[0]
            self.report_features(name, label or name, array, declared, detail)
            return not self.unbatched and counts_samples(array.shape, declared)
        if fed == data.inputs:
            return False
        breaking = first_breaking_step(data.steps, walk(data.model, fed))
        if breaking is not None:
            declared_step, fed_step = breaking
            i, array = xs[0]
            detail = (f"the {fed_step.type} on line {fed_step.line} was built for "
                      f"{format_shape(declared_step.input)} and would get {format_shape(fed_step.input)}")
            self.report_features(name, label or name, array, data.inputs[i], detail)
        return False

    def report_features(self, name: str, label: str, array: Array, declared: tuple, detail: str) -> None:
        hint = "the dataset's elements are single samples: batch it (dataset.batch(32))" if self.unbatched \
            else feature_hint(array.shape, declared, self.method, self.data, self.written(array, "X"))
        hint = self.origin(hint, array)
        self.found.append(diagnostic("KC401", self.at(name), hint, argument=self.argument(label, array),
                                     method=self.method,
                                     actual=shape_text(array), expected=format_shape(declared), detail=detail))

    def origin(self, hint: Optional[str], array: Array) -> Optional[str]:
        """The hint, then the line that made the array (or the one it was computed from), if the
        array is not made inside the call."""
        made, call = array.position, self.call.position
        if made is None or call.line <= made.line <= call.end_line:
            return hint
        where = f"it comes from the array made on line {made.line}"
        return f"{hint}; {where}" if hint else where

    # ---- labels ------------------------------------------------------------------------------

    def labels(self, name: str, ys: list[tuple[int, Array]], label: str = "") -> None:
        """Check each array of labels against its output and loss (written at ``name``, called
        ``label``: "validation y")."""
        data = self.data
        keras2 = data.model.keras_version == 2
        for i, array in ys:
            output = data.outputs[i] if i < len(data.outputs) else None
            loss_value = losses.loss_for(data.loss_at(self.call), i, data.output_name(i), len(data.outputs))
            loss = losses.identify(loss_value)
            if output is None or loss is None or not array.shape or not output:
                continue
            y_true, y_pred = losses.with_batch(array.shape), losses.with_batch(output)
            if keras2:
                verdict = losses.contract_keras2(loss, y_true, y_pred, self.compares_logits(i, loss_value))
            else:
                verdict = losses.contract(loss, y_true, y_pred)
            if verdict.status == "unknown":
                continue
            resolved = losses.resolve_auto(loss, y_true, y_pred)
            if verdict.status == "broadcast" and verdict.batch_dims:
                sizes = self.batch_sizes(array.samples)
                if sizes is not None and any(s not in verdict.batch_dims + (1,) for s in sizes):
                    verdict = losses.Verdict("error", f"{loss.name} broadcasts the labels' batch axis "
                                                      f"against the output's other axes")
            fields = dict(argument=self.argument(label or name, array), method=self.method, actual=shape_text(array),
                          expected=format_shape(output))
            sequence = self.sequence_cause(i, array, output)
            if verdict.status == "error":
                hint = sequence[1] if sequence else label_hint(resolved, array, output, data, i,
                                                               self.written(array, "y"))
                if sequence:
                    fix = self.sequence_fix(sequence[0], sequence[2], i)
                else:
                    fix = self.loss_fix(resolved, array, output) or self.padding_fix(i, array, output) \
                        or self.per_step_fix(i, array, output)
                hint = self.origin(hint, array)
                self.found.append(diagnostic("KC402", self.at(name), hint, fix, **fields, detail=verdict.detail))
            elif sequence:
                code, hint, step = sequence
                if code == "KC602":
                    hint = "add Flatten() or GlobalAveragePooling1D() before it"
                    fields = {"layer": f"the {step.type} on line {step.line}",
                              "actual": format_shape(step.input), "labels": shape_text(array)}
                fix = self.sequence_fix(code, step, i)
                self.found.append(diagnostic(code, self.at(name), hint, fix, **fields))
            elif verdict.status == "broadcast":
                self.found.append(diagnostic("KC601", self.at(name), label_hint(resolved, array, output, data, i,
                                                                                self.written(array, "y")),
                                             **fields, detail=verdict.detail))
            elif resolved.name == "categorical_crossentropy" and output[-1] == 1:
                self.found.append(diagnostic("KC606", self.at(name),
                                             "use loss='binary_crossentropy' with one sigmoid unit, "
                                             "or one softmax unit per class", loss=resolved.name))
            elif resolved.name == "binary_crossentropy" and array.one_hot and greater(array.shape[-1], 2):
                self.found.append(diagnostic("KC605", self.at(name),
                                             "use a softmax output with loss='categorical_crossentropy'",
                                             loss=resolved.name, classes=array.shape[-1]))

    def compares_logits(self, i: int, loss: Any) -> bool:
        """Whether tf-keras's binary cross-entropy compares output ``i``'s logits with the labels
        (equal shapes needed): the output ends in a sigmoid or softmax, or ``from_logits=True``."""
        step = self.data.output_step(i)
        return from_logits(loss) is True or (step is not None and activation(step.node) in ("sigmoid", "softmax"))

    def sequence_cause(self, i: int, array: Array, output: tuple) -> Optional[tuple[str, str, Step]]:
        """Per-sample labels for a per-step output: KC603 (return_sequences) or KC602 (Dense on 3D)."""
        if len(output) < 3 or not _per_sample(array.shape, output):
            return None
        distributed = []  # TimeDistributed layers after the RNN: they need the sequences
        for step in self.data.output_chain(i):
            rnn = recurrent(step.node)
            if rnn is not None:
                if returns_sequences(rnn):
                    unwrap = f" and drop the TimeDistributed on line {', '.join(distributed)}" if distributed else ""
                    return "KC603", (f"the {step.type} on line {step.line} returns sequences; "
                                     f"set return_sequences=False there{unwrap}"), step
                return None
            if step.type == "TimeDistributed":
                distributed.insert(0, str(step.line))
            if step.type in ("Dense", "EinsumDense") and isinstance(step.input, tuple) and len(step.input) >= 3:
                earlier = [s for s in self.data.output_chain(i) if s.index < step.index]
                if not any(recurrent(s.node) is not None and returns_sequences(recurrent(s.node))
                           for s in earlier):
                    return "KC602", (f"the {step.type} on line {step.line} is applied to each step of "
                                     f"{format_shape(step.input)}; add Flatten() or "
                                     f"GlobalAveragePooling1D() before it"), step
        return None

    # ---- candidate fixes (fixes.verify checks each on the changed graph before it is offered) --

    def sequence_fix(self, code: str, step: Step, i: int) -> Optional[Fix]:
        """KC603: unset return_sequences on the RNN, and unwrap the TimeDistributed Dense layers
        after it (unsafe: the model then has other layers); KC602: Flatten() before the Dense."""
        if code == "KC603":
            model = self.data.model
            if len(model.readers(TensorRef.of_call(step.index))) != 1:
                return None  # another branch reads the sequences too
            rnn = recurrent(step.node)
            rule = rule_for(rnn.type)
            if rule is None:  # never here: without a rule (CuDNNLSTM) a layer's output is not known
                return None
            edit = rule.bind(rnn).edit("return_sequences", "False")
            wrappers = [s for s in self.data.output_chain(i) if s.index > step.index and s.type == "TimeDistributed"]
            if any(len(model.readers(TensorRef.of_call(s.index))) != 1
                   or getattr(wrapped(s.node), "type", None) != "Dense" for s in wrappers):
                return None  # a TimeDistributed layer that would not take one vector per sample
            fix = f"set return_sequences=False on the {rnn.type} on line {rnn.position.line}"
            if not wrappers:
                return Fix(fix, (edit,))
            lines = ", ".join(str(s.line) for s in reversed(wrappers))
            return Fix(f"{fix}, and apply the Dense on line {lines} without TimeDistributed",
                       (edit, *(UnwrapLayer(s.node.position) for s in reversed(wrappers))), Fix.UNSAFE)
        if step.type != "Dense" or not isinstance(step.input, tuple) \
                or not all(isinstance(d, int) for d in step.input[1:]):
            return None  # Flatten needs known sizes for the Dense to build (EinsumDense: its equation decides)
        return Fix(f"insert Flatten() before the {step.type} on line {step.line}",
                   (InsertLayer(step.node.position, "Flatten()"),), Fix.UNSAFE)

    def loss_fix(self, loss: losses.Loss, array: Array, output: tuple) -> Optional[Fix]:
        """Categorical vs sparse categorical cross-entropy, when the labels' shape decides it."""
        info = getattr(self.call, "compile", None) or self.data.compile
        if info is None or len(self.data.outputs) != 1:
            return None
        labels, classes = array.shape, output[-1]
        if not isinstance(classes, int) or classes < 2 or losses.identify(info.loss) != loss:
            return None
        if loss.name == "categorical_crossentropy" and array.dtype in ("int", None) and not array.one_hot \
                and (len(labels) == len(output) - 1 or (len(labels) == len(output) and labels[-1] == 1)):
            new = "sparse_categorical_crossentropy"
        elif loss.name == "sparse_categorical_crossentropy" and len(labels) == len(output) \
                and labels[-1] == classes and (array.one_hot or array.dtype in ("int", "float", None)):
            new = "categorical_crossentropy"
        else:
            return None
        written = swapped_loss(info.loss, loss.name, new)  # a string, or a loss object as written
        if written is None:
            return None
        return Fix(f"use loss={written[0]} in the compile on line {info.position.line}",
                   (ReplaceArgument(info.position, written[0], name="loss", index=1),), Fix.UNSAFE)

    def padding_fix(self, i: int, array: Array, output: tuple) -> Optional[Fix]:
        """Labels one value per step of the input's length, shortened by 'valid' Conv1D layers:
        padding='same' on them, offered only when that alone gives the labels' shape."""
        labels = array.shape
        if len(labels) != 3 or len(output) != 3 or labels[1] == output[1]:
            return None
        steps = [s for s in self.data.output_chain(i)
                 if isinstance(s.node, LayerNode) and s.type == "Conv1D" and isinstance(s.input, tuple)
                 and isinstance(s.output, tuple) and len(s.input) == 3 and s.input[1] != s.output[1]
                 and str(rule_for(s.node.type).bind(s.node)["padding"]).lower() == "valid"]
        if not steps or not all(len(self.data.model.readers(TensorRef.of_call(s.index))) == 1 for s in steps):
            return None
        convs = [s.node for s in steps]
        lines = ", ".join(str(n.position.line) for n in reversed(convs))
        edits = tuple(rule_for(n.type).bind(n).edit("padding", "'same'") for n in reversed(convs))
        return Fix(f"padding='same' on the Conv1D on line {lines}", edits, Fix.UNSAFE)

    def per_step_fix(self, i: int, array: Array, output: tuple) -> Optional[Fix]:
        """Labels one value per step, an output with none (seed 2): the RNN returns sequences,
        and the layers before it keep every step (padding='same' on a Conv1D of stride 1, a
        pooling layer removed), when nothing else reads what they change."""
        if len(array.shape) != 3 or len(output) != 2:
            return None
        plan = per_step_plan(array.shape[1], self.data, i)
        if plan is None:
            return None
        step, shrinking = plan
        model = self.data.model
        first = min(changed.index for changed in (step, *shrinking))
        changed = [s for s in self.data.output_chain(i) if s.index >= first]
        if any(len(model.readers(TensorRef.of_call(s.index))) != 1 for s in changed):
            return None  # another branch reads a tensor whose length would change
        rnn = recurrent(step.node)
        rule = rule_for(rnn.type)
        if rule is None:  # never here: without a rule (CuDNNLSTM) a layer's output is not known
            return None
        edits = [rule.bind(rnn).edit("return_sequences", "True")]
        for s in shrinking:
            if "Pool" in s.type:
                edits.append(RemoveLayer(s.node.position))
            elif s.type == "Conv1D" and rule_for("Conv1D").bind(s.node)["strides"] in (1, (1,), [1]):
                edits.append(rule_for("Conv1D").bind(s.node).edit("padding", "'same'"))
            else:
                return None  # a strided convolution, a cropping...: keeping the steps is a choice of its own
        keep = "".join(f", {time_fix(s)} on line {s.line}" for s in shrinking)
        return Fix(f"return_sequences=True on the {rnn.type} on line {rnn.position.line}{keep}", tuple(edits),
                   Fix.UNSAFE)

    def batch_sizes(self, samples: Optional[int]) -> Optional[set[int]]:
        """The batch sizes of the steps Keras will run, when known."""
        if samples is None:
            return None
        if self.method.endswith("_on_batch"):
            return {samples}
        size = self.call.args.get("batch_size", DEFAULT_BATCH_SIZE)
        size = DEFAULT_BATCH_SIZE if size is None else size
        if not isinstance(size, int) or size <= 0:
            return None
        sizes = {min(size, samples)}
        if samples > size and samples % size:
            sizes.add(samples % size)
        return sizes


def _step_of(method: str) -> str:
    """The model method ``fit``, ``evaluate`` or ``predict`` (and their variants) runs per batch."""
    if method.startswith(("fit", "train")):
        return "train_step"
    return "test_step" if method.startswith(("evaluate", "test")) else "predict_step"


def _per_sample(labels: tuple, output: tuple) -> bool:
    """Labels without the output's time/position axis: (n,), or (n, k) with k not that axis.
    Against an axis of unknown length, only (n, 1) is: (n, k) may hold one label per step."""
    if len(labels) == 1:
        return True
    if len(labels) != 2 or not is_int(labels[1]):
        return False
    return labels[1] != output[1] if is_int(output[1]) else labels[1] == 1
