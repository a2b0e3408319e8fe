"""Imports of Keras module paths (or names in them) that no longer exist, of layer classes
``keras.layers`` no longer has (``from keras.layers import CuDNNLSTM``: the import line fails, not
the layer's use), and of TensorFlow's private Keras copy.

``tf_keras`` is Keras 2 whatever version the file targets; ``keras`` and ``tensorflow.keras`` are
the targeted version. A standalone ``keras.`` path or layer that only later Keras 2 releases
dropped (``keras.utils.np_utils``, up to 2.12; ``CuDNNLSTM``, up to 2.3) depends on the release
(``releases.py``): nothing, an error, or a warning naming the releases that have it.
"""

from __future__ import annotations

from difflib import get_close_matches
from typing import Any, Iterable

from kerascheck.diagnostics import Diagnostic, diagnostic
from kerascheck.graph import Position
from kerascheck.versions.backend import replacement
from kerascheck.versions.releases import removed_from, shipped_until
from kerascheck.versions.renames import KERAS2_LAYER_RANGES, KERAS2_MODULE_RANGES, REMOVED_LAYERS
from kerascheck.versions.tables import signatures

_PRIVATE = "tensorflow.python.keras"
_NOWHERE = Position(1, 1, 1, 1)


def check_imports(imports: Iterable[Any], version: int, releases: tuple[str, ...] | None = None) -> list[Diagnostic]:
    """KC524 for removed module paths, KC532 for names a Keras 3 module lost, KC525/KC654 for
    ``tensorflow.python.keras`` (KC654 once).

    Each import is a record with ``module`` (str), ``position`` and optionally ``names`` (the
    names a ``from`` import takes) and ``guarded`` (the program catches its failure: nothing to
    report), or a bare module name (reported at line 1). ``releases``: the standalone keras
    releases the file may run on, when known (``Resolution.releases``).
    """
    found: list[Diagnostic] = []
    for item in imports:
        if getattr(item, "guarded", False):
            continue
        module = item if isinstance(item, str) else getattr(item, "module", None)
        if not isinstance(module, str):
            continue
        position = getattr(item, "position", None) or _NOWHERE
        names = tuple(n for n in (getattr(item, "names", None) or ()) if isinstance(n, str))
        found.extend(_check_module(module, names, position, version, releases))
    # The private copy is one choice of the file: said once, at its first import.
    private = [d for d in found if d.code == "KC654"]
    return [d for d in found if d.code != "KC654" or d is private[0]]


def _check_module(module: str, names: tuple[str, ...], position: Position, version: int,
                  releases: tuple[str, ...] | None) -> list[Diagnostic]:
    if module == _PRIVATE or module.startswith(_PRIVATE + "."):
        return _check_private(module, names, position, version)
    targeted = _keras_path(module, version)
    if targeted is None:
        return []
    path, in_version = targeted
    shipped_names = signatures.KERAS3_MODULE_NAMES.get(module) if in_version == 3 else None
    found = [] if shipped_names is None else _check_names(module, path, names, shipped_names, position)
    if path == "layers":
        found += _removed_layers(module, names, position, in_version, releases)
    for legacy, written in _legacy_candidates(module, path, names):
        if shipped_names is not None and (legacy == path or path.startswith(legacy + ".")):
            continue  # the module exists: only its names can be missing
        exists3, exists2, instead = signatures.LEGACY_MODULES[legacy]
        if exists3 if in_version == 3 else exists2:
            continue
        shipped = KERAS2_MODULE_RANGES.get(legacy) if in_version == 2 and module.startswith("keras") else None
        if shipped is not None:  # gone from later Keras 2 releases only: it depends which one
            told = shipped_until("KC524", position, shipped, instead, releases, module=written)
            return found + ([told] if told is not None else [])
        return found + [diagnostic("KC524", position, instead, module=written, version=in_version)]
    return found


def _removed_names(names: Iterable[str], version: int) -> list[str]:
    """The layer classes of ``names`` that Keras ``version``'s ``keras.layers`` no longer has."""
    return [name for name in names if name in REMOVED_LAYERS and name not in signatures.LAYERS[version]]


def _removed_layers(module: str, names: tuple[str, ...], position: Position, version: int,
                    releases: tuple[str, ...] | None) -> list[Diagnostic]:
    """KC523 at the import of each layer class the Keras ``module`` belongs to has no more."""
    found = []
    for name in _removed_names(names, version):
        shipped = KERAS2_LAYER_RANGES.get(name) if version == 2 and module.startswith("keras") else None
        if shipped is not None:
            told = shipped_until("KC523", position, shipped, REMOVED_LAYERS[name], releases, layer=name)
            found.extend([told] if told is not None else [])
        else:
            found.append(diagnostic("KC523", position, REMOVED_LAYERS[name], layer=name, version=version))
    return found


def repeated_at_use(imports: Iterable[Any], version: int) -> set[str]:
    """The KC523 messages the uses of the removed layer classes imported by name would give
    (see ``api.check_layer``): the import fails first, so a use says nothing more."""
    repeated = set()
    for item in imports:
        targeted = _keras_path(getattr(item, "module", None) or "", version)
        if targeted is None or targeted[0] != "layers" or getattr(item, "guarded", False):
            continue
        for name in _removed_names(getattr(item, "names", None) or (), targeted[1]):
            shipped = KERAS2_LAYER_RANGES.get(name) if version == 2 else None
            said = removed_from(shipped) if shipped is not None else version
            repeated.add(diagnostic("KC523", _NOWHERE, layer=name, version=said).message)
    return repeated


# What replaces a name Keras 3 dropped from a module it kept.
_MOVED = {
    "ImageDataGenerator": "use keras.utils.image_dataset_from_directory with augmentation layers "
                          "(keras.layers.RandomFlip, RandomRotation...), or import it from "
                          "tensorflow.keras.preprocessing.image, which TensorFlow 2.16+ keeps",
    "TimeseriesGenerator": "use keras.utils.timeseries_dataset_from_array",
}


def _check_names(module: str, path: str, names: tuple[str, ...], shipped: tuple[str, ...],
                 position: Position) -> list[Diagnostic]:
    """KC532 for names a Keras 3 module does not have (``from keras.preprocessing.image import
    ImageDataGenerator``); a known old submodule (``preprocessing.text``) is KC524's."""
    missing = [n for n in names if n != "*" and n not in shipped and f"{path}.{n}" not in signatures.LEGACY_MODULES]
    if not missing:
        return []
    if path == "backend":
        hints = [f"{n}: {replacement(n)}" for n in missing]
    else:
        hints = [_MOVED[n] for n in missing if n in _MOVED]
    if not hints and len(shipped) > 20:  # keras.ops: the names closest to the ones written
        hints = [f"did you mean {close[0]}?" for n in missing if (close := get_close_matches(n, shipped, 1))]
    hint = "; ".join(hints) if hints else f"{module} has {', '.join(shipped)}" if len(shipped) <= 20 else None
    return [diagnostic("KC532", position, hint, name=", ".join(missing), module=module, version=3)]


def _keras_path(module: str, version: int) -> tuple[str, int] | None:
    """The path under the Keras package, and which major version that package is."""
    for root, in_version in (("tensorflow.keras", version), ("tf_keras", 2), ("keras", version)):
        if module == root:
            return "", in_version
        if module.startswith(root + "."):
            return module[len(root) + 1:], in_version
    return None


def _legacy_candidates(module: str, path: str, names: tuple[str, ...]) -> list[tuple[str, str]]:
    """Known legacy paths this import reaches, with the module as written.

    ``import keras.layers.core`` reaches ``layers.core``; so does ``from keras.layers import core``.
    """
    reached = [(path, module)] + [(f"{path}.{n}" if path else n, f"{module}.{n}") for n in names]
    found = []
    for target, written in reached:
        best = _longest_legacy_prefix(target)
        if best is not None:
            found.append((best, written))
    return found


def _longest_legacy_prefix(target: str) -> str | None:
    """The longest legacy path that is ``target`` or a package above it (``layers.core`` for
    ``layers.core.dense``), or None."""
    parts = target.split(".")
    for end in range(len(parts), 0, -1):
        prefix = ".".join(parts[:end])
        if prefix in signatures.LEGACY_MODULES:
            return prefix
    return None


def _check_private(module: str, names: tuple[str, ...], position: Position, version: int) -> list[Diagnostic]:
    shipped = signatures.PRIVATE_KERAS_NAMES.get(module)
    # The copy lost its layers when TensorFlow's Keras became Keras 3 (2.16); before, they imported.
    if shipped is not None and version == 3:
        missing = [n for n in names if n != "*" and n not in shipped]
        if missing:
            public = "keras.layers" if module.endswith(".layers") else "keras"
            hint = f"import {', '.join(missing)} from {public} (the public Keras)"
            return [diagnostic("KC525", position, hint, name=", ".join(missing), module=module)]
    public = "keras" + module[len(_PRIVATE):]
    hint = f"import from {public} (or tensorflow.keras) instead"
    return [diagnostic("KC654", position, hint, module=module)]
