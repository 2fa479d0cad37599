"""Forgetting a session's pulses. A closed pulse holds only counts, shown only when at
least k answered, and no tag: it names nobody, so it stays when the session's content
expires (the group's trend needs it; docs/privacy.md). Deleting the session deletes it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from server.core.bus import Fact
from server.pulse.models import Pulse, PulseCount, PulseTag


def forget_pulses(db: Session, fact: Fact, now: datetime) -> None:
    pulses = select(Pulse.id).where(Pulse.session_id == fact.session_id)
    db.execute(delete(PulseTag).where(PulseTag.pulse_id.in_(pulses)))
    db.execute(delete(PulseCount).where(PulseCount.pulse_id.in_(pulses)))
    db.execute(delete(Pulse).where(Pulse.session_id == fact.session_id))
