"""A person's notebook as a Markdown file, in their language: takeaways first, then
listening notes (each under the phase and turn it was written in), then other notes."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from server.core.i18n import N_, translate
from server.notebook.service import Owner, read_notebook
from server.sessions.models import PeerSession

TITLE = N_("My notes: %(title)s")
PRIVATE = N_("Private notes from the session. Only you could read them.")
HEADINGS = {
    "takeaway": N_("Takeaways"),
    "listening": N_("Listening notes"),
    "free": N_("Other notes"),
}
TURN = N_("%(phase)s, while %(name)s presented")
EMPTY = N_("No notes yet.")


def export_notebook(db: Session, who: Owner) -> dict[str, Any]:
    session = db.get_one(PeerSession, who.actor.session_id)
    language = who.actor.language
    entries = [e for e in read_notebook(db, who)["entries"] if e["text"]]
    lines = [f"# {translate(TITLE, language) % {'title': session.title}}", ""]
    lines += [f"_{translate(PRIVATE, language)}_", ""]
    for kind, heading in HEADINGS.items():
        mine = [entry for entry in entries if entry["kind"] == kind]
        if not mine:
            continue
        lines += [f"## {translate(heading, language)}", ""]
        for entry in mine:
            context = _context(entry, language)
            if context:
                lines += [f"### {context}", ""]
            lines += [entry["text"], ""]
    if not entries:
        lines += [translate(EMPTY, language), ""]
    return {
        "filename": f"holdsport-{session.join_code}-notes.md",
        "mime": "text/markdown",
        "content": "\n".join(lines),
    }


def _context(entry: dict[str, Any], language: str) -> str:
    phase = entry["phase_title"] or ""
    if entry["turn_of"]:
        return translate(TURN, language) % {"phase": phase, "name": entry["turn_of"]}
    return phase
