"""The agenda as clients see it: one JSON object, the same for everyone in the session."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from server.agenda import navigation, timer
from server.agenda.clock import clock_of
from server.agenda.models import AgendaClock, Hand, Phase, PhaseKind, ReadyMark, Turn
from server.sessions.state import iso


def agenda_view(db: Session, session_id: int, now: datetime) -> dict[str, Any]:
    clock = clock_of(db, session_id)
    all_phases = navigation.phases(db, session_id)
    current = next((p for p in all_phases if p.id == clock.phase_id), None)
    return {
        "segment": clock.segment,
        "finished": clock.finished,
        "phases": [_phase(p, _phase_status(p, current, clock)) for p in all_phases],
        "current": {
            "phase_id": clock.phase_id,
            "turn_id": clock.turn_id,
            "step_index": clock.step_index,
        },
        "timer": {
            "status": clock.timer_status.value,
            "duration_seconds": clock.duration_seconds,
            "ends_at": iso(clock.ends_at),
            "remaining_seconds": round(timer.remaining(clock, now), 3),
            "speaker_away": clock.speaker_away,
        },
        "turns": _turns(db, current) if current else [],
        "hands": hands_view(db, current.id) if current else [],
        "ready_count": _ready_count(db, current) if current else 0,
        "alternate_locations": clock.alternate_locations,
        "schedule": _schedule(db, all_phases, current, clock),
    }


def _phase_status(phase: Phase, current: Phase | None, clock: AgendaClock) -> str:
    if clock.finished:
        return "done"
    if current is None:
        return "pending"
    if phase.position < current.position:
        return "done"
    return "active" if phase.id == current.id else "pending"


def _phase(phase: Phase, status: str) -> dict[str, Any]:
    return {
        "id": phase.id,
        "position": phase.position,
        "kind": phase.kind.value,
        "title_key": phase.title_key,
        "title": phase.title,
        "intro_key": phase.intro_key,
        "prompts": phase.prompts,
        "planned_seconds": phase.planned_seconds,
        "advance": phase.advance.value,
        "steps": phase.steps,
        "presenters": phase.presenters,
        "words": phase.words,
        "board_prompts": phase.board_prompts,
        "board_settings": phase.board_settings,
        "order_mode": phase.order_mode.value,
        "turn_seconds": phase.turn_seconds,
        "status": status,
        "started_at": iso(phase.started_at),
        "ended_at": iso(phase.ended_at),
    }


def _turns(db: Session, phase: Phase) -> list[dict[str, Any]]:
    order = navigation.turns(db, phase, include_left_out=True)
    presenting = _presenters(phase, order)
    return [
        {
            "id": t.id,
            "participant_id": t.participant_id,
            "position": index,
            "left_out": t.left_out,
            "presenting": t.id in presenting,
            "started_at": iso(t.started_at),
            "ended_at": iso(t.ended_at),
        }
        for index, t in enumerate(order)
    ]


def _presenters(phase: Phase, order: list[Turn]) -> set[int]:
    """A dilemma round's presenters: the first `presenters` turns of the order that are
    not left out (those who presented come first, then the one presenting, then the next)."""
    if phase.kind is not PhaseKind.DILEMMA_ROUND:
        return set()
    staying = [t for t in order if t.left_out is None]
    return {t.id for t in staying[: phase.presenters or len(staying)]}


# Built once, as every snapshot reads them (bench/join_cpu.py): only the values change.
_HANDS_BY_TIME = (
    select(Hand).where(Hand.phase_id == bindparam("phase_id")).order_by(Hand.raised_at, Hand.id)
)
_READY_COUNT = (
    select(func.count()).select_from(ReadyMark).where(ReadyMark.phase_id == bindparam("phase_id"))
)


def hands_view(db: Session, phase_id: int, read: list[Hand] | None = None) -> list[dict[str, Any]]:
    """The agenda's `hands`: the phase's raised hands in server-time order. `read`: all
    of them, read already under the session's lock (in any order), not read again."""
    if read is None:
        hands = list(db.scalars(_HANDS_BY_TIME, {"phase_id": phase_id}))
    else:
        hands = sorted(read, key=lambda hand: (hand.raised_at, hand.id))
    return [
        {
            "id": h.id,
            "participant_id": h.participant_id,
            "raised_at": iso(h.raised_at),
            "status": h.status,
        }
        for h in hands
    ]


def _ready_count(db: Session, phase: Phase) -> int:
    return db.scalar(_READY_COUNT, {"phase_id": phase.id}) or 0


def _schedule(
    db: Session, all_phases: list[Phase], current: Phase | None, clock: AgendaClock
) -> dict[str, Any]:
    """Planned seconds in all, and still planned after the current segment.

    A client projects the end as now + the countdown's remaining + `after_current_seconds`,
    and compares it with the session's start + `planned_seconds`.
    """
    planned = sum(p.planned_seconds for p in all_phases)
    if current is None:
        later = 0 if clock.finished else planned
        return {"planned_seconds": planned, "after_current_seconds": later}
    later = sum(p.planned_seconds for p in all_phases if p.position > current.position)
    later += _rest_of_phase(db, current, clock)
    return {"planned_seconds": planned, "after_current_seconds": later}


def _rest_of_phase(db: Session, phase: Phase, clock: AgendaClock) -> int:
    if clock.turn_id is None or phase.kind not in (PhaseKind.ROUND, PhaseKind.DILEMMA_ROUND):
        return 0
    order = navigation.turns(db, phase)
    ids = [t.id for t in order]
    waiting = len(ids) - ids.index(clock.turn_id) - 1 if clock.turn_id in ids else 0
    if phase.kind is PhaseKind.ROUND:
        return waiting * (phase.turn_seconds or 0)
    per_presenter = sum(int(step["seconds"]) for step in phase.steps)
    if phase.presenters:
        done = sum(1 for t in order if t.ended_at is not None and t.id != clock.turn_id)
        waiting = min(waiting, max(0, phase.presenters - done - 1))
    steps_left = phase.steps[(clock.step_index or 0) + 1 :]
    return waiting * per_presenter + sum(int(step["seconds"]) for step in steps_left)
