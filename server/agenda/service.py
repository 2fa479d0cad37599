"""Running the agenda: start, move on or back, pause, resume, extend, and time-up.

Every change locks the session (sessions.state.lock), first settles any time-up
that is due, then checks that the command still means the current segment. Each
event takes the next version on the transaction's change (core.change). Phases
that start and end are told as facts (core.bus), for the features that react.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, Update, bindparam, insert, inspect, select, update
from sqlalchemy.orm import Session

from server.agenda import navigation, timer
from server.agenda.clock import SeenClock, clock_of, clock_seen
from server.agenda.models import (
    Advance,
    AgendaClock,
    HistoryEntry,
    OrderMode,
    Phase,
    PhaseKind,
    TimerStatus,
    Turn,
)
from server.agenda.navigation import Segment
from server.agenda.view import agenda_view
from server.core.bus import PhaseEnded, PhaseStarted, tell
from server.core.change import WRITES, change_of
from server.core.domain import Actor, Event, declare_events
from server.core.errors import DomainError
from server.sessions.models import Status
from server.sessions.state import LockedSession, emit, lock, lock_row

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
    intro_key: str | None = None
    prompts: list[dict[str, str]] = field(default_factory=list)
    steps: list[dict[str, Any]] = field(default_factory=list)
    presenters: int | None = None
    words: dict[str, str] | None = None
    board_prompts: list[dict[str, str]] = field(default_factory=list)
    board_settings: dict[str, Any] = field(default_factory=dict)
    order_mode: OrderMode = OrderMode.JOIN


def create_agenda(db: Session, session_id: int, plans: list[PhasePlan]) -> None:
    db.add(AgendaClock(session_id=session_id, segment=0, timer_status=TimerStatus.IDLE))
    for position, plan in enumerate(plans):
        db.add(new_phase(session_id, position, plan))
    db.flush()


def new_phase(session_id: int, position: int, plan: PhasePlan) -> Phase:
    steps = plan.steps
    defaults = {
        PhaseKind.DILEMMA_ROUND: navigation.DEFAULT_STEPS,
        PhaseKind.BREAKOUT: navigation.TRIO_STEPS,
    }
    if plan.kind in defaults and not steps:
        steps = [{"key": key, "seconds": minutes * 60} for key, minutes in defaults[plan.kind]]
    return Phase(
        session_id=session_id,
        position=position,
        kind=plan.kind,
        title_key=plan.title_key,
        title=plan.title,
        intro_key=plan.intro_key,
        prompts=plan.prompts,
        planned_seconds=plan.planned_seconds,
        advance=plan.advance,
        steps=steps,
        presenters=plan.presenters,
        words=plan.words,
        board_prompts=plan.board_prompts,
        board_settings=plan.board_settings,
        order_mode=plan.order_mode,
        turns_built=False,
    )


# A follow-up phase's planned time: a few minutes, and one more for each action, up to 20.
FOLLOW_UP_MINUTES = (5, 1, 20)


def add_follow_up(db: Session, session_id: int, count: int) -> None:
    """Put a follow-up phase first on the agenda (once: a session has at most one)."""
    all_phases = navigation.phases(db, session_id)
    if any(phase.kind is PhaseKind.FOLLOW_UP for phase in all_phases):
        return
    for phase in all_phases:
        phase.position += 1
    base, each, most = FOLLOW_UP_MINUTES
    minutes = min(most, base + each * count)
    db.add(new_phase(session_id, 0, PhasePlan(PhaseKind.FOLLOW_UP, minutes * 60)))
    db.flush()


def begin(db: Session, session_id: int, now: datetime) -> None:
    """The session started: the first phase starts, and its countdown."""
    clock = clock_of(db, session_id)
    first = navigation.phases(db, session_id)
    if not first:
        clock.finished = True
    else:
        move_to(db, clock, navigation.first_of(db, first[0], clock.alternate_locations), now)
    updated(db, session_id, now)


def finish(db: Session, session_id: int, now: datetime) -> None:
    """The session ended: whatever ran has ended now."""
    clock = clock_of(db, session_id)
    if not clock.finished:
        move_to(db, clock, None, now)
    updated(db, session_id, now)


def settle(db: Session, clock: AgendaClock, now: datetime) -> bool:
    """Handle a due time-up: move on where the phase says so, else wait at zero.

    Returns whether anything changed.
    """
    changed = False
    while timer.is_due(clock, now):
        here = navigation.current(db, clock)
        assert here is not None and clock.ends_at is not None
        changed = True
        if here.phase.advance is not Advance.AUTO:
            timer.expire(clock)
            _record(db, clock, clock.ends_at, "time_up")
            break
        late = (now - clock.ends_at).total_seconds()
        start = clock.ends_at if late < CATCH_UP_LIMIT_SECONDS else now
        _record(db, clock, clock.ends_at, "time_up")
        to = navigation.after(db, here, clock.alternate_locations)
        move_to(db, clock, to, start, now)
    return changed


def due_session_ids(db: Session, now: datetime) -> list[int]:
    """Sessions whose countdown has run out and not been handled yet (for the sweeper),
    by id: periodic work that locks several sessions takes them in one order."""
    return list(
        db.scalars(
            select(AgendaClock.session_id)
            .where(AgendaClock.timer_status == TimerStatus.RUNNING, AgendaClock.ends_at <= now)
            .order_by(AgendaClock.session_id)
        )
    )


def settle_due(db: Session, session_id: int, now: datetime) -> list[Event]:
    """The sweeper's step for one session; nothing if another worker was first."""
    mark = change_of(db).mark()
    lock(db, session_id)
    if settle(db, clock_of(db, session_id), now):
        updated(db, session_id, now)
    return change_of(db).since(mark)


@dataclass
class Work:
    """An agenda change under way: the locked session and its clock."""

    session: LockedSession
    clock: AgendaClock
    mark: int  # where this command's events begin on the transaction's change
    settled: bool = False  # a time-up was handled on the way in: the agenda moved

    def done(self, db: Session, now: datetime, phases: list[Phase] | None = None) -> list[Event]:
        """The agenda as it is now goes to everyone; returns all this command caused.
        `phases`: the session's phases as they are now, if the command has them all."""
        updated(db, self.session.id, now, phases)
        return change_of(db).since(self.mark)


@dataclass
class Glance(Work):
    """A change that only reads the clock (a hand raised or lowered): a plain row, far
    cheaper than the entity, unless a time-up was due and handled on the way in."""

    clock: SeenClock  # type: ignore[assignment]


def _open(db: Session, actor: Actor) -> tuple[LockedSession, int]:
    """Lock the session, still going, and mark where this command's events begin. An
    agenda change needs only the session's id and status: the lock's plain row."""
    mark = change_of(db).mark()
    session = lock_row(db, actor.session_id)
    if session.status is Status.ENDED:
        raise DomainError("session_ended")
    return session, mark


def change(db: Session, actor: Actor, now: datetime, segment: int | None = None) -> Work:
    """Open a change: lock, settle, and check the segment the command was meant for."""
    session, mark = _open(db, actor)
    clock = clock_of(db, session.id)
    settled = settle(db, clock, now)
    if segment is not None and segment != clock.segment:
        raise DomainError("stale_segment", current=clock.segment)
    return Work(session, clock, mark, settled)


def glance(db: Session, actor: Actor, now: datetime) -> Glance:
    """Open a change that leaves the clock as it is (`change` otherwise): the entity is
    loaded only when a time-up is due, which moves the agenda."""
    session, mark = _open(db, actor)
    seen = clock_seen(db, session.id)
    if seen is None:
        raise LookupError(f"no agenda clock for session {session.id}")
    if not timer.is_due(seen, now):
        return Glance(session, seen, mark)
    clock = clock_of(db, session.id)
    return Glance(session, clock, mark, settle(db, clock, now))


def _running(work: Work) -> None:
    if work.session.status is not Status.RUNNING or work.clock.phase_id is None:
        raise DomainError("agenda_not_running")


def next_segment(db: Session, actor: Actor, segment: int, now: datetime) -> list[Event]:
    """Skip forward: the current segment ends now, the next starts."""
    work = change(db, actor, now, segment)
    _running(work)
    # The phases, read once: where it stands (from them, not read again), what comes
    # after, and the agenda sent.
    all_phases = navigation.phases(db, work.session.id)
    here = navigation.current(db, work.clock)
    assert here is not None
    to = navigation.after(db, here, work.clock.alternate_locations, all_phases)
    move_to(db, work.clock, to, now, here=here)
    return work.done(db, now, all_phases)


def previous_segment(db: Session, actor: Actor, segment: int, now: datetime) -> list[Event]:
    """Go back: the segment before starts again with its full time."""
    work = change(db, actor, now, segment)
    _running(work)
    all_phases = navigation.phases(db, work.session.id)  # read once, as in next_segment
    here = navigation.current(db, work.clock)
    assert here is not None
    back = navigation.before(db, here, work.clock.alternate_locations, all_phases)
    if back is None:
        raise DomainError("no_previous_segment")
    move_to(db, work.clock, back, now, here=here)
    return work.done(db, now, all_phases)


def pause(db: Session, actor: Actor, segment: int, now: datetime) -> list[Event]:
    work = change(db, actor, now, segment)
    if work.clock.timer_status is not TimerStatus.RUNNING:
        raise DomainError("timer_not_running")
    timer.pause(work.clock, now)
    _record(db, work.clock, now, "paused")
    return work.done(db, now)


def resume(db: Session, actor: Actor, segment: int, now: datetime) -> list[Event]:
    work = change(db, actor, now, segment)
    if work.clock.timer_status is not TimerStatus.PAUSED:
        raise DomainError("timer_not_paused")
    timer.resume(work.clock, now)
    work.clock.speaker_away = False
    _record(db, work.clock, now, "resumed")
    return work.done(db, now)


def extend(db: Session, actor: Actor, segment: int, seconds: int, now: datetime) -> list[Event]:
    work = change(db, actor, now, segment)
    _running(work)
    timer.extend(work.clock, seconds, now)
    _record(db, work.clock, now, "extended")
    settle(db, work.clock, now)  # a shortened countdown may be over now
    return work.done(db, now)


def move_to(
    db: Session,
    clock: AgendaClock,
    to: Segment | None,
    start: datetime,
    now: datetime | None = None,
    here: Segment | None = None,
) -> None:
    """Make `to` the current segment (None: the agenda is through), its countdown running
    from `start`; a phase left or entered is told to the features that react (at `now`).
    `here`: the current segment, if the caller has it."""
    now = now or start
    here = here or navigation.current(db, clock)
    _mark_times(here, to, start)
    clock.segment += 1
    clock.speaker_away = False
    if here is not None and (to is None or to.phase is not here.phase):
        tell(db, PhaseEnded(clock.session_id, here.phase.id), now)
    if to is None:
        clock.phase_id = clock.turn_id = clock.step_index = None
        clock.finished = True
        timer.stop(clock)
        _write_now(db, clock, *_touched(here, to))
        _record(db, clock, start, "finished")
        return
    clock.finished = False
    clock.phase_id = to.phase.id
    clock.turn_id = to.turn.id if to.turn else None
    clock.step_index = to.step_index
    timer.run(clock, navigation.seconds_of(to), start)
    turn_started = to.turn is not None and (here is None or here.turn is not to.turn)
    _write_now(db, clock, *_touched(here, to))
    _record(db, clock, start, "segment_started", *(["turn_started"] if turn_started else []))
    if here is None or to.phase is not here.phase:
        tell(db, PhaseStarted(clock.session_id, to.phase.id), now)


def _mark_times(here: Segment | None, to: Segment | None, at: datetime) -> None:
    """Actual times: a turn or phase that is left has ended; one entered has started."""
    if here and here.turn and (to is None or to.turn is not here.turn):
        here.turn.ended_at = at
    if here and (to is None or to.phase is not here.phase):
        here.phase.ended_at = at
    if to:
        to.phase.started_at = to.phase.started_at or at
        if to.turn:
            to.turn.started_at = to.turn.started_at or at


_history = cast(Table, HistoryEntry.__table__)
_RECORD = insert(_history)


def _touched(here: Segment | None, to: Segment | None) -> list[Phase | Turn]:
    """The phases and turns a move may have given times (`_mark_times`)."""
    return [e for s in (here, to) if s is not None for e in (s.phase, s.turn) if e is not None]


def _write_now(db: Session, *entities: Any) -> None:
    """Write what changed of these entities now, each with one Core UPDATE, and take it
    as written: a move's writes without a unit of work to flush (its cost, issue 14).
    Whatever a reaction made the ORM flush on the way is written already."""
    with db.no_autoflush:  # the ORM must not flush them first
        for entity in entities:
            state = inspect(entity)
            if state.key is None:
                continue  # not in the database yet: the ORM inserts it with all it has
            now, before = state.dict, state.committed_state  # what was set, and its old value
            changed = {key: now[key] for key, old in before.items() if now[key] != old}
            if changed:
                columns = tuple(sorted(changed))
                table = cast(Table, state.mapper.local_table)
                values = {f"new_{key}": value for key, value in changed.items()}
                (row_key,) = state.identity
                writing = _update(table, columns)
                options = {WRITES: columns}
                db.execute(writing, {"row_key": row_key, **values}, execution_options=options)
            # All it changed is written: as after a flush, nothing of it is left to flush
            # (the ORM's own step; set_committed_value would leave it queued, and costing).
            state._commit_all(now, db.identity_map)


# Built once for each table and set of columns: a move writes the same few.
_UPDATES: dict[tuple[Table, tuple[str, ...]], Update] = {}


def _update(table: Table, columns: tuple[str, ...]) -> Update:
    """UPDATE these columns (bound as new_<column>) of the row whose key is row_key."""
    found = _UPDATES.get((table, columns))
    if found is None:
        (key,) = table.primary_key.columns
        found = update(table).where(key == bindparam("row_key"))
        found = found.values({name: bindparam(f"new_{name}") for name in columns})
        _UPDATES[(table, columns)] = found
    return found


def _record(db: Session, clock: AgendaClock, at: datetime, *actions: str) -> None:
    """The clock's moment in history, once for each action (a move's, together in one
    statement). Core, not ORM: an entry is only written, never read back or changed."""
    moment = {
        "session_id": clock.session_id,
        "segment": clock.segment,
        "phase_id": clock.phase_id,
        "turn_id": clock.turn_id,
        "step_index": clock.step_index,
    }
    db.execute(_RECORD, [{**moment, "at": at, "action": action} for action in actions])


def updated(
    db: Session, session_id: int, now: datetime, phases: list[Phase] | None = None
) -> Event:
    """The agenda as it is now, under the session's next version (`phases`: as Work.done)."""
    agenda = agenda_view(db, session_id, now, phases)
    return emit(db, "agenda:updated", session_id, {"agenda": agenda})
