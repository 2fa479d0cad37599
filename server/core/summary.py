"""The parts of an ended session's summary that features add (the agenda as run, the
board, actions, the follow-up, the pulse), like the snapshot's parts.

A part is `(db, reader) -> Section | None` (None: nothing to say for this session). It
reads its own feature's rows and writes everything in the reader's language once, for
every way the summary is shown: the page's JSON, a Markdown export and a CSV export.
The summary feature orders the sections by `order` and builds the exports from them.
A part never names a person the session did not name to begin with (docs/anonymity.md).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session


@dataclass(frozen=True)
class Reader:
    """Who reads the summary: a person of the session, in their language."""

    session_id: int
    participant_id: int | None  # None: a room display
    language: str


@dataclass
class Section:
    key: str  # stable, e.g. "agenda": the page picks its view by it
    heading: str  # in the reader's language
    data: dict[str, Any]  # what the page shows, plain JSON
    markdown: list[str] = field(default_factory=list)  # the body, without the heading
    # CSV rows, each a list of cells; the export puts the section's key before each.
    rows: list[list[str]] = field(default_factory=list)


SummaryPart = Callable[[Session, Reader], Section | None]
PARTS: dict[str, tuple[int, SummaryPart]] = {}


def add_part(key: str, order: int, part: SummaryPart) -> None:
    """Register a part (again: the same one replaces itself). Lower `order` comes first:
    agenda 10, follow-up 20, board 30, actions 40, pulse 50, breakouts 55,
    dilemmas 60."""
    PARTS[key] = (order, part)


def sections(db: Session, reader: Reader) -> list[Section]:
    ordered = sorted(PARTS.items(), key=lambda item: (item[1][0], item[0]))
    found = (part(db, reader) for _, (_, part) in ordered)
    return [section for section in found if section is not None]


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~])")


def escape_markdown(text: str) -> str:
    """What people wrote, as literal text in Markdown: no link, no HTML, no heading,
    on one line (a line break would end a list item)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def escape_markdown_lines(text: str) -> str:
    """Like escape_markdown, but the writer's line breaks stay: each ends in a hard break
    (a backslash) and the next line is indented, so a list item holds them all."""
    lines = [escape_markdown(line) for line in text.splitlines() if line.strip()]
    return "\\\n  ".join(lines)
