"""Which Keras a file runs on, and how that is known. The first answer wins:

1. ``--keras-version`` / ``keras-version`` in ``[tool.kerascheck]``;
2. the file imports only ``tf_keras`` (and TensorFlow, but not its ``tf.keras``): it is Keras 2
   always;
3. a notebook's own ``!pip install tensorflow==2.15`` (or ``%pip``), which decides what it runs on
   as a project's pins do, for that notebook alone;
4. the project's declared dependencies (``declared.py``): tensorflow < 2.16 or keras < 3 is
   Keras 2, tensorflow >= 2.16 or keras >= 3 is Keras 3; a range allowing both decides nothing;
5. the installed environment (``importlib.metadata`` versions; nothing is imported), with
   ``TF_USE_LEGACY_KERAS`` making ``tf.keras`` tf-keras;
6. the file's era: APIs only one Keras has (``detect.py``);
7. unknown (``version`` None): errors are kept for what fails on every Keras.

The declared or installed keras release (steps 3-5) comes with the answer: it decides the names
only early standalone Keras 2 releases have (``releases.py``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Callable, Iterable, Mapping

from kerascheck.config import Options
from kerascheck.versions.declared import KERAS, TENSORFLOW, TF_KERAS, Declared, declared_requirements, notebook_installs
from kerascheck.versions.detect import file_era, imported_modules

# Installed distribution -> version text (only the Keras-deciding ones, by canonical name).
Installed = Mapping[str, str]
# The first TensorFlow whose tf.keras is Keras 3, and the first Keras 3.
TF_KERAS3 = (2, 16)
_DISTRIBUTIONS = {"tensorflow": TENSORFLOW, "tensorflow-cpu": TENSORFLOW, "tensorflow-gpu": TENSORFLOW,
                  "tensorflow-macos": TENSORFLOW, "tensorflow-intel": TENSORFLOW, "keras": KERAS,
                  "tf-keras": TF_KERAS}
# Versions a specifier is tried on (with those it names): every minor of each line (and a few to
# come), so a range decides when all the versions it allows are on one side of the Keras 3 boundary.
_CANDIDATES = {TENSORFLOW: [f"1.{m}.0" for m in range(16)] + [f"2.{m}.{p}" for m in range(40) for p in (0, 1)],
               KERAS: [f"{major}.{m}.0" for major in (1, 2) for m in range(16)]
               + [f"3.{m}.{p}" for m in range(40) for p in (0, 1)] + ["4.0.0"]}
_PRIVATE_KERAS2 = ("tf_keras", "tensorflow.python.keras")


@dataclass(frozen=True)
class Resolution:
    """The Keras major version a file runs on (2, 3, or None when unknown) and why;
    ``releases``: the standalone keras releases it may run on when the project's pins or the
    environment say (``("2.2.4",)`` for ``keras==2.2.4``; None when they do not), which decide
    the names only some Keras 2 releases have."""

    version: int | None
    source: str
    releases: tuple[str, ...] | None = None


def resolve_version(path: str | None, text: str, imports: Iterable[object], options: Options,
                    installed: Callable[[], Installed] | None = None) -> Resolution:
    """The file's Keras (see the module docstring for the order); ``installed`` gives the
    environment's versions (default: this Python's, read once)."""
    if options.keras_version is not None:
        return Resolution(options.keras_version, options.keras_version_from)
    modules = imported_modules(imports)
    namespaces = {_namespace(module) for module in modules} - {None}
    if namespaces == {"tf_keras"} or (namespaces == {"tf_keras", "tensorflow"}
                                      and not _reaches_tensorflow_keras(modules, text)):
        return Resolution(2, "imports tf_keras, which is Keras 2")
    standalone = "keras" in namespaces
    sources = [notebook_installs(text)] if "get_ipython()" in text else []
    if path is not None and not path.startswith("<"):
        sources.append(declared_requirements(os.path.dirname(os.path.abspath(path))))
    for declared in sources:
        found = _from_declared(declared, standalone)
        if found is not None:
            return replace(found, releases=_declared_releases(declared))
    environment = (installed or installed_versions)()
    found = _from_installed(environment, standalone)
    if found is not None:
        return replace(found, releases=(environment[KERAS],) if KERAS in environment else None)
    era = file_era(modules, text)
    if era is not None:
        return Resolution(era[0], f"the file uses {era[1]}, which only Keras {era[0]} has")
    return Resolution(None, "unknown: no declared dependency, installed Keras or Keras-2/3-only API")


def _reaches_tensorflow_keras(modules: list[str], text: str) -> bool:
    """Whether a file importing TensorFlow beside tf_keras uses TensorFlow's own Keras: imports a
    ``tensorflow.keras`` module or reads ``.keras`` on a name in its code (``tf.keras.layers``).
    TensorFlow for tf.data or tf.one_hot beside ``import tf_keras as keras`` is the legacy-Keras
    set-up, and tf_keras's own sources import TensorFlow so (their docstrings say ``tf.keras``)."""
    if any(module.startswith(("tensorflow.keras", "tensorflow.python.keras")) for module in modules):
        return True
    if ".keras" not in text:
        return False
    import io
    import tokenize

    skipped = (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT)
    last_two: list[tokenize.TokenInfo] = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type in skipped:
                continue
            if (token.string == "keras" and len(last_two) == 2 and last_two[1].string == "."
                    and last_two[0].type == tokenize.NAME):
                return True
            last_two = [*last_two[-1:], token]
    except (tokenize.TokenError, SyntaxError):
        return True
    return False


def _namespace(module: str) -> str | None:
    """The package a module is in: tf_keras, keras, or tensorflow (whose tf.keras, and whose
    private Keras copy's layers, depend on the TensorFlow version)."""
    for package in ("tf_keras", "keras", "tensorflow"):
        if module == package or module.startswith(package + "."):
            return package
    return None


def _legacy_keras() -> bool:
    """Whether ``TF_USE_LEGACY_KERAS`` makes TensorFlow >= 2.16's ``tf.keras`` tf-keras."""
    return os.environ.get("TF_USE_LEGACY_KERAS", "").strip().lower() in ("1", "true", "yes")


def _major_of(package: str, versions: list[str]) -> int | None:
    """2 or 3 when every version given is on one side of the package's Keras 3 boundary."""
    from packaging.version import InvalidVersion, Version

    sides = set()
    for text in versions:
        try:
            version = Version(text)
        except InvalidVersion:
            return None
        if package == TENSORFLOW:
            sides.add(3 if version.release[:2] >= TF_KERAS3 else 2)
        else:
            sides.add(3 if version.major >= 3 else 2)
    return sides.pop() if len(sides) == 1 else None


def _order(standalone: bool) -> tuple[str, str]:
    """Which package decides first: ``import keras`` asks keras, ``tf.keras`` asks tensorflow
    (they agree whenever pip can install both: TensorFlow 2.16 needs keras >= 3)."""
    return (KERAS, TENSORFLOW) if standalone else (TENSORFLOW, KERAS)


def _allowed(requirement: Declared) -> list[str] | None:
    """The versions of its package a requirement allows, of those tried (None: no specifier, or
    one that does not parse)."""
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    if not requirement.specifier:
        return None
    try:
        specifiers = SpecifierSet(requirement.specifier)
    except InvalidSpecifier:
        return None
    # The versions a specifier names are tried too (a pin on a patch release).
    named = [spec.version.rstrip(".*") for spec in specifiers]
    return list(specifiers.filter(_CANDIDATES[requirement.package] + named))


def _from_declared(declared: tuple[Declared, ...], standalone: bool) -> Resolution | None:
    for package in _order(standalone):
        for requirement in declared:
            allowed = _allowed(requirement) if requirement.package == package else None
            if allowed is None:
                continue
            major = _major_of(package, allowed) if allowed else None
            if major is None:
                continue
            if major == 3 and package == TENSORFLOW and not standalone and _legacy_keras():
                return Resolution(2, f"{requirement.where}, and TF_USE_LEGACY_KERAS makes tf.keras tf-keras")
            return Resolution(major, requirement.where)
    return None


def _declared_releases(declared: tuple[Declared, ...]) -> tuple[str, ...] | None:
    """The keras releases the first versioned keras requirement allows (of those tried)."""
    for requirement in declared:
        allowed = _allowed(requirement) if requirement.package == KERAS else None
        if allowed is not None:
            return tuple(allowed) or None
    return None


def _from_installed(installed: Installed, standalone: bool) -> Resolution | None:
    for package in _order(standalone):
        version = installed.get(package)
        major = _major_of(package, [version]) if version else None
        if major is None:
            continue
        where = f"{package} {version} is installed"
        if major == 3 and package == TENSORFLOW and not standalone and _legacy_keras():
            return Resolution(2, f"{where}, and TF_USE_LEGACY_KERAS makes tf.keras tf-keras")
        return Resolution(major, where)
    return None


@lru_cache(maxsize=1)
def installed_versions() -> Installed:
    """The versions of tensorflow (any variant), keras and tf-keras this Python can import,
    read from their distribution metadata (TensorFlow is never imported)."""
    from importlib import metadata

    found: dict[str, str] = {}
    for name, package in _DISTRIBUTIONS.items():
        try:
            found.setdefault(package, metadata.version(name))
        except metadata.PackageNotFoundError:
            continue
    return found
