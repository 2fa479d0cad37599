"""Forgetting notebooks: every entry of a session goes when its content expires or the
session is deleted; a removed person's go at once (their token is dead: nobody could
open them again)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.orm import Session

from server.core.bus import Fact, PersonRemoved
from server.notebook.models import NotebookEntry


def forget_notebooks(db: Session, fact: Fact, now: datetime) -> None:
    db.execute(delete(NotebookEntry).where(NotebookEntry.session_id == fact.session_id))


def forget_removed_persons_notes(db: Session, fact: PersonRemoved, now: datetime) -> None:
    db.execute(delete(NotebookEntry).where(NotebookEntry.participant_id == fact.participant_id))
