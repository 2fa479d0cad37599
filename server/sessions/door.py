"""The door: who is let in, and who is shown out.

In a session where a host admits people (the default), someone who joins with the code
waits at the door: they see nothing of the session, count for nothing and may do
nothing but wait or leave, until a host lets them in. Once in, always in (a reconnect
asks nobody), unless a host removes them: then their token never works again and
their connections close. What they wrote on an anonymous board stays as anonymous
as before: nothing there ever pointed at them.
"""

from __future__ import annotations

import unicodedata
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.core import connections
from server.core.bus import PersonAdmitted, PersonRemoved, tell
from server.core.domain import Actor, Role
from server.core.errors import DomainError
from server.sessions.models import Admission, Participant, Status
from server.sessions.state import emit, emit_participant, lock, session_fields


def same_name(name: str) -> str:
    """Names compared as people read them: case, accents' encoding and spacing aside."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def check_name_free(db: Session, session_id: int, display_name: str) -> None:
    """Two people in one session never share a name: nobody can pass for someone else."""
    names = db.scalars(
        select(Participant.display_name).where(
            Participant.session_id == session_id, Participant.removed_at.is_(None)
        )
    )
    wanted = same_name(display_name)
    if any(same_name(name) == wanted for name in names):
        raise DomainError("name_taken")


def admit(db: Session, actor: Actor, participant_id: int, now: datetime) -> list[str]:
    """A host lets one person in. Returns the sids of their connections (to bring inside)."""
    lock(db, actor.session_id)
    person = _person(db, actor, participant_id)
    if person.admitted_at is not None:
        return []
    return _let_in(db, person, now)


def admit_all(db: Session, actor: Actor, now: datetime) -> list[str]:
    """A host lets in everyone who waits at the door."""
    lock(db, actor.session_id)
    return [sid for person in _waiting(db, actor.session_id) for sid in _let_in(db, person, now)]


def set_admission(db: Session, actor: Actor, admission: str, now: datetime) -> list[str]:
    """Who lets people in from now on; opening the door lets in everyone waiting."""
    session = lock(db, actor.session_id)
    session.admission = Admission(admission)
    emit(db, "session:updated", session.id, session_fields(session))
    if session.admission is Admission.HOST:
        return []
    return admit_all(db, actor, now)


def show_join(db: Session, actor: Actor, show: bool, now: datetime) -> None:
    """A host asks the room display to show the join QR code in full (latecomers, a
    second group arriving), or to stop: the room sees it as a change of the session."""
    session = lock(db, actor.session_id)
    if session.status is Status.ENDED:
        raise DomainError("session_ended")
    if session.show_join != show:
        session.show_join = show
        emit(db, "session:updated", session.id, session_fields(session))


def remove(db: Session, actor: Actor, participant_id: int, now: datetime) -> list[str]:
    """A host removes someone (or turns them away at the door). Returns the sids to close.

    Only the facilitator removes a co-facilitator; nobody removes the facilitator.
    """
    lock(db, actor.session_id)
    person = _person(db, actor, participant_id)
    if person.role is Role.FACILITATOR or person.id == actor.participant_id:
        raise DomainError("forbidden")
    if person.role is Role.COFACILITATOR and actor.role is not Role.FACILITATOR:
        raise DomainError("forbidden")
    person.removed_at = now
    sids = connections.forget_person(db, person.id)
    emit(db, "participant:removed", person.session_id, {"participant_id": person.id})
    tell(db, PersonRemoved(person.session_id, person.id), now)
    return sids


def _let_in(db: Session, person: Participant, now: datetime) -> list[str]:
    person.admitted_at = now
    sids = connections.sids_of(db, person.id)  # their live connections: present if any
    emit_participant(db, "participant:admitted", person, bool(sids))
    tell(db, PersonAdmitted(person.session_id, person.id), now)
    return sids


def _waiting(db: Session, session_id: int) -> list[Participant]:
    return list(
        db.scalars(
            select(Participant)
            .where(
                Participant.session_id == session_id,
                Participant.admitted_at.is_(None),
                Participant.removed_at.is_(None),
            )
            .order_by(Participant.joined_at, Participant.id)
        )
    )


def _person(db: Session, actor: Actor, participant_id: int) -> Participant:
    person = db.get(Participant, participant_id)
    if person is None or person.session_id != actor.session_id or person.removed_at:
        raise DomainError("unknown_participant")
    return person
