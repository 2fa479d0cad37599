"""Building an ended session's summary for one reader, in their language, from the parts
the features registered (core.summary), and exporting it as Markdown or CSV.

Only people of the session read it (a room display may not), and only once the session
has ended. Every part decides for itself what it shows; none names a person who was not
named to begin with (docs/anonymity.md).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from server.core import summary
from server.core.bus import Fact
from server.core.domain import HOSTS, PEOPLE, Actor
from server.core.errors import DomainError
from server.core.i18n import languages
from server.sessions.models import PeerSession, Status
from server.sessions.state import iso, lock
from server.summary import exports
from server.summary.models import KeptSummary


def _reader(db: Session, actor: Actor) -> tuple[PeerSession, summary.Reader]:
    if actor.role not in PEOPLE or actor.participant_id is None:
        raise DomainError("forbidden")
    session = db.get_one(PeerSession, actor.session_id)
    if session.status is not Status.ENDED:
        raise DomainError("session_not_ended")
    return session, summary.Reader(session.id, actor.participant_id, actor.language)


def build_summary(db: Session, actor: Actor) -> dict[str, Any]:
    """The summary as the page shows it: every section with its data and Markdown lines."""
    session, reader = _reader(db, actor)
    return {
        "title": session.title,
        "started_at": iso(session.started_at),
        "ended_at": iso(session.ended_at),
        "language": reader.language,
        "kept_at": iso(kept_at(db, session.id)),
        "sections": [
            {"key": s.key, "heading": s.heading, "data": s.data, "markdown": s.markdown}
            for s in summary.sections(db, reader)
        ],
    }


def export_summary(
    db: Session, actor: Actor, file_format: str, time_zone: str = "Europe/Copenhagen"
) -> dict[str, Any]:
    """The summary as a file, in the reader's language: {"filename", "mime", "content"}."""
    session, reader = _reader(db, actor)
    sections = summary.sections(db, reader)
    if file_format == "csv":
        content, mime, ending = exports.as_csv(sections, reader.language), "text/csv", "csv"
    else:
        content = exports.as_markdown(session, sections, reader.language, time_zone)
        mime, ending = "text/markdown", "md"
    return {
        "filename": f"holdsport-{session.join_code}-summary.{ending}",
        "mime": f"{mime}; charset=utf-8",
        "content": content,
    }


def kept_at(db: Session, session_id: int) -> datetime | None:
    return db.scalar(
        select(KeptSummary.kept_at).where(KeptSummary.session_id == session_id).limit(1)
    )


def keep_summary(
    db: Session, actor: Actor, keep: bool, now: datetime, time_zone: str = "Europe/Copenhagen"
) -> datetime | None:
    """A host keeps the summary for the group (again: as it reads now), or lets it go.
    Kept, it is written out in every language, as the Markdown export, and stays when
    the session's content expires; only deleting the session or the group deletes it."""
    if actor.role not in HOSTS:
        raise DomainError("forbidden")
    session = lock(db, actor.session_id)
    if session.status is not Status.ENDED:
        raise DomainError("session_not_ended")
    db.execute(delete(KeptSummary).where(KeptSummary.session_id == session.id))
    if not keep:
        return None
    for language in languages():
        # Nobody's own view: no "you" in it (actions' owners are named as in the session).
        reader = summary.Reader(session.id, None, language)
        markdown = exports.as_markdown(session, summary.sections(db, reader), language, time_zone)
        db.add(
            KeptSummary(
                session_id=session.id,
                language=language,
                group_id=session.group_id,
                title=session.title,
                markdown=markdown,
                kept_at=now,
            )
        )
    db.flush()
    return now


def forget_kept(db: Session, fact: Fact, now: datetime) -> None:
    """The session is deleted: so is the summary the group kept of it."""
    db.execute(delete(KeptSummary).where(KeptSummary.session_id == fact.session_id))
