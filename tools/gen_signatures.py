"""Generate kerascheck/versions/signatures.py from the installed Keras 3 (`keras`) and tf-keras.

Run: ``python tools/gen_signatures.py > kerascheck/versions/signatures.py``

For every class in ``keras.layers`` / ``tf_keras.layers`` it records the positional parameters
of its own ``__init__`` and every keyword the constructor accepts: the parameters of each
``__init__`` up the MRO while ``**kwargs`` is passed on, down to the base ``Layer``, plus the
names an ``__init__`` pops from ``kwargs`` itself (Keras 3's ``input_shape``/``input_dim``,
Embedding's ``input_length``, tf-keras's ``allowed_kwargs``). A class whose ``__init__`` takes
``**kwargs`` without passing them on is recorded as open (any keyword accepted). It also records
the signatures of the ``Model`` training and inference methods each version has, of
``keras.Input``, which legacy module paths import, and the public names of TensorFlow's
private ``tensorflow.python.keras`` copy.
"""

from __future__ import annotations

import importlib
import inspect
import io
import os
import pprint
import re
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

# Module paths of Keras 1/2 code, and where their contents live in current Keras.
LEGACY_MODULES = {
    "layers.core": "import from keras.layers",
    "layers.recurrent": "import from keras.layers",
    "layers.convolutional": "import from keras.layers",
    "layers.convolutional_recurrent": "import from keras.layers",
    "layers.merge": "import Concatenate, Add, Multiply... from keras.layers",
    "layers.embeddings": "import from keras.layers",
    "layers.normalization": "import from keras.layers",
    "layers.advanced_activations": "import from keras.layers",
    "layers.wrappers": "import from keras.layers",
    "layers.pooling": "import from keras.layers",
    "layers.noise": "import from keras.layers",
    "layers.local": "Keras 3 has no locally connected layers; use keras.layers.Conv1D/Conv2D",
    "layers.cudnn_recurrent": "use keras.layers.LSTM/GRU (they use cuDNN by themselves)",
    "utils.np_utils": "import to_categorical from keras.utils",
    "utils.vis_utils": "import plot_model from keras.utils",
    "utils.generic_utils": "import from keras.utils",
    "engine": "import from keras.layers or keras.models",
    "engine.topology": "import from keras.layers or keras.models",
    "engine.training": "import Model from keras.models",
    "wrappers.scikit_learn": "use the scikeras package (KerasClassifier, KerasRegressor)",
    "preprocessing.text": "use keras.layers.TextVectorization",
    # Keras 3 only: tf-keras has none of them
    **{sub: "this is Keras 3 API: check with --keras-version 3"
       for sub in ("legacy", "ops", "random", "config", "tree", "quantizers", "dtype_policies", "distribution",
                   "visualization")},
    "preprocessing.sequence": "import pad_sequences from keras.utils",
    "preprocessing.image": "use keras.utils.load_img / image_dataset_from_directory",
}
# Keras 3 modules whose names changed from Keras 2's: names imported from them are checked.
KERAS3_NAMED_MODULES = ("backend", "ops", "preprocessing", "preprocessing.image", "preprocessing.sequence", "preprocessing.text")
PRIVATE_MODULES = ("tensorflow.python.keras", "tensorflow.python.keras.layers",
                   "tensorflow.python.keras.models")
METHODS = ("fit", "evaluate", "predict", "train_on_batch", "test_on_batch", "predict_on_batch",
           "fit_generator", "evaluate_generator", "predict_generator", "predict_classes", "predict_proba")

_POPPED = re.compile(r"""kwargs\.(?:pop|get)\(\s*["'](\w+)["']|["'](\w+)["']\s+(?:not\s+)?in\s+kwargs""")
_ALLOWED_SET = re.compile(r"allowed_kwargs\s*=\s*\{([^}]*)\}")


def _own_init(cls: type):
    return cls.__dict__.get("__init__")


def _popped_names(init) -> set[str]:
    try:
        source = inspect.getsource(init)
    except (OSError, TypeError):
        return set()
    names = {a or b for a, b in _POPPED.findall(source)}
    for block in _ALLOWED_SET.findall(source):
        names.update(re.findall(r"""["'](\w+)["']""", block))
    return names


def _rejects_the_rest(function) -> bool:
    """Whether a ``**kwargs`` method raises on what it did not pop (Keras 3's ``evaluate``:
    ``if kwargs: raise ValueError("Arguments not recognized")``)."""
    try:
        source = inspect.getsource(function)
    except (OSError, TypeError):
        return False
    return re.search(r"if kwargs:\s*\n\s*raise\b", source) is not None


def _passes_kwargs_on(init, var_keyword: str) -> bool:
    """Whether the body spreads ``**kwargs`` again (the signature holds the first one)."""
    try:
        source = inspect.getsource(init)
    except (OSError, TypeError):
        return True
    return source.count(f"**{var_keyword}") >= 2


Names = tuple[str, ...]


def layer_signature(cls: type, base: type) -> tuple[Names | None, Names, Names | None]:
    """(positional names or None if *args, required positional names, accepted keywords or None if open)."""
    first = next(c for c in cls.__mro__ if _own_init(c) is not None)
    params = inspect.signature(_own_init(first)).parameters.values()
    positional: tuple[str, ...] | None = tuple(
        p.name for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.name != "self")
    if any(p.kind == p.VAR_POSITIONAL for p in params):
        positional = None
    required = tuple(p.name for p in params if p.default is p.empty and p.name != "self"
                     and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY))
    accepted: set[str] = set()
    for klass in cls.__mro__:
        init = _own_init(klass)
        if init is None:
            continue
        sig = inspect.signature(init).parameters.values()
        accepted.update(p.name for p in sig if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
                        and p.name != "self")
        accepted.update(_popped_names(init))
        var_kw = next((p.name for p in sig if p.kind == p.VAR_KEYWORD), None)
        if klass is base or var_kw is None:
            break
        if not _passes_kwargs_on(init, var_kw):
            return positional, required, None
    return positional, required, tuple(sorted(accepted))


def layer_table(module, base: type) -> dict:
    table = {}
    for name in sorted(dir(module.layers)):
        cls = getattr(module.layers, name)
        if inspect.isclass(cls) and issubclass(cls, base) and not name.startswith("_"):
            table[name] = layer_signature(cls, base)
    return table


def method_table(model_cls: type) -> dict:
    table = {}
    for method in METHODS:
        if not hasattr(model_cls, method):
            continue
        function = getattr(model_cls, method)
        params = inspect.signature(function).parameters.values()
        names = tuple(p.name for p in params if p.name != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD))
        open_ = any(p.kind == p.VAR_KEYWORD for p in params) and not _rejects_the_rest(function)
        accepted = set(names) | (_popped_names(function) if not open_ else set())
        table[method] = (names, None if open_ else tuple(sorted(accepted)))
    return table


def input_signature(input_fn) -> tuple[tuple[str, ...], tuple[str, ...] | None]:
    """``keras.Input``: (parameter names in order, accepted keywords or None when any is accepted)."""
    params = inspect.signature(input_fn).parameters.values()
    names = tuple(p.name for p in params if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD))
    accepted = set(names) | _popped_names(input_fn)
    try:
        input_fn(shape=(1,), kerascheck_probe=1)
    except (TypeError, ValueError):
        return names, tuple(sorted(accepted))
    return names, None


def importable(name: str) -> bool:
    try:
        importlib.import_module(name)
    except ImportError:
        return False
    return True


def importable_names(name: str) -> tuple[str, ...]:
    """What ``from <name> import X`` finds: the module's public names, its ``__version__``, and
    its submodules (imported on demand, so not all in ``dir``)."""
    import pkgutil

    module = importlib.import_module(name)
    names = {n for n in dir(module) if not n.startswith("_") or n == "__version__"}
    names.update(m.name for m in pkgutil.iter_modules(getattr(module, "__path__", [])))
    return tuple(sorted(names))


def public_names(name: str) -> tuple[str, ...]:
    return tuple(sorted(n for n in dir(importlib.import_module(name)) if not n.startswith("_")))


def render() -> str:
    """The text of kerascheck/versions/signatures.py, from the installed Keras versions."""
    import keras
    import tensorflow as tf
    import tf_keras

    data = {
        "LAYERS": {3: layer_table(keras, keras.layers.Layer), 2: layer_table(tf_keras, tf_keras.layers.Layer)},
        "METHODS": {3: method_table(keras.Model), 2: method_table(tf_keras.Model)},
        "INPUT": {3: input_signature(keras.Input), 2: input_signature(tf_keras.Input)},
        "LEGACY_MODULES": {
            sub: (importable(f"keras.{sub}"), importable(f"tf_keras.{sub}"), where)
            for sub, where in LEGACY_MODULES.items()
        },
        "KERAS3_MODULE_NAMES": {
            **{f"keras.{sub}": public_names(f"keras.{sub}") for sub in KERAS3_NAMED_MODULES
               if importable(f"keras.{sub}")},
            # tf.keras under Keras 3 is keras._tf_keras.keras, which keeps some of Keras 2's modules and names
            **{f"tensorflow.keras.{sub}": public_names(f"keras._tf_keras.keras.{sub}")
               for sub in KERAS3_NAMED_MODULES if importable(f"keras._tf_keras.keras.{sub}")},
        },
        "PRIVATE_KERAS_NAMES": {name: importable_names(name) for name in PRIVATE_MODULES},
    }
    out = io.StringIO()
    out.write('"""Keras constructor and method signatures, as plain data. GENERATED: do not edit.\n\n')
    out.write(f"Made by tools/gen_signatures.py from keras {keras.__version__} (Keras 3), tf_keras "
              f"{tf_keras.__version__} (Keras 2)\nand TensorFlow {tf.__version__}. Regenerate with:\n"
              "    python tools/gen_signatures.py > kerascheck/versions/signatures.py\n\n"
              "LAYERS[version][class name] = (positional parameter names, or None for *args;\n"
              "    required parameter names; every accepted keyword, or None when any is accepted).\n"
              "METHODS[version][method] = (parameter names in order; accepted keywords or None); a\n"
              "    method missing from a version's table does not exist there.\n"
              "INPUT[version] = keras.Input's (parameter names in order; accepted keywords or None).\n"
              "LEGACY_MODULES[path under keras.] = (importable in Keras 3, importable in tf-keras, "
              "what to do instead).\n"
              "KERAS3_MODULE_NAMES[module] = public names of a Keras 3 module (keras. or tensorflow.keras.), if it exists.\n"
              "PRIVATE_KERAS_NAMES[module] = public names of TensorFlow's private Keras copy.\n"
              '"""\n\n')
    out.write(f"KERAS_VERSIONS = {{3: {keras.__version__!r}, 2: {tf_keras.__version__!r}}}\n\n")
    for name, value in data.items():
        out.write(f"{name} = {pprint.pformat(value, width=110, compact=True)}\n\n")
    return out.getvalue()


def main() -> None:
    sys.stdout.write(render())


if __name__ == "__main__":
    main()
