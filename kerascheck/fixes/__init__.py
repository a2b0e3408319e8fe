"""The fix engine, above the analyses: verify.py keeps a diagnostic's candidate ``repairs.Fix``
only if making it on the model graph (simulate.py) removes the problem and adds none; apply.py
makes the kept fixes in the source with libcst; run.py drives ``--diff`` and ``--fix``."""
