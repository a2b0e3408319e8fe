"""Keras 2 backend functions used through a Keras 3 ``keras.backend`` (KC533), and what to write
for a name Keras 3 moved (KC532 of ``from keras.backend import int_shape``).

Keras 3 cut ``keras.backend`` down to a dozen functions (``epsilon``, ``clear_session``,
``image_data_format``...): ``from keras import backend as K`` then ``K.sum(x)`` raises
``AttributeError``. TensorFlow 2.16+'s ``tf.keras.backend`` keeps most Keras 2 functions (Keras 3
ships them for it) but not all (``function``, ``placeholder``, ``variable``): each use is checked
against the module it goes through. The session functions are KC530's.
"""

from __future__ import annotations

import ast
from functools import lru_cache
from typing import Any, Iterable

from kerascheck.diagnostics import Diagnostic, diagnostic
from kerascheck.graph import Position
from kerascheck.versions.tables import signatures

_SESSIONS = frozenset({"get_session", "set_session"})
_INSTEAD = {
    "int_shape": "use x.shape (a tuple of ints and None)",
    "permute_dimensions": "use keras.ops.transpose",
    "get_value": "use the variable's .numpy() (keras.ops.convert_to_numpy for a tensor)",
    "set_value": "use variable.assign(value) (model.optimizer.learning_rate.assign(...) for the learning rate)",
    "batch_get_value": "use each variable's .numpy()",
    "batch_set_value": "use each variable's .assign(value)",
    "variable": "use keras.Variable",
    "placeholder": "use keras.Input",
    "function": "build a keras.Model from the tensors and call it",
    "count_params": "use layer.count_params() or model.count_params()",
    # no global training mode in Keras 3: the training argument of each call says it
    "learning_phase": "pass training=True or False to the layer or model call instead",
    "set_learning_phase": "drop it; pass training= to the layer or model calls instead",
    "learning_phase_scope": "drop it; pass training= to the layer or model calls instead",
    "in_train_phase": "in a layer's call, choose with its training argument (x if training else alt)",
    "in_test_phase": "in a layer's call, choose with its training argument (alt if training else x)",
    # Keras 1's image ordering ('th': channels first, 'tf': channels last)
    "set_image_dim_ordering": "use keras.config.set_image_data_format('channels_first') for 'th', "
                              "'channels_last' for 'tf'",
    "image_dim_ordering": "use keras.config.image_data_format() ('channels_first' where it said 'th')",
    "eval": "use the tensor's .numpy() (keras.ops.convert_to_numpy)",
    "constant": "use keras.ops.convert_to_tensor",
    "cast_to_floatx": "use keras.ops.cast(x, keras.config.floatx())",
    "update": "use variable.assign(value)",
    "update_add": "use variable.assign_add(value)",
    "update_sub": "use variable.assign_sub(value)",
    "moving_average_update": "use variable.assign(variable * momentum + value * (1 - momentum))",
    "conv1d": "use keras.ops.conv",
    "conv2d": "use keras.ops.conv",
    "conv3d": "use keras.ops.conv",
    "conv2d_transpose": "use keras.ops.conv_transpose",
    "depthwise_conv2d": "use keras.ops.depthwise_conv",
    "separable_conv2d": "use keras.ops.separable_conv",
    "pool2d": "use keras.ops.max_pool or keras.ops.average_pool",
    "pool3d": "use keras.ops.max_pool or keras.ops.average_pool",
    "gather": "use keras.ops.take",
    "reverse": "use keras.ops.flip",
    "repeat_elements": "use keras.ops.repeat",
    "l2_normalize": "use keras.ops.normalize",
    "pow": "use keras.ops.power",
    "map_fn": "use keras.ops.map",
    "foldl": "use keras.ops.scan (its final carry is the fold)",
    "foldr": "use keras.ops.scan with reverse=True (its final carry is the fold)",
    "rnn": "use a keras.layers.RNN layer with a cell",
    "ctc_batch_cost": "use keras.ops.ctc_loss (or the keras.losses.CTC loss)",
    "dropout": "use keras.random.dropout",
    "random_normal": "use keras.random.normal",
    "random_uniform": "use keras.random.uniform",
    "truncated_normal": "use keras.random.truncated_normal",
    "random_binomial": "use keras.random.binomial(shape, counts=1, probabilities=p)",
    "random_bernoulli": "use keras.random.binomial(shape, counts=1, probabilities=p)",
    "random_normal_variable": "use keras.Variable(keras.random.normal(shape))",
    "random_uniform_variable": "use keras.Variable(keras.random.uniform(shape))",
    "name_scope": "use keras.name_scope",
    "binary_focal_crossentropy": "use keras.losses.binary_focal_crossentropy",
    "categorical_focal_crossentropy": "use keras.losses.categorical_focal_crossentropy",
    "temporal_padding": "use keras.ops.pad",
    "spatial_2d_padding": "use keras.ops.pad",
    "spatial_3d_padding": "use keras.ops.pad",
    "resize_images": "use keras.ops.image.resize (or a keras.layers.UpSampling2D layer)",
    "resize_volumes": "use a keras.layers.UpSampling3D layer",
    "batch_flatten": "use keras.ops.reshape(x, (keras.ops.shape(x)[0], -1))",
    "flatten": "use keras.ops.reshape(x, (-1,))",
    "batch_dot": "use keras.ops.einsum or keras.ops.matmul",
    "bias_add": "use x + bias",
    "normalize_batch_in_training": "use keras.ops.moments, then keras.ops.batch_normalization",
    "manual_variable_initialization": "drop it: Keras 3 initialises each variable as it is made",
    "reset_uids": "use keras.backend.clear_session(), which resets the layer names too",
}


def replacement(name: str) -> str:
    """What to write instead of the Keras 2 backend function ``name`` under Keras 3."""
    if name in _INSTEAD:
        return _INSTEAD[name]
    if name in signatures.KERAS3_MODULE_NAMES.get("keras.ops", ()):
        return f"use keras.ops.{name}"
    return "Keras 3 has no such function: write it with keras.ops"


def check_backend_functions(text: str, imports: Iterable[Any]) -> list[Diagnostic]:
    """KC533 at each ``K.name`` whose ``K`` is a Keras 3 ``keras.backend`` without ``name``."""
    if "backend" not in text or not any(str(getattr(i, "module", "")).startswith(_ROOTS) for i in imports):
        return []
    tree = syntax_tree(text)
    if tree is None:
        return []
    aliases = _backend_aliases(tree)
    found = []
    for node in ast.walk(tree) if aliases else ():
        if isinstance(node, ast.Attribute) and not node.attr.startswith("_") and node.attr not in _SESSIONS:
            owner = dotted(node.value)
            module = aliases.get(owner) if owner else None
            if module is not None and node.attr not in signatures.KERAS3_MODULE_NAMES[module]:
                position = Position(node.lineno, node.col_offset + 1, node.end_lineno or node.lineno,
                                    (node.end_col_offset or node.col_offset) + 1)
                found.append(diagnostic("KC533", position, replacement(node.attr), name=f"{owner}.{node.attr}"))
    return sorted(found, key=lambda d: (d.position.line, d.position.column))


_ROOTS = ("keras", "tensorflow")


def _backend_aliases(tree: ast.Module) -> dict[str, str]:
    """{name standing for a backend module: that module}: ``K`` of ``from keras import backend as
    K`` is ``keras.backend``, ``tf.keras.backend`` of ``import tensorflow as tf`` is
    ``tensorflow.keras.backend``."""
    aliases = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module in ("keras", "tensorflow.keras") and not node.level:
            aliases.update({a.asname or a.name: f"{node.module}.backend" for a in node.names if a.name == "backend"})
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in ("keras.backend", "tensorflow.keras.backend"):
                    aliases[alias.asname or alias.name] = alias.name
                elif alias.name in ("keras", "tensorflow.keras") and alias.asname:
                    aliases[f"{alias.asname}.backend"] = f"{alias.name}.backend"
                elif alias.name == "keras":
                    aliases["keras.backend"] = "keras.backend"
                elif alias.name == "tensorflow":
                    aliases[f"{alias.asname or 'tensorflow'}.keras.backend"] = "tensorflow.keras.backend"
    return aliases


@lru_cache(maxsize=2)
def syntax_tree(text: str) -> ast.Module | None:
    """The file's CPython syntax tree, parsed once for every check of it that walks one (each
    Keras version's run asks again); None when it does not parse. Read-only for its callers."""
    try:
        return ast.parse(text)
    except (SyntaxError, ValueError):
        return None


def dotted(node: ast.expr) -> str | None:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))
