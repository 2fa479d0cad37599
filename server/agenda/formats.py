"""The agenda a session starts with: its format's phases, from the content library."""

from __future__ import annotations

from server.agenda.models import Advance, PhaseKind
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
        board_prompts=[{"key": key} for key in phase.board_prompt_keys],
    )
