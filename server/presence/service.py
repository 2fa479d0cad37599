"""Connections as rows: who is present is a query, so every worker gives one answer.

A worker whose heartbeat stops (a crash, a kill) loses its connections at the next
sweep by any other worker, and the people on them are reported as gone.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from server.core.domain import Actor, Event, declare_events
from server.presence.models import Connection, Worker
from server.sessions.models import Participant
from server.sessions.state import load_participant, lock_and_bump, participant_fields

declare_events("participant:joined", "participant:returned", "participant:left")

# Other features react to people arriving and leaving (a latecomer's turn, a speaker
# who dropped) without presence knowing them: (db, session_id, participant_id, now).
PresenceHook = Callable[[Session, int, int, datetime], list[Event]]
ARRIVAL_HOOKS: list[PresenceHook] = []
DEPARTURE_HOOKS: list[PresenceHook] = []


def register_worker(db: Session, worker_id: str, now: datetime) -> None:
    db.merge(Worker(id=worker_id, started_at=now, heartbeat_at=now))


def heartbeat(db: Session, worker_id: str, now: datetime) -> None:
    worker = db.get(Worker, worker_id)
    if worker is None:  # swept as dead after a long pause: come back
        register_worker(db, worker_id, now)
    else:
        worker.heartbeat_at = now


def present_participant_ids(db: Session, session_id: int) -> set[int]:
    rows = db.scalars(
        select(Connection.participant_id).where(
            Connection.session_id == session_id, Connection.participant_id.is_not(None)
        )
    )
    return {pid for pid in rows if pid is not None}


def actor_for_sid(db: Session, sid: str) -> Actor | None:
    connection = db.get(Connection, sid)
    if connection is None:
        return None
    role = connection.role
    if connection.participant_id is not None:
        # The participant's role now, not at connect: a granted role applies at once.
        role = load_participant(db, connection.participant_id).role
    return Actor(connection.session_id, role, connection.participant_id, connection.language)


def connect(db: Session, *, sid: str, worker_id: str, actor: Actor, now: datetime) -> list[Event]:
    """Record a live connection; tell others if a person arrived or came back."""
    others = _connection_count(db, actor.participant_id)
    db.add(
        Connection(
            sid=sid,
            worker_id=worker_id,
            session_id=actor.session_id,
            participant_id=actor.participant_id,
            role=actor.role,
            language=actor.language,
            connected_at=now,
        )
    )
    if actor.participant_id is None or others:
        return []  # a room screen, or a second tab of someone already here
    session = lock_and_bump(db, actor.session_id)
    participant = load_participant(db, actor.participant_id)
    name = "participant:returned" if participant.first_seen_at else "participant:joined"
    participant.first_seen_at = participant.first_seen_at or now
    events = [_presence_event(name, session.version, participant, present=True)]
    for hook in ARRIVAL_HOOKS:
        events += hook(db, actor.session_id, participant.id, now)
    return events


def disconnect(db: Session, sid: str, now: datetime) -> list[Event]:
    connection = db.get(Connection, sid)
    if connection is None:
        return []  # already swept, or never recorded
    db.delete(connection)
    db.flush()
    return _gone_if_last(db, connection.session_id, connection.participant_id, now)


def leave(db: Session, actor: Actor, now: datetime) -> tuple[list[Event], list[str]]:
    """A person leaves on purpose: all their connections end. Returns events and sids to drop."""
    sids = list(
        db.scalars(select(Connection.sid).where(Connection.participant_id == actor.participant_id))
    )
    db.execute(delete(Connection).where(Connection.participant_id == actor.participant_id))
    return _gone_if_last(db, actor.session_id, actor.participant_id, now), sids


def set_language(db: Session, sid: str, language: str) -> None:
    db.get_one(Connection, sid).language = language


def sweep_dead_workers(db: Session, now: datetime, timeout_seconds: float) -> list[Event]:
    """Drop the connections of workers that stopped beating; safe in many processes."""
    cutoff = now - timedelta(seconds=timeout_seconds)
    dead = list(db.scalars(select(Worker.id).where(Worker.heartbeat_at < cutoff)))
    if not dead:
        return []
    orphaned = db.execute(
        select(Connection.session_id, Connection.participant_id).where(
            Connection.worker_id.in_(dead)
        )
    ).all()
    db.execute(delete(Connection).where(Connection.worker_id.in_(dead)))
    db.execute(delete(Worker).where(Worker.id.in_(dead)))
    db.flush()
    events: list[Event] = []
    for session_id, participant_id in sorted(set(orphaned), key=str):
        events += _gone_if_last(db, session_id, participant_id, now)
    return events


def _connection_count(db: Session, participant_id: int | None) -> int:
    if participant_id is None:
        return 0
    count = select(func.count()).where(Connection.participant_id == participant_id)
    return db.scalar(count) or 0


def _gone_if_last(
    db: Session, session_id: int, participant_id: int | None, now: datetime
) -> list[Event]:
    if participant_id is None or _connection_count(db, participant_id):
        return []
    session = lock_and_bump(db, session_id)
    participant = load_participant(db, participant_id)
    events = [_presence_event("participant:left", session.version, participant, present=False)]
    for hook in DEPARTURE_HOOKS:
        events += hook(db, session_id, participant_id, now)
    return events


def _presence_event(name: str, version: int, participant: Participant, present: bool) -> Event:
    return Event(
        name,
        participant.session_id,
        {"version": version, "participant": participant_fields(participant, present)},
    )
