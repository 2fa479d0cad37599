"""One transaction's change: the session locks it holds, the versions it hands out,
and the wire events it collects, in the order their versions were taken.

Every feature changes a session through the change of the transaction it runs in
(`change_of(db)`): the first `lock` of a session takes its row lock and reads its
version; each `emit` takes the next version and records the event. The entry point
that opened the transaction publishes `events` once it has committed (core.unit).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import column, table, update
from sqlalchemy.orm import Session

from server.core.domain import Event

# Only the two columns every feature relies on; the sessions feature owns the rest.
_SESSIONS = table("peer_sessions", column("id"), column("version"))
_KEY = "holdsport.change"


class Change:
    def __init__(self, db: Session) -> None:
        self.db = db
        self.events: list[Event] = []
        # Socket work that must wait for the commit (dropping connections, joining rooms).
        self.after_commit: list[Callable[[], None]] = []
        self._versions: dict[int, int] = {}

    def lock(self, session_id: int) -> bool:
        """Take the session's row lock once per transaction; True the first time.

        Competing changes to one session run one after the other (PostgreSQL: the
        row lock; SQLite: BEGIN IMMEDIATE). Sessions are locked in the order the
        work meets them; periodic work that locks several goes by ascending id.
        """
        if session_id in self._versions:
            return False
        rows = _SESSIONS.c
        # A no-op write takes the lock, and tells the version in the same round trip.
        locking = update(_SESSIONS).where(rows.id == session_id).values(version=rows.version)
        version = self.db.scalar(locking.returning(rows.version))
        if version is None:
            raise LookupError(f"no session {session_id}")
        self._versions[session_id] = int(version)
        return True

    def emit(self, name: str, session_id: int, payload: dict[str, Any] | None = None) -> Event:
        """An event for everyone in the session, under the session's next version."""
        version = self._next_version(session_id)
        event = Event(name, session_id, {"version": version, **(payload or {})})
        self.events.append(event)
        return event

    def _next_version(self, session_id: int) -> int:
        self.lock(session_id)
        version = self._versions[session_id] + 1
        self._versions[session_id] = version
        rows = _SESSIONS.c
        self.db.execute(update(_SESSIONS).where(rows.id == session_id).values(version=version))
        return version

    def emit_each(self, name: str, session_id: int, payloads: dict[str, dict[str, Any]]) -> Event:
        """An event whose payload differs by connection (`payloads`, by sid: every
        connection inside the session must have one), under one version: each reader
        gets theirs, and nobody sees a gap in the versions. Connections given one payload
        object keep sharing one, which core.unit.publish sends once for them all."""
        version = self._next_version(session_id)
        stamped: dict[int, dict[str, Any]] = {}
        each = {}
        for sid, payload in payloads.items():
            if id(payload) not in stamped:
                stamped[id(payload)] = {"version": version, **payload}
            each[sid] = stamped[id(payload)]
        event = Event(name, session_id, {"version": version}, each=each)
        self.events.append(event)
        return event

    def mark(self) -> int:
        return len(self.events)

    def since(self, mark: int) -> list[Event]:
        """The events emitted after `mark`: what one service call caused."""
        return self.events[mark:]


def change_of(db: Session) -> Change:
    """The change of the transaction `db` is in (made on first use)."""
    change = db.info.get(_KEY)
    if change is None:
        change = db.info[_KEY] = Change(db)
    return change  # type: ignore[no-any-return]


def forget(db: Session) -> None:
    db.info.pop(_KEY, None)
