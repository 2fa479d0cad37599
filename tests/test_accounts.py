"""Accounts in the domain and over Flask's test client: logins, their sockets, passes,
handing a session over, and a server that takes no new accounts."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest
from sqlalchemy import select

from server.accounts import service as accounts
from server.accounts.models import Login
from server.core import connections, tokens
from server.core.domain import Role
from server.core.errors import DomainError
from server.sessions import hosts, service
from server.sessions.models import Participant
from tests.accounts_support import signed_in_client
from tests.agenda_support import WORKER
from tests.factories import PASSWORD, PASSWORDS, actor_of, create_session, join, pass_for, sign_up


def _connect(db, clock, token, sid):  # type: ignore[no-untyped-def]
    credential = service.authenticate(db, token)
    actor = actor_of(credential)
    connections.connect(
        db, sid=sid, worker_id=WORKER, actor=actor, now=clock.now(), login_id=credential.login_id
    )
    return actor


def test_signing_out_ends_the_login_and_hands_back_its_sockets(db, clock):
    created = create_session(db, clock)
    _connect(db, clock, created.facilitator_token, "laptop-1")
    _connect(db, clock, created.facilitator_token, "laptop-2")
    phone = accounts.sign_in(
        db,
        PASSWORDS,
        email=created.account.email,
        password=PASSWORD,
        now=clock.now(),
        login_days=30,
    )
    phone_pass, _ = pass_for(db, clock, phone, created.session)
    _connect(db, clock, phone_pass, "phone")

    sids = accounts.sign_out(db, created.login, clock.now())

    assert sorted(sids) == ["laptop-1", "laptop-2"]
    assert connections.sids_of(db, created.facilitator.id) == ["phone"]
    with pytest.raises(DomainError) as err:
        service.authenticate(db, created.facilitator_token)
    assert err.value.code == "not_authenticated"
    assert accounts.sign_out(db, phone.login, clock.now(), everywhere=True) == ["phone"]
    assert db.scalars(select(Login)).all() == []


def test_a_changed_password_ends_every_other_login(db, clock):
    anne = sign_up(db, clock)
    other = accounts.sign_in(
        db, PASSWORDS, email=anne.account.email, password=PASSWORD, now=clock.now(), login_days=30
    )
    with pytest.raises(DomainError) as err:
        accounts.change_password(
            db, PASSWORDS, anne.login, current="wrong", new="x" * 12, now=clock.now()
        )
    assert err.value.code == "wrong_password"
    accounts.change_password(
        db, PASSWORDS, anne.login, current=PASSWORD, new="a new password", now=clock.now()
    )
    logins = db.scalars(select(Login.id)).all()
    assert logins == [anne.login.id] and other.login.id not in logins


def test_logins_expire(db, clock):
    anne = sign_up(db, clock)
    assert accounts.login_for(db, anne.token, clock.now()) is not None
    clock.advance(timedelta(days=30).total_seconds())
    assert accounts.login_for(db, anne.token, clock.now()) is None
    accounts.forget_expired_logins(db, clock.now())
    assert db.scalars(select(Login)).all() == []


def test_the_groups_other_facilitators_co_host_and_the_lead_can_hand_over(db, clock):
    created = create_session(db, clock)
    bo = sign_up(db, clock, "Bo")
    token = hosts.invite(
        db, account_id=created.account.id, group_id=created.group_id, now=clock.now()
    )
    hosts.accept_invitation(db, account_id=bo.account.id, token=token, now=clock.now())
    with pytest.raises(DomainError):  # used once
        hosts.accept_invitation(db, account_id=bo.account.id, token=token, now=clock.now())
    bo_pass, bo_person = pass_for(db, clock, bo, created.session)
    assert service.authenticate(db, bo_pass).role is Role.COFACILITATOR
    events = hosts.hand_over(
        db,
        account_id=created.account.id,
        session_id=created.session.id,
        to_account_id=bo.account.id,
        now=clock.now(),
    )
    assert {e.payload["participant"]["role"] for e in events} == {"facilitator", "cofacilitator"}
    assert service.authenticate(db, bo_pass).role is Role.FACILITATOR
    assert service.authenticate(db, created.facilitator_token).role is Role.COFACILITATOR
    with pytest.raises(DomainError) as err:  # only the lead hands over
        hosts.hand_over(
            db,
            account_id=created.account.id,
            session_id=created.session.id,
            to_account_id=bo.account.id,
            now=clock.now(),
        )
    assert err.value.code == "forbidden"
    stranger = sign_up(db, clock, "Cy")
    with pytest.raises(DomainError) as err:
        pass_for(db, clock, stranger, created.session)
    assert err.value.code == "unknown_group"
    names = db.scalars(select(Participant.display_name).where(Participant.id == bo_person.id))
    assert list(names) == ["Bo"]


@pytest.fixture
def settings(settings):
    return dataclasses.replace(settings, sign_up_open=False)


def test_a_server_can_take_no_new_accounts(app):
    http = app.test_client()
    assert http.get("/api/account").get_json()["sign_up_open"] is False
    body = {"email": "eve@example.org", "display_name": "Eve", "password": PASSWORD}
    reply = http.post("/api/account/sign-up", json=body, headers={"Accept-Language": "da"})
    assert (reply.status_code, reply.get_json()["error"]["code"]) == (403, "sign_up_closed")
    with pytest.raises(AssertionError):
        signed_in_client(app)


def test_a_socket_that_connected_while_its_login_ended_is_swept(db, clock):
    created = create_session(db, clock)
    _connect(db, clock, created.facilitator_token, "racing")
    db.execute(Login.__table__.delete().where(Login.id == created.login.id))  # the sign-out won
    assert accounts.forget_expired_logins(db, clock.now()) == ["racing"]
    assert connections.sids_of(db, created.facilitator.id) == []


def test_the_login_cookie_is_httponly_lax_and_secure_in_production(settings, clock):
    from server.app import create_app
    from server.config import load_settings

    assert load_settings({"SECRET_KEY": "x" * 32}).secure_cookies is True  # production
    assert load_settings({"HOLDSPORT_ENV": "development"}).secure_cookies is False
    app = create_app(dataclasses.replace(settings, sign_up_open=True, secure_cookies=True), clock)
    body = {"email": "anne@example.org", "display_name": "Anne", "password": PASSWORD}
    reply = app.test_client().post("/api/account/sign-up", json=body)
    cookie = reply.headers["Set-Cookie"]
    assert cookie.startswith("holdsport_login=")
    assert {"Secure", "HttpOnly", "SameSite=Lax", "Path=/"} <= {
        part.strip() for part in cookie.split(";")
    }
    app.extensions["holdsport"].db.dispose()


def test_a_co_hosts_name_never_passes_for_a_guests(db, clock):
    """A guest joined as " bo " before Bo's account first came in: the door's rule (case,
    spacing, Unicode form) decides that the names are the same, so Bo is "Bo (2)"."""
    created = create_session(db, clock)
    join(db, clock, created.session.join_code, display_name=" BO ")
    bo = sign_up(db, clock, "Bo")
    token = hosts.invite(
        db, account_id=created.account.id, group_id=created.group_id, now=clock.now()
    )
    hosts.accept_invitation(db, account_id=bo.account.id, token=token, now=clock.now())
    _, person = pass_for(db, clock, bo, created.session)
    assert person.display_name == "Bo (2)"


def test_only_hashes_of_login_tokens_are_stored(db, clock):
    anne = sign_up(db, clock)
    stored = db.scalars(select(Login.token_hash)).all()
    assert stored == [tokens.token_hash(anne.token)] and anne.token not in stored
    assert accounts.login_for(db, anne.token, clock.now()).id == anne.login.id
