"""What the board does when others tell it something (server.core.bus), and its part
of the snapshot."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from server.board import counting, groups, phases, retention, service, summary
from server.core import snapshot
from server.core import summary as core_summary
from server.core.bus import (
    BreakoutGroupsChanged,
    Bus,
    PhaseEnded,
    PhaseStarted,
    SessionContentExpired,
    SessionDeleted,
    SessionEnded,
    Tick,
)


def publish_due_batches(db: Session, tick: Tick, now: datetime) -> None:
    """Due batches go out, and expired rate windows go, on every process's beat."""
    service.sweep(db, now)


def tell_changed_counts(db: Session, tick: Tick, now: datetime) -> None:
    """Changed counts are told on the beat, once per window of the clock (counting.py)."""
    counting.tell_counts(db, now)


def install(bus: Bus) -> None:
    bus.subscribe(PhaseStarted, phases.on_phase_started)
    bus.subscribe(PhaseEnded, phases.on_phase_ended)
    bus.subscribe(SessionEnded, phases.on_session_ended)
    bus.subscribe(BreakoutGroupsChanged, phases.on_groups_changed)
    bus.subscribe(Tick, publish_due_batches)
    bus.subscribe(Tick, tell_changed_counts)
    bus.subscribe(SessionContentExpired, retention.forget_boards)
    bus.subscribe(SessionDeleted, retention.forget_boards)
    snapshot.add_part("board", service.board_snapshot)
    snapshot.add_part("group_boards", lambda db, actor, now: groups.groups_view(db, actor))
    core_summary.add_part("board", 30, summary.board_part)
