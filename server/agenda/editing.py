"""The facilitator edits the agenda, before and during the session."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from server.agenda import navigation
from server.agenda.models import Advance, OrderMode, Phase, PhaseKind
from server.agenda.schemas import NewPhase, PhaseChanges
from server.agenda.service import PhasePlan, change, new_phase
from server.content import library
from server.core.domain import Actor, Event
from server.core.errors import DomainError

BOARD_FIELDS = ("board_mode", "board_named", "board_threshold", "board_groups")


def _known_items(keys: list[str]) -> list[str]:
    unknown = [key for key in keys if key not in library().items]
    if unknown:
        raise DomainError("invalid_payload", fields=["prompt_keys"])
    return keys


def _texts(prompts: list[str] | None) -> list[dict[str, str]]:
    return [{"text": text} for text in prompts or []]


def add_phase(db: Session, actor: Actor, args: NewPhase, now: datetime) -> list[Event]:
    work = change(db, actor, now)
    session, clock = work.session, work.clock
    phases = navigation.phases(db, session.id)
    current = next((p for p in phases if p.id == clock.phase_id), None)
    first_allowed = current.position + 1 if current else 0
    position = args.position
    position = len(phases) if position is None else max(first_allowed, min(position, len(phases)))
    plan = PhasePlan(
        kind=PhaseKind(args.kind),
        planned_seconds=args.minutes * 60,
        advance=Advance(args.advance),
        title=args.title,
        prompts=_texts(args.prompts),
        order_mode=OrderMode(args.order_mode),
    )
    for phase in phases:
        if phase.position >= position:
            phase.position += 1
    db.add(new_phase(session.id, position, plan))
    return work.done(db, now)


def _phase(db: Session, session_id: int, phase_id: int) -> Phase:
    phase = db.get(Phase, phase_id)
    if phase is None or phase.session_id != session_id:
        raise DomainError("unknown_phase")
    return phase


def update_phase(db: Session, actor: Actor, args: PhaseChanges, now: datetime) -> list[Event]:
    """Change a phase's title, planned minutes, prompts, time-up rule or speaking order."""
    work = change(db, actor, now)
    session = work.session
    phase = _phase(db, session.id, args.phase_id)
    if args.title is not None:
        phase.title = args.title
    if args.minutes is not None:
        phase.planned_seconds = args.minutes * 60
        if phase.kind is PhaseKind.DILEMMA_ROUND:
            _scale_steps(phase)
    if args.prompt_keys is not None or args.prompts is not None:
        keys = args.prompt_keys
        if keys is None:
            keys = [p["key"] for p in phase.prompts if "key" in p]
        texts = args.prompts
        if texts is None:
            texts = [p["text"] for p in phase.prompts if "text" in p]
        phase.prompts = [{"key": key} for key in _known_items(keys)] + _texts(texts)
    board = {
        name.removeprefix("board_"): getattr(args, name)
        for name in BOARD_FIELDS
        if getattr(args, name) is not None
    }
    if board:
        if phase.started_at is not None:
            raise DomainError("phase_not_pending")  # chosen before anyone writes
        phase.board_settings = {**phase.board_settings, **board}
    if args.advance is not None:
        phase.advance = Advance(args.advance)
    if args.order_mode is not None:
        phase.order_mode = OrderMode(args.order_mode)
    return work.done(db, now)


def _scale_steps(phase: Phase) -> None:
    """Keep a dilemma round's steps in proportion to its new length per presenter."""
    per_presenter = phase.planned_seconds / max(1, phase.presenters or 1)
    total = sum(int(step["seconds"]) for step in phase.steps) or 1
    phase.steps = [
        {**step, "seconds": max(30, round(int(step["seconds"]) * per_presenter / total))}
        for step in phase.steps
    ]


def _movable(db: Session, session_id: int, clock, phase_id: int) -> tuple[Phase, list[Phase]]:  # type: ignore[no-untyped-def]
    phase = _phase(db, session_id, phase_id)
    phases = navigation.phases(db, session_id)
    current = next((p for p in phases if p.id == clock.phase_id), None)
    if clock.finished or (current and phase.position <= current.position):
        raise DomainError("phase_not_pending")
    return phase, phases


def remove_phase(db: Session, actor: Actor, phase_id: int, now: datetime) -> list[Event]:
    work = change(db, actor, now)
    session, clock = work.session, work.clock
    phase, phases = _movable(db, session.id, clock, phase_id)
    for other in phases:
        if other.position > phase.position:
            other.position -= 1
    db.delete(phase)
    return work.done(db, now)


def move_phase(
    db: Session, actor: Actor, phase_id: int, position: int, now: datetime
) -> list[Event]:
    work = change(db, actor, now)
    session, clock = work.session, work.clock
    phase, phases = _movable(db, session.id, clock, phase_id)
    current = next((p for p in phases if p.id == clock.phase_id), None)
    lowest = current.position + 1 if current else 0
    target = max(lowest, min(position, len(phases) - 1))
    order = [p for p in phases if p is not phase]
    order.insert(target, phase)
    for index, item in enumerate(order):
        item.position = index
    return work.done(db, now)
