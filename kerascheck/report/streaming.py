"""A JSON document written piece by piece: one list in it is filled as its items come.

The pieces joined are exactly ``json.dumps(document, indent=2)`` of the whole document, so a
report of any number of files is printed with one file's worth of memory.
"""

from __future__ import annotations

import json
from typing import Any, Iterable, Iterator

# Stands for the streamed list inside the document; a string that no report contains.
ITEMS = "\0kerascheck streamed items\0"


def dumps_streaming(document: Any, items: Iterable[Any]) -> Iterator[str]:
    """``json.dumps(document, indent=2)`` in pieces, with ``[ITEMS]`` in the document replaced by
    the items (each encoded when it comes): the opening text, one piece per item, the closing text."""
    marker = json.dumps(ITEMS)
    text = json.dumps(document, indent=2)
    at = text.index(marker)
    if text.find(marker, at + 1) != -1:
        raise ValueError("the document holds the streamed list more than once")
    line_start = text.rindex("\n", 0, at) + 1
    pad = text[line_start:at]  # the indentation of an item of the list
    head = text[:line_start - 1]  # ends with the list's "["
    tail = text[at + len(marker):]  # starts with "\n", the closing indentation and "]"
    yield head
    empty = True
    for item in items:
        encoded = json.dumps(item, indent=2).replace("\n", "\n" + pad)  # strings hold no raw newline
        yield ("\n" if empty else ",\n") + pad + encoded
        empty = False
    yield tail.lstrip() if empty else tail
