"""Ending an account's logins, and deleting the account (which other features' handlers
call: its groups are decided first, by sessions.hosts.withdraw)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from server.accounts.models import Account, Login
from server.accounts.passwords import Passwords
from server.core import connections
from server.core.errors import DomainError


def check_password(db: Session, passwords: Passwords, account_id: int, password: str) -> None:
    """The password asked again before a change that matters (a new one, deleting it all)."""
    if not passwords.verify(db.get_one(Account, account_id).password_hash, password):
        raise DomainError("wrong_password")


def delete_account(db: Session, account_id: int, now: datetime) -> list[str]:
    """The account and its logins go; returns the sockets to close. The rows that pointed
    at it forget it (ON DELETE): its place as a group's facilitator, a session's lead, a
    host participant's account. Its groups' fate is decided first (sessions.hosts.withdraw)."""
    logins = list(db.scalars(select(Login.id).where(Login.account_id == account_id)))
    sids = end_logins(db, logins, now)
    db.execute(delete(Account).where(Account.id == account_id))
    return sids


def end_logins(db: Session, login_ids: list[int], now: datetime) -> list[str]:
    """Logins end as at a sign-out; returns the sockets they had open, to close."""
    sids = connections.sids_of_logins(db, login_ids)
    for sid in sids:
        connections.disconnect(db, sid, now)  # the person leaves, if it was their last
    db.execute(delete(Login).where(Login.id.in_(login_ids)))
    return sids
