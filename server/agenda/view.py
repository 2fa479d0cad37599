"""The agenda as clients see it: one JSON object, the same for everyone in the session.

Read as plain rows, not entities (core.db.rows): every join's snapshot and every change
of the agenda builds it (bench/join_cpu.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Row, Table, bindparam, select
from sqlalchemy.orm import Session

from server.agenda import timer
from server.agenda.clock import SeenClock, clock_seen, phase_rows
from server.agenda.models import Hand, Phase, PhaseKind, ReadyMark, Turn
from server.core.change import KeptRows, kept_rows, reads
from server.core.db import rows
from server.sessions.state import iso

_turns = cast(Table, Turn.__table__).c
_hands = cast(Table, Hand.__table__).c
_ready = cast(Table, ReadyMark.__table__).c
# Built once: only the values change.
_ORDER = (
    select(_turns.id, _turns.participant_id, _turns.left_out, _turns.started_at, _turns.ended_at)
    .where(_turns.phase_id == bindparam("phase_id"))
    .order_by(_turns.position, _turns.id)
)
_HANDS_BY_TIME = (
    select(_hands.id, _hands.participant_id, _hands.raised_at, _hands.status)
    .where(_hands.phase_id == bindparam("phase_id"))
    .order_by(_hands.raised_at, _hands.id)
)
_READY = select(_ready.participant_id).where(_ready.phase_id == bindparam("phase_id"))


# A phase as read: a plain row of its columns, or its entity (which has them all).
PhaseRead = Row[Any] | Phase


def agenda_view(
    db: Session, session_id: int, now: datetime, phases: Sequence[Phase] | None = None
) -> dict[str, Any]:
    """`phases`: the session's phases, in order, as this transaction has them now, if the
    caller read them all (a move: its entities, changed since, need no second read)."""
    clock = clock_seen(db, session_id)
    if clock is None:
        raise LookupError(f"no agenda clock for session {session_id}")
    all_phases: Sequence[PhaseRead] = phase_rows(db, session_id) if phases is None else phases
    current = next((p for p in all_phases if p.id == clock.phase_id), None)
    # The whole order, those left out too: the turns sent, and what is left of the phase.
    # A phase has turns only once they are built (agenda.navigation): else none to read.
    built = current is not None and current.turns_built
    order = rows(db, _ORDER, {"phase_id": current.id}) if built and current else []
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
        "turns": _turns_view(current, order) if current else [],
        "hands": hands_view(db, current.id) if current else [],
        "ready_count": len(ready_ids(db, session_id, current.id)) if current else 0,
        "alternate_locations": clock.alternate_locations,
        "schedule": _schedule(all_phases, current, clock, order),
    }


def _phase_status(phase: PhaseRead, current: PhaseRead | None, clock: SeenClock) -> str:
    if clock.finished:
        return "done"
    if current is None:
        return "pending"
    if phase.position < current.position:
        return "done"
    return "active" if phase.id == current.id else "pending"


def _phase(phase: PhaseRead, status: str) -> dict[str, Any]:
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


def _turns_view(phase: PhaseRead, order: Sequence[Row[Any]]) -> list[dict[str, Any]]:
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


def _presenters(phase: PhaseRead, order: Sequence[Row[Any]]) -> set[int]:
    """A dilemma round's presenters: the first `presenters` turns of the order that are
    not left out (those who presented come first, then the one presenting, then the next)."""
    if phase.kind is not PhaseKind.DILEMMA_ROUND:
        return set()
    staying = [t for t in order if t.left_out is None]
    return {t.id for t in staying[: phase.presenters or len(staying)]}


# A hand as read: its entity, or a row of (at least) id, participant_id, raised_at, status.
HandRead = Hand | Row[Any] | tuple[Any, ...]


def hands_view(
    db: Session, phase_id: int, read: Sequence[HandRead] | None = None
) -> list[dict[str, Any]]:
    """The agenda's `hands`: the phase's raised hands in server-time order. `read`: all
    of them, read already under the session's lock (in any order), not read again."""
    hands: Sequence[Any]
    if read is None:
        hands = rows(db, _HANDS_BY_TIME, {"phase_id": phase_id})
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


class _Ready(KeptRows):
    """Who of a phase said they are ready: read once per transaction, as a snapshot sends
    how many (the agenda) and whether its reader is (their own part of it)."""


reads(_Ready, {"ready_marks": None})


def ready_ids(db: Session, session_id: int, phase_id: int) -> set[int]:
    found = kept_rows(db, _Ready, phase_id, session_id, _READY, {"phase_id": phase_id})
    return {row.participant_id for row in found}


def _schedule(
    all_phases: Sequence[PhaseRead],
    current: PhaseRead | None,
    clock: SeenClock,
    order: Sequence[Row[Any]],
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
    later += _rest_of_phase(current, clock, [t for t in order if t.left_out is None])
    return {"planned_seconds": planned, "after_current_seconds": later}


def _rest_of_phase(phase: PhaseRead, clock: SeenClock, order: list[Row[Any]]) -> int:
    """`order`: the phase's turns still in the order (not left out)."""
    if clock.turn_id is None or phase.kind not in (PhaseKind.ROUND, PhaseKind.DILEMMA_ROUND):
        return 0
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
