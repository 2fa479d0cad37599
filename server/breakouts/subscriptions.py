"""What the breakouts do when others tell them something (server.core.bus), and their
part of the snapshot and of an ended session's summary."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from server.agenda.clock import has_no_phase_of
from server.agenda.models import PhaseKind
from server.breakouts import retention, service
from server.breakouts.summary import breakouts_section
from server.breakouts.view import load, view_for
from server.core import snapshot, summary
from server.core.bus import (
    Bus,
    PersonAdmitted,
    PersonArrived,
    PersonRemoved,
    PhaseEnded,
    PhaseStarted,
    SessionContentExpired,
    SessionDeleted,
    Tick,
)
from server.core.domain import Actor


def settle_groups(db: Session, tick: Tick, now: datetime) -> None:
    """Groups' steps whose time is up, and the one-minute warning, on every beat."""
    service.sweep(db, now)


def _snapshot(db: Session, actor: Actor, now: datetime) -> dict[str, Any]:
    # Rounds are planned for breakout phases only: a join knows the phases already.
    if has_no_phase_of(db, actor.session_id, PhaseKind.BREAKOUT):
        return view_for([], actor, now)
    return view_for(load(db, actor.session_id, now), actor, now)


def install(bus: Bus) -> None:
    bus.subscribe(PhaseStarted, service.on_phase_started)
    bus.subscribe(PhaseEnded, service.on_phase_ended)
    bus.subscribe(PersonArrived, service.on_arrival)
    bus.subscribe(PersonAdmitted, service.on_arrival)
    bus.subscribe(PersonRemoved, service.on_removal)
    bus.subscribe(Tick, settle_groups)
    bus.subscribe(SessionContentExpired, retention.forget_breakouts)
    bus.subscribe(SessionDeleted, retention.forget_breakouts)
    snapshot.add_part("breakouts", _snapshot)
    summary.add_part("breakouts", 55, breakouts_section)
