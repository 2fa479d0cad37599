"""Breakout phases: the session splits into small groups, each running its own
presenters' steps on its own countdown (in a trio one presents, the two others consult
while the presenter listens, then the presenter responds), and everyone is back in the
plenary when the phase's common countdown ends.

Every change locks the session (sessions.state.lock) and ends with `updated`, which
tells each connection its own view (view.py): a group's presenter, countdown and
synthesis reach that group and the hosts, never another group.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from itertools import combinations
from typing import Any

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from server.agenda import timer
from server.agenda.clock import clock_of
from server.agenda.models import AgendaClock, Phase, PhaseKind, TimerStatus
from server.breakouts import planning
from server.breakouts.models import BreakoutGroup, BreakoutRound, BreakoutSeat
from server.breakouts.running import from_clock, running_phase
from server.breakouts.view import Readers, load
from server.core.bus import (
    BreakoutGroupsChanged,
    PersonAdmitted,
    PersonArrived,
    PersonRemoved,
    PhaseEnded,
    PhaseStarted,
    tell,
)
from server.core.change import change_of
from server.core.connections import audience, present_participant_ids
from server.core.domain import HOSTS, Actor, Event, Role, declare_events
from server.core.errors import DomainError
from server.sessions.models import Participant, Status
from server.sessions.state import lock

declare_events("breakout:updated")

DEFAULT_SIZE = 3
WARNING_SECONDS = 60  # the one-minute warning before everyone returns to the plenary
# A step's time-up noticed this late (a restart) starts the next step when noticed.
CATCH_UP_LIMIT_SECONDS = 5.0


# --- reading ---------------------------------------------------------------------------


def round_of(db: Session, phase_id: int) -> BreakoutRound | None:
    return db.get(BreakoutRound, phase_id)


def groups_of(db: Session, phase_id: int) -> list[BreakoutGroup]:
    query = select(BreakoutGroup).where(BreakoutGroup.phase_id == phase_id)
    return list(db.scalars(query.order_by(BreakoutGroup.number)))


def seats_of(db: Session, group: BreakoutGroup) -> list[BreakoutSeat]:
    query = select(BreakoutSeat).where(BreakoutSeat.group_id == group.id)
    return list(db.scalars(query.order_by(BreakoutSeat.position)))


def current_phase(db: Session, session_id: int) -> Phase | None:
    """The breakout phase running now, if the agenda's current phase is one."""
    return running_phase(db, session_id)


def seatable(db: Session, session_id: int) -> list[Participant]:
    """Who is given a seat: the participants in the room, in the order they came. Hosts
    run the session and watch every group, so they sit in none."""
    present = present_participant_ids(db, session_id)
    query = (
        select(Participant)
        .where(Participant.id.in_(present), Participant.role == Role.PARTICIPANT)
        .order_by(Participant.first_seen_at, Participant.id)
    )
    return list(db.scalars(query))


def earlier_meetings(db: Session, phase: Phase) -> list[tuple[int, int]]:
    """Who sat together in the session's breakout phases before this one."""
    rows = db.execute(
        select(BreakoutSeat.group_id, BreakoutSeat.participant_id)
        .join(Phase, Phase.id == BreakoutSeat.phase_id)
        .where(Phase.session_id == phase.session_id, Phase.position < phase.position)
        .order_by(BreakoutSeat.group_id, BreakoutSeat.participant_id)
    )
    by_group: dict[int, list[int]] = {}
    for group_id, participant_id in rows:
        by_group.setdefault(group_id, []).append(participant_id)
    return [pair for members in by_group.values() for pair in combinations(members, 2)]


def plan_of(db: Session, phase_id: int) -> planning.Plan:
    """The stored seating as the planner's value (for placing a latecomer), in one read."""
    breakout = db.get_one(BreakoutRound, phase_id)
    members: dict[int, list[planning.Person]] = {g.number: [] for g in groups_of(db, phase_id)}
    rows = db.execute(
        select(BreakoutGroup.number, Participant.id, Participant.organisation)
        .join(BreakoutSeat, BreakoutSeat.group_id == BreakoutGroup.id)
        .join(Participant, Participant.id == BreakoutSeat.participant_id)
        .where(BreakoutGroup.phase_id == phase_id)
        .order_by(BreakoutGroup.number, BreakoutSeat.position)
    )
    for number, person_id, organisation in rows:
        members[number].append(planning.Person(person_id, organisation))
    groups = tuple(planning.Group(number, tuple(people)) for number, people in members.items())
    return planning.Plan(breakout.size, groups)


# --- the facilitator's plan ------------------------------------------------------------


def _open(db: Session, actor: Actor, phase_id: int) -> Phase:
    """Lock the session and find one of its breakout phases."""
    session = lock(db, actor.session_id)
    if session.status is Status.ENDED:
        raise DomainError("session_ended")
    phase = db.get(Phase, phase_id)
    if phase is None or phase.session_id != session.id or phase.kind is not PhaseKind.BREAKOUT:
        raise DomainError("unknown_phase")
    return phase


def _running(db: Session, phase: Phase) -> BreakoutRound:
    """The phase must be the one running now (and so has its plan)."""
    current = current_phase(db, phase.session_id)
    breakout = round_of(db, phase.id)
    if current is None or current.id != phase.id or breakout is None:
        raise DomainError("breakout_not_running")
    return breakout


def make_plan(db: Session, actor: Actor, phase_id: int, size: int, now: datetime) -> list[Event]:
    """Seat the people in the room now (again, if there was a plan), for the facilitator
    to see and change before the phase starts."""
    mark = change_of(db).mark()
    phase = _open(db, actor, phase_id)
    if phase.started_at is not None:
        raise DomainError("breakout_started")
    _seat_everyone(db, phase, size, now)
    updated(db, phase.session_id, now)
    return change_of(db).since(mark)


def _seat_everyone(db: Session, phase: Phase, size: int, now: datetime) -> BreakoutRound:
    db.execute(delete(BreakoutSeat).where(BreakoutSeat.phase_id == phase.id))
    db.execute(delete(BreakoutGroup).where(BreakoutGroup.phase_id == phase.id))
    db.execute(delete(BreakoutRound).where(BreakoutRound.phase_id == phase.id))
    people = [(p.id, p.organisation) for p in seatable(db, phase.session_id)]
    seed = random.SystemRandom().randrange(2**31)
    plan = planning.plan(people, size, earlier_meetings(db, phase), seed)
    breakout = BreakoutRound(
        phase_id=phase.id, session_id=phase.session_id, size=size, planned_at=now, running=False
    )
    db.add(breakout)
    db.flush()
    for group in plan.groups:
        row = _new_group(db, phase.id, group.number)
        for position, person_id in enumerate(group.ids):
            db.add(_seat(phase.id, row.id, person_id, position))
    db.flush()
    return breakout


def _new_group(db: Session, phase_id: int, number: int) -> BreakoutGroup:
    row = BreakoutGroup(phase_id=phase_id, number=number, segment=0, timer_status=TimerStatus.IDLE)
    db.add(row)
    db.flush()
    return row


def _seat(phase_id: int, group_id: int, participant_id: int, position: int) -> BreakoutSeat:
    return BreakoutSeat(
        phase_id=phase_id,
        group_id=group_id,
        participant_id=participant_id,
        position=position,
        presented=False,
    )


def move(
    db: Session, actor: Actor, phase_id: int, participant_id: int, number: int, now: datetime
) -> list[Event]:
    """The facilitator seats someone in another group (one past the last number opens a
    new group), before or during the phase. Nobody else moves."""
    mark = change_of(db).mark()
    phase = _open(db, actor, phase_id)
    if round_of(db, phase.id) is None:
        raise DomainError("no_breakout_plan")
    if phase.started_at is not None and current_phase(db, phase.session_id) is not phase:
        raise DomainError("breakout_over")
    person = db.get(Participant, participant_id)
    if (
        person is None
        or person.session_id != phase.session_id
        or person.role is not Role.PARTICIPANT
        or person.admitted_at is None
        or person.removed_at is not None
    ):
        raise DomainError("unknown_participant")
    groups = groups_of(db, phase.id)
    if not 1 <= number <= len(groups) + 1:
        raise DomainError("unknown_breakout_group")
    target = groups[number - 1] if number <= len(groups) else _new_group(db, phase.id, number)
    seat = db.get(BreakoutSeat, (phase.id, participant_id))
    if seat is not None and seat.group_id == target.id:
        raise DomainError("already_in_group")
    left = db.get(BreakoutGroup, seat.group_id) if seat is not None else None
    _take_seat(db, phase, target, participant_id, seat, now)
    if left is not None and left.presenter_id == participant_id and not left.finished:
        _next_presenter(db, phase, left, now)  # their group goes on without them
    updated(db, phase.session_id, now)
    _regrouped(db, phase, now)
    return change_of(db).since(mark)


def _take_seat(
    db: Session,
    phase: Phase,
    group: BreakoutGroup,
    participant_id: int,
    seat: BreakoutSeat | None,
    now: datetime,
) -> None:
    """At the end of the group's order; a group running with nobody to present starts."""
    last = select(func.max(BreakoutSeat.position)).where(BreakoutSeat.group_id == group.id)
    position = db.scalar(last)
    position = -1 if position is None else position
    if seat is None:
        db.add(_seat(phase.id, group.id, participant_id, position + 1))
    else:
        seat.group_id, seat.position = group.id, position + 1
    db.flush()
    running = current_phase(db, phase.session_id) is phase
    if running and group.presenter_id is None and group.timer_status is TimerStatus.IDLE:
        group.finished = False
        _next_presenter(db, phase, group, now)


# --- inside a group ----------------------------------------------------------------------


def _run_step(group: BreakoutGroup, phase: Phase, step: int, start: datetime) -> None:
    group.step_index = step
    group.segment += 1
    timer.run(group, float(phase.steps[step]["seconds"]), start)


def _next_presenter(db: Session, phase: Phase, group: BreakoutGroup, start: datetime) -> None:
    """The next member who has not presented starts at the first step; with nobody left
    the group is through and waits for the plenary (writing its synthesis)."""
    waiting = [seat for seat in seats_of(db, group) if not seat.presented]
    if not waiting or not phase.steps:
        group.presenter_id = group.step_index = None
        group.finished = True
        group.segment += 1
        timer.stop(group)
        return
    waiting[0].presented = True
    group.presenter_id = waiting[0].participant_id
    _run_step(group, phase, 0, start)


def _advance(db: Session, phase: Phase, group: BreakoutGroup, start: datetime) -> None:
    step = group.step_index
    if group.presenter_id is not None and step is not None and step + 1 < len(phase.steps):
        _run_step(group, phase, step + 1, start)
    else:
        _next_presenter(db, phase, group, start)


def next_step(
    db: Session, actor: Actor, phase_id: int, number: int, segment: int, now: datetime
) -> list[Event]:
    """The group (or a host) moves on before the step's time is up."""
    mark = change_of(db).mark()
    phase = _open(db, actor, phase_id)
    _running(db, phase)
    group = _group_for(db, actor, phase, number)
    _settle_group(db, phase, group, now)
    if group.segment != segment:
        raise DomainError("stale_segment", current=group.segment)
    if group.finished:
        raise DomainError("group_finished")
    _advance(db, phase, group, now)
    updated(db, phase.session_id, now)
    return change_of(db).since(mark)


def _group_for(db: Session, actor: Actor, phase: Phase, number: int) -> BreakoutGroup:
    """A group the actor may act in: their own, or any for a host."""
    group = db.scalar(
        select(BreakoutGroup).where(
            BreakoutGroup.phase_id == phase.id, BreakoutGroup.number == number
        )
    )
    if group is None:
        raise DomainError("unknown_breakout_group")
    if actor.role not in HOSTS and _seat_of(db, phase, actor) != group.id:
        raise DomainError("not_in_group")
    return group


def _seat_of(db: Session, phase: Phase, actor: Actor) -> int | None:
    if actor.participant_id is None:
        return None
    seat = db.get(BreakoutSeat, (phase.id, actor.participant_id))
    return seat.group_id if seat else None


def write_synthesis(
    db: Session, actor: Actor, phase_id: int, text: str, now: datetime
) -> list[Event]:
    """The group's one text to the plenary (any member writes or replaces it), shown to
    everyone once the phase has ended."""
    mark = change_of(db).mark()
    phase = _open(db, actor, phase_id)
    _running(db, phase)
    group_id = _seat_of(db, phase, actor)
    if group_id is None:
        raise DomainError("not_in_group")
    # One kind of line break, whichever the writer's system sends.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    db.get_one(BreakoutGroup, group_id).synthesis = text or None
    updated(db, phase.session_id, now)
    return change_of(db).since(mark)


def broadcast(db: Session, actor: Actor, phase_id: int, text: str, now: datetime) -> list[Event]:
    """The facilitator's word to every group at once."""
    mark = change_of(db).mark()
    phase = _open(db, actor, phase_id)
    breakout = _running(db, phase)
    breakout.broadcast, breakout.broadcast_at = text, now
    updated(db, phase.session_id, now)
    return change_of(db).since(mark)


# --- reactions ---------------------------------------------------------------------------


def on_phase_started(db: Session, fact: PhaseStarted, now: datetime) -> None:
    """A breakout phase starts: its plan (made now if the facilitator made none, with
    people who came since placed as latecomers), and every group's first presenter."""
    phase = db.get_one(Phase, fact.phase_id)
    if phase.kind is not PhaseKind.BREAKOUT:
        return
    breakout = round_of(db, phase.id)
    if breakout is None:
        breakout = _seat_everyone(db, phase, DEFAULT_SIZE, now)
    else:
        for person in seatable(db, phase.session_id):
            _place_latecomer(db, phase, person, now)
    breakout.running = True
    for group in groups_of(db, phase.id):
        if group.finished:
            continue
        if group.presenter_id is None:
            _next_presenter(db, phase, group, now)
        elif group.step_index is not None:  # back in the phase: the step starts again
            _run_step(group, phase, group.step_index, now)
    updated(db, phase.session_id, now)
    _regrouped(db, phase, now)


def on_phase_ended(db: Session, fact: PhaseEnded, now: datetime) -> None:
    """Back to the plenary: every group's countdown stops where it is."""
    phase = db.get_one(Phase, fact.phase_id)
    if phase.kind is not PhaseKind.BREAKOUT:
        return  # asked first: any other phase ends with no round to read
    breakout = round_of(db, phase.id)
    if breakout is None:
        return
    breakout.running = False
    for group in groups_of(db, phase.id):
        timer.stop(group)
    updated(db, phase.session_id, now)


def on_arrival(db: Session, fact: PersonArrived | PersonAdmitted, now: datetime) -> None:
    """Someone comes during a breakout phase: a seat in a group with room. Someone who
    dropped and comes back still has theirs."""
    # From the agenda's clock: the arrival reads it anyway (agenda.turns.on_arrival).
    phase = from_clock(db, fact.session_id)
    if phase is None or round_of(db, phase.id) is None:
        return
    person = db.get_one(Participant, fact.participant_id)
    if person.role is not Role.PARTICIPANT or person.id not in present_participant_ids(
        db, fact.session_id
    ):
        return
    if _place_latecomer(db, phase, person, now):
        updated(db, fact.session_id, now)
        _regrouped(db, phase, now)


def _place_latecomer(db: Session, phase: Phase, person: Participant, now: datetime) -> bool:
    if db.get(BreakoutSeat, (phase.id, person.id)) is not None:
        return False
    plan = planning.place_latecomer(
        plan_of(db, phase.id), (person.id, person.organisation), earlier_meetings(db, phase)
    )
    number = next(group.number for group in plan.groups if person.id in group.ids)
    groups = {group.number: group for group in groups_of(db, phase.id)}
    group = groups.get(number) or _new_group(db, phase.id, number)
    _take_seat(db, phase, group, person.id, None, now)
    return True


def on_removal(db: Session, fact: PersonRemoved, now: datetime) -> None:
    """Someone removed from the session loses their seats; a group they presented in
    goes on with its next presenter."""
    seats = db.scalars(
        select(BreakoutSeat)
        .join(BreakoutRound, BreakoutRound.phase_id == BreakoutSeat.phase_id)
        .join(Phase, Phase.id == BreakoutSeat.phase_id)
        .where(BreakoutRound.session_id == fact.session_id)
        .where(BreakoutRound.running.is_(True) | Phase.started_at.is_(None))  # not yet over
        .where(BreakoutSeat.participant_id == fact.participant_id)
    ).all()
    for seat in seats:
        group = db.get_one(BreakoutGroup, seat.group_id)
        db.delete(seat)
        db.flush()
        if group.presenter_id == fact.participant_id and not group.finished:
            phase = db.get_one(Phase, seat.phase_id)
            if current_phase(db, fact.session_id) is phase:
                _next_presenter(db, phase, group, now)
            else:
                group.presenter_id = None
    if seats:
        updated(db, fact.session_id, now)
        running = current_phase(db, fact.session_id)
        if running is not None:
            _regrouped(db, running, now)


def _regrouped(db: Session, phase: Phase, now: datetime) -> None:
    """Others (the group boards) learn that the running phase's groups changed."""
    if current_phase(db, phase.session_id) is phase:
        tell(db, BreakoutGroupsChanged(phase.session_id, phase.id), now)


# --- the sweeper's beat ------------------------------------------------------------------


def _settle_group(db: Session, phase: Phase, group: BreakoutGroup, now: datetime) -> bool:
    """Steps whose time is up move on by themselves (groups have nobody to wait for)."""
    changed = False
    while timer.is_due(group, now):
        assert group.ends_at is not None
        late = (now - group.ends_at).total_seconds()
        _advance(db, phase, group, group.ends_at if late < CATCH_UP_LIMIT_SECONDS else now)
        changed = True
    return changed


def sweep(db: Session, now: datetime) -> None:
    """Due group countdowns and due one-minute warnings, by session in id order; safe in
    many processes: each session is re-checked under its lock."""
    due_groups = select(BreakoutRound.session_id).join(
        BreakoutGroup, BreakoutGroup.phase_id == BreakoutRound.phase_id
    )
    due_groups = due_groups.where(
        BreakoutGroup.timer_status == TimerStatus.RUNNING, BreakoutGroup.ends_at <= now
    )
    warnings = (
        select(BreakoutRound.session_id)
        .join(AgendaClock, AgendaClock.phase_id == BreakoutRound.phase_id)
        .where(
            AgendaClock.timer_status == TimerStatus.RUNNING,
            AgendaClock.ends_at <= now + timedelta(seconds=WARNING_SECONDS),
            # Not yet told for this end: a session is not locked every beat of its last minute.
            or_(
                BreakoutRound.warned_for.is_(None), BreakoutRound.warned_for != AgendaClock.ends_at
            ),
        )
    )
    session_ids = sorted(set(db.scalars(due_groups)) | set(db.scalars(warnings)))
    for session_id in session_ids:
        lock(db, session_id)
        phase = current_phase(db, session_id)
        if phase is None:
            continue
        changed = any([_settle_group(db, phase, g, now) for g in groups_of(db, phase.id)])
        changed = _warn(db, phase, now) or changed
        if changed:
            updated(db, session_id, now)


def _warn(db: Session, phase: Phase, now: datetime) -> bool:
    clock = clock_of(db, phase.session_id)
    breakout = round_of(db, phase.id)
    if breakout is None or clock.timer_status is not TimerStatus.RUNNING or not clock.ends_at:
        return False
    if clock.ends_at > now + timedelta(seconds=WARNING_SECONDS):
        return False
    if breakout.warned_for == clock.ends_at:
        return False  # told already, for this end
    breakout.warned_for = clock.ends_at
    return True


# --- telling -----------------------------------------------------------------------------


def updated(db: Session, session_id: int, now: datetime) -> Event:
    """Each connection of the session gets its own view of the breakouts, under one version.
    Connections that see the same (one group's members, the hosts) share one payload, so
    it is built, and sent, once for them all (core.unit.publish)."""
    readers = Readers(load(db, session_id, now), now)
    views: dict[tuple[Any, ...], dict[str, Any]] = {}
    payloads = {}
    for sid, actor in audience(db, session_id):
        key = readers.key(actor)
        if key not in views:
            views[key] = {"breakouts": readers.view(actor)}
        payloads[sid] = views[key]
    return change_of(db).emit_each("breakout:updated", session_id, payloads)
