"""The open floor: raised hands in server-time order, and "ready" signals counted.

A hand changes only the hands: everyone gets them alone (`hands:updated`), not the
whole agenda, which a hand raised in a session of 60 would otherwise build and send 60
times over. When a time-up was handled on the way in, the agenda moved too, and the
whole of it goes out instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple, cast

from sqlalchemy import Table, bindparam, delete, insert, select
from sqlalchemy.orm import Session

from server.agenda import titles
from server.agenda.clock import clock_seen
from server.agenda.models import Hand, ReadyMark
from server.agenda.service import Work, glance
from server.agenda.view import HandRead, hands_view, ready_ids
from server.core.change import change_of
from server.core.db import rows
from server.core.domain import Actor, Event, declare_events
from server.core.errors import DomainError
from server.sessions.state import emit

declare_events("hands:updated")

_hands_table = cast(Table, Hand.__table__)
_hands = _hands_table.c
# Built once, as hands go up and down all through a session (bench/command_cpu.py); Core,
# not ORM: nothing of a hand is loaded to keep in step.
_PHASE_HANDS = select(_hands.id, _hands.participant_id, _hands.raised_at, _hands.status).where(
    _hands.phase_id == bindparam("phase_id")
)
_RAISE = insert(_hands_table).returning(_hands.id)
_LOWER_OWN = delete(_hands_table).where(
    _hands.phase_id == bindparam("phase_id"), _hands.participant_id == bindparam("participant_id")
)


class _Raised(NamedTuple):
    """A hand just raised, as its row reads (`_PHASE_HANDS`)."""

    id: int
    participant_id: int
    raised_at: datetime
    status: str


def _current_phase_id(clock) -> int:  # type: ignore[no-untyped-def]
    if clock.phase_id is None:
        raise DomainError("agenda_not_running")
    return int(clock.phase_id)


def _hands_done(
    db: Session, work: Work, now: datetime, hands: Sequence[HandRead] | None = None
) -> list[Event]:
    """The hands as they are now to everyone (the whole agenda after a time-up).
    `hands`: the phase's hands as they are now, if the caller has them all."""
    phase_id = work.clock.phase_id
    if work.settled or phase_id is None:
        return work.done(db, now)
    payload = {"phase_id": phase_id, "hands": hands_view(db, phase_id, hands)}
    emit(db, "hands:updated", work.session.id, payload)
    return change_of(db).since(work.mark)


def raise_hand(db: Session, actor: Actor, now: datetime) -> list[Event]:
    """Queue for the floor; the server's time decides the order on every screen."""
    work = glance(db, actor, now)
    phase_id = _current_phase_id(work.clock)
    # The phase's hands, read once: whether this one is up already, and what everyone gets.
    hands = rows(db, _PHASE_HANDS, {"phase_id": phase_id})
    if any(hand.participant_id == actor.participant_id for hand in hands):
        raise DomainError("hand_already_raised")
    assert actor.participant_id is not None  # PEOPLE: a participant or a host
    mine = {"phase_id": phase_id, "participant_id": actor.participant_id}
    hand_id = db.scalar(_RAISE, {**mine, "raised_at": now, "status": "raised"})
    raised = _Raised(hand_id, actor.participant_id, now, "raised")  # its id: the tie-break
    return _hands_done(db, work, now, [*hands, raised])


def lower_own_hand(db: Session, actor: Actor, now: datetime) -> list[Event]:
    work = glance(db, actor, now)
    clock = work.clock
    where = {"phase_id": _current_phase_id(clock), "participant_id": actor.participant_id}
    db.execute(_LOWER_OWN, where)
    return _hands_done(db, work, now)


def _hand(db: Session, clock, hand_id: int) -> Hand:  # type: ignore[no-untyped-def]
    hand = db.get(Hand, hand_id)
    if hand is None or hand.phase_id != clock.phase_id:
        raise DomainError("unknown_hand")
    return hand


def give_word(db: Session, actor: Actor, hand_id: int, now: datetime) -> list[Event]:
    """The facilitator gives the floor: that hand speaks; whoever spoke before is done."""
    work = glance(db, actor, now)
    clock = work.clock
    hand = _hand(db, clock, hand_id)
    db.execute(delete(Hand).where(Hand.phase_id == hand.phase_id, Hand.status == "speaking"))
    hand.status = "speaking"
    return _hands_done(db, work, now)


def lower_hand(db: Session, actor: Actor, hand_id: int, now: datetime) -> list[Event]:
    work = glance(db, actor, now)
    clock = work.clock
    db.delete(_hand(db, clock, hand_id))
    return _hands_done(db, work, now)


def lower_all_hands(db: Session, actor: Actor, now: datetime) -> list[Event]:
    work = glance(db, actor, now)
    clock = work.clock
    db.execute(delete(Hand).where(Hand.phase_id == _current_phase_id(clock)))
    return _hands_done(db, work, now)


def set_ready(db: Session, actor: Actor, ready: bool, now: datetime) -> list[Event]:
    """Done writing, ready to move on. Others only ever see how many are."""
    work = glance(db, actor, now)
    clock = work.clock
    phase_id = _current_phase_id(clock)
    mark = db.get(ReadyMark, (phase_id, actor.participant_id))
    if ready and mark is None:
        db.add(ReadyMark(phase_id=phase_id, participant_id=actor.participant_id))
    elif not ready and mark is not None:
        db.delete(mark)
    return work.done(db, now)


def my_agenda(db: Session, actor: Actor) -> dict[str, Any]:
    """This connection's own part of the agenda (the snapshot's `my_agenda`)."""
    return {"ready": my_ready(db, actor), "titles": titles.my_titles(db, actor)}


def my_ready(db: Session, actor: Actor) -> bool:
    clock = clock_seen(db, actor.session_id)
    if clock is None or clock.phase_id is None or actor.participant_id is None:
        return False
    return actor.participant_id in ready_ids(db, actor.session_id, clock.phase_id)
