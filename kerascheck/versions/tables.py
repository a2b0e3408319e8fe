"""``signatures.py``'s tables, imported on first use.

The generated tables are the largest module kerascheck has; a run that meets no Keras import and
no model (a flake8 run over a project without Keras, a tree of plain files) never needs them.
"""

from __future__ import annotations

from typing import Any


class _Signatures:
    """Stands for ``kerascheck.versions.signatures``: the first attribute read imports it."""

    def __getattr__(self, name: str) -> Any:
        from kerascheck.versions import signatures as module

        self.__dict__.update(vars(module))  # later reads are plain attribute reads
        return getattr(module, name)


signatures: Any = _Signatures()
