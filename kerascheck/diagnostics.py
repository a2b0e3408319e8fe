"""The one catalog of diagnostic codes, and the Diagnostic record every stage emits.

Codes are ``KC`` + 3 digits, grouped by meaning and never reused:
KC0xx input problems · KC1xx rank mismatches between layers · KC2xx dimension arithmetic ·
KC3xx invalid layer arguments · KC4xx data and labels vs model · KC5xx model structure,
Keras-version and API misuse · KC6xx likely bugs Keras accepts (warnings) ·
KC9xx verification disagreements and internal errors.
"""

from __future__ import annotations

from dataclasses import dataclass

from kerascheck.graph import Position

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Code:
    """One catalog entry: the code, its kebab name, severity, message template and its doc."""

    code: str
    name: str
    severity: str
    template: str
    what: str
    why: str
    example: str
    fix: str


@dataclass(frozen=True)
class Diagnostic:
    """One reported problem. ``message`` is the filled template; ``hint`` the cause or fix."""

    code: str
    position: Position
    message: str
    hint: str | None = None

    @property
    def severity(self) -> str:
        return CATALOG[self.code].severity

    @property
    def text(self) -> str:
        """The one-line message as printed: message, then ``; `` and the hint."""
        return f"{self.message}; {self.hint}" if self.hint else self.message


def diagnostic(code: str, position: Position, hint: str | None = None, **fields: object) -> Diagnostic:
    """Build a diagnostic from its catalog template."""
    return Diagnostic(code, position, CATALOG[code].template.format(**fields), hint)


def _catalog(*codes: Code) -> dict[str, Code]:
    table = {c.code: c for c in codes}
    if len(table) != len(codes) or len({c.name for c in codes}) != len(codes):
        raise RuntimeError("duplicate code or name in the catalog")
    return table


CATALOG: dict[str, Code] = _catalog(
    # ---- KC0xx: input problems -------------------------------------------------------------
    Code(
        "KC001", "syntax-error", ERROR, "syntax error: {detail}",
        what="The file could not be parsed as Python.",
        why="Nothing in a file that does not parse can be checked, and Python will refuse to run it.",
        example="model.add(Dense(10)",
        fix="model.add(Dense(10))",
    ),
    Code(
        "KC002", "unreadable-file", ERROR, "cannot read file: {detail}",
        what="The file could not be read or decoded (permissions, binary content, wrong encoding).",
        why="kerascheck cannot check what it cannot read; Python would not import it either.",
        example="a .py file saved as Latin-1 without a `# -*- coding: latin-1 -*-` line",
        fix="Save the file as UTF-8, or declare its encoding on the first or second line (PEP 263).",
    ),
    Code(
        "KC003", "file-too-complex", ERROR, "file not checked: {detail}",
        what="The file nests expressions deeper than the parser can handle safely.",
        why="CPython rejects more than 200 nested parentheses; such a file cannot be imported.",
        example="x = ((((((...1...))))))  # thousands deep",
        fix="Split the expression into named parts.",
    ),
    # ---- KC1xx: rank mismatches ------------------------------------------------------------
    Code(
        "KC101", "input-rank-mismatch", ERROR, "{layer} needs {expected} input, got {actual}",
        what="A layer receives a tensor whose number of dimensions it does not accept.",
        why="Keras raises `Input 0 of layer ... is incompatible with the layer: expected ndim=...` "
        "when the model is built, naming an auto-generated layer instead of your line.",
        example="model.add(LSTM(12, input_shape=(40, 2), return_sequences=True))\n"
        "model.add(RepeatVector(10))  # RepeatVector needs 2D input, got 3D (None, 40, 12)",
        fix="model.add(LSTM(12, input_shape=(40, 2)))\nmodel.add(RepeatVector(10))",
    ),
    # ---- KC2xx: dimension arithmetic -------------------------------------------------------
    Code(
        "KC201", "non-positive-dimension", ERROR, "{layer} output would have {detail}",
        what="Convolution, pooling or cropping arithmetic leaves a dimension of length zero or less.",
        why="Keras raises `Computed output size would be negative` (or builds an empty tensor that "
        "fails later).",
        example="Input(shape=(6, 16)); Conv1D(32, 8)  # kernel 8 longer than length 6",
        fix="Use a smaller kernel or pool, padding='same', or a longer input.",
    ),
    Code(
        "KC202", "reshape-size-mismatch", ERROR,
        "Reshape to {target} needs {needed} elements per sample, input {actual} has {have}",
        what="A Reshape's target shape holds a different number of elements than its input.",
        why="Keras raises `total size of new array must be unchanged` when the model is built.",
        example="Input(shape=(40, 2)); Reshape((10, 2))  # 80 elements into 20",
        fix="Make the product of the target shape equal the input's, or use -1 for one dimension.",
    ),
    Code(
        "KC203", "merge-shape-mismatch", ERROR, "{layer} inputs do not match: {detail}",
        what="A merge layer (Add, Concatenate, Multiply, Dot, ...) gets inputs whose shapes it cannot combine.",
        why="Keras raises `Inputs have incompatible shapes` or `A Concatenate layer requires inputs "
        "with matching shapes except for the concatenation axis`.",
        example="Add()([Dense(32)(x), Dense(64)(x)])",
        fix="Project one branch to the other's size (Dense/Conv with matching units) before merging.",
    ),
    Code(
        "KC204", "incompatible-input-dimension", ERROR, "{layer} needs {expected}, got {actual}",
        what="A layer that fixes a dimension of its input (a built or shared layer, a declared input "
        "size) receives a tensor whose dimension differs.",
        why="Keras raises `expected axis -1 of input shape to have value ...`.",
        example="shared = Dense(8); shared(Input((4,))); shared(Input((5,)))",
        fix="Give the layer inputs of one size, or use separate layers.",
    ),
    # ---- KC3xx: invalid layer arguments ----------------------------------------------------
    Code(
        "KC301", "invalid-units", ERROR, "{layer} {argument} must be a positive integer, got {value}",
        what="A layer's size argument (units, filters, n, output_dim...) is not a positive integer.",
        why="Keras raises `Received an invalid value for argument units` (a tuple is not a shape here).",
        example="model.add(Dense((10, 2)))",
        fix="model.add(Dense(10 * 2))\nmodel.add(Reshape((10, 2)))",
    ),
    Code(
        "KC302", "invalid-option", ERROR, "{layer} {argument}={value} is not one of {allowed}",
        what="A string option (padding, data_format, merge_mode, interpolation...) has a value Keras "
        "does not know.",
        why="Keras raises a ValueError listing the accepted values when the layer is created.",
        example="Conv1D(32, 3, padding='full')",
        fix="Conv1D(32, 3, padding='same')",
    ),
    Code(
        "KC303", "invalid-argument", ERROR, "{layer} {argument}={value}: {detail}",
        what="A layer argument has a value Keras rejects (a kernel size of 0, a rate outside [0, 1), "
        "a tuple of the wrong length, an unsupported combination).",
        why="Keras raises a ValueError when the layer is created or built.",
        example="Dropout(1.5)",
        fix="Dropout(0.5)",
    ),
    Code(
        "KC304", "missing-argument", ERROR, "{layer} is missing its required argument {argument}",
        what="A layer is created without an argument it requires.",
        why="Python raises `TypeError: __init__() missing 1 required positional argument`.",
        example="Dense(activation='relu')",
        fix="Dense(64, activation='relu')",
    ),
    # ---- KC5xx: model structure and API misuse ---------------------------------------------
    Code(
        "KC501", "disconnected-output", ERROR, "model output {detail} does not depend on its inputs",
        what="A functional Model's outputs are not computed from the tensors given as its inputs.",
        why="Keras raises `Graph disconnected: cannot obtain value for tensor ...`.",
        example="a = Input((4,)); b = Input((4,)); Model(inputs=a, outputs=Dense(1)(b))",
        fix="Pass the Input the outputs are computed from: Model(inputs=b, outputs=...)",
    ),
    Code(
        "KC502", "undefined-tensor", ERROR, "{name} is used as a tensor but never defined",
        what="A layer is called on, or a Model given, a name that is not defined before that line.",
        why="Python raises NameError when this line runs.",
        example="y = Dense(1)(hidden)  # no `hidden = ...` before",
        fix="Define the tensor first, or call the layer on the tensor you meant.",
    ),
    # ---- KC9xx: verification and internal errors -------------------------------------------
    Code(
        "KC901", "internal-error", ERROR, "internal error while checking this file: {detail}",
        what="kerascheck itself failed on this file. The other files' results are unaffected.",
        why="This is a bug in kerascheck, not in your code.",
        example="(any file)",
        fix="Report it with the file that triggers it.",
    ),
)
