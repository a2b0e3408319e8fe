"""Jupyter notebooks as IPython runs them, never running a cell.

A notebook's code cells are read with nbformat's semantics (v4 ``cells``, v3 ``worksheets``;
``source``/``input`` as a string or a list of lines), each cell is transformed as IPython
compiles it (magics, ``!`` shell lines with their continuations, ``?``/``??`` help, leading
indentation, ``%%`` cell magics) and parsed on its own: a cell that still does not parse is
KC001 at its own line and the rest of the notebook is checked, with the names that cell binds
unknown afterwards. The cells are then joined into one program whose every line maps back to
(cell, line in cell, column shift) and to where that line is written in the ``.ipynb`` file.

IPython's own ``TransformerManager`` is used when IPython is importable; otherwise a built-in
transform that follows it (``ipython_syntax``), for the syntax listed above.
"""

from __future__ import annotations

import ast
import json
import re
import textwrap
import tokenize
import warnings
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any, Callable, NamedTuple

from kerascheck.diagnostics import Diagnostic, diagnostic
from kerascheck.graph import Position

# Cell magics whose body IPython runs as Python in the kernel's namespace; any other cell magic
# (%%bash, %%writefile, %%html, %%python3 in a subprocess...) is not Python here and is skipped.
PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun", "debug"})
# What a line bound to IPython's run-time result reads as: a call kerascheck cannot follow.
UNKNOWN_VALUE = "get_ipython()"
_START = Position(1, 1, 1, 1)


class CellLine(NamedTuple):
    """Where a line of the joined program comes from.

    ``shift``: the columns IPython removed from the start of the line (a cell's common
    indentation); ``file_line``/``file_column``: where the line's text starts in the .ipynb
    file (None when it cannot be found there).
    """

    cell: int
    line: int
    shift: int = 0
    file_line: int | None = None
    file_column: int | None = None


@dataclass
class Notebook:
    """A notebook as one program: ``cells[i]`` says where line i+1 comes from; ``problems`` are
    the cells that do not parse (KC001, at program positions)."""

    text: str
    cells: list[CellLine]
    problems: list[Diagnostic] = field(default_factory=list)


@dataclass(frozen=True)
class CodeCell:
    """A code cell's source; ``places[i]`` is (file line, file column) of its line i+1."""

    number: int
    source: str
    places: list[tuple[int, int]] | None = None


class NotebookError(ValueError):
    """Not a notebook nbformat would read."""


def read_notebook(raw: bytes, ipython: bool | None = None) -> tuple[Notebook, None] | tuple[None, Diagnostic]:
    """The program of a notebook's Python cells, or KC002 when it is not a valid notebook.

    ``ipython``: use IPython's transformer (True), the built-in one (False), or IPython when it
    is importable (None).
    """
    try:
        cells = code_cells(raw)
    except (NotebookError, ValueError, UnicodeDecodeError) as error:
        return None, diagnostic("KC002", _START, detail=f"not a valid notebook ({error})")
    transform = _transformer(ipython)
    programs = []
    for cell in cells:
        python = python_lines(cell.source, transform)
        if python is None:  # a non-Python cell magic: blank lines keep the numbering
            python = [("", 0)] * len(cell.source.splitlines() or [""])
        text = "\n".join(line for line, _ in python) + "\n"
        programs.append((cell, python, text, _syntax_error(text)))
    modules = set().union(*(imported_names(text) for _, _, text, error in programs if error is None))
    lines: list[str] = []
    where: list[CellLine] = []
    problems: list[Diagnostic] = []
    for cell, python, _, error in programs:
        if error is not None:
            line = len(lines) + (error.lineno or 1)
            column = max(error.offset or 1, 1)
            problems.append(diagnostic("KC001", Position(line, column, line, column), detail=str(error.msg)))
            python = _unknown_bindings(cell.source, len(python), modules)
        for index, (line_text, shift) in enumerate(python):
            place = cell.places[index] if cell.places and index < len(cell.places) else (None, None)
            lines.append(line_text)
            where.append(CellLine(cell.number, index + 1, shift, *place))
    return Notebook("\n".join(lines) + "\n", where, problems), None


def locate(cells: list[CellLine], line: int) -> CellLine:
    """Where a program line comes from (a line past the end: the last cell, counted on)."""
    if not cells:
        return CellLine(1, line)
    place = cells[min(max(line, 1), len(cells)) - 1]
    beyond = max(line - len(cells), 0)
    return place._replace(line=place.line + beyond) if beyond else place


_LINE_REFERENCE = re.compile(r"\b(on |at )?line (\d+)\b")


def localise(text: str, cells: list[CellLine]) -> str:
    """A message's references to program lines (``the LSTM on line 13``) as notebook places
    (``the LSTM in cell 3, line 7``)."""
    def place(match: re.Match[str]) -> str:
        where = locate(cells, int(match.group(2)))
        return f"{'in ' if match.group(1) else ''}cell {where.cell}, line {where.line}"

    return _LINE_REFERENCE.sub(place, text)


# ---- reading: nbformat v3 and v4 -------------------------------------------------------------


def code_cells(raw: bytes) -> list[CodeCell]:
    """The Python code cells in order, numbered from 1 over code cells (``cell_3`` is the third).

    A notebook whose kernel language is not Python has none. Raises NotebookError (or
    ValueError for bad JSON) when the document is not a notebook.
    """
    text = raw.decode("utf-8-sig")
    document = json.loads(text)
    if not isinstance(document, dict):
        raise NotebookError("not a JSON object")
    version = document.get("nbformat", 4 if "cells" in document else 3)
    if version == 4:
        cells, key = document.get("cells"), "source"
    elif version == 3:
        worksheets = document.get("worksheets", [])
        if not isinstance(worksheets, list) or not all(isinstance(w, dict) for w in worksheets):
            raise NotebookError("worksheets is not a list of objects")
        cells, key = [c for w in worksheets for c in w.get("cells", [])], "input"
    else:
        raise NotebookError(f"nbformat {version!r} is not 3 or 4")
    if not isinstance(cells, list) or not all(isinstance(c, dict) for c in cells):
        raise NotebookError("cells is not a list of objects")
    if not _python_kernel(document.get("metadata")):
        return []
    code = [c for c in cells if c.get("cell_type") == "code"]
    places = _Places(text, key)
    result = []
    for number, cell in enumerate(code, start=1):
        source = cell.get(key, "")
        if isinstance(source, list) and all(isinstance(s, str) for s in source):
            joined = "".join(source)
        elif isinstance(source, str):
            joined = source
        else:
            raise NotebookError(f"the source of code cell {number} is not text")
        if cell.get("language", "python") != "python":  # v3 cells name their language
            continue
        result.append(CodeCell(number, joined, places.find(source)))
    return result


def _python_kernel(metadata: Any) -> bool:
    """Whether the notebook's kernel runs Python (assumed when the metadata does not say)."""
    if not isinstance(metadata, dict):
        return True
    for table, key in (("language_info", "name"), ("kernelspec", "language")):
        value = metadata.get(table)
        if isinstance(value, dict) and isinstance(value.get(key), str):
            return value[key].lower() in ("python", "python3", "ipython")
    return True


class _Places:
    """Finds where each code cell's source is written in the notebook's text, in document order:
    the next ``"source":`` (``"input":`` in v3) whose value is that source."""

    def __init__(self, text: str, key: str) -> None:
        self.text = text
        self.key = re.compile(r'"%s"\s*:\s*' % key)
        self.at = 0
        self.decoder = json.JSONDecoder()
        self.newlines: list[int] | None = None

    def find(self, source: Any) -> list[tuple[int, int]] | None:
        for match in self.key.finditer(self.text, self.at):
            try:
                value, end = self.decoder.raw_decode(self.text, match.end())
            except ValueError:
                continue
            if value == source:
                self.at = end
                return self._lines(match.end(), source)
        return None

    def _lines(self, start: int, source: Any) -> list[tuple[int, int]]:
        """(file line, file column) of each line of the source written at ``start``."""
        if isinstance(source, str):  # one JSON string: every line is on the string's line
            return [self._place(start + 1)] * max(len(source.splitlines()), 1)
        places = []
        index = self.text.index("[", start) + 1
        for piece in source:
            index = self.text.index('"', index)
            _, end = self.decoder.raw_decode(self.text, index)
            places += [self._place(index + 1)] * max(len(piece.splitlines()), 1)
            index = end
        return places

    def _place(self, index: int) -> tuple[int, int]:
        if self.newlines is None:
            self.newlines = [m.start() for m in re.finditer("\n", self.text)]
        line = bisect_right(self.newlines, index - 1)
        start = self.newlines[line - 1] + 1 if line else 0
        return line + 1, index - start + 1


# ---- transforming: IPython's syntax to Python ------------------------------------------------

# (cleanup, token transform) of a cell's lines; both keep the number of lines.
Transform = tuple[Callable[[list[str]], list[str]], Callable[[list[str]], list[str]]]


def python_lines(source: str, transform: Transform | None = None) -> list[tuple[str, int]] | None:
    """The cell as IPython compiles it, one (line, column shift) per source line; None for a
    cell magic whose body is not Python."""
    cleanup, tokens = transform or _transformer(None)
    lines = source.splitlines(keepends=True) or ["\n"]
    lines[-1] = lines[-1] if lines[-1].endswith(("\n", "\r")) else lines[-1] + "\n"
    blank = next((i for i, line in enumerate(lines) if line.strip()), len(lines))
    body = lines[blank:]
    cleaned = cleanup(body) if body else body
    shifts = [len(before) - len(after) if before.endswith(after) else 0
              for before, after in zip(body, cleaned)]
    if cleaned and cleaned[0].startswith("%%") and not re.match(r"%%\w+\?", cleaned[0]):
        name = cleaned[0][2:].split(maxsplit=1)[0] if cleaned[0][2:].strip() else ""
        if name not in PYTHON_CELL_MAGICS:
            return None
        inner = python_lines("".join(body[1:]), (cleanup, tokens)) if len(body) > 1 else []
        if inner is None:
            return None
        return [("", 0)] * (blank + 1) + inner
    result = tokens(cleaned) if cleaned else cleaned
    return [("", 0)] * blank + [(line.rstrip("\r\n"), shift) for line, shift in zip(result, shifts)]


def _transformer(ipython: bool | None) -> Transform:
    if ipython is not False:
        try:
            return _ipython_transform()
        except ImportError:
            if ipython:
                raise
    return _cleanup, ipython_syntax


def _ipython_transform() -> Transform:
    """IPython's cleanup transforms and token transformers, each replacement padded with blank
    lines so that every line keeps its number."""
    from IPython.core.inputtransformer2 import TransformerManager

    manager = TransformerManager()
    cleanups = [t for t in manager.cleanup_transforms if getattr(t, "__name__", "") != "leading_empty_lines"]
    manager.token_transformers = [_padded(cls) for cls in manager.token_transformers]

    def cleanup(lines: list[str]) -> list[str]:
        for step in cleanups:
            lines = step(lines)
        return lines

    return cleanup, manager.do_token_transforms


def _padded(cls: type) -> type:
    def transform(self: Any, lines: list[str]) -> list[str]:
        result = cls.transform(self, lines)
        return _pad(result, self.start_line, len(lines))

    return type(cls.__name__, (cls,), {"transform": transform})


def _pad(lines: list[str], at: int, count: int) -> list[str]:
    """``lines`` with blank lines after line ``at`` (0-based) up to ``count`` lines."""
    return lines[:at + 1] + ["\n"] * (count - len(lines)) + lines[at + 1:]


def _cleanup(lines: list[str]) -> list[str]:
    """IPython's ``leading_indent``: the cell's common indentation removed."""
    return textwrap.dedent("".join(lines)).splitlines(keepends=True)


def ipython_syntax(lines: list[str]) -> list[str]:
    """IPython's token transforms without IPython, one at a time from the top as it does them:
    ``%magic``/``!shell``/``!!``/``?x``/``,f``/``;f``/``/f`` at a statement's start, ``x = %magic``,
    ``x = !shell``, ``x?``/``x??`` at a statement's end; a ``\\`` continues them."""
    for _ in range(500):  # IPython's TRANSFORM_LOOP_LIMIT
        found = _first_special(_logical_lines(lines))
        if found is None:
            return lines
        kind, row, column, last = found
        replaced = _replace(lines, kind, row, column, last)
        if replaced is None:
            return lines
        lines = _pad(replaced, row, len(lines))
    return lines


_ESCAPES = {"!", "?", "%", ",", ";", "/"}
_HELP_END = re.compile(r"(%{0,2}(?!\d)[\w*]+(\.(?!\d)[\w*]+|\[-?[0-9]+\])*)(\?\??)$")


def _logical_lines(lines: list[str]) -> list[list[tokenize.TokenInfo]]:
    """Tokens grouped by logical line (brackets join physical lines), up to the first error."""
    groups: list[list[tokenize.TokenInfo]] = [[]]
    depth = 0
    try:
        for token in tokenize.generate_tokens(iter(lines).__next__):
            groups[-1].append(token)
            if token.type == tokenize.NEWLINE or (token.type == tokenize.NL and depth <= 0):
                groups.append([])
            elif token.type == tokenize.OP and token.string in "([{":
                depth += 1
            elif token.type == tokenize.OP and token.string in ")]}":
                depth = max(depth - 1, 0)
    except (tokenize.TokenError, SyntaxError):
        pass
    return [g for g in groups if g]


def _first_special(groups: list[list[tokenize.TokenInfo]]) -> tuple[str, int, int, int] | None:
    """(kind, 0-based row, column, last row for help) of the first IPython syntax, as IPython
    orders its candidates: by position, then help before the others."""
    candidates = []
    for group in groups:
        tokens = [t for t in group if t.type not in (tokenize.INDENT, tokenize.DEDENT)
                  and not (t.type == tokenize.ERRORTOKEN and t.string.isspace())]
        if not tokens:
            continue
        assign = _assignment(tokens)
        if assign is not None and assign + 1 < len(tokens):
            after = tokens[assign + 1]
            if after.string == "%" and assign + 2 < len(tokens) and tokens[assign + 2].type == tokenize.NAME:
                candidates.append((after.start[0] - 1, after.start[1], 10, "magic_assign", 0))
            elif after.string == "!" and not tokens[assign].line.strip().startswith("="):
                candidates.append((after.start[0] - 1, after.start[1], 10, "system_assign", 0))
        if tokens[0].string in _ESCAPES:
            candidates.append((tokens[0].start[0] - 1, tokens[0].start[1], 10, "escaped", 0))
        if len(group) > 2 and group[-2].string == "?":
            candidates.append((tokens[0].start[0] - 1, tokens[0].start[1], 5, "help_end", group[-2].start[0] - 1))
    if not candidates:
        return None
    row, column, _, kind, last = min(candidates)
    return kind, row, column, last


def _assignment(tokens: list[tokenize.TokenInfo]) -> int | None:
    depth = 0
    for index, token in enumerate(tokens):
        if token.string == "=" and depth == 0:
            return index
        if token.string in ("(", "[", "{"):
            depth += 1
        elif token.string in (")", "]", "}") and depth:
            depth -= 1
    return None


def _replace(lines: list[str], kind: str, row: int, column: int, last: int) -> list[str] | None:
    """The lines with the special syntax at (row, column) replaced by its Python call."""
    if kind == "help_end":
        piece = "".join(lines[row:last + 1])
        match = _HELP_END.search(piece[column:])
        if match is None:
            return None
        return lines[:row] + [piece[:column] + _help_call(match.group(1), match.group(3)) + "\n"] + lines[last + 1:]
    end = row
    while end < len(lines) - 1 and lines[end].endswith("\\\n"):
        end += 1
    parts = [lines[row][column:]] + lines[row + 1:end + 1]
    command = " ".join([p.rstrip()[:-1] for p in parts[:-1]] + [parts[-1].rstrip()])
    before = lines[row][:column]
    if kind == "magic_assign":
        name, _, args = command[1:].partition(" ")
        call = f"get_ipython().run_line_magic({name!r}, {args!r})"
    elif kind == "system_assign":
        call = f"get_ipython().getoutput({command[1:]!r})"
    else:
        escape = command[:2] if command[:2] in ("!!", "??") else command[:1]
        call = _escaped_call(escape, command[len(escape):])
        if call is None:
            return None
    return lines[:row] + [before + call + "\n"] + lines[end + 1:]


def _escaped_call(escape: str, content: str) -> str | None:
    name, _, args = content.partition(" ")
    if escape == "!":
        return f"get_ipython().system({content!r})"
    if escape == "!!":
        return f"get_ipython().getoutput({content!r})"
    if escape in ("?", "??"):
        return _help_call(content, escape) if content else "get_ipython().show_usage()"
    if escape == "%":
        return f"get_ipython().run_line_magic({name!r}, {args!r})"
    if escape == ",":
        return '{}("{}")'.format(name, '", "'.join(args.split()))
    if escape == ";":
        return f'{name}("{args}")'
    if not name:  # "/" with nothing to call: IPython gives up on the cell
        return None
    return "{}({})".format(name, ", ".join(args.split()))


def _help_call(target: str, escape: str) -> str:
    method = "pinfo2" if escape == "??" else "psearch" if "*" in target else "pinfo"
    name, _, argument = f"{method} {target}".partition(" ")
    return f"get_ipython().run_line_magic({name!r}, {argument!r})"


# ---- cells that do not parse -----------------------------------------------------------------


def _syntax_error(text: str) -> SyntaxError | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(text)
    except SyntaxError as error:
        return error
    except (ValueError, RecursionError, MemoryError):
        return None  # the whole program's own checks report these
    return None


def _unknown_bindings(source: str, count: int, modules: set[str]) -> list[tuple[str, int]]:
    """In place of a cell that does not parse: its first line binds every name the cell may
    bind or change (modules imported elsewhere aside) to an unknown value; the rest is blank."""
    names = sorted(bound_names(source) - modules)
    first = " = ".join(names + [UNKNOWN_VALUE]) if names else ""
    return [(first, 0)] + [("", 0)] * (count - 1)


def imported_names(text: str) -> set[str]:
    """The names a cell's import statements bind."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return set()
    return {(alias.asname or alias.name).split(".")[0] for node in ast.walk(tree)
            if isinstance(node, (ast.Import, ast.ImportFrom)) for alias in node.names}


_BINDING_KEYWORDS = {"def", "class", "as", "global", "nonlocal", "import"}
_KEYWORDS = frozenset(__import__("keyword").kwlist)
_NOT_ASSIGNMENTS = {"==", "<=", ">=", "!="}


def bound_names(source: str) -> set[str]:
    """Every name a cell that does not parse may bind or change, read from its tokens as far as
    they go: assignment targets, names after def/class/as/import/global, ``for`` targets, and the
    object a statement starts with (``model.add(...)``, ``x[0] = ...``)."""
    tokens: list[tokenize.TokenInfo] = []
    try:
        for token in tokenize.generate_tokens(iter(source.splitlines(keepends=True)).__next__):
            tokens.append(token)
    except (tokenize.TokenError, SyntaxError):
        pass
    names: set[str] = set()
    statement: list[tokenize.TokenInfo] = []
    for token in tokens:
        if token.type in (tokenize.NEWLINE, tokenize.ENDMARKER) or token.string == ";":
            names |= _statement_names(statement)
            statement = []
        elif token.type not in (tokenize.NL, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT):
            statement.append(token)
    names |= _statement_names(statement)
    return {n for n in names if n not in _KEYWORDS}


def _statement_names(tokens: list[tokenize.TokenInfo]) -> set[str]:
    strings = [t.string for t in tokens]
    names = set()
    depth, targets_end, in_for, importing = 0, -1, False, False
    for index, token in enumerate(tokens):
        text = token.string
        previous = strings[index - 1] if index else ""
        if token.type == tokenize.OP:
            depth += (text in "([{") - (text in ")]}")
            if depth == 0 and text.endswith("=") and text not in _NOT_ASSIGNMENTS:
                targets_end = index
        in_for = (in_for or text == "for") and text != "in"
        importing = importing or text == "import"
        if token.type != tokenize.NAME or previous == "." or (importing and strings[index + 1:index + 2] == ["as"]):
            continue
        if previous in _BINDING_KEYWORDS or (importing and previous in (",", "(")) or in_for \
                or strings[index + 1:index + 2] == [":="]:
            names.add(text)
    names |= {t.string for i, t in enumerate(tokens[:max(targets_end, 0)])
              if t.type == tokenize.NAME and (i == 0 or strings[i - 1] != ".")}
    if tokens and tokens[0].type == tokenize.NAME and strings[1:2] in (["."], ["["]):
        names.add(strings[0])
    return names
