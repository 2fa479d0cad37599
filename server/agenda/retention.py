"""Forgetting a session's agenda. When its content expires, the traces of people go
(turns, hands, ready marks) and the plan stays: the phases as the facilitator set them
up, the clock and the timing history, which name nobody. When the session is deleted,
all of it goes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from server.agenda.clock import forget_clock
from server.agenda.history import forget_presentations, keep_presentations
from server.agenda.models import AgendaClock, Hand, HistoryEntry, Phase, ReadyMark, Turn
from server.core.bus import Fact, SessionContentExpired


def forget_people(db: Session, fact: Fact, now: datetime) -> None:
    """Who spoke, raised a hand or was ready: rows that point at a participant. Who
    presented a dilemma stays with the group (history.keep_presentations)."""
    if isinstance(fact, SessionContentExpired):
        keep_presentations(db, fact.session_id)
    phases = select(Phase.id).where(Phase.session_id == fact.session_id)
    clock = update(AgendaClock).where(AgendaClock.session_id == fact.session_id)
    db.execute(clock.values(turn_id=None))
    forget_clock(db, fact.session_id)
    db.execute(delete(Hand).where(Hand.phase_id.in_(phases)))
    db.execute(delete(ReadyMark).where(ReadyMark.phase_id.in_(phases)))
    db.execute(delete(Turn).where(Turn.phase_id.in_(phases)))


def forget_agenda(db: Session, fact: Fact, now: datetime) -> None:
    """Every row of the session's agenda."""
    forget_people(db, fact, now)
    forget_presentations(db, fact.session_id)
    db.execute(delete(HistoryEntry).where(HistoryEntry.session_id == fact.session_id))
    db.execute(delete(AgendaClock).where(AgendaClock.session_id == fact.session_id))
    db.execute(delete(Phase).where(Phase.session_id == fact.session_id))
