"""The documentation points only at files inside the repository, and they exist."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")
PATH_IN_TEXT = re.compile(r"`((?:\.\./|/)?(?:[\w.-]+/)+[\w.-]+\.(?:md|py|json|toml|yaml))`")


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_links_and_named_files_are_in_the_repository(doc):
    text = doc.read_text(encoding="utf-8")
    targets = [t for t in LINK.findall(text) if not re.match(r"[a-z]+://", t)]
    named = PATH_IN_TEXT.findall(text)
    for target in targets + named:
        path = (doc.parent / target).resolve() if target in targets else (ROOT / target).resolve()
        assert path.is_relative_to(ROOT) and path.exists(), f"{doc.name}: {target}"
