"""The parts of a session's snapshot that features add (the agenda, the board).

A part is `(db, actor, now) -> JSON`; the sessions feature builds the snapshot from
its own fields and every part, under the name the part was registered with.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from server.core.domain import Actor

SnapshotPart = Callable[[Session, Actor, datetime], Any]
PARTS: dict[str, SnapshotPart] = {}


def add_part(name: str, part: SnapshotPart) -> None:
    """Register a part (again: the same one replaces itself)."""
    PARTS[name] = part


def parts(db: Session, actor: Actor, now: datetime) -> dict[str, Any]:
    return {name: part(db, actor, now) for name, part in PARTS.items()}
