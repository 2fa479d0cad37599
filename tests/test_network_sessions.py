"""Network sessions across organisations and their confidentiality agreement: joining
needs it, only the count of acceptances is kept (domain and HTTP, a real database)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from server.core.change import change_of
from server.core.domain import Actor, Role
from server.core.errors import DomainError
from server.sessions import door
from server.sessions.agreement import agreement_texts
from server.sessions.groups import group_sessions
from server.sessions.models import GroupFacilitator, Participant, PeerSession
from tests.accounts_support import signed_in_client
from tests.factories import create_session, join, pass_for, sign_up


def people(db, session_id: int) -> int:
    return db.scalar(
        select(func.count()).select_from(Participant).where(Participant.session_id == session_id)
    )


def agreements(db, session_id: int) -> int:
    return db.get_one(PeerSession, session_id, populate_existing=True).agreements


# Domain


def test_joining_a_network_session_needs_the_agreement_and_creates_nothing_without(db, clock):
    hosted = create_session(db, clock, network=True)
    before = people(db, hosted.session.id)
    with pytest.raises(DomainError) as refused:
        join(db, clock, hosted.session.join_code)
    assert refused.value.code == "agreement_needed"
    with pytest.raises(DomainError):
        join(db, clock, hosted.session.join_code, agree=False)
    assert people(db, hosted.session.id) == before
    assert agreements(db, hosted.session.id) == 1  # the lead's, by making it


def test_each_join_counts_once_and_tells_everyone(db, clock):
    hosted = create_session(db, clock, network=True)
    code = hosted.session.join_code
    mark = change_of(db).mark()
    join(db, clock, code, display_name="Bo", agree=True)
    updates = [e for e in change_of(db).since(mark) if e.name == "session:updated"]
    assert [e.payload["agreements"] for e in updates] == [2]
    join(db, clock, code, display_name="Cai", agree=True)
    assert agreements(db, hosted.session.id) == 3
    with pytest.raises(DomainError):  # a refused join (a name taken) counts nothing
        join(db, clock, code, display_name="Bo", agree=True)
    assert agreements(db, hosted.session.id) == 3


def test_the_count_is_of_acceptances_not_of_people_let_in(db, clock):
    """Someone who agreed and was turned away at the door stays counted, and counts again
    if they knock again (docs/privacy.md): nothing says whose acceptance to take back."""
    hosted = create_session(db, clock, network=True, admission="host")
    code, host = hosted.session.join_code, facilitator_actor(hosted)
    knocked = join(db, clock, code, display_name="Bo", agree=True)
    door.remove(db, host, knocked.participant.id, clock.now())  # turned away, never in
    assert agreements(db, hosted.session.id) == 2
    again = join(db, clock, code, display_name="Bo", agree=True)
    door.admit(db, host, again.participant.id, clock.now())
    let_in = db.scalar(
        select(func.count())
        .select_from(Participant)
        .where(Participant.session_id == hosted.session.id, Participant.removed_at.is_(None))
    )
    assert (let_in, agreements(db, hosted.session.id)) == (2, 3)


def facilitator_actor(hosted) -> Actor:  # type: ignore[no-untyped-def]
    return Actor(hosted.session.id, Role.FACILITATOR, hosted.facilitator.id, "da")


def test_a_co_host_accepts_at_their_first_pass_only(db, clock):
    hosted = create_session(db, clock, network=True)
    cohost = sign_up(db, clock, name="Cora")
    group_id, account_id = hosted.group_id, cohost.account.id
    db.add(GroupFacilitator(group_id=group_id, account_id=account_id, added_at=clock.now()))
    db.flush()
    pass_for(db, clock, cohost, hosted.session)
    pass_for(db, clock, cohost, hosted.session)
    assert agreements(db, hosted.session.id) == 2


def test_a_session_that_is_no_network_needs_no_agreement_and_counts_nothing(db, clock):
    hosted = create_session(db, clock)
    assert hosted.session.network is False
    join(db, clock, hosted.session.join_code, display_name="Bo")
    join(db, clock, hosted.session.join_code, display_name="Cai", agree=True)  # ignored
    assert agreements(db, hosted.session.id) == 0


def test_the_network_flag_is_in_the_group_listing(db, clock):
    plain = create_session(db, clock)
    network = create_session(db, clock, group_id=plain.group_id, network=True, title="Netværk")
    listed = {s.id: s.network for s in group_sessions(db, plain.group_id)}
    assert listed == {plain.session.id: False, network.session.id: True}


def test_no_column_records_who_accepted():
    columns = {column.name for column in Participant.__table__.columns}
    assert columns and not any("agree" in name or "accept" in name for name in columns)


@pytest.mark.parametrize("language, first", [("da", "da"), ("en", "en")])
def test_the_agreement_comes_in_the_sessions_language_then_the_other(language, first):
    texts = agreement_texts(language)
    assert [t["language"] for t in texts] == [first, "en" if first == "da" else "da"]
    english, danish = sorted(texts, key=lambda t: t["language"] != "en")
    assert "stays in this room" in english["text"]
    assert "bliver i rummet" in danish["text"]


# HTTP


def test_a_network_session_over_http_from_creation_to_joining(app):
    http = signed_in_client(app)
    created = http.post(
        "/api/sessions", json={"title": "Netværket", "language": "da", "network": True}
    ).get_json()
    code = created["join_code"]
    preview = app.test_client().get(f"/api/sessions/{code}").get_json()
    assert preview["session"]["network"] is True
    assert [t["language"] for t in preview["agreement"]] == ["da", "en"]

    guest = app.test_client()
    body = {"join_code": code, "display_name": "Bo", "language": "en"}
    for refused in (body, {**body, "agree": False}):
        reply = guest.post("/api/join", json=refused, headers={"Accept-Language": "en"})
        assert reply.status_code == 400
        error = reply.get_json()["error"]
        assert error["code"] == "agreement_needed"
        assert error["message"].startswith("This network session asks everyone")
    danish = guest.post("/api/join", json={**body, "language": "da"})  # the body's language
    assert danish.get_json()["error"]["message"].startswith("I denne netværkssession")
    with app.extensions["holdsport"].db.transaction() as db:
        session = db.scalar(select(PeerSession).where(PeerSession.join_code == code))
        assert (people(db, session.id), session.agreements) == (1, 1)

    assert guest.post("/api/join", json={**body, "agree": True}).status_code == 201
    preview = app.test_client().get(f"/api/sessions/{code}").get_json()
    assert preview["session"]["agreements"] == 2


def test_a_plain_session_previews_without_an_agreement_and_ignores_agree(app):
    http = signed_in_client(app)
    code = http.post("/api/sessions", json={"title": "Gruppen", "language": "en"}).get_json()[
        "join_code"
    ]
    preview = app.test_client().get(f"/api/sessions/{code}").get_json()
    assert preview["session"]["network"] is False and "agreement" not in preview
    body = {"join_code": code, "display_name": "Bo", "language": "en", "agree": True}
    assert app.test_client().post("/api/join", json=body).status_code == 201


def test_the_plan_form_makes_a_network_session_and_the_group_page_says_so(app):
    http = signed_in_client(app)
    first = http.post("/api/sessions", json={"title": "Maj", "language": "da"}).get_json()
    group_id = first["group_id"]
    plan = {"title": "Juni", "language": "en", "network": True}
    planned = http.post(f"/api/groups/{group_id}/sessions", json=plan)
    assert planned.status_code == 201
    listed = http.get(f"/api/groups/{group_id}").get_json()["sessions"]
    assert {s["title"]: s["network"] for s in listed} == {"Maj": False, "Juni": True}
    preview = app.test_client().get(f"/api/sessions/{planned.get_json()['join_code']}")
    assert [t["language"] for t in preview.get_json()["agreement"]] == ["en", "da"]


@pytest.mark.parametrize("value", ["yes", 1, None, [True]])
def test_a_network_flag_or_agreement_that_is_no_boolean_is_refused(app, value):
    http = signed_in_client(app)
    reply = http.post("/api/sessions", json={"title": "X", "language": "da", "network": value})
    assert reply.status_code == 400
    assert reply.get_json()["error"]["params"]["fields"] == ["network"]
    body = {"join_code": "ABCDEF", "display_name": "Bo", "language": "da", "agree": value}
    reply = app.test_client().post("/api/join", json=body)
    assert reply.get_json()["error"]["params"]["fields"] == ["agree"]
