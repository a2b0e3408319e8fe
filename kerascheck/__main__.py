"""``python -m kerascheck``: the same command line as ``kerascheck``."""

from kerascheck.cli import main

main(prog_name="kerascheck")
