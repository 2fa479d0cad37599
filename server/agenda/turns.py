"""Speaking order: passing, skipping, moving to the end, reordering, latecomers, drops."""

from __future__ import annotations

import random
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.agenda import navigation, timer
from server.agenda.clock import clock_of, current_phase, current_phase_row
from server.agenda.models import (
    TURN_KINDS,
    AgendaClock,
    Hand,
    Phase,
    PhaseKind,
    TimerStatus,
    Turn,
)
from server.agenda.navigation import Segment
from server.agenda.service import change, move_to, updated
from server.core.bus import PersonAdmitted, PersonArrived, PersonLeft, PersonRemoved
from server.core.connections import present_participant_ids
from server.core.domain import Actor, Event
from server.core.errors import DomainError


def _open_turn(db: Session, clock: AgendaClock, turn_id: int) -> Turn:
    """A turn of the current phase that has not been had yet (waiting or speaking)."""
    turn = db.get(Turn, turn_id)
    if turn is None or turn.phase_id != clock.phase_id:
        raise DomainError("unknown_turn")
    if turn.left_out is not None or (turn.ended_at is not None and turn.id != clock.turn_id):
        raise DomainError("turn_over")
    return turn


def _leave_out(db: Session, clock: AgendaClock, turn: Turn, reason: str, now: datetime) -> None:
    turn.left_out = reason  # first: a presenter left out is not one of the round's presenters
    if turn.id == clock.turn_id:
        here = navigation.current(db, clock)
        assert here is not None
        move_to(db, clock, navigation.after_turn(db, here, clock.alternate_locations), now)


def pass_turn(db: Session, actor: Actor, now: datetime) -> list[Event]:
    """A participant passes their own turn (now or before it comes)."""
    work = change(db, actor, now)
    clock = work.clock
    turn = db.scalar(
        select(Turn).where(
            Turn.phase_id == clock.phase_id, Turn.participant_id == actor.participant_id
        )
    )
    if turn is None:
        raise DomainError("unknown_turn")
    _leave_out(db, clock, _open_turn(db, clock, turn.id), "passed", now)
    return work.done(db, now)


def skip_turn(db: Session, actor: Actor, turn_id: int, now: datetime) -> list[Event]:
    work = change(db, actor, now)
    clock = work.clock
    _leave_out(db, clock, _open_turn(db, clock, turn_id), "skipped", now)
    return work.done(db, now)


def move_to_end(db: Session, actor: Actor, turn_id: int, now: datetime) -> list[Event]:
    """The turn goes to the end of the order; if it was speaking, the next one starts."""
    work = change(db, actor, now)
    clock = work.clock
    turn = _open_turn(db, clock, turn_id)
    phase = db.get_one(Phase, clock.phase_id)
    last = max(t.position for t in navigation.turns(db, phase))
    if turn.id == clock.turn_id:
        if turn.position == last:
            raise DomainError("no_one_waiting")
        here = navigation.current(db, clock)
        assert here is not None
        following = navigation.after(db, here, clock.alternate_locations)
        turn.position = last + 1
        move_to(db, clock, following, now)
        turn.ended_at = turn.started_at = None  # they speak later, in full
    else:
        turn.position = last + 1
    return work.done(db, now)


def _current_phase(db: Session, clock: AgendaClock) -> Phase:
    phase = db.get(Phase, clock.phase_id) if clock.phase_id else None
    if phase is None:
        raise DomainError("agenda_not_running")
    return phase


def _waiting(db: Session, clock: AgendaClock) -> tuple[Turn | None, list[Turn]]:
    """The turn speaking now (if any), and the turns still to speak, in order."""
    order = navigation.turns(db, _current_phase(db, clock))
    current = next((t for t in order if t.id == clock.turn_id), None)
    return current, [t for t in order if t.ended_at is None and t is not current]


def reorder(db: Session, actor: Actor, turn_ids: list[int], now: datetime) -> list[Event]:
    """Set the order of the turns still waiting (the facilitator's drag and drop)."""
    work = change(db, actor, now)
    current, waiting = _waiting(db, work.clock)
    if sorted(turn_ids) != sorted(t.id for t in waiting) or len(set(turn_ids)) != len(turn_ids):
        raise DomainError("invalid_order")
    start = (current.position + 1) if current else min((t.position for t in waiting), default=0)
    by_id = {t.id: t for t in waiting}
    for offset, turn_id in enumerate(turn_ids):
        by_id[turn_id].position = start + offset
    return work.done(db, now)


def choose_presenters(db: Session, actor: Actor, turn_ids: list[int], now: datetime) -> list[Event]:
    """The facilitator picks who presents from now on in a dilemma round, in that order.
    The others wait after them and do not present this round; a presenter not picked
    hands over at once to the first one picked, and may be picked again later in full."""
    work = change(db, actor, now)
    clock = work.clock
    phase = _current_phase(db, clock)
    if phase.kind is not PhaseKind.DILEMMA_ROUND:
        raise DomainError("not_a_dilemma_round")
    order = navigation.turns(db, phase)
    still_open = [t for t in order if t.ended_at is None or t.id == clock.turn_id]
    by_id = {t.id: t for t in still_open}
    if not turn_ids or len(set(turn_ids)) != len(turn_ids) or not set(turn_ids) <= set(by_id):
        raise DomainError("invalid_presenters")
    chosen = [by_id[turn_id] for turn_id in turn_ids]
    rest = [t for t in still_open if t.id not in set(turn_ids)]
    start = min(t.position for t in still_open)
    for offset, turn in enumerate(chosen + rest):
        turn.position = start + offset
    had = sum(1 for t in order if t.ended_at is not None and t.id != clock.turn_id)
    phase.presenters = had + len(chosen)
    current = by_id.get(clock.turn_id or 0)
    if current is not None and chosen[0] is not current:
        move_to(db, clock, Segment(phase, chosen[0], 0), now)
        current.ended_at = current.started_at = None  # if picked later, they present in full
    return work.done(db, now)


def shuffle(db: Session, actor: Actor, now: datetime) -> list[Event]:
    """A random order for the turns still waiting, drawn on the server so that no
    browser decides it."""
    work = change(db, actor, now)
    _current, waiting = _waiting(db, work.clock)
    positions = sorted(t.position for t in waiting)
    random.SystemRandom().shuffle(waiting)
    for position, turn in zip(positions, waiting, strict=True):
        turn.position = position
    return work.done(db, now)


def set_alternate(db: Session, actor: Actor, alternate: bool, now: datetime) -> list[Event]:
    """Hybrid fairness: alternate remote and in-room speakers in orders built from now on."""
    work = change(db, actor, now)
    clock = work.clock
    clock.alternate_locations = alternate
    return work.done(db, now)


def on_arrival(db: Session, fact: PersonArrived | PersonAdmitted, now: datetime) -> None:
    """Someone came (or came back, or was let in while here): a latecomer gets a place at
    the end of the order."""
    row = current_phase_row(db, fact.session_id)  # no entity unless it has an order
    if row is None or row.kind not in TURN_KINDS or not row.turns_built:
        return
    if fact.participant_id not in present_participant_ids(db, fact.session_id):
        return  # let in while away: their place comes when they arrive
    phase = current_phase(db, fact.session_id)
    if phase is not None and navigation.append_turn(db, phase, fact.participant_id):
        updated(db, fact.session_id, now)


def on_departure(db: Session, fact: PersonLeft, now: datetime) -> None:
    """The current speaker dropped: their time waits; the facilitator resumes or skips."""
    clock = clock_of(db, fact.session_id)
    if clock.turn_id is None or clock.timer_status is not TimerStatus.RUNNING:
        return
    if db.get_one(Turn, clock.turn_id).participant_id != fact.participant_id:
        return
    timer.pause(clock, now)
    clock.speaker_away = True
    updated(db, fact.session_id, now)


def on_removal(db: Session, fact: PersonRemoved, now: datetime) -> None:
    """Someone removed speaks no more: their open turns are skipped, their hands go."""
    clock = clock_of(db, fact.session_id)
    phase = db.get(Phase, clock.phase_id) if clock.phase_id else None
    if phase is None:
        return
    for turn in navigation.turns(db, phase):
        if turn.participant_id == fact.participant_id and (
            turn.ended_at is None or turn.id == clock.turn_id
        ):
            _leave_out(db, clock, turn, "skipped", now)
    for hand in db.scalars(
        select(Hand).where(Hand.phase_id == phase.id, Hand.participant_id == fact.participant_id)
    ):
        db.delete(hand)
    updated(db, fact.session_id, now)
