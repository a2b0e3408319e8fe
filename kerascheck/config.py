"""Options for a run: defaults, ``[tool.kerascheck]`` in pyproject.toml, then CLI flags."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Options:
    """What to check and how. ``keras_version`` None means: detect from each file, else 3."""

    select: tuple[str, ...] = ("KC",)
    ignore: tuple[str, ...] = ()
    keras_version: int | None = None
    exclude: tuple[str, ...] = field(default_factory=tuple)

    def enabled(self, code: str) -> bool:
        """Whether a code is reported: the longest matching prefix of select/ignore wins."""
        chosen = max((p for p in self.select if code.startswith(p)), key=len, default=None)
        dropped = max((p for p in self.ignore if code.startswith(p)), key=len, default=None)
        if chosen is None:
            return False
        return dropped is None or len(chosen) > len(dropped)
