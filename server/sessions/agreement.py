"""The confidentiality agreement of a network session: what is said here stays here.

Whoever takes part accepts it: a guest by ticking it on the join form, the lead by making
the session a network session, a co-host at their first pass. Only the count is kept
(`PeerSession.agreements`), raised in the same transaction that lets the person in; no row
says who accepted, beyond the plain fact that they joined. Its words are library content
(`library.agreement` in content/library.toml), translated like the rest of it.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from server.content import content_text
from server.content.keys import LIBRARY_AGREEMENT
from server.core.i18n import LANGUAGES, is_language
from server.sessions.state import emit, lock, session_fields


def agreement_texts(language: str) -> list[dict[str, str]]:
    """The agreement in the session's language first, then in the project's others."""
    first = [language] if is_language(language) else []
    order = [*first, *(code for code in LANGUAGES if code != language)]
    return [{"language": code, "text": content_text(LIBRARY_AGREEMENT, code)} for code in order]


def count_acceptance(db: Session, session_id: int) -> None:
    """One more person accepted: counted under the session's lock, so none is lost, and
    told to everyone in it (the console shows the count to its hosts)."""
    session = lock(db, session_id)
    session.agreements += 1
    emit(db, "session:updated", session.id, session_fields(session))
