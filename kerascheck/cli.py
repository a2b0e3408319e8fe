"""The command line: ``kerascheck [OPTIONS] PATHS...`` and ``summary``, ``verify``, ``rule``.

Exit codes: 0 no error or warning reported (info lines never count), 1 errors or warnings
reported, 2 usage or configuration error.
Only what is needed is imported: libcst and numpy load when a file needs parsing.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any, Callable

import click

from kerascheck import version
from kerascheck.config import (DEFAULT_MAX_FILE_SIZE, ConfigError, Options, codes, describe, keras_version,
                               load_options, megabytes)

if TYPE_CHECKING:
    from kerascheck.report import FileReport

USAGE_ERROR = 2
CHECK = "check"


class UsageFailure(click.ClickException):
    """A bad flag or configuration: printed as ``Error: ...``, exit 2."""

    exit_code = USAGE_ERROR


class DefaultToCheck(click.Group):
    """Routes anything that is not a subcommand (a path, an option) to ``check``.

    ``kerascheck model.py`` is ``kerascheck check model.py``; a file literally named like a
    subcommand is checked as ``kerascheck ./summary``.
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h", "--version")):
            args = [CHECK, *args]
        return super().parse_args(ctx, args)

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write_usage(ctx.command_path, "[OPTIONS] PATHS... | COMMAND [ARGS]...")

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The options of ``check``, the default command (as ``ruff check --help`` and
        ``flake8 --help`` list theirs), then ``--version`` and the commands."""
        params = [*self.commands[CHECK].get_params(ctx), *(p for p in self.get_params(ctx) if p.name == "version")]
        with formatter.section("Options"):
            formatter.write_dl([record for p in params
                                if isinstance(p, click.Option) and (record := p.get_help_record(ctx))])
        self.format_commands(ctx, formatter)


@click.group(cls=DefaultToCheck, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kerascheck", prog_name="kerascheck")
def main() -> None:
    """Static shape checker for Keras code: every shape error, with its line, before anything runs.

    `kerascheck PATHS...` checks files and directories: `check` is the default command, and its
    options are the ones below. A file named like a command: `./summary`.
    """


# ---- shared options --------------------------------------------------------------------------


def _path_argument(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.argument("paths", nargs=-1,
                          type=click.Path(exists=True, allow_dash=True))(func)


def _selection_options(func: Callable[..., Any]) -> Callable[..., Any]:
    decorators = [
        click.option("--select", multiple=True, metavar="CODES",
                     help="Codes or prefixes to report, comma-separated (replaces the config's "
                          "selection; default: every code but the opt-in KC650, KC651, KC654; KC: all)."),
        click.option("--ignore", multiple=True, metavar="CODES",
                     help="Codes or prefixes not to report (replaces the config's)."),
        click.option("--extend-select", multiple=True, metavar="CODES",
                     help="Codes or prefixes to report in addition to the selection (an opt-in code)."),
        click.option("--exclude", multiple=True, metavar="GLOBS",
                     help="File or directory patterns to skip, comma-separated (replaces the config's)."),
        click.option("--keras-version", type=click.Choice(["2", "3"]), default=None,
                     help="Keras semantics to check against (default: detect per file, else 3)."),
        click.option("--config", "config_file", type=click.Path(exists=True, dir_okay=False),
                     help="Read [tool.kerascheck] from this pyproject.toml instead of the nearest one."),
        click.option("--max-file-size", type=float, metavar="MB", default=None,
                     help="Report a file over MB megabytes (KC004) instead of checking it; 0: no limit "
                          f"(replaces the config's; default {DEFAULT_MAX_FILE_SIZE:g})."),
    ]
    for decorator in reversed(decorators):
        func = decorator(func)
    return func


def build_options(paths: tuple[str, ...], select: tuple[str, ...] = (), ignore: tuple[str, ...] = (),
                  extend_select: tuple[str, ...] = (), exclude: tuple[str, ...] = (),
                  keras: str | None = None, config_file: str | None = None,
                  max_file_size: float | None = None) -> Options:
    """The nearest ``[tool.kerascheck]`` overridden by the flags given; errors exit 2."""
    try:
        options = load_options(paths, config_file)
        if select:  # replaces the config's whole selection, extend-select included
            options.select, options.extend_select = codes(select, "--select"), ()
        options.extend_select += codes(extend_select, "--extend-select")
        if ignore:
            options.ignore = codes(ignore, "--ignore")
        if exclude:
            options.exclude = tuple(p.strip() for e in exclude for p in e.split(",") if p.strip())
        if keras is not None:
            options.keras_version = keras_version(keras, "--keras-version")
            options.keras_version_from = "--keras-version"
        if max_file_size is not None:
            options.max_file_size = megabytes(max_file_size, "--max-file-size")
    except ConfigError as error:
        raise UsageFailure(str(error)) from error
    return options


def _require_paths(paths: tuple[str, ...]) -> None:
    if not paths:
        raise click.UsageError("no paths given (a file, a directory, or - for stdin)")


def _use_colour(choice: str) -> bool:
    if choice != "auto":
        return choice == "always"
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


# ---- check -----------------------------------------------------------------------------------


@main.command(CHECK)
@_path_argument
@click.option("--format", "--output-format", "output_format",
              type=click.Choice(["text", "full", "json", "github", "sarif"]), default="text", show_default=True,
              help="Output format (full: the severity, the source line and a caret under the problem).")
@_selection_options
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=1, show_default=True,
              help="Worker processes (0: one per CPU); output order does not change.")
@click.option("--stdin-filename", metavar="PATH", help="The name to report for source read from -.")
@click.option("--show-config", is_flag=True,
              help="Print the effective settings, and the Keras version of each file in PATHS with "
                   "its reason, and exit.")
@click.option("--statistics", is_flag=True,
              help="After the diagnostics: models found, layers fully inferred, unknown layer types.")
@click.option("--color", "colour", type=click.Choice(["auto", "always", "never"]), default="auto",
              show_default=True, help="Colour codes and shapes (auto: on a terminal without NO_COLOR).")
@click.option("--verify", is_flag=True,
              help="Also build every model in real Keras and compare (needs TensorFlow).")
@click.option("--diff", "show_diff", is_flag=True,
              help="Print the fixes of the [fixable] problems as a unified diff; write nothing (exit 1 if any).")
@click.option("--fix", "make_fixes", is_flag=True,
              help="Apply the fixes of the [fixable] problems in place, then report what remains.")
@click.option("--unsafe-fixes", is_flag=True,
              help="With --fix or --diff: also the [fixable with --unsafe-fixes] repairs, which change "
                   "what the model computes (a new layer, another loss).")
@click.option("--force-exclude", is_flag=True,
              help="Apply the excludes to paths named explicitly too (for pre-commit).")
@click.option("-q", "--quiet", is_flag=True, help="Nothing on stderr but errors: no progress, no notes.")
def check(paths: tuple[str, ...], output_format: str, select: tuple[str, ...],
          ignore: tuple[str, ...], extend_select: tuple[str, ...], exclude: tuple[str, ...],
          keras_version: str | None, config_file: str | None, max_file_size: float | None, jobs: int,
          stdin_filename: str | None, show_config: bool, statistics: bool, colour: str,
          verify: bool, show_diff: bool, make_fixes: bool, unsafe_fixes: bool, force_exclude: bool,
          quiet: bool) -> None:
    """Check PATHS (files, directories, or - for stdin) and print every problem found."""
    named = tuple(stdin_filename if p == "-" and stdin_filename else p for p in paths)
    options = build_options(named, select, ignore, extend_select, exclude, keras_version, config_file,
                            max_file_size)
    options.force_exclude = options.force_exclude or force_exclude
    if show_config:
        click.echo(describe(options))
        _show_versions([p for p in paths if p != "-"], options, jobs)
        return
    _require_paths(paths)
    from kerascheck.runner import STDIN, StdinInput, check_items, items

    if show_diff or make_fixes:
        if show_diff and make_fixes:
            raise UsageFailure("--diff and --fix exclude each other")
        if STDIN in paths:
            raise UsageFailure("--diff and --fix work on files, not on standard input")
        sys.exit(_fix(paths, options, jobs, show_diff, output_format, _use_colour(colour), statistics,
                      unsafe_fixes))
    if unsafe_fixes:
        raise UsageFailure("--unsafe-fixes goes with --fix or --diff")
    stdin = None
    if STDIN in paths:
        stdin = StdinInput(click.get_binary_stream("stdin").read(), stdin_filename or "<stdin>")
    work = items(paths, options, stdin)
    if not work:
        if not quiet:
            click.echo("no Python files found", err=True)
        sys.exit(0)
    reports = check_items(work, options, jobs)
    from kerascheck.report.progress import MIN_FILES, Progress

    if not quiet and len(work) >= MIN_FILES and sys.stderr.isatty():
        reports = Progress(len(work), lambda text: click.echo(text, err=True, nl=False)).wrap(reports)
    problems = _print(reports, output_format, _use_colour(colour), statistics)
    status = 1 if problems else 0
    if verify:
        status = max(status, _verify([p for p in paths if p != STDIN], options, show_static=False))
    sys.exit(status)


def _show_versions(paths: list[str], options: Options, jobs: int) -> None:
    """Per Keras file under ``paths``: the Keras version it is checked for, and why."""
    from kerascheck.runner import check_items, items

    lines = [f"{report.path}: Keras {report.keras_version or 'unknown'} ({report.keras_version_source})"
             for report in check_items(items(paths, options), options, jobs) if report.keras_version_source]
    if lines:
        click.echo("\n# the Keras each file is checked for, and why\n" + "\n".join(f"# {line}" for line in lines))


def _fix(paths: tuple[str, ...], options: Options, jobs: int, diff_only: bool, output_format: str,
         colour: bool, statistics: bool, unsafe: bool = False) -> int:
    """``--diff``: the fixes as a diff (exit 1 if any). ``--fix``: write them, re-check the
    files and print what remains (exit 1 if anything does). Either way a fixed text is checked
    and fixed again while that changes it (a fix can make another possible)."""
    from kerascheck.fixes.run import fix_all
    from kerascheck.runner import StdinInput, check_item, check_items, items

    work = items(paths, options)
    reports = list(check_items(work, options, jobs))

    def recheck(path: str, text: str) -> FileReport:
        return check_item(StdinInput(text.encode("utf-8"), path), options)

    fixed = fix_all(reports, apply=not diff_only, note=lambda message: click.echo(message, err=True),
                    unsafe=unsafe, recheck=recheck)
    if diff_only:
        for result in fixed:
            click.echo(result.diff(), nl=False)
        return 1 if fixed else 0
    changed = {result.path for result in fixed}
    for result in fixed:
        click.echo(f"{result.path}: {result.applied} fix(es) applied", err=True)
    rechecked = {r.path: r for r in check_items([item for item in work if item in changed], options, jobs)}
    problems = _print([rechecked.get(r.path, r) for r in reports], output_format, colour, statistics)
    return 1 if problems else 0


def _print(reports: Any, output_format: str, colour: bool, statistics: bool) -> int:
    """Render the reports as they come; return the number of diagnostics."""
    from kerascheck.report import Tally

    tally = Tally()
    stats = None
    if statistics:
        from kerascheck.report.statistics import Statistics

        stats = Statistics()

    def counted() -> Any:
        for report in reports:
            tally.add(report)
            if stats is not None:
                stats.add(report)
            yield report

    if output_format in ("text", "full"):
        from kerascheck.report.text import full_lines, lines

        render = full_lines if output_format == "full" else lines
        for report in counted():
            for line in render(report, colour):
                click.echo(line, color=colour)
    elif output_format == "github":
        from kerascheck.report.github import lines

        for report in counted():
            for line in lines(report):
                click.echo(line)
    else:  # json, sarif: written file by file, so memory does not grow with the number of files
        if output_format == "json":
            from kerascheck.report.json import chunks

            pieces = chunks(counted(), version())
        else:
            from kerascheck.report.sarif import chunks as sarif_chunks

            pieces = sarif_chunks(counted(), version())
        for piece in pieces:
            click.echo(piece, nl=False)
        click.echo()
    if stats is not None:
        click.echo(stats.text(), err=output_format not in ("text", "full"))
    if output_format in ("text", "full") and sys.stdout.isatty():
        click.echo(tally.line())
    return tally.problems


def _verify(paths: list[str], options: Options, keras: int | None = None, show_static: bool = True) -> int:
    """Cross-check in real Keras; ``show_static=False`` when the static lines were just printed."""
    from kerascheck.verify.run import verify_paths

    return verify_paths(paths, options, keras or options.keras_version or 3, click.echo, show_static=show_static)


# ---- summary, verify, rule -------------------------------------------------------------------


@main.command()
@_path_argument
@_selection_options
def summary(paths: tuple[str, ...], select: tuple[str, ...], ignore: tuple[str, ...],
            extend_select: tuple[str, ...], exclude: tuple[str, ...], keras_version: str | None,
            config_file: str | None, max_file_size: float | None) -> None:
    """Print each model's table as Keras 3's model.summary() would, computed statically.

    Diagnostics found on the way go to stderr (exit 1).
    """
    _require_paths(paths)
    options = build_options(paths, select, ignore, extend_select, exclude, keras_version, config_file,
                            max_file_size)
    from kerascheck.report.summary import render_models
    from kerascheck.report.text import lines
    from kerascheck.runner import StdinInput, check_items, items

    stdin = StdinInput(click.get_binary_stream("stdin").read(), "<stdin>") if "-" in paths else None
    problems, first = 0, True
    for report in check_items(items(paths, options, stdin), options):
        for result, text in zip(report.models, render_models(report.models)):
            cell, line = report.locate(result.model.position.line)
            where = f"{report.path}:cell_{cell}:{line}" if cell is not None else f"{report.path}:{line}"
            click.echo(("" if first else "\n") + where)
            click.echo(text)
            first = False
        for line_text in lines(report):
            click.echo(line_text, err=True)
        problems += sum(d.fails for d in report.diagnostics)
    if first:
        click.echo("no Keras models found", err=True)
    sys.exit(1 if problems else 0)


@main.command()
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--model", "model_name", metavar="NAME", help="Draw only this model (Keras or variable name).")
@click.option("-o", "--output", metavar="FILE",
              help="Write here; the extension picks the format: .dot, .mmd, .md (Mermaid), "
                   ".svg, .png, .pdf (through Graphviz). Default: DOT on standard output.")
@_selection_options
def plot(path: str, model_name: str | None, output: str | None, select: tuple[str, ...],
         ignore: tuple[str, ...], extend_select: tuple[str, ...], exclude: tuple[str, ...],
         keras_version: str | None, config_file: str | None, max_file_size: float | None) -> None:
    """Draw each model of PATH like Keras's plot_model(show_shapes=True), computed statically.

    Every layer shows its name, class, input and output shapes and parameters; the first layer
    with an error is red with its code and message. Diagnostics go to stderr (exit 1).
    """
    options = build_options((path,), select, ignore, extend_select, exclude, keras_version, config_file,
                            max_file_size)
    from kerascheck.report.plot import PlotError, diagrams, dot_text, model_names, write
    from kerascheck.report.text import lines
    from kerascheck.runner import check_item

    report = check_item(path, options)
    pictures = diagrams(report, model_name)
    if not pictures:
        found = ", ".join(model_names(report)) or "none"
        raise UsageFailure(f"no model {model_name!r} in {path} (models: {found})" if model_name
                           else f"no Keras models found in {path}")
    try:
        if output is None:
            click.echo(dot_text(pictures), nl=False)
        else:
            write(pictures, output)
            click.echo(f"{output}: {len(pictures)} model(s) drawn", err=True)
    except PlotError as error:
        raise UsageFailure(str(error)) from error
    for line_text in lines(report):
        click.echo(line_text, err=True)
    sys.exit(1 if report.diagnostics else 0)


@main.command()
def server() -> None:
    """Run the language server (LSP over stdio) for editors: diagnostics as you type, shapes on
    hover and as inlay hints, fixes as code actions. Needs `pip install 'kerascheck[lsp]'`."""
    try:
        from kerascheck.lsp.server import serve
    except ImportError as error:
        raise UsageFailure(f"the language server needs pygls and lsprotocol ({error}): "
                           "pip install 'kerascheck[lsp]'") from error
    serve()


@main.command()
@_path_argument
@_selection_options
def verify(paths: tuple[str, ...], select: tuple[str, ...], ignore: tuple[str, ...],
           extend_select: tuple[str, ...], exclude: tuple[str, ...], keras_version: str | None,
           config_file: str | None, max_file_size: float | None) -> None:
    """Build every model in real Keras (TensorFlow backend) and compare with the static results."""
    _require_paths(paths)
    options = build_options(paths, select, ignore, extend_select, exclude, keras_version, config_file,
                            max_file_size)
    sys.exit(_verify(list(paths), options, int(keras_version) if keras_version else None))


@main.command()
@click.argument("code", required=False)
@click.option("--all", "every", is_flag=True, help="Every code.")
@click.option("--markdown", is_flag=True, help="Markdown (docs/rules.md with --all).")
def rule(code: str | None, every: bool, markdown: bool) -> None:
    """Explain a code: what it does, why it is bad, an example and the fix."""
    from kerascheck.diagnostics import CATALOG
    from kerascheck.docs import code_markdown, code_text, rules_markdown

    if every:
        if markdown:
            click.echo(rules_markdown(), nl=False)
        else:
            click.echo("\n\n".join(code_text(entry) for entry in CATALOG.values()))
        return
    if code is None:
        raise click.UsageError("name a code (kerascheck rule KC101) or use --all")
    entry = CATALOG.get(code.strip().upper())
    if entry is None:
        raise UsageFailure(f"unknown code {code!r}; `kerascheck rule --all` lists every code")
    click.echo(code_markdown(entry) if markdown else code_text(entry))


if __name__ == "__main__":
    main()
