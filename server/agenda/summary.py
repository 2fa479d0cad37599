"""The agenda's parts of an ended session's summary (core.summary): the agenda as run,
planned against actual minutes, and the dilemma titles their presenters agreed to show.

No part names a person: who spoke when is not the summary's business, and a dilemma
title appears only with its presenter's consent, without their name.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.agenda.models import Phase, PhaseKind, Turn
from server.content import content_text
from server.core.i18n import N_, translate
from server.core.summary import Reader, Section, escape_markdown

AGENDA = N_("The agenda as run")
DILEMMAS = N_("Dilemmas")
KIND_NAMES = {
    PhaseKind.ROUND: N_("Round"),
    PhaseKind.DILEMMA_ROUND: N_("Dilemma round"),
    PhaseKind.DISCUSSION: N_("Discussion"),
    PhaseKind.BOARD: N_("Board"),
    PhaseKind.BREAK: N_("Break"),
    PhaseKind.FOLLOW_UP: N_("Follow-up on actions"),
    PhaseKind.PULSE: N_("Safety pulse"),
    PhaseKind.BREAKOUT: N_("Breakout groups"),
}
MINUTES = N_("%(n)s min")
SKIPPED = N_("Skipped")
PLANNED = N_("Planned")
ACTUAL = N_("Actual")
TOTAL = N_("Total")


def phase_title(phase: Phase, language: str) -> str:
    if phase.title:
        return phase.title
    if phase.title_key:
        return content_text(phase.title_key, language)
    return kind_name(phase, language)


def kind_name(phase: Phase, language: str) -> str:
    if phase.words:
        return content_text(phase.words["kind_name_key"], language)
    return translate(KIND_NAMES[phase.kind], language)


def _minutes(seconds: float) -> int:
    return int(seconds / 60 + 0.5)


def _actual_minutes(phase: Phase) -> int | None:
    """From the phase's first start to its last end; None: it never ran (skipped)."""
    if phase.started_at is None or phase.ended_at is None:
        return None
    return _minutes((phase.ended_at - phase.started_at).total_seconds())


def agenda_part(db: Session, reader: Reader) -> Section | None:
    """Each phase in order: planned minutes, and actual ones where it ran (else skipped)."""
    language = reader.language
    phases = db.scalars(
        select(Phase).where(Phase.session_id == reader.session_id).order_by(Phase.position)
    ).all()
    if not phases:
        return None

    def minutes(value: int) -> str:
        return translate(MINUTES, language) % {"n": value}

    shown: list[dict[str, Any]] = []
    markdown: list[str] = []
    rows: list[list[str]] = []
    for number, phase in enumerate(phases, start=1):
        title = phase_title(phase, language)
        kind = kind_name(phase, language)
        actual = _actual_minutes(phase)
        shown.append(
            {
                "title": title,
                "kind": phase.kind.value,
                "kind_name": kind,
                "planned_minutes": _minutes(phase.planned_seconds),
                "actual_minutes": actual,
                "skipped": actual is None,
            }
        )
        done = translate(SKIPPED, language) if actual is None else minutes(actual)
        planned = minutes(_minutes(phase.planned_seconds))
        markdown.append(
            f"{number}\\. {escape_markdown(title)} ({kind}): "
            f"{translate(PLANNED, language)} {planned}, {translate(ACTUAL, language)} {done}"
        )
        rows.append([title, kind, planned, done])
    planned_total = sum(p["planned_minutes"] for p in shown)
    actual_total = sum(p["actual_minutes"] or 0 for p in shown)
    total = translate(TOTAL, language)
    markdown += [
        "",
        f"**{total}**: {translate(PLANNED, language)} {minutes(planned_total)}, "
        f"{translate(ACTUAL, language)} {minutes(actual_total)}",
    ]
    rows.append([total, "", minutes(planned_total), minutes(actual_total)])
    data = {"phases": shown, "planned_minutes": planned_total, "actual_minutes": actual_total}
    return Section("agenda", translate(AGENDA, language), data, markdown, rows)


def dilemmas_part(db: Session, reader: Reader) -> Section | None:
    """The titles presenters gave their dilemmas and agreed to share; nothing else."""
    titles = db.scalars(
        select(Turn.title)
        .join(Phase, Phase.id == Turn.phase_id)
        .where(
            Phase.session_id == reader.session_id,
            Turn.title_shared.is_(True),
            Turn.title.is_not(None),
        )
        .order_by(Phase.position, Turn.position)
    ).all()
    if not titles:
        return None
    shown = [title for title in titles if title]
    markdown = [f"- {escape_markdown(title)}" for title in shown]
    heading = translate(DILEMMAS, reader.language)
    return Section("dilemmas", heading, {"titles": shown}, markdown, [[t] for t in shown])
