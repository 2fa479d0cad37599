"""One person, several devices: a short-lived, single-use move code.

A participant's browser asks for a code (`participant:device_link`), shows it as a link
and a QR code whose fragment carries it, and the other device trades it once
(`POST /api/move`) for the same token: the same participant, the same personal key, so
the board recognises the same posts (docs/anonymity.md). The server never stores a raw
token, so the browser hands its own over with the request; the row keeps it sealed under
a key derived from the code, and only the code's hash. A database or a log therefore
holds nothing that opens it, and the code dies after one use or a few minutes.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from server.core import tokens
from server.core.domain import Actor
from server.core.errors import DomainError
from server.sessions.credentials import Credential, authenticate
from server.sessions.models import DeviceMove

MOVE_LIFETIME = timedelta(minutes=5)
_PURPOSE = b"holdsport device move v1"
_NONCE_BYTES = 12


@dataclass(frozen=True)
class MoveCode:
    code: str
    expires_at: datetime


@dataclass(frozen=True)
class Moved:
    token: str
    credential: Credential


def _key(code: str) -> bytes:
    return hmac.new(code.encode(), _PURPOSE, hashlib.sha256).digest()


def _bound(participant_id: int) -> bytes:
    return _PURPOSE + f"|{participant_id}".encode()


def device_link(db: Session, actor: Actor, token: str, now: datetime) -> MoveCode:
    """A move code for the asking participant, who proves it with their own token.

    A signed-in facilitator's pass belongs to one login: they sign in on the other
    device instead (`move_signed_in`)."""
    credential = authenticate(db, token, now)
    person = credential.participant
    if person is None or actor.participant_id != person.id:
        raise DomainError("forbidden")
    if credential.login_id is not None:
        raise DomainError("move_signed_in")
    code = secrets.token_urlsafe(16)
    nonce = os.urandom(_NONCE_BYTES)
    sealed = nonce + AESGCM(_key(code)).encrypt(nonce, token.encode(), _bound(person.id))
    expires_at = now + MOVE_LIFETIME
    db.add(
        DeviceMove(
            code_hash=tokens.token_hash(code),
            participant_id=person.id,
            sealed_token=sealed,
            expires_at=expires_at,
        )
    )
    return MoveCode(code, expires_at)


def take_move_code(
    db: Session, code: str, now: datetime, retention_days: float | None = None
) -> Moved:
    """The token a move code stands for, once. A person removed meanwhile is refused."""
    digest = tokens.token_hash(code)
    move = db.get(DeviceMove, digest)
    if move is None:
        raise DomainError("move_code_unknown")
    if move.expires_at <= now:
        raise DomainError("move_code_expired")
    # Conditional, so that two devices trading one code at once cannot both succeed.
    taken = db.execute(
        update(DeviceMove)
        .where(DeviceMove.code_hash == digest, DeviceMove.sealed_token.is_not(None))
        .values(sealed_token=None)
        .execution_options(synchronize_session=False)
    )
    if move.sealed_token is None or not taken.rowcount:  # type: ignore[attr-defined]
        raise DomainError("move_code_used")
    nonce, body = move.sealed_token[:_NONCE_BYTES], move.sealed_token[_NONCE_BYTES:]
    token = AESGCM(_key(code)).decrypt(nonce, body, _bound(move.participant_id)).decode()
    return Moved(token, authenticate(db, token, now, retention_days))


def forget_expired_moves(db: Session, now: datetime) -> None:
    """On the sweeper's beat (sessions.subscriptions): a code nobody used goes."""
    db.execute(delete(DeviceMove).where(DeviceMove.expires_at <= now))
