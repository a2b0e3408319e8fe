"""EinsumDense: a dense layer described by an einsum equation ``input,kernel->output``.

The output shape, kernel and bias shapes follow Keras 3's own analysis of the equation, which
takes ``output_shape`` at its word (it does not compare its length with the output spec) and
puts left-elided (``...``) dims back in reverse order. Those quirks are Keras's answer, so
they are ours too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from math import prod
from typing import Any

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
    register,
)
from kerascheck.shapes.symbolic import certainly

_FORMS = (
    (re.compile(r"([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]+)"), False),
    (re.compile(r"0([a-zA-Z]+),([a-zA-Z]+)->0([a-zA-Z]+)"), True),
    (re.compile(r"([a-zA-Z]{2,})0,([a-zA-Z]+)->([a-zA-Z]+)0"), False),
)


class EinsumProblem(Exception):
    """Why Keras cannot build an EinsumDense: the argument at fault and the reason."""

    def __init__(self, argument: str, detail: str) -> None:
        super().__init__(detail)
        self.argument = argument
        self.detail = detail


@dataclass
class Einsum:
    """What an equation makes of an input: kernel shape, bias shape (or None), output shape."""

    kernel: list
    bias: list | None
    output: list


def split_equation(equation: str) -> tuple[str, str, str, bool]:
    """The input, kernel and output specs, and whether ``...`` is on the left."""
    text = equation.replace("...", "0")
    for pattern, left_elided in _FORMS:
        match = pattern.match(text)  # a prefix match, as in Keras: trailing text is ignored
        if match:
            return match.group(1), match.group(2), match.group(3), left_elided
    raise EinsumProblem("equation", "expected the form ab,bc->ac, ...b,bc->...c or ab...,bc->ac...")


def analyze(equation: str, bias_axes: str | None, shape: Shape, partial_output: tuple) -> Einsum:
    """Keras's einsum analysis: raises EinsumProblem where Keras raises."""
    input_spec, weight_spec, output_spec, left = split_equation(equation)
    elided = len(shape) - len(input_spec)
    output = [shape[0], *partial_output]
    if elided > 0 and left:
        for i in range(1, elided):
            output.insert(1, shape[i])
    elif elided > 0:
        output.extend(shape[len(shape) - elided:])
    offset = elided if left else 0
    input_map = {d: i + offset - (len(shape) if left else 0) for i, d in enumerate(input_spec)}
    output_map = {d: i + offset for i, d in enumerate(output_spec)}

    def at(dims: list | Shape, index: int, what: str) -> Any:
        if not -len(dims) <= index < len(dims):
            raise EinsumProblem("equation", f"{what} has no axis {index} for input {format_shape(shape)}")
        return dims[index]

    for d in input_spec:
        size = at(shape, input_map[d], "the input")
        if d in output_map:
            wanted = at(output, output_map[d], "output_shape")
            if wanted is not None and wanted != size:
                raise EinsumProblem("output_shape", f"gives {wanted} for '{d}', the input has {size}")
    for d in output_spec:
        if d not in input_spec and d not in weight_spec:
            raise EinsumProblem("equation", f"output dim '{d}' is neither in the input nor the kernel")
    kernel = []
    for d in weight_spec:
        if d in output_map:
            kernel.append(at(output, output_map[d], "output_shape"))
        elif d in input_map:
            kernel.append(at(shape, input_map[d], "the input"))
        else:
            raise EinsumProblem("equation", f"kernel dim '{d}' is neither in the input nor the output")
    bias = None
    if bias_axes is not None:
        sizes = {c: at(output, i + (elided if left else 0), "output_shape") for i, c in enumerate(output_spec)}
        for c in bias_axes:
            if c not in output_spec:
                raise EinsumProblem("bias_axes", f"'{c}' is not in the output spec '{output_spec}'")
        if not bias_axes:
            raise EinsumProblem("bias_axes", "is empty")
        first = min(output_spec.find(c) for c in bias_axes)
        bias = [sizes[c] if c in bias_axes else 1 for c in output_spec[first:]]
        if not left:
            bias.extend([1] * max(elided, 0))
    return Einsum(kernel, bias, output)


def weight_count(shapes: list[list | None], layer: str, input_shape: Shape) -> int:
    """The number of weights in these variables; an unknown size is an error in Keras."""
    total = 0
    for dims in shapes:
        if dims is None:
            continue
        if any(d is None for d in dims):
            raise ShapeError("KC204", "Keras sizes the weights from these dims; give the input "
                             "(or output_shape) fixed sizes there", layer=layer,
                             expected=f"known sizes for a weight of shape {format_shape(tuple(dims))}",
                             actual=describe(input_shape))
        if any(certainly(lambda: d < 0) for d in dims):
            raise ShapeError("KC303", layer=layer, argument="output_shape", value=format_shape(tuple(dims)),
                             detail="weights cannot have negative sizes")
        total += prod(dims)
    return total


@register
class EinsumDense(LayerRule):
    """``EinsumDense(equation, output_shape, activation=None, bias_axes=None)``."""

    types = ("EinsumDense",)
    signature = (("equation", REQUIRED), ("output_shape", REQUIRED), ("activation", None),
                 ("bias_axes", None))

    def _partial_output(self, a: Args) -> tuple | None:
        value = a.required("output_shape")
        if not is_known(value):
            return None
        if isinstance(value, int):
            return (value,)
        if not isinstance(value, (list, tuple)):
            raise ShapeError("KC303", layer=a.layer, argument="output_shape", value=format_value(value),
                             detail="expected an int or a tuple of dims")
        if not all(is_known(d) for d in value):
            return None
        if not all(d is None or is_int(d) for d in value):
            raise ShapeError("KC303", layer=a.layer, argument="output_shape", value=format_value(value),
                             detail="dims must be integers or None")
        return tuple(value)

    def check_args(self, a: Args) -> None:
        a.required("equation")
        self._partial_output(a)

    def _analyze(self, a: Args, shape: Shape) -> Einsum | None:
        equation, bias_axes, partial = a["equation"], a["bias_axes"], self._partial_output(a)
        if partial is None or not is_known(equation) or not is_known(bias_axes):
            return None
        if not isinstance(equation, str):
            raise ShapeError("KC303", layer=a.layer, argument="equation", value=format_value(equation),
                             detail="expected a string")
        if bias_axes is not None and not isinstance(bias_axes, (str, list, tuple)):
            raise ShapeError("KC303", layer=a.layer, argument="bias_axes", value=format_value(bias_axes),
                             detail="expected a string of output dims")
        try:
            return analyze(equation, bias_axes, shape, partial)
        except EinsumProblem as problem:
            raise ShapeError("KC303", layer=a.layer, argument=problem.argument,
                             value=format_value(a[problem.argument]),
                             detail=f"{problem.detail} (input {describe(shape)})") from None

    def output_shape(self, a: Args, shape: Output) -> Output:
        result = self._analyze(a, shape)
        if result is None:
            return None
        weight_count([result.kernel, result.bias], a.layer, shape)
        if any(d is not None and d < 0 for d in result.output):
            raise ShapeError("KC303", layer=a.layer, argument="output_shape",
                             value=format_value(a["output_shape"]), detail="dims cannot be negative")
        return tuple(result.output)

    def params(self, a: Args, shape: Output) -> int | None:
        result = self._analyze(a, shape)
        return None if result is None else weight_count([result.kernel, result.bias], a.layer, shape)
