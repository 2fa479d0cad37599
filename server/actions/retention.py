"""Forgetting actions. An action is the group's: it outlives the session it was recorded
in while it is open (the group still works on it), and goes with the content of the
session that closed it. Deleting a session deletes every action recorded or closed in
it, and every follow-up of it; deleting a group deletes its sessions, so all of them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, delete, or_, select
from sqlalchemy.orm import Session

from server.actions.models import Action, FollowUp
from server.core.bus import SessionContentExpired, SessionDeleted


def forget_expired(db: Session, fact: SessionContentExpired, now: datetime) -> None:
    """What was said in the session goes: its follow-ups and the actions it closed.
    Open actions recorded in it stay with the group (no link to its people is left:
    `owner_participant_id` pointed at a row that is gone)."""
    _forget(db, fact.session_id, Action.closed_session_id == fact.session_id)


def forget_deleted(db: Session, fact: SessionDeleted, now: datetime) -> None:
    recorded_or_closed = or_(
        Action.session_id == fact.session_id, Action.closed_session_id == fact.session_id
    )
    _forget(db, fact.session_id, recorded_or_closed)


def _forget(db: Session, session_id: int, which: ColumnElement[bool]) -> None:
    going = select(Action.id).where(which)
    mine = or_(FollowUp.session_id == session_id, FollowUp.action_id.in_(going))
    db.execute(delete(FollowUp).where(mine))
    db.execute(delete(Action).where(Action.id.in_(going)))
