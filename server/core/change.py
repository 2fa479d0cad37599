"""One transaction's change: the session locks it holds, the versions it hands out,
and the wire events it collects, in the order their versions were taken.

Every feature changes a session through the change of the transaction it runs in
(`change_of(db)`): the first `lock` of a session takes its row lock and reads its
version; each `emit` takes the next version and records the event. The entry point
that opened the transaction publishes `events` once it has committed (core.unit).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import Any

from sqlalchemy import Row, bindparam, column, event, inspect, table, update
from sqlalchemy.orm import ORMExecuteState, Session

from server.core.db import rows
from server.core.domain import Event

# Only the two columns every feature relies on; the sessions feature owns the rest.
_SESSIONS = table("peer_sessions", column("id"), column("version"))
# Built once, as every event takes a version (bench/join_cpu.py): only the values change.
_NEXT_VERSION = (
    update(_SESSIONS)
    .where(_SESSIONS.c.id == bindparam("session_id"))
    .values(version=bindparam("next_version"))
)
_KEY = "holdsport.change"
# The execution option an UPDATE names the columns it sets with: kept reads of others stay.
WRITES = "holdsport_writes"
# What kept reads of plain rows (not entities, which the ORM keeps in step) are read from:
# by kind, each table's columns that matter (None: any). `reads` declares them.
_READS: dict[type, dict[str, frozenset[str] | None]] = {}


def reads(kind: type, tables: dict[str, Iterable[str] | None]) -> None:
    """Rows kept as `kind` (`Change.keep`) are read from these tables (those columns, or
    any): once this transaction writes one, the next read goes to the database again."""
    _READS[kind] = {
        name: None if cols is None else frozenset(cols) for name, cols in tables.items()
    }


class Change:
    def __init__(self, db: Session) -> None:
        self.db = db
        self.events: list[Event] = []
        # Socket work that must wait for the commit (dropping connections, joining rooms).
        self.after_commit: list[Callable[[], None]] = []
        self._versions: dict[int, int] = {}
        # Rows read in this transaction, kept so that a join or a command reads each once
        # (`keep`, `kept`): the session, the agenda clock. Never beyond the transaction.
        self._kept: dict[tuple[type, int], tuple[Any, bool]] = {}

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

    def holds(self, session_id: int) -> bool:
        """Whether this transaction holds the session's lock."""
        return session_id in self._versions

    def took_lock(self, session_id: int, version: int) -> None:
        """The caller took the session's lock itself (reading its row in the same round
        trip, sessions.state.lock), at this version."""
        self._versions.setdefault(session_id, version)

    def version(self, session_id: int) -> int:
        """The session's version now, as this transaction (holding its lock) made it."""
        return self._versions[session_id]

    def keep(self, row: Any, key: int, session_id: int) -> Any:
        """Keep a row read now (by its type and `key`) for this transaction's later reads."""
        self._kept[(type(row), key)] = (row, self.holds(session_id))
        return row

    def kept(self, kind: type, key: int, session_id: int) -> Any | None:
        """A row kept by `keep`, if it is still current: read under the session's lock
        (nobody else may change it since; this transaction's own changes go through the
        ORM into the same object), or read before the lock with the lock still not taken
        (a later read would be no more consistent). A row read before the lock was taken
        is not: another transaction may have changed it in between, so it is read again."""
        found = self._kept.get((kind, key))
        if found is None or found[1] != self.holds(session_id):
            return None
        return found[0]

    def forget_kept(self, kind: type, key: int) -> None:
        """A row changed behind the ORM's back (a bulk UPDATE): read it again next time."""
        self._kept.pop((kind, key), None)

    def wrote(self, name: str, columns: Collection[str] | None = None) -> None:
        """This transaction wrote the table `name` (those columns; None: any, or rows
        added or removed): the kept reads of it (`reads`) are read again next time."""
        for kind, key in [found for found in self._kept if name in _READS.get(found[0], ())]:
            cols = _READS[kind][name]
            if columns is None or cols is None or not cols.isdisjoint(columns):
                del self._kept[(kind, key)]

    def rolled_back(self) -> None:
        """Some of this transaction's writes were undone (a savepoint): forget every kept
        read of plain rows, which may have seen them."""
        for found in [found for found in self._kept if found[0] in _READS]:
            del self._kept[found]

    def keeps_reads(self) -> bool:
        return any(kind in _READS for kind, _ in self._kept)

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
        self.db.execute(_NEXT_VERSION, {"session_id": session_id, "next_version": version})
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


@dataclass(frozen=True)
class KeptRows:
    """A Core statement's plain rows kept for the transaction (`kept_rows`): each kind of
    such a read is a subclass, with the tables it comes from declared by `reads`."""

    rows: Sequence[Row[Any]]


def kept_rows(
    db: Session,
    kind: type[KeptRows],
    key: int,
    session_id: int,
    statement: Any,
    params: dict[str, Any],
) -> Sequence[Row[Any]]:
    """A Core statement's plain rows, read once per transaction like a kept row
    (`Change.kept`), and again once the transaction writes what `reads` says they come
    from. Pending ORM changes are flushed first, as an ORM query would."""
    db.flush()  # before looking: a pending change may make what is kept stale
    change = change_of(db)
    found = change.kept(kind, key, session_id)
    if found is None:
        found = change.keep(kind(rows(db, statement, params)), key, session_id)
    return found.rows  # type: ignore[no-any-return]


# A transaction's own writes make its kept reads of plain rows stale: rows flushed by the
# ORM, INSERT, UPDATE and DELETE statements sent through the session, and a rollback.
@event.listens_for(Session, "after_flush")
def _flushed(db: Session, _context: Any) -> None:
    change = db.info.get(_KEY)
    if change is None or not change.keeps_reads():
        return
    for obj in chain(db.new, db.deleted):
        change.wrote(inspect(obj).mapper.local_table.name)  # type: ignore[union-attr]
    for obj in db.dirty:
        state = inspect(obj)
        name = state.mapper.local_table.name  # type: ignore[union-attr]
        columns = _watched(name)
        if columns is None:
            change.wrote(name)
        elif changed := [key for key in columns if state.attrs[key].history.has_changes()]:
            change.wrote(name, changed)


def _watched(name: str) -> frozenset[str] | None:
    """The columns of table `name` some kept read depends on (None: any)."""
    found: set[str] = set()
    for tables in _READS.values():
        columns = tables.get(name, frozenset())
        if columns is None:
            return None
        found |= columns
    return frozenset(found)


@event.listens_for(Session, "after_soft_rollback")
def _rolled_back(db: Session, _previous: Any) -> None:
    change = db.info.get(_KEY)
    if change is not None:
        change.rolled_back()


@event.listens_for(Session, "do_orm_execute")
def _executed(state: ORMExecuteState) -> None:
    change = state.session.info.get(_KEY)
    if change is not None and (state.is_insert or state.is_update or state.is_delete):
        # An UPDATE may say which columns it sets (WRITES), else it may set any.
        columns = state.execution_options.get(WRITES)
        change.wrote(state.statement.table.name, columns)  # type: ignore[attr-defined]
