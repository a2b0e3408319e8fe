"""Options for a run: defaults, ``[tool.kerascheck]`` in pyproject.toml, then CLI flags."""

from __future__ import annotations

import fnmatch
import os
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any, Iterable

CODE_PREFIX = re.compile(r"KC\d{0,3}\Z")
CONFIG_KEYS = ("select", "ignore", "extend-select", "per-file-ignores", "exclude", "force-exclude",
               "keras-version", "max-file-size")
# Megabytes of source above which a file is reported (KC004) instead of parsed: libcst parses
# 0.2-1 MB/s, and every hand-written Keras file we know is smaller (Keras's largest, a test, is
# 0.45 MB); what is larger is generated code or data.
DEFAULT_MAX_FILE_SIZE = 1.0


class ConfigError(Exception):
    """A bad setting: the message names the file (or flag) and the key."""


@dataclass
class Options:
    """What to check and how. ``keras_version`` None means: resolve it per file
    (``kerascheck.versions.resolve``); ``keras_version_from`` says where a set one came from.

    ``select`` None is the default rule set: every code but the opt-in ones (``Code.opt_in``:
    style, migration and deprecation notes), which ``extend_select`` adds. ``select = ["KC"]``
    selects every code. ``per_file_ignores`` maps a glob (relative to ``root``, the directory of
    the config file) to codes ignored in matching files; for one file they are
    ``file_ignores``, which beat any selection.
    ``noqa`` False leaves ``# noqa`` comments to the caller (the flake8 plugin).
    ``max_file_size`` is in MB; 0 means no limit. ``force_exclude`` applies the excludes to
    paths named explicitly too (as pre-commit names every file).
    """

    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    keras_version: int | None = None
    keras_version_from: str = "--keras-version"
    exclude: tuple[str, ...] = field(default_factory=tuple)
    force_exclude: bool = False
    per_file_ignores: dict[str, tuple[str, ...]] = field(default_factory=dict)
    root: str | None = None
    config_file: str | None = None
    noqa: bool = True
    max_file_size: float = DEFAULT_MAX_FILE_SIZE
    file_ignores: tuple[str, ...] = ()

    def enabled(self, code: str) -> bool:
        """Whether a code is reported, as ruff decides: a per-file ignore always wins; otherwise the
        longest matching prefix of select/ignore wins, and ignore wins a tie."""
        if any(code.startswith(p) for p in self.file_ignores):
            return False
        selected = self.select if self.select is not None else default_select(code)
        chosen = max((p for p in selected + self.extend_select if code.startswith(p)), key=len, default=None)
        dropped = max((p for p in self.ignore if code.startswith(p)), key=len, default=None)
        if chosen is None:
            return False
        return dropped is None or len(chosen) > len(dropped)

    def for_file(self, path: str) -> Options:
        """These options with the ``per-file-ignores`` that match ``path`` as ``file_ignores``."""
        extra = tuple(code for pattern, codes in self.per_file_ignores.items()
                      if path_matches(path, pattern, self.root) for code in codes)
        return replace(self, file_ignores=extra) if extra else self


def default_select(code: str) -> tuple[str, ...]:
    """The default rule set as seen by one code: ``("KC",)`` unless the code is opt-in."""
    from kerascheck.diagnostics import CATALOG

    entry = CATALOG.get(code)
    return () if entry is not None and entry.opt_in else ("KC",)


def opt_in_codes() -> tuple[str, ...]:
    """The codes outside the default rule set."""
    from kerascheck.diagnostics import CATALOG

    return tuple(code for code, entry in CATALOG.items() if entry.opt_in)


def path_matches(path: str, pattern: str, root: str | None = None) -> bool:
    """A glob against the path relative to ``root`` (or as given), or against its file name."""
    return matches_any(path, (pattern,), root)


def matches_any(path: str, patterns: tuple[str, ...], root: str | None = None) -> bool:
    """Whether any of the globs matches (see ``path_matches``); one regular expression for all."""
    if not patterns:
        return False
    candidates = {path.replace(os.sep, "/"), os.path.basename(path)}
    if root is not None:
        try:
            candidates.add(os.path.relpath(os.path.abspath(path), root).replace(os.sep, "/"))
        except ValueError:  # another drive on Windows
            pass
    match = _globs(patterns).match
    return any(match(os.path.normcase(c)) for c in candidates)


@lru_cache(maxsize=64)
def _globs(patterns: tuple[str, ...]) -> re.Pattern[str]:
    """``fnmatch`` semantics (a pattern, or anything under it as a directory) as one pattern."""
    globs = [glob for pattern in patterns for glob in (pattern, pattern.rstrip("/") + "/*")]
    return re.compile("|".join(fnmatch.translate(os.path.normcase(g)) for g in globs))


def codes(values: Iterable[str], where: str) -> tuple[str, ...]:
    """Validated code prefixes (``KC``, ``KC1``, ``KC101``); ``where`` names the setting in errors."""
    result = []
    for value in values:
        for part in str(value).split(","):
            part = part.strip().upper()
            if not part:
                continue
            if not CODE_PREFIX.match(part):
                raise ConfigError(f"{where}: {part!r} is not a kerascheck code or prefix "
                                  "(like KC, KC1 or KC101)")
            result.append(part)
    return tuple(result)


def find_config(paths: Iterable[str]) -> str | None:
    """The nearest pyproject.toml with a ``[tool.kerascheck]`` table, from the paths upward."""
    absolute = [os.path.abspath(p) for p in paths if p != "-"] or [os.getcwd()]
    try:
        start = os.path.commonpath(absolute)
    except ValueError:
        start = os.getcwd()
    directory = start if os.path.isdir(start) else os.path.dirname(start)
    while True:
        candidate = os.path.join(directory, "pyproject.toml")
        if os.path.isfile(candidate) and "kerascheck" in _read(candidate) and \
                load_table(candidate) is not None:
            return candidate
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


def _read(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read ({error})") from error


def load_table(path: str) -> dict[str, Any] | None:
    """The ``[tool.kerascheck]`` table of a pyproject.toml, None when it has none."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]
    try:
        data = tomllib.loads(_read(path))
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML ({error})") from error
    table = data.get("tool", {}).get("kerascheck")
    if table is not None and not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.kerascheck] must be a table")
    return table


def from_table(table: dict[str, Any], path: str) -> Options:
    """Options from a ``[tool.kerascheck]`` table; unknown keys and bad values are errors."""
    def where(key: str) -> str:
        return f"{path}: [tool.kerascheck] {key}"

    for key in table:
        if key not in CONFIG_KEYS:
            raise ConfigError(f"{where(key)}: unknown key (known: {', '.join(CONFIG_KEYS)})")

    def string_list(key: str) -> list[str]:
        value = table.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{where(key)}: must be a list of strings, got {value!r}")
        return value

    options = Options(root=os.path.dirname(os.path.abspath(path)), config_file=path)
    if "select" in table:
        options.select = codes(string_list("select"), where("select"))
    options.extend_select = codes(string_list("extend-select"), where("extend-select"))
    options.ignore = codes(string_list("ignore"), where("ignore"))
    options.exclude = tuple(string_list("exclude"))
    ignores = table.get("per-file-ignores", {})
    if not isinstance(ignores, dict):
        raise ConfigError(f"{where('per-file-ignores')}: must be a table of glob = [codes]")
    for pattern, listed in ignores.items():
        key = f"per-file-ignores.{pattern!r}"
        if isinstance(listed, str):
            listed = [listed]
        if not isinstance(listed, list) or not all(isinstance(v, str) for v in listed):
            raise ConfigError(f"{where(key)}: must be a list of codes, got {listed!r}")
        options.per_file_ignores[pattern] = codes(listed, where(key))
    if "force-exclude" in table:
        if not isinstance(table["force-exclude"], bool):
            raise ConfigError(f"{where('force-exclude')}: must be true or false, got {table['force-exclude']!r}")
        options.force_exclude = table["force-exclude"]
    if "keras-version" in table:
        options.keras_version = keras_version(table["keras-version"], where("keras-version"))
        options.keras_version_from = where("keras-version")
    if "max-file-size" in table:
        options.max_file_size = megabytes(table["max-file-size"], where("max-file-size"))
    return options


def keras_version(value: Any, where: str) -> int:
    """2 or 3 (an int or a string of one)."""
    if str(value).strip() in ("2", "3") and not isinstance(value, bool):
        return int(str(value).strip())
    raise ConfigError(f"{where}: must be 2 or 3, got {value!r}")


def megabytes(value: Any, where: str) -> float:
    """A size in MB: a number >= 0 (0: no limit)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0:
        return float(value)
    raise ConfigError(f"{where}: must be a number of megabytes >= 0 (0: no limit), got {value!r}")


def load_options(paths: Iterable[str], config_file: str | None = None) -> Options:
    """The options from the nearest ``[tool.kerascheck]`` (or defaults when there is none)."""
    path = config_file or find_config(paths)
    if path is None:
        return Options()
    table = load_table(path)
    return from_table(table or {}, path)


def describe(options: Options) -> str:
    """The effective settings as TOML, headed by where they came from."""
    def toml_list(values: Iterable[str]) -> str:
        return "[" + ", ".join(f'"{v}"' for v in values) + "]"

    source = options.config_file or "no [tool.kerascheck] found: defaults"
    lines = [f"# settings from {source}", "[tool.kerascheck]",
             (f"select = {toml_list(options.select)}" if options.select is not None else
              f"# select: the default set, every code but {', '.join(opt_in_codes())}"),
             f"extend-select = {toml_list(options.extend_select)}",
             f"ignore = {toml_list(options.ignore)}",
             f"exclude = {toml_list(options.exclude)}",
             f"force-exclude = {'true' if options.force_exclude else 'false'}",
             "keras-version = " + ("\"auto\"" if options.keras_version is None
                                   else str(options.keras_version)),
             f"max-file-size = {options.max_file_size:g}",
             "", "[tool.kerascheck.per-file-ignores]"]
    lines += [f'"{pattern}" = {toml_list(listed)}' for pattern, listed in options.per_file_ignores.items()]
    return "\n".join(lines)
