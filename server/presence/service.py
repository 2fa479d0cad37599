"""Telling the room who arrived and who left (core.connections says when).

Reactions to `PersonArrived` and `PersonLeft`, and leaving on purpose. Installed
before the other features' reactions, so the person's own event comes first.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from server.core import connections
from server.core.bus import PersonArrived, PersonLeft, PersonWaiting
from server.core.change import change_of
from server.core.domain import Actor, Event, declare_events
from server.sessions.models import Participant
from server.sessions.state import emit_participant, load_participant, lock, seen

declare_events(
    "participant:joined", "participant:returned", "participant:left", "participant:waiting"
)


def announce_arrival(db: Session, fact: PersonArrived, now: datetime) -> None:
    """Someone's first connection: new to the session (joined) or back (returned)."""
    lock(db, fact.session_id)
    participant = load_participant(db, fact.participant_id)
    name = "participant:returned" if participant.first_seen_at else "participant:joined"
    seen(db, participant, now)
    _presence_event(db, name, participant, present=True)


def announce_waiting(db: Session, fact: PersonWaiting, now: datetime) -> None:
    """Someone not yet let in is at the door: the room sees who knocks."""
    lock(db, fact.session_id)
    participant = load_participant(db, fact.participant_id)
    seen(db, participant, now)
    _presence_event(db, "participant:waiting", participant, present=True)


def announce_departure(db: Session, fact: PersonLeft, now: datetime) -> None:
    lock(db, fact.session_id)
    _presence_event(db, "participant:left", load_participant(db, fact.participant_id), False)


def leave(db: Session, actor: Actor, now: datetime) -> tuple[list[Event], list[str]]:
    """A person leaves on purpose: all their connections end.

    Returns the events it caused, and the sids for the socket layer to drop.
    """
    mark = change_of(db).mark()
    sids = connections.disconnect_person(db, actor, now)
    return change_of(db).since(mark), sids


def _presence_event(db: Session, name: str, participant: Participant, present: bool) -> Event:
    return emit_participant(db, name, participant, present)
