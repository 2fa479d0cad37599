"""The open floor: raised hands in server-time order, and "ready" signals counted."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from server.agenda.models import Hand, ReadyMark
from server.agenda.service import change, clock_of
from server.core.domain import Actor, Event
from server.core.errors import DomainError


def _current_phase_id(clock) -> int:  # type: ignore[no-untyped-def]
    if clock.phase_id is None:
        raise DomainError("agenda_not_running")
    return int(clock.phase_id)


def raise_hand(db: Session, actor: Actor, now: datetime) -> list[Event]:
    """Queue for the floor; the server's time decides the order on every screen."""
    work = change(db, actor, now)
    clock = work.clock
    phase_id = _current_phase_id(clock)
    mine = db.scalar(
        select(Hand).where(Hand.phase_id == phase_id, Hand.participant_id == actor.participant_id)
    )
    if mine is not None:
        raise DomainError("hand_already_raised")
    db.add(
        Hand(phase_id=phase_id, participant_id=actor.participant_id, raised_at=now, status="raised")
    )
    return work.done(db, now)


def lower_own_hand(db: Session, actor: Actor, now: datetime) -> list[Event]:
    work = change(db, actor, now)
    clock = work.clock
    db.execute(
        delete(Hand).where(
            Hand.phase_id == _current_phase_id(clock), Hand.participant_id == actor.participant_id
        )
    )
    return work.done(db, now)


def _hand(db: Session, clock, hand_id: int) -> Hand:  # type: ignore[no-untyped-def]
    hand = db.get(Hand, hand_id)
    if hand is None or hand.phase_id != clock.phase_id:
        raise DomainError("unknown_hand")
    return hand


def give_word(db: Session, actor: Actor, hand_id: int, now: datetime) -> list[Event]:
    """The facilitator gives the floor: that hand speaks; whoever spoke before is done."""
    work = change(db, actor, now)
    clock = work.clock
    hand = _hand(db, clock, hand_id)
    db.execute(delete(Hand).where(Hand.phase_id == hand.phase_id, Hand.status == "speaking"))
    hand.status = "speaking"
    return work.done(db, now)


def lower_hand(db: Session, actor: Actor, hand_id: int, now: datetime) -> list[Event]:
    work = change(db, actor, now)
    clock = work.clock
    db.delete(_hand(db, clock, hand_id))
    return work.done(db, now)


def lower_all_hands(db: Session, actor: Actor, now: datetime) -> list[Event]:
    work = change(db, actor, now)
    clock = work.clock
    db.execute(delete(Hand).where(Hand.phase_id == _current_phase_id(clock)))
    return work.done(db, now)


def set_ready(db: Session, actor: Actor, ready: bool, now: datetime) -> list[Event]:
    """Done writing, ready to move on. Others only ever see how many are."""
    work = change(db, actor, now)
    clock = work.clock
    phase_id = _current_phase_id(clock)
    mark = db.get(ReadyMark, (phase_id, actor.participant_id))
    if ready and mark is None:
        db.add(ReadyMark(phase_id=phase_id, participant_id=actor.participant_id))
    elif not ready and mark is not None:
        db.delete(mark)
    return work.done(db, now)


def my_ready(db: Session, actor: Actor) -> bool:
    clock = clock_of(db, actor.session_id)
    if clock.phase_id is None or actor.participant_id is None:
        return False
    return db.get(ReadyMark, (clock.phase_id, actor.participant_id)) is not None
