"""HTTP endpoints for facilitator accounts: who am I, sign up, sign in, sign out,
change password. Signing out (or a new password) closes the sockets of the logins it
ends, on whichever process holds them."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request

from server.accounts import service
from server.accounts.models import Account
from server.accounts.schemas import ChangePasswordArgs, SignInArgs, SignOutArgs, SignUpArgs
from server.accounts.signed_in import (
    COOKIE,
    clear_cookie,
    csrf_token,
    hasher,
    require_signed_in,
    set_cookie,
    settings,
    signed_in,
)
from server.core.errors import DomainError
from server.core.http import json_body
from server.core.limits import limited
from server.core.realtime import close_connections
from server.core.unit import unit_of_work
from server.core.validation import load_args

bp = Blueprint("accounts", __name__, url_prefix="/api/account")
sign_up_args, sign_in_args = SignUpArgs(), SignInArgs()
sign_out_args, password_args = SignOutArgs(), ChangePasswordArgs()


def account_fields(account: Account) -> dict[str, Any]:
    return {
        "id": account.id,
        "email": account.email,
        "display_name": account.display_name,
        "language": account.language,
    }


def _signed_in_answer(account: Account, token: str, status: int = 200) -> tuple[Response, int]:
    body = {"ok": True, "account": account_fields(account), "csrf_token": csrf_token(token)}
    response = jsonify(body)
    set_cookie(response, token)
    return response, status


@bp.get("")
def me() -> Response:
    """Who this browser is signed in as (if anyone), and the CSRF token its pages send."""
    with unit_of_work() as unit:
        who = signed_in(unit.db, unit.now)
        body: dict[str, Any] = {"ok": True, "sign_up_open": settings().sign_up_open}
        if who is None:
            body.update(account=None, csrf_token=None)
        else:
            token = request.cookies.get(COOKIE, "")
            body.update(account=account_fields(who.account), csrf_token=csrf_token(token))
    return jsonify(body)


@bp.post("/sign-up")
@limited("sign_up")
def sign_up() -> tuple[Response, int]:
    if not settings().sign_up_open:
        raise DomainError("sign_up_closed")
    args = load_args(sign_up_args, json_body())
    with unit_of_work() as unit:
        done = service.sign_up(
            unit.db,
            hasher(),
            email=args.email,
            display_name=args.display_name,
            password=args.password,
            language=args.language,
            now=unit.now,
            login_days=settings().login_days,
        )
    return _signed_in_answer(done.account, done.token, 201)


@bp.post("/sign-in")
@limited("sign_in")
def sign_in() -> tuple[Response, int]:
    args = load_args(sign_in_args, json_body())
    with unit_of_work() as unit:
        done = service.sign_in(
            unit.db,
            hasher(),
            email=args.email,
            password=args.password,
            now=unit.now,
            login_days=settings().login_days,
        )
    return _signed_in_answer(done.account, done.token)


@bp.post("/sign-out")
def sign_out() -> Response:
    args = load_args(sign_out_args, json_body() or {})
    with unit_of_work() as unit:
        who = signed_in(unit.db, unit.now)
        if who is not None:
            sids = service.sign_out(unit.db, who.login, unit.now, everywhere=args.everywhere)
            unit.change.after_commit.append(lambda: close_connections(sids))
    response = jsonify({"ok": True})
    clear_cookie(response)
    return response


@bp.post("/password")
@limited("sign_in")
def change_password() -> Response:
    args = load_args(password_args, json_body())
    with unit_of_work() as unit:
        who = require_signed_in(unit.db, unit.now)
        sids = service.change_password(
            unit.db, hasher(), who.login, current=args.current, new=args.new, now=unit.now
        )
        unit.change.after_commit.append(lambda: close_connections(sids))
    return jsonify({"ok": True})
