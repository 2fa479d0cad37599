"""What the agenda does when others tell it something (server.core.bus), and its
parts of the snapshot."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from server.agenda import floor, retention, service, summary, turns
from server.agenda.formats import plans_copied_from, plans_for
from server.agenda.view import agenda_view
from server.core import snapshot
from server.core import summary as core_summary
from server.core.bus import (
    ActionsCarried,
    Bus,
    PersonAdmitted,
    PersonArrived,
    PersonLeft,
    PersonRemoved,
    SessionContentExpired,
    SessionCreated,
    SessionDeleted,
    SessionEnded,
    SessionStarted,
    Tick,
)


def create_agenda(db: Session, fact: SessionCreated, now: datetime) -> None:
    """A new session gets its format's agenda, or a copy of an earlier session's (the
    sessions feature checked that it is the same group's)."""
    if fact.agenda_from is not None:
        plans = plans_copied_from(db, fact.agenda_from)
    else:
        plans = plans_for(fact.format_key)
    service.create_agenda(db, fact.session_id, plans)


def add_follow_up(db: Session, fact: ActionsCarried, now: datetime) -> None:
    """Actions are carried into the starting session: its agenda opens with a follow-up."""
    service.add_follow_up(db, fact.session_id, fact.count)


def start_agenda(db: Session, fact: SessionStarted, now: datetime) -> None:
    service.begin(db, fact.session_id, now)


def finish_agenda(db: Session, fact: SessionEnded, now: datetime) -> None:
    service.finish(db, fact.session_id, now)


def settle_countdowns(db: Session, tick: Tick, now: datetime) -> None:
    """Time-ups that are due; any number of processes may race (see service.settle_due)."""
    for session_id in service.due_session_ids(db, now):
        service.settle_due(db, session_id, now)


def install(bus: Bus) -> None:
    bus.subscribe(SessionCreated, create_agenda)
    bus.subscribe(ActionsCarried, add_follow_up)
    bus.subscribe(SessionStarted, start_agenda)
    bus.subscribe(SessionEnded, finish_agenda)
    bus.subscribe(PersonArrived, turns.on_arrival)
    bus.subscribe(PersonAdmitted, turns.on_arrival)
    bus.subscribe(PersonLeft, turns.on_departure)
    bus.subscribe(PersonRemoved, turns.on_removal)
    bus.subscribe(Tick, settle_countdowns)
    bus.subscribe(SessionContentExpired, retention.forget_people)
    bus.subscribe(SessionDeleted, retention.forget_agenda)
    snapshot.add_part("agenda", lambda db, actor, now: agenda_view(db, actor.session_id, now))
    snapshot.add_part("my_agenda", lambda db, actor, now: floor.my_agenda(db, actor))
    core_summary.add_part("agenda", 10, summary.agenda_part)
    core_summary.add_part("dilemmas", 60, summary.dilemmas_part)
