"""The agenda a session starts with: its format's phases, from the content library, or
an earlier session's phases as they were planned."""

from __future__ import annotations

import copy

from sqlalchemy.orm import Session

from server.agenda import navigation
from server.agenda.models import Advance, PhaseKind
from server.agenda.models import Phase as AgendaPhase
from server.agenda.service import PhasePlan
from server.content import Phase, get_format


def plans_for(format_key: str) -> list[PhasePlan]:
    return [plan_of(phase) for phase in get_format(format_key).phases]


def plan_of(phase: Phase) -> PhasePlan:
    """A format's phase as an agenda phase: texts stay content keys, for every language."""
    return PhasePlan(
        kind=PhaseKind(phase.kind),
        planned_seconds=phase.minutes * 60,
        advance=Advance(phase.advance),
        title_key=phase.title_key,
        intro_key=phase.intro_key,
        prompts=[{"key": key} for key in phase.prompt_keys],
        steps=[
            {"key": step.key, "title_key": step.title_key, "seconds": step.minutes * 60}
            for step in phase.steps
        ],
        presenters=phase.presenters,
        words=phase.words,
        board_prompts=[{"key": key} for key in phase.board_prompt_keys],
    )


def plans_copied_from(db: Session, session_id: int) -> list[PhasePlan]:
    """An earlier session's agenda as planned: no turns, times or history come along, nor
    its follow-up phase (a session gets one when it starts with actions to follow up)."""
    return [
        planned(phase)
        for phase in navigation.phases(db, session_id)
        if phase.kind is not PhaseKind.FOLLOW_UP
    ]


def planned(phase: AgendaPhase) -> PhasePlan:
    # Deep copies: the JSON lists of two sessions' phases must never be one object.
    return PhasePlan(
        kind=phase.kind,
        planned_seconds=phase.planned_seconds,
        advance=phase.advance,
        title_key=phase.title_key,
        title=phase.title,
        intro_key=phase.intro_key,
        prompts=copy.deepcopy(phase.prompts),
        steps=copy.deepcopy(phase.steps),
        presenters=phase.presenters,
        words=copy.deepcopy(phase.words),
        board_prompts=copy.deepcopy(phase.board_prompts),
        board_settings=copy.deepcopy(phase.board_settings),
        order_mode=phase.order_mode,
    )
