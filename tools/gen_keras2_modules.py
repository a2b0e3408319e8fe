"""Print KERAS2_MODULE_RANGES and KERAS2_LAYER_RANGES for kerascheck/versions/renames.py: for
each legacy module path under ``keras.``, and each removed layer class ``keras.layers`` exported,
the first and last standalone Keras 2 release (of the wheels given) that ships it. Reads the
published pure-Python wheels (``pip download keras==2.x --no-deps``); imports nothing.

    python tools/gen_keras2_modules.py Keras-2.0.8-*.whl ... keras-2.13.1-*.whl
"""

from __future__ import annotations

import re
import sys
import zipfile
from pprint import pformat

from packaging.version import Version

from kerascheck.versions.renames import REMOVED_LAYERS
from kerascheck.versions.tables import signatures


def layer_names(wheel: zipfile.ZipFile) -> set[str]:
    """The names ``keras.layers`` exports in this wheel: those its ``__init__`` imports from its
    own modules, by name or ``*`` (Keras 2.0-2.3), or its generated API lists (2.6 on; 2.4-2.5 re-export
    ``tensorflow.keras.layers``, which the tf-keras tables cover)."""
    files = set(wheel.namelist())
    api = "keras/api/_v2/keras/layers/__init__.py"
    if api in files:
        return set(re.findall(r"import (\w+)$", wheel.read(api).decode(), re.M))
    init = wheel.read("keras/layers/__init__.py").decode()
    names = set(re.findall(r"^from \.+[\w.]+ import (\w+)$", init, re.M))
    for dots, module in re.findall(r"^from (\.+)([\w.]+) import \*", init, re.M):
        path = ("keras/layers/" if dots == "." else "keras/") + module.replace(".", "/") + ".py"
        if path in files:
            source = wheel.read(path).decode()
            names |= {m for pair in re.findall(r"^(?:class|def) ([A-Za-z]\w*)|^([A-Za-z]\w*) = ", source, re.M)
                      for m in pair if m}
    return names


def main(wheels: list[str]) -> None:
    modules: dict[str, list[Version]] = {}
    layers: dict[str, list[Version]] = {}
    for path in wheels:
        version = Version(re.search(r"-(\d[\w.]*?)-py", path).group(1))
        wheel = zipfile.ZipFile(path)
        names = set(wheel.namelist())
        for module, (in_keras3, _, _) in signatures.LEGACY_MODULES.items():
            if in_keras3:
                continue
            module_path = "keras/" + module.replace(".", "/")
            if f"{module_path}.py" in names or f"{module_path}/__init__.py" in names:
                modules.setdefault(module, []).append(version)
        exported = layer_names(wheel)
        for layer in REMOVED_LAYERS:
            if layer in exported and layer not in signatures.LAYERS[2]:
                layers.setdefault(layer, []).append(version)
    for name, found in (("KERAS2_MODULE_RANGES", modules), ("KERAS2_LAYER_RANGES", layers)):
        ranges = {key: (str(min(v)), str(max(v))) for key, v in sorted(found.items())}
        print(f"{name} = " + pformat(ranges, width=100))


if __name__ == "__main__":
    main(sys.argv[1:])
