"""The Babel extractor for content/: `pybabel extract` sees content and code alike.

Registered as the entry point `holdsport_content` (pyproject.toml) and used for
content/**.toml in babel.cfg. Each text is reported as if the code called
pgettext(content_key, english_text), so the catalog gets the key as msgctxt and the
English as msgid: equal English in two places stays two entries, and a key never moves.
A file that does not validate stops the extraction with the loader's error.
"""

from __future__ import annotations

import io
from collections.abc import Collection, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

from server.content.loader import file_texts, read_file


def extract_content(
    fileobj: IO[bytes],
    keywords: Collection[str],
    comment_tags: Collection[str],
    options: Mapping[str, Any],
) -> Iterator[tuple[int, str, tuple[str, str], list[str]]]:
    path = Path(getattr(fileobj, "name", "content/unknown.toml"))
    source = fileobj.read()
    lines = source.decode("utf-8").splitlines()
    data = read_file(path, io.BytesIO(source))
    for key, text in file_texts(path, data):
        yield _line_of(lines, text), "pgettext", (key, text), []


def _line_of(lines: list[str], text: str) -> int:
    # Only for locations in a catalog; the first line that holds the text's start will do.
    probe = text[:30]
    return next((n for n, line in enumerate(lines, start=1) if probe in line), 1)
