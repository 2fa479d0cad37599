"""Factory helpers: a session with sensible defaults, overridable per test."""

from __future__ import annotations

from typing import Any

from server.core.domain import Actor
from server.sessions import service
from server.sessions.service import CreatedSession, Joined

SECRET = "test-secret-key-not-for-production"  # as the test app's settings


def create_session(db, clock, **overrides: Any) -> CreatedSession:
    """Open to anyone with the code, unless `admission="host"` (the door's own tests)."""
    values: dict[str, Any] = {
        "admission": "code",
        "title": "Ledergruppen i Nordhavn",
        "language": "da",
        "format_key": "free",
        "facilitator_name": "Anne",
        "organisation": "Region Øst",
        "now": clock.now(),
        "secret": SECRET,
    }
    values.update(overrides)
    return service.create_session(db, **values)


def join(db, clock, join_code: str, **overrides: Any) -> Joined:
    values: dict[str, Any] = {
        "join_code": join_code,
        "display_name": "Bo",
        "organisation": None,
        "language": "en",
        "now": clock.now(),
    }
    values.update(overrides)
    return service.join_session(db, **values)


def actor_of(credential) -> Actor:
    person = credential.participant
    return Actor(
        credential.session.id,
        credential.role,
        person.id if person else None,
        person.language if person else credential.session.language,
    )


def set_agenda(db, session_id: int, plans) -> None:  # type: ignore[no-untyped-def]
    """Replace a session's agenda (before it starts) with these phase plans."""
    from sqlalchemy import delete

    from server.agenda.models import Phase
    from server.agenda.service import new_phase

    db.execute(delete(Phase).where(Phase.session_id == session_id))
    for position, plan in enumerate(plans):
        db.add(new_phase(session_id, position, plan))
    db.flush()
