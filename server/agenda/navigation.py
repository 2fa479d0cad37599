"""Moving through the agenda: the segment after or before the current one.

A segment is one stretch of the countdown: a whole phase, one speaker's turn in a
round, or one step of one presenter in a dilemma round.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from sqlalchemy import BindParameter, Select, and_, bindparam, func, or_, select
from sqlalchemy.orm import Session

from server.agenda.history import last_presented
from server.agenda.models import TURN_KINDS, AgendaClock, OrderMode, Phase, PhaseKind, Turn
from server.core.connections import present_participant_ids
from server.core.domain import Role
from server.sessions.models import Participant, PeerSession

# Dilemma steps when a phase has none of its own (minutes each).
DEFAULT_STEPS = (("present", 5), ("clarify", 3), ("reflect", 8), ("respond", 4))
# A breakout group's steps for each of its presenters, as in Troika consulting: the two
# others consult while the presenter listens (server/breakouts).
TRIO_STEPS = (("present", 3), ("clarify", 2), ("reflect", 6), ("respond", 3))
MIN_TURN_SECONDS = 30


@dataclass(frozen=True)
class Segment:
    phase: Phase
    turn: Turn | None = None
    step_index: int | None = None


# Built once, as every join reads it (bench/join_cpu.py): only the session changes.
_PHASES = select(Phase).where(Phase.session_id == bindparam("session_id")).order_by(Phase.position)


def phases(db: Session, session_id: int) -> list[Phase]:
    return list(db.scalars(_PHASES, {"session_id": session_id}))


_TURNS = select(Turn).where(Turn.phase_id == bindparam("phase_id")).order_by(Turn.position, Turn.id)
_STAYING_TURNS = _TURNS.where(Turn.left_out.is_(None))


def turns(db: Session, phase: Phase, include_left_out: bool = False) -> list[Turn]:
    query = _TURNS if include_left_out else _STAYING_TURNS
    return list(db.scalars(query, {"phase_id": phase.id}))


# A move needs one speaker of the order, not all of them: the first, the last, or the one
# just after or before the current (by position, then id), read alone.
_FIRST_TURN = _STAYING_TURNS.limit(1)
_LAST_TURN = _STAYING_TURNS.order_by(None).order_by(Turn.position.desc(), Turn.id.desc()).limit(1)
_POSITION: BindParameter[int] = bindparam("position")
_ID: BindParameter[int] = bindparam("turn_id")
_NEXT_TURN = _FIRST_TURN.where(
    or_(Turn.position > _POSITION, and_(Turn.position == _POSITION, Turn.id > _ID))
)
_PREVIOUS_TURN = _LAST_TURN.where(
    or_(Turn.position < _POSITION, and_(Turn.position == _POSITION, Turn.id < _ID))
)


def _one_turn(
    db: Session, query: Select[Turn], phase: Phase, near: Turn | None = None
) -> Turn | None:
    where = {"phase_id": phase.id}
    if near is not None:
        where |= {"position": near.position, "turn_id": near.id}
    return db.scalar(query, where)


def seconds_of(segment: Segment) -> int:
    phase = segment.phase
    if phase.kind is PhaseKind.DILEMMA_ROUND and segment.turn is not None:
        return int(phase.steps[segment.step_index or 0]["seconds"])
    if phase.kind is PhaseKind.ROUND and segment.turn is not None:
        return phase.turn_seconds or phase.planned_seconds
    return phase.planned_seconds


def current(db: Session, clock: AgendaClock) -> Segment | None:
    if clock.phase_id is None:
        return None
    phase = db.get_one(Phase, clock.phase_id)
    turn = db.get(Turn, clock.turn_id) if clock.turn_id else None
    return Segment(phase, turn, clock.step_index)


def first_of(db: Session, phase: Phase, alternate: bool) -> Segment:
    """Entering a phase: its first segment, building the speaking order the first time."""
    return _end_of(db, phase, alternate, last=False)


def last_of(db: Session, phase: Phase, alternate: bool) -> Segment:
    """Going back into a phase: its last segment."""
    return _end_of(db, phase, alternate, last=True)


def _end_of(db: Session, phase: Phase, alternate: bool, *, last: bool) -> Segment:
    if phase.kind not in TURN_KINDS:
        return Segment(phase)
    if not phase.turns_built:
        build_turns(db, phase, alternate)
    turn = _one_turn(db, _LAST_TURN if last else _FIRST_TURN, phase)
    if turn is None:
        return Segment(phase)  # nobody to speak: the phase runs as a whole
    if phase.kind is not PhaseKind.DILEMMA_ROUND:
        return Segment(phase, turn)
    return Segment(phase, turn, len(phase.steps) - 1 if last else 0)


def after(
    db: Session, here: Segment, alternate: bool, all_phases: list[Phase] | None = None
) -> Segment | None:
    """The segment after this one, or None at the end of the agenda. `all_phases`: the
    session's phases, if the caller read them already."""
    phase, turn = here.phase, here.turn
    if turn is not None:
        if phase.kind is PhaseKind.DILEMMA_ROUND and (here.step_index or 0) + 1 < len(phase.steps):
            return Segment(phase, turn, (here.step_index or 0) + 1)
        next_turn = _one_turn(db, _NEXT_TURN, phase, near=turn)
        if next_turn is not None and not _presenters_done(db, phase, finishing=turn):
            step = 0 if phase.kind is PhaseKind.DILEMMA_ROUND else None
            return Segment(phase, next_turn, step)
    all_phases = phases(db, phase.session_id) if all_phases is None else all_phases
    following = [p for p in all_phases if p.position > phase.position]
    return first_of(db, following[0], alternate) if following else None


def after_turn(db: Session, here: Segment, alternate: bool) -> Segment | None:
    """The segment after this speaker's whole turn: a presenter who passes or is skipped
    hands over to the next presenter, not to their own next step."""
    if here.phase.kind is PhaseKind.DILEMMA_ROUND and here.turn is not None:
        here = Segment(here.phase, here.turn, len(here.phase.steps) - 1)
    return after(db, here, alternate)


def before(
    db: Session, here: Segment, alternate: bool, all_phases: list[Phase] | None = None
) -> Segment | None:
    """The segment before this one, or None at the very start (`all_phases`: as `after`)."""
    phase, turn = here.phase, here.turn
    if turn is not None:
        if phase.kind is PhaseKind.DILEMMA_ROUND and (here.step_index or 0) > 0:
            return Segment(phase, turn, (here.step_index or 0) - 1)
        previous_turn = _one_turn(db, _PREVIOUS_TURN, phase, near=turn)
        if previous_turn is not None:
            step = len(phase.steps) - 1 if phase.kind is PhaseKind.DILEMMA_ROUND else None
            return Segment(phase, previous_turn, step)
    all_phases = phases(db, phase.session_id) if all_phases is None else all_phases
    previous = [p for p in all_phases if p.position < phase.position]
    return last_of(db, previous[-1], alternate) if previous else None


def _presenters_done(db: Session, phase: Phase, finishing: Turn) -> bool:
    """A dilemma round with a set number of presenters ends when that many have had their turn."""
    if phase.kind is not PhaseKind.DILEMMA_ROUND or not phase.presenters:
        return False
    done = {t.id for t in turns(db, phase) if t.ended_at is not None}
    if finishing.left_out is None:
        done.add(finishing.id)
    return len(done) >= phase.presenters


def build_turns(db: Session, phase: Phase, alternate: bool) -> None:
    """The speaking order, from the people present as the phase starts."""
    present = present_participant_ids(db, phase.session_id)
    people = list(
        db.scalars(
            select(Participant)
            .where(Participant.id.in_(present))
            .order_by(Participant.first_seen_at, Participant.id)
        )
    )
    if phase.order_mode is OrderMode.RANDOM:
        random.SystemRandom().shuffle(people)
    elif phase.order_mode is OrderMode.JOIN and phase.kind is PhaseKind.DILEMMA_ROUND:
        people = rotated(db, phase, people)
    if alternate:
        people = alternate_locations(people)
    for position, person in enumerate(people):
        db.add(Turn(phase_id=phase.id, participant_id=person.id, position=position))
    phase.turns_built = True
    if phase.kind is PhaseKind.ROUND:
        phase.turn_seconds = max(MIN_TURN_SECONDS, phase.planned_seconds // max(1, len(people)))
    db.flush()


def rotated(db: Session, phase: Phase, people: list[Participant]) -> list[Participant]:
    """Presenters by rotation, join order breaking ties: first the group's members who
    never presented, then people the group cannot recognise (no member key: they may
    have presented under another browser), then members by how long ago they last
    presented; the facilitator last, as they run the round."""
    group_id = db.get_one(PeerSession, phase.session_id).group_id
    last = last_presented(db, group_id)

    def rank(person: Participant) -> tuple[bool, int, float]:
        facilitator = person.role is Role.FACILITATOR
        if person.member_id is None:
            return (facilitator, 1, 0.0)
        presented = last.get(person.member_id)
        if presented is None:
            return (facilitator, 0, 0.0)
        return (facilitator, 2, presented.timestamp())

    return sorted(people, key=rank)  # stable: join order among equals


def alternate_locations(people: list[Participant]) -> list[Participant]:
    """Remote and in-room speakers by turns, remote first, so screens are not always last."""
    remote = [p for p in people if p.location == "remote"]
    others = [p for p in people if p.location != "remote"]
    mixed: list[Participant] = []
    while remote or others:
        for group in (remote, others):
            if group:
                mixed.append(group.pop(0))
    return mixed


def append_turn(db: Session, phase: Phase, participant_id: int) -> bool:
    """A latecomer joins the end of a speaking order that is already under way."""
    if phase.kind not in TURN_KINDS or not phase.turns_built:
        return False
    exists = db.scalar(
        select(Turn.id).where(Turn.phase_id == phase.id, Turn.participant_id == participant_id)
    )
    if exists:
        return False
    last = db.scalar(select(func.max(Turn.position)).where(Turn.phase_id == phase.id))
    db.add(Turn(phase_id=phase.id, participant_id=participant_id, position=(last or 0) + 1))
    db.flush()
    return True
