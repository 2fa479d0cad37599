"""The SQL statements the server's code sends, counted in-process.

A listener on the engine's `before_cursor_execute` sees every statement as the database
driver gets it. Counts are exact and the same on every run (no timing), so a test can
put a ceiling on the round trips a join or a command takes.
"""

from __future__ import annotations

import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, event

# SQLite's transaction start (server.core.db takes the write lock with it): not a query.
_BEGIN = "BEGIN IMMEDIATE"


@dataclass
class Statements:
    """The statements seen, in order, each with the server code that sent it."""

    dialect: str
    sent: list[tuple[str, str]] = field(default_factory=list)

    @property
    def work(self) -> list[str]:
        return [sql for sql, _ in self.sent if sql.strip().upper() != _BEGIN]

    def listing(self) -> str:
        """One line per statement, shortened, with where it came from: for a failure."""
        lines = []
        for sql, where in self.sent:
            if sql.strip().upper() != _BEGIN:
                lines.append(f"{len(lines) + 1:3} {' '.join(sql.split())[:100]}  <- {where}")
        return "\n".join(lines)


def _origin() -> str:
    """The innermost few frames of the server's own code (not its database plumbing)."""
    frames = [
        frame
        for frame in traceback.extract_stack()
        if "/server/" in frame.filename and not frame.filename.endswith("/core/db.py")
    ]
    return " < ".join(
        f"{frame.filename.rsplit('/server/', 1)[1]}:{frame.lineno} {frame.name}"
        for frame in reversed(frames[-3:])
    )


@contextmanager
def counted(engine: Engine) -> Iterator[Statements]:
    """Every statement sent on `engine` inside the block."""
    seen = Statements(engine.dialect.name)

    def note(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        seen.sent.append((statement, _origin()))

    event.listen(engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", note)
