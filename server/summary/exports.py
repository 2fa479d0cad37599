"""The summary's sections as a Markdown file or a CSV file.

CSV cells that a spreadsheet would read as a formula (starting with = + - @, a tab or
a carriage return) get a leading apostrophe: what people wrote stays text there.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime

from babel.dates import format_datetime, get_timezone

from server.core.i18n import N_, format_locale, translate
from server.core.summary import Section, escape_markdown
from server.sessions.models import PeerSession

STARTED = N_("Started")
ENDED = N_("Ended")
HEADER = (N_("Section"), N_("Item"), N_("Text"), N_("Details"))
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _when(moment: datetime | None, language: str, time_zone: str) -> str:
    """On the clocks the group's people read (HOLDSPORT_TIME_ZONE), with the zone's name."""
    if moment is None:
        return "–"
    zone = get_timezone(time_zone)
    shown = format_datetime(moment, "medium", tzinfo=zone, locale=format_locale(language))
    return f"{shown} ({time_zone})"


def as_markdown(
    session: PeerSession, sections: list[Section], language: str, time_zone: str
) -> str:
    lines = [
        f"# {escape_markdown(session.title)}",
        "",
        f"{translate(STARTED, language)}: {_when(session.started_at, language, time_zone)}  ",
        f"{translate(ENDED, language)}: {_when(session.ended_at, language, time_zone)}",
    ]
    for section in sections:
        lines += ["", f"## {section.heading}", "", *section.markdown]
    return "\n".join(lines).rstrip("\n") + "\n"


def safe_cell(value: object) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def as_csv(sections: list[Section], language: str) -> str:
    """One header row, then one row per item: the section's key, then its cells."""
    rows = [[section.key, *row] for section in sections for row in section.rows]
    width = max([len(HEADER), *(len(row) for row in rows)])
    header = [translate(name, language) for name in HEADER]
    header += [""] * (width - len(header))
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row] + [""] * (width - len(row)))
    return buffer.getvalue()
