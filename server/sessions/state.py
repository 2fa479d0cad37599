"""Reading and locking a session's rows, shared by the features that change them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from server.sessions.models import Participant, PeerSession


def lock(db: Session, session_id: int) -> PeerSession:
    """Take the session's row lock, then read it fresh.

    Every change goes through here first, so competing changes to one session run
    one after the other (PostgreSQL: the row lock; SQLite: BEGIN IMMEDIATE).
    """
    db.execute(
        update(PeerSession)
        .where(PeerSession.id == session_id)
        .values(version=PeerSession.version)
        .execution_options(synchronize_session=False)
    )
    return db.get_one(PeerSession, session_id, populate_existing=True)


def next_version(db: Session, session: PeerSession) -> int:
    """The version for the next event of a locked session: one more per event, no gaps."""
    session.version += 1
    db.flush()
    return session.version


def lock_and_bump(db: Session, session_id: int) -> PeerSession:
    """Lock, and take the next version for the one event this change sends."""
    session = lock(db, session_id)
    next_version(db, session)
    return session


def load_participant(db: Session, participant_id: int) -> Participant:
    return db.get_one(Participant, participant_id)


def session_fields(session: PeerSession) -> dict[str, Any]:
    return {
        "title": session.title,
        "group_name": session.group.name,
        "language": session.language,
        "format_key": session.format_key,
        "join_code": session.join_code,
        "status": session.status.value,
        "created_at": iso(session.created_at),
        "started_at": iso(session.started_at),
        "ended_at": iso(session.ended_at),
    }


def participant_fields(participant: Participant, present: bool) -> dict[str, Any]:
    return {
        "id": participant.id,
        "display_name": participant.display_name,
        "organisation": participant.organisation,
        "role": participant.role.value,
        "location": participant.location,
        "present": present,
        "joined_at": iso(participant.joined_at),
    }


def iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat().replace("+00:00", "Z")
