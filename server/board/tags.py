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


class Tags:
    """One key's tags for one purpose on one board. Every tag of a board command starts
    with the same key and "purpose | salt |", so that start is hashed once and each item
    costs one short hash more (hmac's `copy`): checking every post of a board is cheap."""

    def __init__(self, personal_key: bytes, purpose: str, salt: str) -> None:
        self._start = hmac.new(personal_key, f"{purpose}|{salt}|".encode(), hashlib.sha256)

    def of(self, item: str) -> str:
        tagged = self._start.copy()
        tagged.update(item.encode())
        return tagged.hexdigest()

    def made(self, item: str, stored: str | None) -> bool:
        """Whether this key made the stored tag: recomputed, since no row says whose it is."""
        return bool(stored) and hmac.compare_digest(self.of(item), stored or "")


def tag(personal_key: bytes, purpose: str, salt: str, item: str) -> str:
    return Tags(personal_key, purpose, salt).of(item)


def made_by(personal_key: bytes, purpose: str, salt: str, item: str, stored: str | None) -> bool:
    return Tags(personal_key, purpose, salt).made(item, stored)


def count_own(personal_key: bytes, purpose: str, salt: str, rows: Iterable[tuple[str, str]]) -> int:
    """How many (item, tag) rows this key made."""
    own = Tags(personal_key, purpose, salt)
    return sum(1 for item, stored in rows if own.made(item, stored))
