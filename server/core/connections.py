"""Live connections as rows: who is present is a query, so every process gives one answer.

Plumbing every feature reads ("who is here?") and the source of two facts: a person
arrives with their first connection and leaves with their last (core.bus). A connection
that drops by itself (a network blip) keeps its row, marked closed, for the reconnect
grace: whoever is back by then never left, and the sweep removes it after that. A
process whose heartbeat stops (a crash, a kill) loses its connections at the next sweep
by any other process, and the people on them have left; one that stops on purpose
(core.shutdown) leaves its connections for a short grace, to be taken up elsewhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import cache
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    Executable,
    ForeignKey,
    Integer,
    Row,
    Select,
    String,
    Table,
    and_,
    bindparam,
    column,
    delete,
    func,
    insert,
    select,
    table,
    update,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from server.core.bus import PersonArrived, PersonLeft, PersonWaiting, tell
from server.core.change import KeptRows, change_of, kept_rows, reads
from server.core.db import Base, UTCDateTime, rows, str_enum
from server.core.domain import Actor, Event, Role

# A participant's standing now, not at connect: a granted role, being let in or being
# removed applies at once. (The sessions feature owns the table; these columns are read.)
_PARTICIPANTS = table(
    "participants", column("id"), column("role"), column("admitted_at"), column("removed_at")
)


class Worker(Base):
    """One server process. Its heartbeat tells the others its connections are real."""

    __tablename__ = "workers"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    heartbeat_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class Connection(Base):
    """One Socket.IO connection, authenticated for exactly one session."""

    __tablename__ = "connections"

    sid: Mapped[str] = mapped_column(String(64), primary_key=True)
    worker_id: Mapped[str] = mapped_column(ForeignKey("workers.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("peer_sessions.id"), index=True)
    # None for a room display, which is a screen, not a person.
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id"), index=True, nullable=True
    )
    role: Mapped[Role] = mapped_column(str_enum(Role, "connection_role"))
    language: Mapped[str] = mapped_column(String(8))
    connected_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The facilitator's signed-in browser it was opened through: signing out closes it.
    login_id: Mapped[int | None] = mapped_column(Integer, index=True, nullable=True)
    # Set when the socket dropped by itself: the row keeps its person present for the
    # reconnect grace (`drop`), then the sweep removes it (`sweep_closed`).
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True, nullable=True)


def register_worker(db: Session, worker_id: str, now: datetime) -> None:
    db.merge(Worker(id=worker_id, started_at=now, heartbeat_at=now))


def heartbeat(db: Session, worker_id: str, now: datetime) -> None:
    worker = db.get(Worker, worker_id)
    if worker is None:  # swept as dead after a long pause: come back
        register_worker(db, worker_id, now)
    else:
        worker.heartbeat_at = now


def depart(
    db: Session, worker_id: str, now: datetime, *, grace_seconds: float, timeout_seconds: float
) -> None:
    """A process stops on purpose: its connections stay, so its people stay present,
    until the sweep finds it dead `grace_seconds` from now; whoever reconnected to
    another process by then never left (core.shutdown)."""
    worker = db.get(Worker, worker_id)
    if worker is not None:
        worker.heartbeat_at = now + timedelta(seconds=grace_seconds - timeout_seconds)


_table = cast(Table, Connection.__table__)
_people = _PARTICIPANTS.c
# Built once, as every join adds one and reads them (bench/join_cpu.py): only the values
# change. Plain rows, not entities: a join's arrival and its snapshot each ask who is here.
_ADD = insert(_table)
_SESSION_OF = select(_table.c.session_id).where(_table.c.sid == bindparam("sid"))
_REMOVE = delete(_table).where(_table.c.sid == bindparam("sid")).returning(_table.c.participant_id)
_COUNT = select(func.count()).where(_table.c.participant_id == bindparam("participant_id"))


def _with_standing() -> Select[Any]:
    return select(
        _table.c.sid,
        _table.c.session_id,
        _table.c.role,
        _table.c.participant_id,
        _table.c.language,
        _people.role.label("standing"),
        _people.admitted_at,
        _people.removed_at,
    ).select_from(_table.outerjoin(_PARTICIPANTS, _people.id == _table.c.participant_id))


_HERE = (
    _with_standing()
    .add_columns(_table.c.closed_at)
    .where(_table.c.session_id == bindparam("session_id"))
    .order_by(_table.c.sid)
)


class _Here(KeptRows):
    """A session's connections (closed ones in their grace too), with their people's
    standing now, in sid order: read once per transaction (core.change.keep), as a join
    asks who is here as it arrives, for its reactions and for its snapshot."""


# Read again once the transaction adds, closes or removes a connection, or changes a
# person's standing (core.change.reads).
reads(_Here, {"connections": None, "participants": ("id", "role", "admitted_at", "removed_at")})


def _here(db: Session, session_id: int) -> Sequence[Row[Any]]:
    return kept_rows(db, _Here, session_id, session_id, _HERE, {"session_id": session_id})


def connected_participant_ids(db: Session, session_id: int) -> set[int]:
    """Everyone with a live connection, those waiting at the door included."""
    return {row.participant_id for row in _here(db, session_id) if row.participant_id is not None}


def present_participant_ids(db: Session, session_id: int) -> set[int]:
    """The people in the room: connected and let in. Only they count, speak and write."""
    return {
        row.participant_id
        for row in _here(db, session_id)
        if row.participant_id is not None and row.admitted_at is not None
    }


def _standing(
    role: str, participant_id: int | None, standing: Any, admitted_at: Any, removed_at: Any
) -> Role | None:
    """Who a connection is now: its person's role (waiting until let in), None if removed."""
    if participant_id is None:
        return Role(role)  # a display
    if removed_at is not None:
        return None
    return Role(str(standing)) if admitted_at is not None else Role.WAITING


# Built once, as every command reads it first (bench/command_cpu.py): only the sid changes.
_ACTOR = _with_standing().where(_table.c.sid == bindparam("sid"))


def actor_for_sid(db: Session, sid: str) -> Actor | None:
    """Who sends on this connection: one query, as it runs before every command."""
    return _actor(db.execute(_ACTOR, {"sid": sid}).one_or_none())


def _actor(row: Row[Any] | None) -> Actor | None:
    if row is None:
        return None
    now = _standing(row.role, row.participant_id, row.standing, row.admitted_at, row.removed_at)
    return None if now is None else Actor(row.session_id, now, row.participant_id, row.language)


class _Locked(KeptRows):
    """The session's row (its id, status and version) as `lock_for_sid` read it while
    taking its lock: what sessions.state.lock_row gives. Not declared to `reads` (which
    would cost every flush of the command a look): its status changes only through the
    entity (sessions.service), which `lock` keeps and `lock_row` then gives instead."""


@cache
def _locking_for_sid(dialect: str) -> Executable:
    """The session's lock taken from the connection's sid, returning the locked row with
    who sends. PostgreSQL: the lock's no-op write, joined to the connection and its
    person (UPDATE … FROM … RETURNING). SQLite lets RETURNING name only the updated
    table; there every transaction holds the write lock from its BEGIN IMMEDIATE, so
    one read of the same join is the lock's equal."""
    # The sessions feature owns the table (its status is its enum), known once it is imported.
    sessions = Base.metadata.tables["peer_sessions"]
    row = (sessions.c.id, sessions.c.status, sessions.c.version)
    if dialect != "postgresql":
        return _ACTOR.add_columns(*row).join(sessions, sessions.c.id == _table.c.session_id)
    who = _ACTOR.subquery("who")
    return (
        update(sessions)
        .where(sessions.c.id == who.c.session_id)
        .values(version=sessions.c.version)
        .returning(*row, *who.c)
    )


def lock_for_sid(db: Session, sid: str) -> Actor | None:
    """`actor_for_sid` for a command that changes its session (`@command(locks=True)`):
    the session's lock is taken in the same round trip, before anything else, as every
    change takes it first; its row is kept so that sessions.state.lock_row and lock
    send no statement for it. None (and no lock) for an unknown sid."""
    locking = _locking_for_sid(db.get_bind().dialect.name)
    row = db.execute(locking, {"sid": sid}).one_or_none()
    if row is None:
        return None
    change = change_of(db)
    change.took_lock(row.session_id, row.version)
    change.keep(_Locked([row]), row.session_id, row.session_id)
    return _actor(row)


def locked_row(db: Session, session_id: int) -> Row[Any] | None:
    """The session's row as `lock_for_sid` read it with the lock, if still current."""
    kept = change_of(db).kept(_Locked, session_id, session_id)
    return None if kept is None else kept.rows[0]


def display_connected(db: Session, session_id: int) -> bool:
    """Whether `audience` would name a room display: an event whose payload differs for
    one (sessions.state.emit_participant) costs the whole audience only then."""
    return any(
        row.participant_id is None and row.closed_at is None and Role(row.role) is Role.DISPLAY
        for row in _here(db, session_id)
    )


def audience(db: Session, session_id: int) -> list[tuple[str, Actor]]:
    """Every connection inside the session (not at the door, not removed) with who it
    is now: for events whose payload differs by reader (core.change.emit_each)."""
    found = []
    for row in _here(db, session_id):
        sid, participant_id = row.sid, row.participant_id
        now = _standing(row.role, participant_id, row.standing, row.admitted_at, row.removed_at)
        if row.closed_at is not None or now is None or now is Role.WAITING:
            continue  # dropped, at the door or gone: nothing said inside reaches them
        found.append((sid, Actor(session_id, now, participant_id, row.language)))
    return found


def connect(
    db: Session,
    *,
    sid: str,
    worker_id: str,
    actor: Actor,
    now: datetime,
    login_id: int | None = None,
) -> list[Event]:
    """Record a live connection; a person's first one means they arrived.

    Returns the events that others' reactions to the arrival emitted. Best called with
    the session's lock held: who is here is then read once, for the arrival's reactions
    and the snapshot too.
    """
    mark = change_of(db).mark()
    row = {
        "sid": sid,
        "worker_id": worker_id,
        "session_id": actor.session_id,
        "participant_id": actor.participant_id,
        "role": actor.role,
        "language": actor.language,
        "connected_at": now,
        "login_id": login_id,
        "closed_at": None,
    }
    db.execute(_ADD, row)
    person = actor.participant_id
    if person is not None and not any(
        other.participant_id == person and other.sid != sid for other in _here(db, actor.session_id)
    ):
        arrived = PersonWaiting if actor.role is Role.WAITING else PersonArrived
        tell(db, arrived(actor.session_id, person), now)
    return change_of(db).since(mark)


def disconnect(db: Session, sid: str, now: datetime) -> list[Event]:
    """A connection closed; a person's last one means they left. Returns what that caused."""
    mark = change_of(db).mark()
    session_id = db.scalar(_SESSION_OF, {"sid": sid})
    if session_id is None:
        return []  # already swept, or never recorded
    if not _locked(db, session_id):  # before the count: see _gone_if_last
        return []  # the session was deleted, its connections with it
    gone = db.execute(_REMOVE, {"sid": sid}).one_or_none()
    if gone is None:
        return []  # swept while we waited for the lock
    _gone_if_last(db, session_id, gone.participant_id, now)
    return change_of(db).since(mark)


def drop(db: Session, sid: str, now: datetime, *, grace_seconds: float) -> list[Event]:
    """A connection dropped by itself (a network blip, a closed laptop): its person stays
    present for `grace_seconds`, so someone back by then never left; `sweep_closed` says
    who did not come back. Without a grace, as `disconnect`."""
    if grace_seconds <= 0:
        return disconnect(db, sid, now)
    connection = db.get(Connection, sid)
    if connection is not None and connection.closed_at is None:
        connection.closed_at = now
    return []


def disconnect_person(db: Session, actor: Actor, now: datetime) -> list[str]:
    """All of a person's connections end; returns their sids, for the socket layer to drop."""
    assert actor.participant_id is not None
    change_of(db).lock(actor.session_id)  # before the rows go: see _gone_if_last
    sids = forget_person(db, actor.participant_id)
    _gone_if_last(db, actor.session_id, actor.participant_id, now)
    return sids


def sids_of_logins(db: Session, login_ids: list[int]) -> list[str]:
    """By session, so that disconnecting them in turn locks sessions by ascending id."""
    if not login_ids:
        return []
    return list(
        db.scalars(
            select(Connection.sid)
            .where(Connection.login_id.in_(login_ids))
            .order_by(Connection.session_id, Connection.sid)
        )
    )


def sids_of(db: Session, participant_id: int) -> list[str]:
    return list(
        db.scalars(select(Connection.sid).where(Connection.participant_id == participant_id))
    )


def forget_person(db: Session, participant_id: int) -> list[str]:
    """A removed person's connections end without a word (removal says it); returns the sids."""
    sids = sids_of(db, participant_id)
    db.execute(delete(Connection).where(Connection.participant_id == participant_id))
    return sids


def forget_session(db: Session, session_id: int) -> list[str]:
    """A deleted session's connections end without a word (the caller says why); returns
    the sids. Sockets nobody closes, each process's sweeper closes as strays."""
    sids = list(db.scalars(select(Connection.sid).where(Connection.session_id == session_id)))
    db.execute(delete(Connection).where(Connection.session_id == session_id))
    return sids


_WORKER_SIDS = select(_table.c.sid).where(_table.c.worker_id == bindparam("worker_id"))


def local_sids_without_rows(db: Session, worker_id: str, sids: set[str]) -> set[str]:
    """Of the sids a process holds, those no row knows any more (removed, or swept).
    Plain rows: every beat reads all the process's connections, which through the ORM
    took about 3 % of a process's time at 2,000 (bench/load.py --profile)."""
    known = {row.sid for row in rows(db, _WORKER_SIDS, {"worker_id": worker_id})}
    return sids - known


def set_language(db: Session, sid: str, language: str) -> None:
    db.get_one(Connection, sid).language = language


def sweep_dead_workers(db: Session, now: datetime, timeout_seconds: float) -> list[Event]:
    """Drop the connections of processes that stopped beating; safe in many processes."""
    mark = change_of(db).mark()
    cutoff = now - timedelta(seconds=timeout_seconds)
    dead = list(db.scalars(select(Worker.id).where(Worker.heartbeat_at < cutoff)))
    if not dead:
        return []
    _remove_by_session(db, Connection.worker_id.in_(dead), now)
    db.execute(delete(Worker).where(Worker.id.in_(dead)))
    return change_of(db).since(mark)


def sweep_closed(db: Session, now: datetime, grace_seconds: float) -> list[Event]:
    """Remove the connections dropped more than `grace_seconds` ago; a person without
    another one has left. Safe in many processes: only the sweep whose DELETE removed
    a row tells of it."""
    mark = change_of(db).mark()
    cutoff = now - timedelta(seconds=grace_seconds)
    _remove_by_session(
        db, and_(Connection.closed_at.is_not(None), Connection.closed_at <= cutoff), now
    )
    return change_of(db).since(mark)


def _remove_by_session(db: Session, which: ColumnElement[bool], now: datetime) -> None:
    """Remove these connections, one session at a time under its lock (by ascending id,
    as periodic work locks several); whoever has no other connection left."""
    sessions = db.scalars(select(Connection.session_id).where(which).distinct())
    for session_id in sorted(sessions):
        if not _locked(db, session_id):
            continue  # deleted meanwhile, its connections with it
        removed = db.scalars(
            delete(Connection)
            .where(which, Connection.session_id == session_id)
            .returning(Connection.participant_id)
            .execution_options(synchronize_session=False)
        )
        for participant_id in sorted({p for p in removed if p is not None}):
            _gone_if_last(db, session_id, participant_id, now)


def _locked(db: Session, session_id: int) -> bool:
    """Take the session's lock (if not held yet); False if the session is gone."""
    try:
        change_of(db).lock(session_id)
    except LookupError:
        return False
    return True


def _connection_count(db: Session, participant_id: int) -> int:
    return db.scalar(_COUNT, {"participant_id": participant_id}) or 0


def _gone_if_last(db: Session, session_id: int, participant_id: int | None, now: datetime) -> None:
    """Tell that the person left if no connection of theirs is left. Counted under the
    session's lock, which a connection's arrival holds until it commits (presence.events):
    counted before, an arrival not yet committed would be missed, and the room told the
    person left while they are here. The caller takes it, before removing the rows."""
    assert change_of(db).holds(session_id), "counted outside the session's lock"
    if participant_id is not None and not _connection_count(db, participant_id):
        tell(db, PersonLeft(session_id, participant_id), now)
