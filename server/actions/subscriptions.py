"""What the actions feature does when others tell it something (server.core.bus), its
part of the snapshot and its parts of the summary."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from server.actions import retention, service, summary
from server.actions.state import actions_part
from server.core import snapshot
from server.core import summary as summaries
from server.core.bus import (
    ActionsCarried,
    Bus,
    SessionContentExpired,
    SessionDeleted,
    SessionStarted,
    tell,
)


def carry_actions(db: Session, fact: SessionStarted, now: datetime) -> None:
    """Before the agenda starts (features.install subscribes this first): the group's open
    actions are carried in, and the agenda is told, to open with a follow-up phase."""
    count = service.carry_open_actions(db, fact.session_id)
    if count:
        tell(db, ActionsCarried(fact.session_id, count), now)
        service.updated(db, fact.session_id)


def install(bus: Bus) -> None:
    bus.subscribe(SessionStarted, carry_actions)
    bus.subscribe(SessionContentExpired, retention.forget_expired)
    bus.subscribe(SessionDeleted, retention.forget_deleted)
    snapshot.add_part("actions", lambda db, actor, now: actions_part(db, actor.session_id))
    summaries.add_part("follow_up", 20, summary.follow_up_section)
    summaries.add_part("actions", 40, summary.actions_section)
