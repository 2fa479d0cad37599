"""Reading and locking a session's rows, shared by the features that change them."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import Executable, Row, Table, bindparam, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from server.core import personal
from server.core.change import WRITES, change_of
from server.core.connections import audience, display_connected, locked_row, sids_of
from server.core.domain import Actor, Event, Role
from server.core.errors import DomainError
from server.sessions.models import Group, Participant, PeerSession

_sessions = cast(Table, PeerSession.__table__)
_HOLDING_GROUP = select(Group).where(Group.id == bindparam("group_id")).with_for_update(read=True)
_TAKING_GROUP = (  # FOR NO KEY UPDATE: see lock_group
    select(Group.id).where(Group.id == bindparam("group_id")).with_for_update(key_share=True)
)


def hold_group(db: Session, group_id: int) -> Group | None:
    """Keep the group from being deleted while this transaction adds to it (a session, a
    facilitator); None if it is gone. Many may hold it at once; a deletion waits for
    them, and they for it (PostgreSQL: FOR SHARE; SQLite runs one writer at a time)."""
    return db.scalar(_HOLDING_GROUP, {"group_id": group_id})


def lock_group(db: Session, group_id: int) -> bool:
    """Take the group for deleting it; False if it is gone. FOR NO KEY UPDATE, not FOR
    UPDATE: a join adding a member to one of its sessions (a foreign key's KEY SHARE)
    does not wait for it, and so cannot hold the session's lock the deletion waits for."""
    return db.scalar(_TAKING_GROUP, {"group_id": group_id}) is not None


# Built once, as every change takes it (bench/join_cpu.py): only the session changes.
_LOCKING = (
    update(PeerSession)
    .where(PeerSession.id == bindparam("session_id"))
    .values(version=PeerSession.version)
    .returning(PeerSession)
)


def lock(db: Session, session_id: int) -> PeerSession:
    """Take the session's row lock (once per transaction: core.change), then its row.

    Every change goes through here or `emit` first, so competing changes to one
    session run one after the other. The lock and the row are one round trip (a no-op
    write returning the row), and the row is kept for the rest of the transaction.
    """
    change = change_of(db)
    if change.holds(session_id):
        kept = change.kept(PeerSession, session_id, session_id)
        if kept is not None:
            return kept  # type: ignore[no-any-return]
        # Locked without its entity (`lock_row`, `emit`): read it now, as the lock has it.
        fresh = db.get_one(PeerSession, session_id, populate_existing=True)
        return change.keep(fresh, session_id, session_id)  # type: ignore[no-any-return]
    session = _take(db, _LOCKING, {"session_id": session_id})
    if session is None:
        raise LookupError(f"no session {session_id}")
    return session


_LOCKING_BY_CODE = (
    update(PeerSession)
    .where(PeerSession.join_code == bindparam("code"))
    .values(version=PeerSession.version)
    .returning(PeerSession)
)


def lock_by_join_code(db: Session, join_code: str) -> PeerSession | None:
    """`lock` for a session found by its (normalized) join code, in the same round trip:
    a new person's checks (their name is free) and their arrival are then one step.
    None (and no lock) for a code that opens nothing."""
    return _take(db, _LOCKING_BY_CODE, {"code": join_code})


def _take(db: Session, locking: Executable, params: dict[str, Any]) -> PeerSession | None:
    """Run a lock's no-op write returning the session; record the lock, keep the row."""
    options = {"populate_existing": True, "synchronize_session": False}
    session = db.scalars(locking, params, execution_options=options).one_or_none()
    if session is None:
        return None
    change_of(db).took_lock(session.id, session.version)
    return change_of(db).keep(session, session.id, session.id)  # type: ignore[no-any-return]


# Core: the lock as a plain row of what a change may need to know of the session.
_LOCKING_ROW: Executable = (
    update(_sessions)
    .where(_sessions.c.id == bindparam("session_id"))
    .values(version=_sessions.c.version)
    .returning(_sessions.c.id, _sessions.c.status, _sessions.c.version)
)
_STANDING: Executable = select(_sessions.c.id, _sessions.c.status, _sessions.c.version).where(
    _sessions.c.id == bindparam("session_id")
)

# The locked session as `lock_row` gives it: the entity if the transaction holds it, else
# a plain row of its id, status and version.
LockedSession = PeerSession | Row[Any]


def lock_row(db: Session, session_id: int) -> LockedSession:
    """`lock`, for a change that needs only the session's id, status and version: the
    same row lock, first, taken the same way (a no-op write), at a fraction of the cost."""
    change = change_of(db)
    if change.holds(session_id):
        kept = change.kept(PeerSession, session_id, session_id)
        if kept is not None:
            return kept  # type: ignore[no-any-return]
        # Locked by the command's first statement (core.connections.lock_for_sid): its row.
        found = locked_row(db, session_id)
        if found is None:
            found = db.execute(_STANDING, {"session_id": session_id}).one_or_none()
    else:
        found = db.execute(_LOCKING_ROW, {"session_id": session_id}).one_or_none()
        if found is not None:
            change.took_lock(session_id, found.version)
    if found is None:
        raise LookupError(f"no session {session_id}")
    return found


def session_now(db: Session, session_id: int) -> tuple[PeerSession, int]:
    """The session's row and its version as of now, for a snapshot: the row this
    transaction locked (its version is the one the transaction's events took), else
    read afresh."""
    change = change_of(db)
    kept = change.kept(PeerSession, session_id, session_id) if change.holds(session_id) else None
    if kept is not None:
        return kept, change.version(session_id)
    session = db.get_one(PeerSession, session_id, populate_existing=True)
    return session, session.version


def emit(db: Session, name: str, session_id: int, payload: dict[str, Any]) -> Event:
    """An event for everyone in the session, under its next version (core.change)."""
    return change_of(db).emit(name, session_id, payload)


def load_participant(db: Session, participant_id: int) -> Participant:
    return db.get_one(Participant, participant_id)


# Built once, as every first join writes it (bench/join_cpu.py).
_people = cast(Table, Participant.__table__)
_FIRST_SEEN = (
    update(_people)
    .where(_people.c.id == bindparam("participant_id"))
    .values(first_seen_at=bindparam("now"))
    .execution_options(**{WRITES: ("first_seen_at",)})
)


def seen(db: Session, participant: Participant, now: datetime) -> None:
    """The person is here for the first time, unless they were before. Written with a
    statement of its own, not by the ORM's flush (far dearer), and the entity told."""
    if participant.first_seen_at is None:
        db.execute(_FIRST_SEEN, {"participant_id": participant.id, "now": now})
        set_committed_value(participant, "first_seen_at", now)


def session_fields(session: PeerSession) -> dict[str, Any]:
    return {
        "title": session.title,
        "group_name": session.group.name,
        "language": session.language,
        "format_key": session.format_key,
        "join_code": session.join_code,
        "status": session.status.value,
        "admission": session.admission.value,
        "network": session.network,
        "agreements": session.agreements,
        "show_join": session.show_join,
        "created_at": iso(session.created_at),
        "started_at": iso(session.started_at),
        "ended_at": iso(session.ended_at),
    }


# A participant as an entity, or as a plain row of the columns participant_fields reads
# (sessions.view reads them so for a snapshot).
Person = Participant | Row[Any]


def participant_fields(
    participant: Person, present: bool, reader: Role | None = None
) -> dict[str, Any]:
    """A Participant as `reader` may see them: a room display never gets an organisation,
    since the room's screen must not show one (docs/protocol.md §3)."""
    fields = {
        "id": participant.id,
        "display_name": participant.display_name,
        "organisation": participant.organisation,
        "language": participant.language,
        "role": participant.role.value,
        "location": participant.location,
        "present": present,
        "admitted": participant.admitted_at is not None,
        "joined_at": iso(participant.joined_at),
    }
    if reader is Role.DISPLAY:
        del fields["organisation"]
    return fields


def on_display(participant: Person, present: bool) -> bool:
    """Whether the room display may be sent this person at all: only who is inside and
    here now; the projector shows nobody away or still at the door (protocol §3)."""
    return present and participant.admitted_at is not None


def participant_payload(participant: Participant, present: bool, reader: Role) -> dict[str, Any]:
    """A `participant:*` event's payload for one reader. A room display is told someone
    it may not show only by id (drop them), never by name."""
    if reader is Role.DISPLAY and not on_display(participant, present):
        return {"participant_id": participant.id}
    return {"participant": participant_fields(participant, present, reader)}


def emit_participant(db: Session, name: str, participant: Participant, present: bool) -> Event:
    """Everyone is told how a person stands; a room display in its own payload (without
    the organisation, or only the id of someone away or at the door), under the same
    version (core.change.emit_each)."""
    session_id = participant.session_id
    full = {"participant": participant_fields(participant, present)}
    if not display_connected(db, session_id):
        return emit(db, name, session_id, full)
    readers = audience(db, session_id)
    shown = participant_payload(participant, present, Role.DISPLAY)
    payloads = {sid: shown if actor.role is Role.DISPLAY else full for sid, actor in readers}
    return change_of(db).emit_each(name, session_id, payloads)


def iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat().replace("+00:00", "Z")


def participant_updated(db: Session, session_id: int, person: Participant) -> Event:
    """Everyone is told how a person now stands (role, location)."""
    return emit_participant(db, "participant:updated", person, bool(sids_of(db, person.id)))


def person_key(db: Session, actor: Actor, connection_key: bytes | None, secret_key: str) -> bytes:
    """The key that is the same for one person on all their connections (the pulse counts
    them once with it, the notebook seals with it). A guest's is their connection's, from
    their one token; a signed-in host has a pass per login, so theirs comes from their
    account (core.personal.host_key)."""
    if actor.participant_id is None:
        raise DomainError("forbidden")
    person = db.get_one(Participant, actor.participant_id)
    if person.account_id is not None:
        return personal.host_key(secret_key, person.account_id, person.id)
    if connection_key is None:  # not connected through on_connect on this process
        raise DomainError("not_authenticated")
    return connection_key
