"""Recurrent layers (LSTM, GRU, SimpleRNN, RNN around their cells) and the wrappers
Bidirectional and TimeDistributed.

Keras facts worth knowing (Keras 3.15):
- GRU defaults to ``reset_after=True`` (Keras 2.x's CuDNN convention): it has two bias vectors,
  ``3 * (units * (features + units) + 2 * units)`` weights.
- ``return_state=True`` gives a list: ``[output, h]`` (GRU, SimpleRNN) or ``[output, h, c]`` (LSTM).
- ``stateful=True`` needs a fixed batch size: Keras rejects a ``None`` batch when building.
- ``Bidirectional`` derives its output shape from the *forward* layer only, even when a
  ``backward_layer`` with other units is given; its own backward copy always has
  ``go_backwards=True``, so wrapping a layer with ``go_backwards=True`` is rejected. A stateful
  layer with ``return_state=True`` always fails inside it (a Keras bug in ``compute_mask``).
  tf-keras (Keras 2) accepts both: its backward copy flips the wrapped layer's ``go_backwards``.
- ``TimeDistributed`` builds the wrapped layer on the shape without the time axis but skips the
  wrapped layer's input-rank check: ``TimeDistributed(RepeatVector(3))`` on 4D builds, then fails
  in ``fit``/``predict``. kerascheck reports the wrapped layer's rank (KC101) at build time: the
  model cannot run. A wrapped layer with several outputs (``return_state=True``) is rejected.
"""

from __future__ import annotations

from kerascheck.graph import LayerNode, ModelGraph
from kerascheck.shapes.base import (
    REQUIRED,
    Args,
    LayerRule,
    Output,
    Shape,
    ShapeError,
    describe,
    format_shape,
    format_value,
    is_int,
    is_known,
    non_trainable_params,
    rank_error,
    register,
    rule_for,
)
from kerascheck.shapes.activations import check_activation
from kerascheck.shapes.core import rank_word
from kerascheck.shapes.merging import Unbroadcastable, tensorflow_op_shape

RECURRENT = ("LSTM", "GRU", "SimpleRNN")


class Recurrent(LayerRule):
    """Shared behaviour of LSTM, GRU and SimpleRNN on ``(batch, timesteps, features)``."""

    ndim = 3
    input_hint = "(batch, timesteps, features)"
    gates = 1
    states = 1  # state tensors returned with return_state=True
    unsized_errors = ("Shapes used to initialize variables must be fully-defined",
                      "int() argument must be a string, a bytes-like object or a real number, not 'NoneType'")

    def weight_axes(self, a: Args, shape: Shape) -> tuple[int, ...]:
        return (-1,)

    def check_args(self, a: Args) -> None:
        a.positive_int("units")
        check_activation(a)
        if "recurrent_activation" in a:
            check_activation(a, "recurrent_activation")

    def output_shape(self, a: Args, shape: Output) -> Output:
        units = a.positive_int("units")
        batch, steps = shape[0], shape[1]
        if a.bool("stateful") and batch is None:
            raise ShapeError("KC526", "a stateful RNN keeps one state per sample of the batch: start the "
                             "model with keras.Input(batch_shape=(batch_size, timesteps, features))",
                             layer=a.layer)
        if not all(is_known(a[name]) for name in ("return_sequences", "return_state")):
            return None
        output = (batch, steps, units) if a.bool("return_sequences") else (batch, units)
        if a.bool("return_state"):
            return [output] + [(batch, units)] * self.states
        return output

    def params(self, a: Args, shape: Output) -> int | None:
        units, features, use_bias = a.positive_int("units"), shape[-1], a.bool("use_bias")
        if units is None or features is None or use_bias is None:
            return None
        return self.gates * (units * (features + units) + (self.bias_vectors(a) * units if use_bias else 0))

    def bias_vectors(self, a: Args) -> int:
        return 1

    def weight_shapes(self, a: Args, shape: Shape) -> tuple[tuple[str, Shape], ...] | None:
        """The cell's kernel, recurrent kernel and bias (two rows of it for a GRU with reset_after)."""
        units, use_bias = a.positive_int("units"), a.bool("use_bias")
        if units is None or use_bias is None or not all(is_known(a[n]) for n in ("reset_after",) if n in a):
            return None
        width = self.gates * units
        vectors = self.bias_vectors(a)
        bias = (("bias", (width,) if vectors == 1 else (vectors, width)),) if use_bias else ()
        return (("kernel", (shape[-1], width)), ("recurrent_kernel", (units, width))) + bias

    def rank_fix(self, a: Args, produced: Shape, wanted: str) -> str | None:
        rank = rank_word(wanted)
        if rank is None:
            return None
        at_least = wanted.startswith("at least")
        if len(produced) == 3 and rank == 2 and not at_least:
            return "returns sequences; set return_sequences=False there"
        if len(produced) == 2 and (rank == 3 or (at_least and rank > 2)):
            return "returns only its last output; set return_sequences=True there"
        return None


@register
class LSTM(Recurrent):
    """``LSTM(units)``: four gates, output ``(batch, units)`` or ``(batch, timesteps, units)``."""

    types = ("LSTM",)
    python_int_arguments = {"units": (3,)}  # its output_size must be an int (checked when called)
    signature = (("units", REQUIRED), ("activation", "tanh"), ("recurrent_activation", "sigmoid"),
                 ("use_bias", True), ("return_sequences", False), ("return_state", False),
                 ("go_backwards", False), ("stateful", False))
    gates = 4
    states = 2


@register
class GRU(Recurrent):
    """``GRU(units)``: three gates, two bias vectors with the default ``reset_after=True``."""

    types = ("GRU",)
    python_int_arguments = {"units": (3,)}  # its state_size must be an int
    signature = LSTM.signature + (("reset_after", True),)
    gates = 3

    def bias_vectors(self, a: Args) -> int:
        reset_after = a["reset_after"]
        return 2 if not is_known(reset_after) or reset_after else 1

    def params(self, a: Args, shape: Output) -> int | None:
        if not is_known(a["reset_after"]) and a.bool("use_bias"):
            return None
        return super().params(a, shape)


@register
class SimpleRNN(Recurrent):
    """``SimpleRNN(units)``: one dense recurrence."""

    types = ("SimpleRNN",)
    python_int_arguments = {"units": (3,)}  # its state_size must be an int
    signature = (("units", REQUIRED), ("activation", "tanh"), ("use_bias", True),
                 ("return_sequences", False), ("return_state", False), ("go_backwards", False),
                 ("stateful", False))


def check_initial_state(node: LayerNode, output: Output, states: Output) -> None:
    """``LSTM(units)(x, initial_state=[h, c])``: Keras runs the cell's first step on the states
    given, multiplying each by the recurrent kernel of ``units`` rows, which fails for a state of
    another size (``states``: their shapes; the output gives the units). States of another
    count or rank are not modelled."""
    rule = rule_for(node.type)
    given = states if isinstance(states, list) else [states]
    last = output[0] if isinstance(output, list) else output
    if node.type not in RECURRENT or not isinstance(last, tuple) or len(given) != rule.states:
        return
    units = last[-1]
    for state in given:
        if isinstance(state, tuple) and len(state) == 2 and is_int(state[-1]) and is_int(units) and state[-1] != units:
            raise ShapeError("KC204", "each initial state is (batch, units) of the layer it starts: give it states of "
                             "that size, or the layer as many units as the states have",
                             layer=node.type, expected=f"initial states of {units} features (its units)",
                             actual=f"{format_shape(state)} in initial_state")


_CELL_LAYERS = {"LSTMCell": "LSTM", "GRUCell": "GRU", "SimpleRNNCell": "SimpleRNN"}


@register
class RNN(LayerRule):
    """``RNN(cell)`` around an LSTMCell/GRUCell/SimpleRNNCell: the shapes and weights of the
    matching layer (``RNN(LSTMCell(4))`` is ``LSTM(4)``). Other cells (a list, StackedRNNCells,
    the user's own) are left unknown, and so is an input of another rank that Keras builds by
    the cell's own rules."""

    types = ("RNN",)
    signature = (("cell", REQUIRED), ("return_sequences", False), ("return_state", False),
                 ("go_backwards", False), ("stateful", False), ("unroll", False))
    input_hint = "(batch, timesteps, features)"

    def equivalent(self, a: Args) -> tuple[LayerRule, Args] | None:
        """The recurrent layer's rule and arguments this RNN behaves as, if kerascheck knows it."""
        cell = a["cell"]
        if not isinstance(cell, LayerNode) or cell.type not in _CELL_LAYERS:
            return None
        rule = rule_for(_CELL_LAYERS[cell.type])
        kwargs = {**cell.kwargs, **{name: a[name] for name in ("return_sequences", "return_state", "stateful")}}
        return rule, Args(rule, LayerNode("RNN", cell.args, kwargs, cell.position), a.context)

    def check_args(self, a: Args) -> None:
        cell = a.required("cell")
        if isinstance(cell, LayerNode) and cell.type in _CELL_LAYERS:
            rule = rule_for(_CELL_LAYERS[cell.type])
            rule.check_args(rule.bind(cell, a.context))

    def check_input(self, a: Args, shape: Output) -> None:
        # Keras builds the cell on (batch,) + shape[2:]: on 2D input that sizes the kernel from the
        # batch, which fails only when the batch is unknown.
        if self.equivalent(a) is not None and isinstance(shape, tuple) and len(shape) < 3 and shape[0] is None:
            raise rank_error(a.layer, "3D", shape, self.input_hint)

    unsized_errors = Recurrent.unsized_errors

    def weight_axes(self, a: Args, shape: Shape) -> tuple[int, ...]:
        found = self.equivalent(a)
        return () if found is None or len(shape) != 3 else found[0].weight_axes(found[1], shape)

    def output_shape(self, a: Args, shape: Output) -> Output:
        found = self.equivalent(a)
        if found is None or len(shape) != 3:
            return None
        rule, args = found
        return rule.output_shape(args, shape)

    def params(self, a: Args, shape: Output) -> int | None:
        found = self.equivalent(a)
        if found is None or len(shape) != 3:
            return None
        rule, args = found
        return rule.params(args, shape)


def recurrent_setting(node: LayerNode, name: str) -> object:
    """A recurrent layer's argument as Keras would hold it (its default when not given)."""
    rule = rule_for(node.type)
    return rule.bind(node)[name]


@register
class Bidirectional(LayerRule):
    """``Bidirectional(layer, merge_mode='concat', weights=None, backward_layer=None)``. Keras 3
    shapes the output from the forward layer alone; tf-keras from both layers' outputs: a
    backward_layer's units are concatenated (or broadcast with the forward's by 'sum', 'ave',
    'mul'), and merge_mode=None and the states give each layer's own shape."""

    types = ("Bidirectional",)
    signature = (("layer", REQUIRED), ("merge_mode", "concat"), ("weights", None),
                 ("backward_layer", None))
    ndim = 3
    wrapper = True
    input_hint = "(batch, timesteps, features)"

    def check_args(self, a: Args) -> None:
        forward = a.required("layer")
        for node in (forward, a["backward_layer"]):
            if isinstance(node, LayerNode):
                a.infer(node, None)
        merge_mode = a["merge_mode"]
        if is_known(merge_mode) and merge_mode not in ("sum", "mul", "ave", "concat", None):
            raise ShapeError("KC302", layer=a.layer, argument="merge_mode", value=format_value(merge_mode),
                             allowed="'sum', 'mul', 'ave', 'concat', None")
        if not self.wraps_recurrent(a, forward):
            return
        backward = a["backward_layer"]
        if not isinstance(backward, LayerNode) or not isinstance(rule_for(backward.type), Recurrent):
            if a.context.keras_version == 3:  # tf-keras's copy flips the wrapped layer's go_backwards
                self.check_go_backwards(a, recurrent_setting(forward, "go_backwards"), True)
            return
        self.check_go_backwards(a, recurrent_setting(forward, "go_backwards"),
                                recurrent_setting(backward, "go_backwards"))
        for name in ("stateful", "return_sequences", "return_state"):
            mine, theirs = recurrent_setting(forward, name), recurrent_setting(backward, name)
            if is_known(mine) and is_known(theirs) and bool(mine) != bool(theirs):
                raise ShapeError("KC303", f"give both layers the same {name}", layer=a.layer,
                                 argument="backward_layer", value=format_value(backward),
                                 detail=f"{name}={theirs!r} differs from the forward layer's {mine!r}")

    def check_go_backwards(self, a: Args, forward: object, backward: object) -> None:
        if not (is_known(forward) and is_known(backward)) or bool(forward) != bool(backward):
            return
        hint = ("Bidirectional makes the backward copy itself; remove go_backwards=True from the wrapped layer"
                if a["backward_layer"] is None else "the backward layer needs the opposite go_backwards")
        raise ShapeError("KC303", hint, layer=a.layer, argument="go_backwards", value=repr(bool(forward)),
                         detail="the forward and backward layers must differ in go_backwards")

    def wraps_recurrent(self, a: Args, forward: object) -> bool:
        """True for a known recurrent layer; KC303 for a layer Keras cannot run backwards."""
        if not isinstance(forward, LayerNode):
            return False
        rule = rule_for(forward.type)
        if isinstance(rule, Recurrent):
            return True
        if rule is not None and not forward.type.startswith("ConvLSTM"):
            raise ShapeError("KC303", "wrap an LSTM, GRU or SimpleRNN", layer=a.layer, argument="layer",
                             value=format_value(forward), detail="Bidirectional needs a recurrent layer")
        return False

    def parts(self, a: Args, shape: Shape) -> tuple[Output, int | None, int | None]:
        forward = a.infer(a["layer"], shape)
        backward_node = a["backward_layer"]
        backward_params = forward.params
        if isinstance(backward_node, LayerNode):
            backward_params = a.infer(backward_node, shape).params
        return forward.output, forward.params, backward_params

    def output_shape(self, a: Args, shape: Output) -> Output:
        if not self.wraps_recurrent(a, a["layer"]) or not is_known(a["merge_mode"]):
            return None
        forward = a["layer"]
        if a.context.keras_version == 3 and recurrent_setting(forward, "stateful") is True \
                and recurrent_setting(forward, "return_state") is True:
            raise ShapeError("KC303", "drop return_state=True or stateful=True; Keras 3 cannot call this "
                             "combination (its Bidirectional.compute_mask fails)", layer=a.layer, argument="layer",
                             value=format_value(forward), detail="stateful with return_state=True")
        output, _, _ = self.parts(a, shape)
        backward = a["backward_layer"]
        if a.context.keras_version == 2 and isinstance(backward, LayerNode):
            return self.keras2_output(a, output, a.infer(backward, shape).output)
        if output is None:
            return None
        states: list = []
        if isinstance(output, list):
            output, states = output[0], output[1:]
        merge_mode = a["merge_mode"]
        if merge_mode is None:
            merged: list = [output, output]
        else:
            last = output[-1] * 2 if merge_mode == "concat" and output[-1] is not None else output[-1]
            merged = [output[:-1] + (last,)]
        result = merged + states + states
        return result if len(result) > 1 else result[0]

    def keras2_output(self, a: Args, forward: Output, backward: Output) -> Output:
        """tf-keras's output from the forward and backward layers' outputs, merged as its call does."""
        if forward is None or backward is None:
            return None
        (output, *states), (reverse, *reverse_states) = [o if isinstance(o, list) else [o] for o in (forward, backward)]
        merge_mode = a["merge_mode"]
        if merge_mode is None:
            merged = [output, reverse]
        elif merge_mode == "concat":
            units = None if None in (output[-1], reverse[-1]) else output[-1] + reverse[-1]
            merged = [output[:-1] + (units,)]
        else:
            try:
                merged = [tensorflow_op_shape(output, reverse)]
            except Unbroadcastable:
                raise ShapeError("KC203", f"merge_mode={merge_mode!r} combines the two outputs element-wise; "
                                 "give both layers the same units", layer=a.layer,
                                 detail=f"forward {format_shape(output)} and backward {format_shape(reverse)}") from None
        result = merged + states + reverse_states
        return result if len(result) > 1 else result[0]

    def params(self, a: Args, shape: Output) -> int | None:
        if not self.wraps_recurrent(a, a["layer"]):
            return None
        _, forward, backward = self.parts(a, shape)
        return None if forward is None or backward is None else forward + backward

    def non_trainable_params(self, a: Args, shape: Output) -> int | None:
        forward, backward = a["layer"], a["backward_layer"]
        if not self.wraps_recurrent(a, forward):
            return None
        counts = [non_trainable_params(node, shape, a.infer(node, shape).params, a.context)
                  for node in (forward, backward if isinstance(backward, LayerNode) else forward)]
        return None if None in counts else sum(counts)

    def rank_fix(self, a: Args, produced: Shape, wanted: str) -> str | None:
        inner = a["layer"]
        rule = rule_for(inner.type) if isinstance(inner, LayerNode) else None
        fix = rule.rank_fix(rule.bind(inner), produced, wanted) if isinstance(rule, Recurrent) else None
        return f"wraps a {rule.types[0]} that {fix}" if fix else None


@register
class TimeDistributed(LayerRule):
    """``TimeDistributed(layer)``: applies ``layer`` to every step of axis 1."""

    types = ("TimeDistributed",)
    signature = (("layer", REQUIRED),)
    min_ndim = 3
    wrapper = True
    input_hint = "(batch, timesteps, ...)"

    def check_args(self, a: Args) -> None:
        inner = a.required("layer")
        if isinstance(inner, LayerNode):
            a.infer(inner, None)

    def inner(self, a: Args, shape: Shape):
        inner = a["layer"]
        if not isinstance(inner, (LayerNode, ModelGraph)):
            return None
        step = shape[:1] + shape[2:]
        try:
            return a.infer(inner, step, check_args=False)
        except ShapeError as error:
            if error.code == "KC101" and error.hint is None:
                error.hint = (f"TimeDistributed gives it one step at a time: {describe(step)} "
                              f"from its input {describe(shape)}")
            raise

    def output_shape(self, a: Args, shape: Output) -> Output:
        result = self.inner(a, shape)
        if result is None or result.output is None:
            return None
        if isinstance(result.output, list):
            raise ShapeError("KC303", "TimeDistributed needs a layer with one output; set return_state=False",
                             layer=a.layer, argument="layer", value=format_value(a["layer"]),
                             detail=f"the wrapped layer has {len(result.output)} outputs")
        child = result.output
        return (child[0], shape[1]) + child[1:]

    def params(self, a: Args, shape: Output) -> int | None:
        result = self.inner(a, shape)
        return None if result is None else result.params

    def non_trainable_params(self, a: Args, shape: Output) -> int | None:
        result = self.inner(a, shape)
        if result is None:
            return None
        step = shape[:1] + shape[2:]
        if isinstance(a["layer"], ModelGraph):
            applied = a.context.apply_model(a["layer"], step) if a.context.apply_model is not None else None
            return None if applied is None else applied[2]
        return non_trainable_params(a["layer"], step, result.params, a.context)

    def rank_fix(self, a: Args, produced: Shape, wanted: str) -> str | None:
        inner, rank = a["layer"], rank_word(wanted)
        rule = rule_for(inner.type) if isinstance(inner, LayerNode) else None
        if rule is None or rank is None or len(produced) < 3:
            return None
        fix = rule.rank_fix(rule.bind(inner), produced[:1] + produced[2:], f"{rank - 1}D")
        return f"wraps a {rule.types[0]} that {fix}" if fix else None
