"""What a host shares: the join link, and the room display's link; what the room display
shows: the join link and its QR code.

The display key is derived from the app's secret, so any host can be given it again;
the database keeps only its hash (for the lookup), as for every other credential.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from server.core import qr, tokens
from server.core.domain import HOSTS, Actor, Role
from server.core.errors import DomainError
from server.sessions.models import PeerSession
from server.sessions.state import iso


def display_key(secret: str, session: PeerSession) -> str:
    """Derived from the session's id and creation time under the app's secret."""
    return tokens.derived_token(secret, f"display:{session.id}:{iso(session.created_at)}")


def share_links(db: Session, actor: Actor, secret: str, base_url: str) -> dict[str, str]:
    """The join link and the room display's link (`base_url` ends in a slash).

    A session whose stored key is not the derived one (made before keys were derived,
    or the secret changed) is given the derived key: the only link a host can share.
    """
    if actor.role not in HOSTS:
        raise DomainError("forbidden")
    return shareable(db.get_one(PeerSession, actor.session_id), secret, base_url)


def shareable(session: PeerSession, secret: str, base_url: str) -> dict[str, str]:
    """The session's links, for its hosts and its group's facilitators only."""
    key = display_key(secret, session)
    if session.display_key_hash != tokens.token_hash(key):
        session.display_key_hash = tokens.token_hash(key)
    code = session.join_code
    return {"join_url": f"{base_url}j/{code}", "display_url": f"{base_url}s/{code}#display={key}"}


def join_link(db: Session, actor: Actor, base_url: str) -> dict[str, Any]:
    """What the room shows while people arrive: the join link and its QR code. The join
    code is no secret in the room; the display's own key never leaves the host."""
    if actor.role not in HOSTS | {Role.DISPLAY}:
        raise DomainError("forbidden")
    url = f"{base_url}j/{db.get_one(PeerSession, actor.session_id).join_code}"
    return {"join_url": url, "qr_svg": qr.svg(url)}
