"""Who is signed in on this request: the login cookie, and the CSRF check that every
state-changing request carrying it must pass.

The cookie holds a login's token (HttpOnly, SameSite=Lax, Secure in production); the
database only its hash. A page of this site gets the CSRF token from `GET /api/account`
(another origin cannot read that answer) and sends it as `X-CSRF-Token`; the token is an
HMAC of the login's token under the server's secret, so nothing more is stored. A
request whose `Origin` is another site is refused whether it carries the cookie or not.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import datetime

from flask import Flask, Response, request
from sqlalchemy.orm import Session

from server.accounts.models import Account, Login
from server.accounts.passwords import Passwords, passwords
from server.accounts.service import login_for
from server.config import Settings
from server.core import tokens
from server.core.errors import DomainError
from server.core.runtime import current_runtime

COOKIE = "holdsport_login"
CSRF_HEADER = "X-CSRF-Token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


@dataclass(frozen=True)
class SignedIn:
    login: Login
    account: Account


def settings() -> Settings:
    return current_runtime().settings


def hasher() -> Passwords:
    return passwords(settings().argon2_memory_kib, settings().argon2_time_cost)


def signed_in(db: Session, now: datetime) -> SignedIn | None:
    login = login_for(db, request.cookies.get(COOKIE), now)
    if login is None:
        return None
    return SignedIn(login, db.get_one(Account, login.account_id))


def require_signed_in(db: Session, now: datetime) -> SignedIn:
    who = signed_in(db, now)
    if who is None:
        raise DomainError("sign_in_needed")
    return who


def csrf_token(login_token: str) -> str:
    return tokens.derived_token(settings().secret_key, f"csrf:{login_token}")


def set_cookie(response: Response, token: str) -> None:
    response.set_cookie(
        COOKIE,
        token,
        max_age=int(settings().login_days * 86400),
        path="/",
        httponly=True,
        samesite="Lax",
        secure=settings().secure_cookies,
    )


def clear_cookie(response: Response) -> None:
    response.delete_cookie(
        COOKIE, path="/", httponly=True, samesite="Lax", secure=settings().secure_cookies
    )


def install_csrf_check(app: Flask) -> None:
    @app.before_request
    def _same_site_only() -> None:
        if request.method not in UNSAFE_METHODS:
            return
        origin = request.headers.get("Origin")
        if origin and origin.rstrip("/") != request.host_url.rstrip("/"):
            raise DomainError("csrf_failed")
        token = request.cookies.get(COOKIE)
        if token is None:
            return  # nothing of the cookie's to protect (joining as a guest, signing in)
        sent = request.headers.get(CSRF_HEADER, "")
        if not hmac.compare_digest(sent.encode(), csrf_token(token).encode()):
            raise DomainError("csrf_failed")
