"""Running the agenda: start, move on or back, pause, resume, extend, and time-up.

Every change locks the session (sessions.state.lock_and_bump), first settles any
time-up that is due, then checks that the command still means the current segment.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.agenda import navigation, timer
from server.agenda.models import (
    Advance,
    AgendaClock,
    HistoryEntry,
    OrderMode,
    Phase,
    PhaseKind,
    TimerStatus,
)
from server.agenda.navigation import Segment
from server.agenda.view import agenda_view
from server.core.domain import Actor, Event, declare_events
from server.core.errors import DomainError
from server.sessions.models import PeerSession, Status
from server.sessions.state import lock_and_bump

declare_events("agenda:updated")

# A time-up noticed this late (a restart, a long pause of the process) does not eat
# into the next speaker's time: their segment starts when it is noticed instead.
CATCH_UP_LIMIT_SECONDS = 5.0


@dataclass(frozen=True)
class PhasePlan:
    """A phase to put on an agenda: from a format, or the facilitator's own."""

    kind: PhaseKind
    planned_seconds: int
    advance: Advance = Advance.MANUAL
    title_key: str | None = None
    title: str | None = None
    prompts: list[dict[str, str]] = field(default_factory=list)
    steps: list[dict[str, Any]] = field(default_factory=list)
    presenters: int | None = None
    board_prompts: list[dict[str, str]] = field(default_factory=list)
    order_mode: OrderMode = OrderMode.JOIN


def create_agenda(db: Session, session: PeerSession, plans: list[PhasePlan]) -> None:
    db.add(AgendaClock(session_id=session.id, segment=0, timer_status=TimerStatus.IDLE))
    for position, plan in enumerate(plans):
        db.add(new_phase(session.id, position, plan))
    db.flush()


def new_phase(session_id: int, position: int, plan: PhasePlan) -> Phase:
    steps = plan.steps
    if plan.kind is PhaseKind.DILEMMA_ROUND and not steps:
        steps = [{"key": key, "seconds": minutes * 60} for key, minutes in navigation.DEFAULT_STEPS]
    return Phase(
        session_id=session_id,
        position=position,
        kind=plan.kind,
        title_key=plan.title_key,
        title=plan.title,
        prompts=plan.prompts,
        planned_seconds=plan.planned_seconds,
        advance=plan.advance,
        steps=steps,
        presenters=plan.presenters,
        board_prompts=plan.board_prompts,
        order_mode=plan.order_mode,
        turns_built=False,
    )


def clock_of(db: Session, session_id: int) -> AgendaClock:
    return db.get_one(AgendaClock, session_id, populate_existing=True)


def begin(db: Session, session_id: int, now: datetime) -> None:
    """The session started: the first phase starts, and its countdown."""
    clock = clock_of(db, session_id)
    first = navigation.phases(db, session_id)
    if first:
        move_to(db, clock, navigation.first_of(db, first[0], clock.alternate_locations), now, now)
    else:
        clock.finished = True


def finish(db: Session, session_id: int, now: datetime) -> None:
    """The session ended: whatever ran has ended now."""
    clock = clock_of(db, session_id)
    if not clock.finished:
        move_to(db, clock, None, now, now)


def settle(db: Session, clock: AgendaClock, now: datetime) -> bool:
    """Handle a due time-up: move on where the phase says so, else wait at zero."""
    changed = False
    while timer.is_due(clock, now):
        here = navigation.current(db, clock)
        assert here is not None and clock.ends_at is not None
        changed = True
        if here.phase.advance is not Advance.AUTO:
            timer.expire(clock)
            _record(db, clock, "time_up", clock.ends_at)
            break
        late = (now - clock.ends_at).total_seconds()
        start = clock.ends_at if late < CATCH_UP_LIMIT_SECONDS else now
        _record(db, clock, "time_up", clock.ends_at)
        move_to(db, clock, navigation.after(db, here, clock.alternate_locations), start, now)
    return changed


def due_session_ids(db: Session, now: datetime) -> list[int]:
    """Sessions whose countdown has run out and not been handled yet (for the sweeper)."""
    return list(
        db.scalars(
            select(AgendaClock.session_id).where(
                AgendaClock.timer_status == TimerStatus.RUNNING, AgendaClock.ends_at <= now
            )
        )
    )


class NothingDue(Exception):
    """Another worker handled it first; roll back."""


def settle_due(db: Session, session_id: int, now: datetime) -> list[Event]:
    """The sweeper's step for one session; raises NothingDue if someone was first."""
    session = lock_and_bump(db, session_id)
    if not settle(db, clock_of(db, session_id), now):
        raise NothingDue
    return [updated(db, session, now)]


def change(db: Session, actor: Actor, now: datetime, segment: int | None = None):  # type: ignore[no-untyped-def]
    """Open a change: lock, settle, and check the segment the command was meant for."""
    session = lock_and_bump(db, actor.session_id)
    if session.status is Status.ENDED:
        raise DomainError("session_ended")
    clock = clock_of(db, session.id)
    settle(db, clock, now)
    if segment is not None and segment != clock.segment:
        raise DomainError("stale_segment", current=clock.segment)
    return session, clock


def _running(session: PeerSession, clock: AgendaClock) -> None:
    if session.status is not Status.RUNNING or clock.phase_id is None:
        raise DomainError("agenda_not_running")


def next_segment(db: Session, actor: Actor, segment: int, now: datetime) -> list[Event]:
    """Skip forward: the current segment ends now, the next starts."""
    session, clock = change(db, actor, now, segment)
    _running(session, clock)
    here = navigation.current(db, clock)
    assert here is not None
    move_to(db, clock, navigation.after(db, here, clock.alternate_locations), now, now)
    return [updated(db, session, now)]


def previous_segment(db: Session, actor: Actor, segment: int, now: datetime) -> list[Event]:
    """Go back: the segment before starts again with its full time."""
    session, clock = change(db, actor, now, segment)
    _running(session, clock)
    here = navigation.current(db, clock)
    assert here is not None
    back = navigation.before(db, here, clock.alternate_locations)
    if back is None:
        raise DomainError("no_previous_segment")
    move_to(db, clock, back, now, now)
    return [updated(db, session, now)]


def pause(db: Session, actor: Actor, segment: int, now: datetime) -> list[Event]:
    session, clock = change(db, actor, now, segment)
    if clock.timer_status is not TimerStatus.RUNNING:
        raise DomainError("timer_not_running")
    timer.pause(clock, now)
    _record(db, clock, "paused", now)
    return [updated(db, session, now)]


def resume(db: Session, actor: Actor, segment: int, now: datetime) -> list[Event]:
    session, clock = change(db, actor, now, segment)
    if clock.timer_status is not TimerStatus.PAUSED:
        raise DomainError("timer_not_paused")
    timer.resume(clock, now)
    clock.speaker_away = False
    _record(db, clock, "resumed", now)
    return [updated(db, session, now)]


def extend(db: Session, actor: Actor, segment: int, seconds: int, now: datetime) -> list[Event]:
    session, clock = change(db, actor, now, segment)
    _running(session, clock)
    timer.extend(clock, seconds, now)
    _record(db, clock, "extended", now)
    settle(db, clock, now)  # a shortened countdown may be over already
    return [updated(db, session, now)]


def move_to(
    db: Session, clock: AgendaClock, to: Segment | None, start: datetime, now: datetime
) -> None:
    """Make `to` the current segment (None: the agenda is through), its countdown running."""
    here = navigation.current(db, clock)
    navigation.mark_moved(here, to, start)
    clock.segment += 1
    clock.speaker_away = False
    if to is None:
        clock.phase_id = clock.turn_id = clock.step_index = None
        clock.finished = True
        timer.stop(clock)
        _record(db, clock, "finished", start)
        return
    clock.finished = False
    clock.phase_id = to.phase.id
    clock.turn_id = to.turn.id if to.turn else None
    clock.step_index = to.step_index
    timer.run(clock, navigation.seconds_of(to), start)
    _record(db, clock, "segment_started", start)
    if to.turn is not None and (here is None or here.turn is not to.turn):
        _record(db, clock, "turn_started", start)


def _record(db: Session, clock: AgendaClock, action: str, at: datetime) -> None:
    db.add(
        HistoryEntry(
            session_id=clock.session_id,
            at=at,
            action=action,
            segment=clock.segment,
            phase_id=clock.phase_id,
            turn_id=clock.turn_id,
            step_index=clock.step_index,
        )
    )


def updated(db: Session, session: PeerSession, now: datetime) -> Event:
    db.flush()
    return Event(
        "agenda:updated",
        session.id,
        {"version": session.version, "agenda": agenda_view(db, session.id, now)},
    )
