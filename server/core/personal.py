"""A key per person that exists only while they are connected, and is never stored.

It is derived from the raw credential, which the server sees when a connection opens
and otherwise keeps only as a hash. Features that must recognise "the same person
again" without being able to say who (the board) key their tags with it; an operator
with the database, the logs and the backups holds no raw token, so cannot recompute
a tag. It lives in the connection's WSGI environ, in the memory of the one process
that holds the connection: a cache that dies with the connection and is rebuilt
from the token when the client reconnects, not state anyone else needs.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

_ENVIRON_KEY = "holdsport.personal_key"
_PURPOSE = b"holdsport personal key v1"


def derive(token: str) -> bytes:
    return hmac.new(token.encode(), _PURPOSE, hashlib.sha256).digest()


def host_key(secret_key: str, account_id: int, participant_id: int) -> bytes:
    """A signed-in host's key, the same on every device they sign in on.

    Each login gets its own pass (sessions.hosts), so a host's token-derived key differs
    per device. Features that must count one person once however many logins they use
    (the pulse) or follow them across devices (the notebook) use this one; whoever holds
    SECRET_KEY can recompute it (docs/anonymity.md)."""
    message = _PURPOSE + f"|host|{account_id}|{participant_id}".encode()
    return hmac.new(secret_key.encode(), message, hashlib.sha256).digest()


def own_room(key: bytes) -> str:
    """The Socket.IO room of one person's connections (their tabs and devices), named by
    their key: only a live connection of theirs knows it, and the name says nobody's id,
    so what goes there (their own posts, board.events) is addressed to no one by name."""
    return "own:" + hmac.new(key, _PURPOSE + b"|room", hashlib.sha256).hexdigest()


def remember(environ: dict[str, Any], token: str) -> None:
    environ[_ENVIRON_KEY] = derive(token)


def recall(environ: dict[str, Any]) -> bytes | None:
    key = environ.get(_ENVIRON_KEY)
    return key if isinstance(key, bytes) else None
