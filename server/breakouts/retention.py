"""Forgetting a session's breakouts: who sat with whom and what each group wrote are the
session's content, gone when it expires or is deleted (docs/privacy.md)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from server.breakouts.models import BreakoutGroup, BreakoutRound, BreakoutSeat
from server.core.bus import Fact


def forget_breakouts(db: Session, fact: Fact, now: datetime) -> None:
    rounds = select(BreakoutRound.phase_id).where(BreakoutRound.session_id == fact.session_id)
    db.execute(delete(BreakoutSeat).where(BreakoutSeat.phase_id.in_(rounds)))
    db.execute(delete(BreakoutGroup).where(BreakoutGroup.phase_id.in_(rounds)))
    db.execute(delete(BreakoutRound).where(BreakoutRound.session_id == fact.session_id))
