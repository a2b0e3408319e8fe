"""Pure-Python shape rules, one module per Keras layer family (mirroring keras/src/layers/)."""

from __future__ import annotations

import importlib
import pkgutil

_NOT_RULES = {"base", "ops", "propagate", "none_origin", "custom", "branches", "applications", "application_facts"}


def load_rules() -> None:
    """Import every rule module of this package, which registers its rules."""
    for info in pkgutil.iter_modules(__path__):
        if info.name not in _NOT_RULES:
            importlib.import_module(f"{__name__}.{info.name}")
