"""Mechanical repairs: diagnostics carry ``Fix`` data (edits.py); apply.py makes them with libcst."""
