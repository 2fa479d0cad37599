"""Sealing notes so that the database, its backups and the logs hold no readable note.

A guest's key is derived from their personal key (server.core.personal), itself derived
from the raw token the server never stores: without the token nobody can open the note.
A facilitator connects with a pass that differs per signed-in browser, so their key is
derived from SECRET_KEY, their account and their participant instead: the same on every
device they sign in on, and readable by someone holding SECRET_KEY and the database
(docs/privacy.md says so). AES-GCM (the `cryptography` library) with a random nonce;
the row's owner and entry id are bound in as associated data, so a sealed note moved to
another row does not open.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

_PURPOSE = b"holdsport notebook v1"
_NONCE_BYTES = 12


def notebook_key(personal_key: bytes) -> bytes:
    """From a guest's personal key, or a host's (core.personal.host_key)."""
    return hmac.new(personal_key, _PURPOSE, hashlib.sha256).digest()


def _bound(participant_id: int, entry_id: str) -> bytes:
    return _PURPOSE + f"|{participant_id}|{entry_id}".encode()


def seal(key: bytes, participant_id: int, entry_id: str, content: dict[str, Any]) -> bytes:
    nonce = os.urandom(_NONCE_BYTES)
    plain = json.dumps(content, ensure_ascii=False).encode()
    return nonce + AESGCM(key).encrypt(nonce, plain, _bound(participant_id, entry_id))


def unseal(key: bytes, participant_id: int, entry_id: str, sealed: bytes) -> dict[str, Any] | None:
    """The content, or None if this key does not open it (a note sealed with another key)."""
    nonce, body = sealed[:_NONCE_BYTES], sealed[_NONCE_BYTES:]
    try:
        plain = AESGCM(key).decrypt(nonce, body, _bound(participant_id, entry_id))
    except InvalidTag:
        return None
    content = json.loads(plain)
    return content if isinstance(content, dict) else None
