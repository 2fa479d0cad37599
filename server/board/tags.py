"""Random ids, secret hashes and the one-way tags that stand in for a person.

A tag is HMAC-SHA256(personal key, purpose | board salt | item). The personal key is
derived from a raw token the server never stores (server.core.personal), so only a
live connection of that person can recompute its tags; the item makes every tag
different, so two posts or reactions of one person never share a value; the salt is
wiped when the board closes, so not even the person's own token recomputes them later.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable


def new_id() -> str:
    """16 random URL-safe characters: ids say nothing about when, or in what order."""
    return secrets.token_urlsafe(12)


def new_salt() -> str:
    return secrets.token_hex(32)


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def secret_matches(secret: str, stored: str | None) -> bool:
    return stored is not None and hmac.compare_digest(secret_hash(secret), stored)


def tag(personal_key: bytes, purpose: str, salt: str, item: str) -> str:
    message = f"{purpose}|{salt}|{item}".encode()
    return hmac.new(personal_key, message, hashlib.sha256).hexdigest()


def made_by(personal_key: bytes, purpose: str, salt: str, item: str, stored: str | None) -> bool:
    """Whether this key made the stored tag: recomputed, since no row says whose it is."""
    if not stored:
        return False
    return hmac.compare_digest(tag(personal_key, purpose, salt, item), stored)


def count_own(personal_key: bytes, purpose: str, salt: str, rows: Iterable[tuple[str, str]]) -> int:
    """How many (item, tag) rows this key made."""
    return sum(1 for item, stored in rows if made_by(personal_key, purpose, salt, item, stored))
