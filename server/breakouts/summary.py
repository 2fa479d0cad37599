"""The breakouts' part of an ended session's summary (server.core.summary, order 55):
each breakout phase that ran, with every group's synthesis for the plenary. Groups are
named by number only: who sat where is not kept in the summary."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.agenda.models import Phase
from server.agenda.summary import phase_title
from server.breakouts.models import BreakoutGroup, BreakoutRound
from server.core.i18n import N_, translate
from server.core.summary import Reader, Section, escape_markdown, escape_markdown_lines

GROUP = N_("Group %(number)s")


def breakouts_section(db: Session, reader: Reader) -> Section | None:
    language = reader.language
    phases = db.scalars(
        select(Phase)
        .join(BreakoutRound, BreakoutRound.phase_id == Phase.id)
        .where(BreakoutRound.session_id == reader.session_id, Phase.started_at.is_not(None))
        .order_by(Phase.position)
    ).all()
    found, markdown, rows = [], [], []
    for phase in phases:
        groups = db.scalars(
            select(BreakoutGroup)
            .where(BreakoutGroup.phase_id == phase.id, BreakoutGroup.synthesis.is_not(None))
            .order_by(BreakoutGroup.number)
        ).all()
        if not groups:
            continue
        title = phase_title(phase, language)
        syntheses: list[dict[str, Any]] = [
            {
                "number": group.number,
                "name": translate(GROUP, language) % {"number": group.number},
                "text": group.synthesis or "",
            }
            for group in groups
        ]
        found.append({"phase_id": phase.id, "title": title, "syntheses": syntheses})
        markdown += [f"### {escape_markdown(title)}", ""]
        markdown += [f"- **{s['name']}**: {escape_markdown_lines(s['text'])}" for s in syntheses]
        markdown.append("")
        rows += [[title, str(s["name"]), str(s["text"])] for s in syntheses]
    if not found:
        return None
    heading = translate(N_("Syntheses from the breakout groups"), language)
    return Section("breakouts", heading, {"phases": found}, markdown[:-1], rows)
