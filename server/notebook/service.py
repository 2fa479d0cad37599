"""A person's notebook: reading, writing and deleting their own entries.

Only the owner's key opens an entry (crypto.py), and every query here is by the actor's
own participant: nobody reaches another person's notes through these functions. A new
entry records where it was written: the phase the agenda is in, and whose turn it is
when someone else holds the floor (sealed with the text: a private detail).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server.agenda.models import AgendaClock, Phase, Turn
from server.content import content_text
from server.core.domain import Actor
from server.core.errors import DomainError
from server.notebook import crypto
from server.notebook.models import NotebookEntry, NoteKind
from server.sessions.models import Participant
from server.sessions.state import iso, person_key

MAX_ENTRIES = 200  # per person and session


@dataclass(frozen=True)
class Owner:
    """Who writes or reads: the actor and the key that opens their notes (never stored)."""

    actor: Actor
    key: bytes

    @property
    def participant_id(self) -> int:
        assert self.actor.participant_id is not None  # commands are for people only
        return self.actor.participant_id


def owner(db: Session, actor: Actor, personal_key: bytes | None, secret_key: str) -> Owner:
    """The actor with their notebook key, the same on all their devices (state.person_key)."""
    return Owner(actor, crypto.notebook_key(person_key(db, actor, personal_key, secret_key)))


def read_notebook(db: Session, who: Owner) -> dict[str, Any]:
    """Every entry this person can open, oldest first."""
    rows = _entries(db, who)
    titles = _phase_titles(db, {row.phase_id for row in rows}, who.actor.language)
    found = (_view(row, who, titles) for row in rows)
    return {"entries": [entry for entry in found if entry is not None]}


def write_note(
    db: Session, who: Owner, *, entry_id: str, kind: str, text: str, now: datetime
) -> dict[str, Any]:
    """Create the entry, or change its text and kind; returns it as its owner sees it."""
    _lock_owner(db, who)  # two devices saving one new entry: one after the other
    row = _entry(db, who, entry_id)
    if row is None:
        row = _new_entry(db, who, entry_id, now)
        turn_of = _whose_turn(db, who, row.phase_id)
        db.add(row)
    else:
        opened = crypto.unseal(who.key, who.participant_id, entry_id, row.sealed) or {}
        turn_of = opened.get("turn_of")
    row.kind = NoteKind(kind)
    row.sealed = crypto.seal(
        who.key, who.participant_id, entry_id, {"text": text, "turn_of": turn_of}
    )
    row.updated_at = now
    db.flush()
    titles = _phase_titles(db, {row.phase_id}, who.actor.language)
    entry = _view(row, who, titles)
    assert entry is not None
    return entry


def delete_note(db: Session, who: Owner, *, entry_id: str) -> None:
    _lock_owner(db, who)
    row = _entry(db, who, entry_id)
    if row is None:
        raise DomainError("note_not_found")
    db.delete(row)
    db.flush()


def _lock_owner(db: Session, who: Owner) -> None:
    """Lock the writer's own row, not the session's: an autosave every second from each
    person must not queue behind the room's commands (SQLite serialises writers anyway)."""
    db.execute(select(Participant.id).where(Participant.id == who.participant_id).with_for_update())


def _new_entry(db: Session, who: Owner, entry_id: str, now: datetime) -> NotebookEntry:
    count = select(func.count()).where(NotebookEntry.participant_id == who.participant_id)
    if (db.scalar(count) or 0) >= MAX_ENTRIES:
        raise DomainError("notebook_full", max=MAX_ENTRIES)
    clock = db.get(AgendaClock, who.actor.session_id)
    row = NotebookEntry(
        session_id=who.actor.session_id,
        participant_id=who.participant_id,
        entry_id=entry_id,
        phase_id=clock.phase_id if clock is not None and not clock.finished else None,
        created_at=now,
    )
    return row  # added by the caller once it is whole


def _whose_turn(db: Session, who: Owner, phase_id: int | None) -> str | None:
    """The name of whoever else holds the floor in this phase now, if anyone."""
    clock = db.get(AgendaClock, who.actor.session_id)
    if phase_id is None or clock is None or clock.turn_id is None:
        return None
    turn = db.get(Turn, clock.turn_id)
    if turn is None or turn.phase_id != phase_id or turn.participant_id == who.participant_id:
        return None
    return db.get_one(Participant, turn.participant_id).display_name


def _entries(db: Session, who: Owner) -> list[NotebookEntry]:
    return list(
        db.scalars(
            select(NotebookEntry)
            .where(NotebookEntry.participant_id == who.participant_id)
            .order_by(NotebookEntry.created_at, NotebookEntry.id)
        )
    )


def _entry(db: Session, who: Owner, entry_id: str) -> NotebookEntry | None:
    return db.scalar(
        select(NotebookEntry).where(
            NotebookEntry.participant_id == who.participant_id,
            NotebookEntry.entry_id == entry_id,
        )
    )


def _phase_titles(db: Session, ids: set[int | None], language: str) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    phases = db.scalars(select(Phase).where(Phase.id.in_(wanted)))
    return {p.id: _title(p, language) for p in phases}


def _title(phase: Phase, language: str) -> str:
    if phase.title:
        return phase.title
    return content_text(phase.title_key, language) if phase.title_key else ""


def _view(row: NotebookEntry, who: Owner, titles: dict[int, str]) -> dict[str, Any] | None:
    """The entry as its owner sees it; None if their key does not open it."""
    opened = crypto.unseal(who.key, who.participant_id, row.entry_id, row.sealed)
    if opened is None:
        return None
    return {
        "id": row.entry_id,
        "kind": row.kind.value,
        "text": str(opened.get("text", "")),
        "phase_id": row.phase_id,
        "phase_title": titles.get(row.phase_id) if row.phase_id is not None else None,
        "turn_of": opened.get("turn_of"),
        "created_at": iso(row.created_at),
        "updated_at": iso(row.updated_at),
    }
