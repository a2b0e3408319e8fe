"""Check kerascheck against Keras's own applications (ResNet, EfficientNet, MobileNet...).

    python tools/applications_check.py [--keras 3|2] [--size 224] [--out DIR]

A development aid, like ``fixture_expectations.py``: it *runs* real Keras. Each module of
``keras/src/applications`` (or tf-keras's) is copied with its input shape and data format made
literal (they come from helpers in another module, which kerascheck does not follow), plus a call
of every public builder at the end. kerascheck must report nothing on this correct code, and
every model whose parameters it infers must have as many as one of the module's real models. Prints the
diagnostics (each one a false alarm) and the models found, inferred and disagreeing.
"""

from __future__ import annotations

import argparse
import ast
import importlib
import os
import re
import sys
import tempfile

_HELPER = '''

def _obtain_input_shape(input_shape, default_size, min_size, data_format, require_flatten, weights=None):
    if input_shape is None:
        return (default_size, default_size, 3)
    return input_shape
'''
_DATA_FORMAT = re.compile(r'(?<![{\w"])backend\.image_data_format\(\)(?![}=])')


def builders(tree: ast.Module) -> list[str]:
    """The public model functions a module defines with every argument defaulted."""
    return [n.name for n in tree.body if isinstance(n, ast.FunctionDef) and n.name[0].isupper()
            and any(a.arg == "include_top" for a in n.args.args) and len(n.args.defaults) == len(n.args.args)]


def driver(text: str, size: int) -> tuple[str, list[str]]:
    """The module's source made concrete, and the builders it now calls at the end."""
    text = text.replace("imagenet_utils.obtain_input_shape(", "_obtain_input_shape(")
    text = _DATA_FORMAT.sub('"channels_last"', text)
    tree = ast.parse(text)
    names = builders(tree)
    first = min((n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))), key=lambda n: n.lineno)
    start = (first.decorator_list[0].lineno if first.decorator_list else first.lineno) - 1
    lines = text.splitlines()
    calls = "\n".join(f"model_{b} = {b}(weights=None, input_shape=({size}, {size}, 3))" for b in names)
    return "\n".join(lines[:start]) + _HELPER + "\n\n" + "\n".join(lines[start:]) + "\n\n" + calls + "\n", names


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keras", type=int, choices=(2, 3), default=3)
    parser.add_argument("--size", type=int, default=224)
    parser.add_argument("--out", help="keep the generated files here")
    options = parser.parse_args()
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    from kerascheck import check_source

    package = "keras.src" if options.keras == 3 else "tf_keras.src"
    applications = importlib.import_module(f"{package}.applications")
    source_dir = os.path.dirname(applications.__file__)
    out = options.out or tempfile.mkdtemp(prefix="kerascheck-applications-")
    os.makedirs(out, exist_ok=True)
    found = inferred = wrong = alarms = 0
    for file in sorted(os.listdir(source_dir)):
        if not file.endswith(".py") or file.startswith(("imagenet_utils", "__init__")) or file.endswith("_test.py"):
            continue
        with open(os.path.join(source_dir, file), encoding="utf-8") as handle:
            text, names = driver(handle.read(), options.size)
        path = os.path.join(out, file)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
        result = check_source(text, path)
        for d in result.diagnostics:
            alarms += 1
            print(f"{path}:{d.position.line}:{d.position.column}: {d.code} {d.message}")
        module = importlib.import_module(f"{package}.applications.{file[:-3]}")
        real = {getattr(module, name)(weights=None, input_shape=(options.size, options.size, 3)).count_params()
                for name in names}
        # A model is found where it is built (ResNet50/101/152 all inside ResNet): each inferred
        # total must be one of the module's real ones.
        for model in result.models:
            found += 1
            if model.total_params is None:
                continue
            inferred += 1
            if model.total_params not in real:
                wrong += 1
                print(f"{path}:{model.model.position.line}: kerascheck infers {model.total_params} parameters, "
                      f"the builders have {sorted(real)}")
    print(f"models found: {found}, parameters inferred: {inferred}, wrong: {wrong}; "
          f"diagnostics (false alarms): {alarms}")
    return 1 if wrong or alarms else 0


if __name__ == "__main__":
    sys.exit(main())
