"""Accounts: sign up, sign in, sign out, change password.

Plain functions over a SQLAlchemy session; they never commit and never touch sockets.
Signing out (and a changed password) returns the socket ids its logins had open: the
caller closes them after the commit, and the sweeper closes any a lost message missed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from server.accounts.models import Account, Login
from server.accounts.passwords import Passwords
from server.accounts.removal import check_password, end_logins
from server.core import connections, tokens
from server.core.connections import Connection
from server.core.errors import DomainError


@dataclass(frozen=True)
class NewLogin:
    account: Account
    login: Login
    token: str  # goes into the cookie, never stored


def normalize_email(email: str) -> str:
    return email.strip().lower()


def sign_up(
    db: Session,
    passwords: Passwords,
    *,
    email: str,
    display_name: str,
    password: str,
    language: str,
    now: datetime,
    login_days: float,
) -> NewLogin:
    account = create_account(
        db,
        passwords,
        email=email,
        display_name=display_name,
        password=password,
        language=language,
        now=now,
    )
    return _new_login(db, account, now, login_days)


def create_account(
    db: Session,
    passwords: Passwords,
    *,
    email: str,
    display_name: str,
    password: str,
    language: str,
    now: datetime,
) -> Account:
    """An account, not signed in anywhere (the command line makes the first one so)."""
    address = normalize_email(email)
    if db.scalar(select(Account.id).where(Account.email == address)) is not None:
        raise DomainError("email_taken")
    account = Account(
        email=address,
        display_name=display_name,
        password_hash=passwords.hash(password),
        language=language,
        created_at=now,
        password_changed_at=now,
    )
    try:
        with db.begin_nested():  # the same address signing up twice at once: one wins
            db.add(account)
    except IntegrityError:
        raise DomainError("email_taken") from None
    return account


def sign_in(
    db: Session,
    passwords: Passwords,
    *,
    email: str,
    password: str,
    now: datetime,
    login_days: float,
) -> NewLogin:
    """The same answer, in about the same time, for an unknown e-mail and a wrong password."""
    account = db.scalar(select(Account).where(Account.email == normalize_email(email)))
    if not passwords.verify(account.password_hash if account else None, password):
        raise DomainError("wrong_credentials")
    assert account is not None
    if passwords.outdated(account.password_hash):  # stronger settings since: rehash now
        account.password_hash = passwords.hash(password)
    return _new_login(db, account, now, login_days)


def _new_login(db: Session, account: Account, now: datetime, login_days: float) -> NewLogin:
    token = tokens.new_token()
    login = Login(
        account_id=account.id,
        token_hash=tokens.token_hash(token),
        created_at=now,
        expires_at=now + timedelta(days=login_days),
    )
    db.add(login)
    db.flush()
    return NewLogin(account, login, token)


def login_for(db: Session, token: str | None, now: datetime) -> Login | None:
    """The live login a cookie's token belongs to, if any."""
    if not token:
        return None
    login = db.scalar(select(Login).where(Login.token_hash == tokens.token_hash(token)))
    if login is None or login.expires_at <= now:
        return None
    return login


def sign_out(db: Session, login: Login, now: datetime, everywhere: bool = False) -> list[str]:
    """End this login (or every login of the account); returns the sockets to close."""
    ended = [login.id]
    if everywhere:
        ended = list(db.scalars(select(Login.id).where(Login.account_id == login.account_id)))
    return end_logins(db, ended, now)


def change_password(
    db: Session,
    passwords: Passwords,
    login: Login,
    *,
    current: str,
    new: str,
    now: datetime,
) -> list[str]:
    """A new password; every other login of the account ends. Returns the sockets to close."""
    check_password(db, passwords, login.account_id, current)
    account = db.get_one(Account, login.account_id)
    account.password_hash = passwords.hash(new)
    account.password_changed_at = now
    others = db.scalars(
        select(Login.id).where(Login.account_id == account.id, Login.id != login.id)
    )
    return end_logins(db, list(others), now)


def forget_expired_logins(db: Session, now: datetime) -> list[str]:
    """Logins past their days end as at a sign-out. So do the rows of sockets that
    connected with a pass while their login was ending (a race with the sign-out): the
    sweeper then closes those sockets, which have no row any more."""
    expired = list(db.scalars(select(Login.id).where(Login.expires_at <= now)))
    sids = end_logins(db, expired, now) if expired else []
    live = select(Login.id)
    orphans = db.scalars(
        select(Connection.sid)
        .where(Connection.login_id.is_not(None), Connection.login_id.not_in(live))
        .order_by(Connection.session_id, Connection.sid)  # sessions locked by ascending id
    )
    for sid in list(orphans):
        connections.disconnect(db, sid, now)
        sids.append(sid)
    return sids
