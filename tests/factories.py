"""Factory helpers: a session with sensible defaults, overridable per test."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from server.accounts import service as accounts
from server.accounts.models import Account, Login
from server.accounts.passwords import passwords
from server.core.domain import Actor
from server.sessions import hosts, service
from server.sessions.models import Participant, PeerSession
from server.sessions.service import Joined

SECRET = "test-secret-key-not-for-production"
# Cheap Argon2 for tests; the parameters do not change what is checked.
PASSWORDS = passwords(1024, 1)
_emails = itertools.count(1)
PASSWORD = "a long enough password"

SECRET = "test-secret-key-not-for-production"  # as the test app's settings


@dataclass(frozen=True)
class Hosted:
    """A new session, its lead facilitator's account and login, and the login's pass."""

    session: PeerSession
    facilitator: Participant
    facilitator_token: str
    display_key: str
    account: Account
    login: Login

    @property
    def group_id(self) -> int:
        return self.session.group_id


def sign_up(db, clock, name: str = "Anne", language: str = "da") -> accounts.NewLogin:  # type: ignore[no-untyped-def]
    return accounts.sign_up(
        db,
        PASSWORDS,
        email=f"facilitator{next(_emails)}@example.org",
        display_name=name,
        password=PASSWORD,
        language=language,
        now=clock.now(),
        login_days=30,
    )


def create_session(db, clock, host: accounts.NewLogin | None = None, **overrides: Any) -> Hosted:  # type: ignore[no-untyped-def]
    """Open to anyone with the code, unless `admission="host"` (the door's own tests).
    Led by `host` (a signed-in account), or by a new account."""
    if host is None and overrides.get("group_id"):
        host = _facilitator_of(db, clock, overrides["group_id"])
    host = host or sign_up(db, clock)
    values: dict[str, Any] = {
        "admission": "code",
        "title": "Ledergruppen i Nordhavn",
        "language": "da",
        "format_key": "free",
        "facilitator_name": "Anne",
        "organisation": "Region Øst",
        "now": clock.now(),
        "secret": SECRET,
    }
    values.update(overrides)
    created = service.create_session(db, lead_account_id=host.account.id, **values)
    token, _ = pass_for(db, clock, host, created.session)
    return Hosted(
        created.session, created.facilitator, token, created.display_key, host.account, host.login
    )


def pass_for(db, clock, host, session: PeerSession) -> tuple[str, Participant]:  # type: ignore[no-untyped-def]
    """The pass `host`'s login connects to `session` with (sessions.hosts)."""
    return hosts.host_pass(
        db,
        login_id=host.login.id,
        account=host.account,
        session=session,
        secret=SECRET,
        now=clock.now(),
    )


def _facilitator_of(db, clock, group_id: int) -> accounts.NewLogin:  # type: ignore[no-untyped-def]
    """A new login of the group's first facilitator (or of nobody's, for a group there is not)."""
    account = next(iter(hosts.facilitators_of(db, group_id)), None)
    if account is None:
        return sign_up(db, clock)
    return accounts.sign_in(
        db,
        PASSWORDS,
        email=account.email,
        password=PASSWORD,
        now=clock.now(),
        login_days=30,
    )


def join(db, clock, join_code: str, **overrides: Any) -> Joined:
    values: dict[str, Any] = {
        "join_code": join_code,
        "display_name": "Bo",
        "organisation": None,
        "language": "en",
        "now": clock.now(),
    }
    values.update(overrides)
    return service.join_session(db, **values)


def actor_of(credential) -> Actor:
    person = credential.participant
    return Actor(
        credential.session.id,
        credential.role,
        person.id if person else None,
        person.language if person else credential.session.language,
    )


def set_agenda(db, session_id: int, plans) -> None:  # type: ignore[no-untyped-def]
    """Replace a session's agenda (before it starts) with these phase plans."""
    from sqlalchemy import delete

    from server.agenda.models import Phase
    from server.agenda.service import new_phase

    db.execute(delete(Phase).where(Phase.session_id == session_id))
    for position, plan in enumerate(plans):
        db.add(new_phase(session_id, position, plan))
    db.flush()
