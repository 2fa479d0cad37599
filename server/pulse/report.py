"""The pulse's part of an ended session's summary (core.summary): each closed pulse's
score and distribution per statement, or that fewer than k answered and there is no
result. Never a partial result."""

from __future__ import annotations

from typing import Any

from babel.numbers import format_decimal
from sqlalchemy import select
from sqlalchemy.orm import Session

from server.content import content_text
from server.core.i18n import N_, format_locale, translate
from server.core.summary import Reader, Section
from server.pulse.models import Pulse, PulseStatus
from server.pulse.service import pulse_result


def pulse_section(db: Session, reader: Reader) -> Section | None:
    pulses = db.scalars(
        select(Pulse)
        .where(Pulse.session_id == reader.session_id, Pulse.status == PulseStatus.CLOSED)
        .order_by(Pulse.id)
    ).all()
    if not pulses:
        return None
    language = reader.language
    section = Section(
        key="pulse",
        heading=translate(N_("Psychological-safety pulse"), language),
        data={"pulses": []},
    )
    for pulse in pulses:
        found = pulse_result(db, pulse)
        section.data["pulses"].append({"k": pulse.k, "answered": pulse.answered, "result": found})
        if found is None:
            _no_result(section, pulse.k, language)
        else:
            _result(section, found, language)
    return section


def _no_result(section: Section, k: int, language: str) -> None:
    text = translate(N_("Fewer than %(k)s answered: no result."), language) % {"k": k}
    section.markdown.append(text)
    section.rows.append(["no_result", text])


def _result(section: Section, found: dict[str, Any], language: str) -> None:
    locale = format_locale(language)
    score = format_decimal(found["score"], "0.0", locale=locale)
    line = translate(N_("Group score %(score)s of 7 (higher is safer), %(n)s answered."), language)
    section.markdown.append(line % {"score": score, "n": found["answered"]})
    section.rows.append(["score", score, str(found["answered"])])
    reverse = translate(N_("(reverse-scored)"), language)
    section.markdown.append("")
    for row in found["statements"]:
        text = content_text(row["key"], language)
        counts = " · ".join(f"{value}: {n}" for value, n in enumerate(row["counts"], start=1))
        mark = f" {reverse}" if row["reverse"] else ""
        section.markdown.append(f"- {text}{mark}: {counts}")
        section.rows.append(["statement", text, *map(str, row["counts"])])
