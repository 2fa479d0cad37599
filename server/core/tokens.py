"""Secrets handed to browsers, and the short join codes people type."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

# No 0/O, 1/I/L: a code read aloud in a meeting room must not be misheard.
JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 6


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def normalize_join_code(typed: str) -> str:
    """Accept what people type: lower case, spaces, dashes."""
    return "".join(ch for ch in typed.upper() if ch.isalnum())


def new_token() -> str:
    return secrets.token_urlsafe(24)


def derived_token(secret: str, purpose: str) -> str:
    """A token anyone with the server's secret can make again, for this purpose only:
    HMAC-SHA256, base64url. Stored, like any other, only as `token_hash`."""
    digest = hmac.new(secret.encode(), purpose.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def token_hash(token: str) -> str:
    """Only this is stored: a leaked database does not hand out credentials."""
    return hashlib.sha256(token.encode()).hexdigest()


def scoped_token_hash(scope: str, token: str) -> str:
    """A hash of a token that differs per scope: the same token is unlinkable across scopes."""
    return hashlib.sha256(f"{scope}:{token}".encode()).hexdigest()
