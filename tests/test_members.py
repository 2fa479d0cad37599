"""A group's members: recognised across its sessions only by a key their own browser keeps."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from server.core import tokens
from server.core.errors import DomainError
from server.core.validation import load_args
from server.sessions.members import recognise_member
from server.sessions.models import Member, Participant
from server.sessions.schemas import CreateSessionArgs, JoinArgs
from tests.accounts_support import signed_in_client
from tests.factories import create_session, join

KEY = tokens.new_token()


def member_of(db, participant_id: int) -> Member | None:
    person = db.get_one(Participant, participant_id)
    return db.get(Member, person.member_id) if person.member_id else None


def test_the_same_key_is_the_same_member_in_the_groups_next_session(db, clock):
    first = create_session(db, clock)
    bo = join(db, clock, first.session.join_code, display_name="Bo", member_key=KEY)
    clock.advance(3600)
    second = create_session(db, clock, group_id=first.session.group_id)
    again = join(db, clock, second.session.join_code, display_name="Bo H.", member_key=KEY)
    member = member_of(db, again.participant.id)
    assert member is not None and member == member_of(db, bo.participant.id)
    assert member.display_name == "Bo H."  # the name they last joined with
    assert member.first_seen_at == first.session.created_at
    assert member.last_seen_at == clock.now()


def test_the_same_key_in_another_group_is_another_member_with_another_hash(db, clock):
    ours = create_session(db, clock)
    theirs = create_session(db, clock)
    assert ours.session.group_id != theirs.session.group_id
    here = member_of(db, join(db, clock, ours.session.join_code, member_key=KEY).participant.id)
    there = member_of(db, join(db, clock, theirs.session.join_code, member_key=KEY).participant.id)
    assert here is not None and there is not None and here.id != there.id
    assert here.key_hash != there.key_hash
    assert tokens.token_hash(KEY) not in {here.key_hash, there.key_hash}


def test_without_a_key_nobody_is_remembered(db, clock):
    created = create_session(db, clock)
    joined = join(db, clock, created.session.join_code)
    assert joined.participant.member_id is None
    assert created.facilitator.member_id is None
    assert db.scalar(select(func.count()).select_from(Member)) == 0


def test_the_facilitator_cannot_set_a_members_key(db, clock):
    creating = {"title": "T", "language": "da", "facilitator_name": "Anne"}
    with pytest.raises(DomainError) as refused:
        load_args(CreateSessionArgs(), {**creating, "member_key": KEY})
    assert refused.value.code == "invalid_payload"
    with pytest.raises(TypeError):
        create_session(db, clock, member_key=KEY)  # no such parameter


@pytest.mark.parametrize("key", ["short", "has spaces in it here", "x" * 65, 42])
def test_a_malformed_member_key_is_refused(key):
    body = {"join_code": "ABCDEF", "display_name": "Bo", "language": "da", "member_key": key}
    with pytest.raises(DomainError) as refused:
        load_args(JoinArgs(), body)
    assert refused.value.params["fields"] == ["member_key"]


def test_joining_over_http_with_a_member_key_makes_a_member(app):
    created = (
        signed_in_client(app)
        .post(
            "/api/sessions",
            json={"title": "T", "language": "da", "facilitator_name": "Anne", "admission": "code"},
        )
        .get_json()
    )
    body = {"join_code": created["join_code"], "display_name": "Bo", "language": "da"}
    joined = app.test_client().post("/api/join", json={**body, "member_key": KEY})
    assert joined.status_code == 201
    with app.extensions["holdsport"].db.transaction() as db:
        member = member_of(db, joined.get_json()["participant_id"])
        assert member is not None and member.display_name == "Bo"


def test_a_key_seen_again_is_the_same_member_under_its_newest_name(db, clock):
    """One statement makes the member or finds it (tests/test_races_live.py races it)."""
    created = create_session(db, clock)
    first = recognise_member(db, created.group_id, KEY, "Bo", clock.now())
    clock.advance(60)
    again = recognise_member(db, created.group_id, KEY, "Bo B.", clock.now())
    other = recognise_member(db, created.group_id, tokens.new_token(), "Cy", clock.now())
    assert again == first != other
    member = db.get_one(Member, first)
    db.refresh(member)
    assert (member.display_name, member.last_seen_at) == ("Bo B.", clock.now())
    assert member.first_seen_at < member.last_seen_at
    assert db.scalar(select(func.count()).select_from(Member)) == 2
