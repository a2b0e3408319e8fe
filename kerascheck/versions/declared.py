"""What a project declares it needs of TensorFlow / Keras, read statically from its files.

``declared_requirements(directory)`` walks up from a directory to the nearest one whose
dependency files name tensorflow, keras or tf-keras (without leaving the repository a ``.git``
marks) and returns those requirements, each with the file and line text that declared it.
``setup.py`` is read as a syntax tree, never run; ``environment.yml`` is read line by line.
"""

from __future__ import annotations

import ast
import configparser
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterator

# Distributions whose version says which Keras the code gets; the tensorflow variants are one.
TENSORFLOW = "tensorflow"
KERAS = "keras"
TF_KERAS = "tf-keras"
_ALIASES = {"tensorflow": TENSORFLOW, "tensorflow-cpu": TENSORFLOW, "tensorflow-gpu": TENSORFLOW,
            "tensorflow-macos": TENSORFLOW, "tensorflow-intel": TENSORFLOW, "tensorflow-aarch64": TENSORFLOW,
            "keras": KERAS, "tf-keras": TF_KERAS}
_FILES = ("pyproject.toml", "setup.cfg", "setup.py", "Pipfile", "environment.yml", "environment.yaml")
_REQUIREMENTS_FILE = re.compile(r"requirements.*\.(txt|in)\Z")
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


@dataclass(frozen=True)
class Declared:
    """One requirement on a Keras-deciding distribution: ``package`` is tensorflow, keras or
    tf-keras; ``specifier`` a PEP 440 specifier text ("" allows every version); ``where`` the
    file name and the requirement as written, for messages."""

    package: str
    specifier: str
    where: str


def canonical_package(name: str) -> str | None:
    """tensorflow, keras or tf-keras for a distribution name that decides the Keras, else None."""
    return _ALIASES.get(re.sub(r"[-_.]+", "-", name).lower())


@lru_cache(maxsize=256)
def declared_requirements(directory: str) -> tuple[Declared, ...]:
    """The Keras-deciding requirements of the nearest project at or above ``directory``."""
    current = os.path.abspath(directory)
    while True:
        found = tuple(_in_directory(current))
        if found:
            return found
        parent = os.path.dirname(current)
        if parent == current or os.path.exists(os.path.join(current, ".git")):
            return ()
        current = parent


def _in_directory(directory: str) -> Iterator[Declared]:
    try:
        names = sorted(os.listdir(directory))
    except OSError:
        return
    for name in names:
        path = os.path.join(directory, name)
        if name in _FILES or _REQUIREMENTS_FILE.match(name):
            text = _read(path)
            if text is None or not any(word in text.lower() for word in ("tensorflow", "keras", "-r")):
                continue
            for origin, requirement in _requirements_of(name, path, text, directory):
                declared = _declared(requirement, origin)
                if declared is not None:
                    yield declared


def _requirements_of(name: str, path: str, text: str, directory: str) -> Iterator[tuple[str, str]]:
    """(the file that says it, relative to ``directory``; a PEP 508 requirement text)."""
    if name in _FILES:
        yield from ((name, requirement) for requirement in _READERS[name](path, text))
    else:
        yield from _requirements_txt(path, text, directory)


def _read(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except (OSError, UnicodeDecodeError):
        return None


def _declared(text: str, file_name: str) -> Declared | None:
    """A PEP 508 requirement text as Declared when it names a Keras-deciding distribution."""
    from packaging.requirements import InvalidRequirement, Requirement

    match = _NAME.match(text.strip())
    if match is None or canonical_package(match.group()) is None:
        return None
    try:
        requirement = Requirement(text.strip())
    except InvalidRequirement:
        return None
    package = canonical_package(requirement.name)
    if package is None:
        return None
    return Declared(package, str(requirement.specifier), f"{file_name} requires {text.strip()}")


# A notebook's ``!pip install ...`` and ``%pip install ...`` as the notebook reader writes them.
_PIP_LINE = re.compile(r"""get_ipython\(\)\.(?:system\(|run_line_magic\('pip',\s*)(['"])(.*?)\1\)""")
_INSTALL = re.compile(r"(?:^|\s)(?:pip3?|python3?\s+-m\s+pip|'pip')?\s*install\s+(.*)")


def notebook_installs(text: str) -> tuple[Declared, ...]:
    """The Keras-deciding requirements a notebook installs (``!pip install -q tensorflow==2.15``),
    in the order its cells do it; the last one of a package wins when pip runs them in turn."""
    found = []
    for match in _PIP_LINE.finditer(text):
        command = match.group(2)
        if match.group(0).startswith("get_ipython().run_line_magic"):
            command = "pip " + command
        install = _INSTALL.search(command)
        if install is None:
            continue
        for word in install.group(1).split():
            word = word.strip("'\"")
            if word.startswith("-") or word.startswith(("git+", "http")) or "/" in word:
                continue
            declared = _declared(word, "the notebook's pip install")
            if declared is not None:
                found.append(declared)
    if "run_line_magic('tensorflow_version'" in text:  # Colab dropped this magic before TensorFlow 2.16
        found.append(Declared(TENSORFLOW, "<2.16", "the notebook selects TensorFlow with Colab's %tensorflow_version"))
    return tuple(reversed(found))


def _requirements_txt(path: str, text: str, directory: str,
                      seen: frozenset[str] = frozenset()) -> Iterator[tuple[str, str]]:
    """Requirement lines, following ``-r``/``--requirement`` includes (each file once)."""
    seen = seen | {os.path.abspath(path)}
    origin = os.path.relpath(path, directory).replace(os.sep, "/")
    for raw in text.splitlines():
        line = re.sub(r"(^|\s)#.*", "", raw).strip()
        include = re.match(r"(?:-r|--requirement)[\s=]*(\S+)", line)
        if include:
            target = os.path.join(os.path.dirname(path), include.group(1))
            nested = _read(target)
            if nested is not None and os.path.abspath(target) not in seen:
                yield from _requirements_txt(target, nested, directory, seen)
        elif line and not line.startswith("-"):
            yield origin, line


def _toml(text: str) -> dict[str, Any]:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return {}


def _strings(value: Any) -> Iterator[str]:
    """The strings in a list (or a dict of lists, like optional-dependencies)."""
    if isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        yield from (item for item in value if isinstance(item, str))


def _pyproject(path: str, text: str) -> Iterator[str]:
    data = _toml(text)
    project = data.get("project", {})
    yield from _strings(project.get("dependencies"))
    yield from _strings(project.get("optional-dependencies"))
    yield from _strings(data.get("dependency-groups"))
    tool = data.get("tool", {})
    poetry = tool.get("poetry", {})
    yield from _constraint_table(poetry.get("dependencies"))
    yield from _constraint_table(poetry.get("dev-dependencies"))
    for group in (poetry.get("group") or {}).values():
        if isinstance(group, dict):
            yield from _constraint_table(group.get("dependencies"))
    yield from _strings(tool.get("pdm", {}).get("dev-dependencies"))
    yield from _strings(tool.get("uv", {}).get("dev-dependencies"))


def _pipfile(path: str, text: str) -> Iterator[str]:
    data = _toml(text)
    yield from _constraint_table(data.get("packages"))
    yield from _constraint_table(data.get("dev-packages"))


def _constraint_table(table: Any) -> Iterator[str]:
    """Poetry/Pipfile ``name = "constraint"`` (or ``{version = ...}``) entries as PEP 508 texts."""
    if not isinstance(table, dict):
        return
    for name, value in table.items():
        if isinstance(value, dict):
            value = value.get("version", "*")
        if isinstance(value, str):
            yield name + poetry_specifier(value)


def poetry_specifier(constraint: str) -> str:
    """A Poetry/Pipfile constraint as a PEP 440 specifier: ``^2.15`` is ``>=2.15,<3.0``,
    ``~2.15`` is ``>=2.15,<2.16``, ``2.15`` is ``==2.15``, ``*`` allows every version."""
    parts = []
    for piece in re.split(r"\s*,\s*|\s+(?=[<>=!~^])", constraint.strip()):
        if piece in ("", "*"):
            continue
        caret = re.fullmatch(r"\^\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?", piece)
        tilde = re.fullmatch(r"~\s*(\d+)(?:\.(\d+))?(?:\.\d+)?", piece)
        if caret:
            numbers = [int(n) for n in caret.groups() if n is not None]
            first = next((i for i, n in enumerate(numbers) if n != 0), len(numbers) - 1)
            upper = numbers[:first] + [numbers[first] + 1]
            parts += [f">={'.'.join(map(str, numbers))}", f"<{'.'.join(map(str, upper))}"]
        elif tilde:
            major, minor = int(tilde.group(1)), tilde.group(2)
            upper = f"{major}.{int(minor) + 1}" if minor is not None else f"{major + 1}"
            parts += [f">={piece.lstrip('~').strip()}", f"<{upper}"]
        elif piece[0].isdigit():
            parts.append(f"=={piece}")
        else:
            parts.append(piece)
    return ",".join(parts)


def _setup_cfg(path: str, text: str) -> Iterator[str]:
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text)
    except configparser.Error:
        return
    sections = [("options", "install_requires")]
    if parser.has_section("options.extras_require"):
        sections += [("options.extras_require", key) for key in parser.options("options.extras_require")]
    for section, key in sections:
        if parser.has_option(section, key):
            yield from (line.strip() for line in parser.get(section, key).splitlines() if line.strip())


def _setup_py(path: str, text: str) -> Iterator[str]:
    """``install_requires``/``extras_require`` of ``setup(...)`` when they are literals (or names
    bound to literals at module level); the file is parsed, never run."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return
    bound = {target.id: node.value for node in tree.body if isinstance(node, ast.Assign)
             for target in node.targets if isinstance(target, ast.Name)}
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == "setup"):
            continue
        for keyword in node.keywords:
            if keyword.arg in ("install_requires", "extras_require"):
                value = bound.get(keyword.value.id, keyword.value) if isinstance(keyword.value, ast.Name) \
                    else keyword.value
                try:
                    yield from _strings(ast.literal_eval(value))
                except ValueError:
                    continue


def _environment_yml(path: str, text: str) -> Iterator[str]:
    """Conda and pip entries of an environment file: ``- tensorflow=2.15`` (conda's ``=`` is a
    prefix match), ``- keras>=3``, ``- tensorflow 2.15.*``; read as lines, no YAML parser."""
    for raw in text.splitlines():
        entry = re.match(r"\s*-\s*([A-Za-z0-9][\w.-]*)\s*(.*?)\s*(?:#.*)?$", raw)
        if entry is None or canonical_package(entry.group(1)) is None:
            continue
        name, spec = entry.groups()
        conda = re.fullmatch(r"=\s*([\d.*]+)(?:=\S*)?|([\d.*]+)(?:\s+\S+)?", spec)
        if conda:  # a conda version is a prefix: =2.15 allows 2.15.1
            version = (conda.group(1) or conda.group(2)).rstrip(".*")
            spec = f"=={version}.*"
        yield name + spec


_READERS = {"pyproject.toml": _pyproject, "Pipfile": _pipfile,
            "setup.cfg": _setup_cfg, "setup.py": _setup_py, "environment.yml": _environment_yml,
            "environment.yaml": _environment_yml}

