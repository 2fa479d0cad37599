"""Domain tests for sessions and presence: no sockets, a frozen clock."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from server.core import connection_bound, connections, tokens
from server.core.connection_bound import ConnectionAddress
from server.core.connections import Connection
from server.core.domain import Role
from server.core.errors import DomainError
from server.presence import service as presence
from server.sessions import links, service
from server.sessions.models import Participant, PeerSession, Status
from tests.factories import SECRET, actor_of, create_session, join, sign_up

WORKER = "worker-a"


def connect(db, clock, token, sid):
    actor = actor_of(service.authenticate(db, token))
    return actor, connections.connect(db, sid=sid, worker_id=WORKER, actor=actor, now=clock.now())


def test_create_gives_a_readable_join_code_and_a_facilitator(db, clock):
    created = create_session(db, clock)
    assert len(created.session.join_code) == 6
    assert set(created.session.join_code) <= set(tokens.JOIN_CODE_ALPHABET)
    assert not set(created.session.join_code) & set("0O1IL")
    assert created.session.status is Status.WAITING
    assert created.facilitator.role is Role.FACILITATOR
    assert created.facilitator.account_id == created.account.id
    assert created.session.lead_account_id == created.account.id
    assert created.display_key and created.facilitator_token


def test_only_hashes_of_secrets_are_stored(db, clock):
    created = create_session(db, clock)
    joined = join(db, clock, created.session.join_code)
    db.flush()
    dump = " ".join(
        str(row)
        for table in ("groups", "peer_sessions", "participants", "host_passes")
        for row in db.execute(text(f"SELECT * FROM {table}"))
    )
    for secret in (created.facilitator_token, created.display_key, joined.token):
        assert secret not in dump
        assert tokens.token_hash(secret) in dump


def test_a_second_session_in_a_group_needs_one_of_its_facilitators(db, clock):
    anne = sign_up(db, clock)
    first = create_session(db, clock, host=anne, group_name="Skoleledere")
    second = create_session(db, clock, host=anne, title="Next month", group_id=first.group_id)
    assert second.session.group_id == first.session.group_id
    for stranger_group in (first.group_id, 999_999):
        with pytest.raises(DomainError) as err:  # not Bo's group, or none at all
            create_session(db, clock, host=sign_up(db, clock, "Bo"), group_id=stranger_group)
        assert err.value.code == "unknown_group"


def test_join_accepts_the_code_as_people_type_it(db, clock):
    code = create_session(db, clock).session.join_code
    typed = f" {code[:3].lower()}-{code[3:]} "
    joined = join(db, clock, typed, display_name="Bo", organisation="Kommune")
    assert joined.participant.role is Role.PARTICIPANT
    assert joined.participant.organisation == "Kommune"


def test_join_with_an_unknown_code_changes_nothing(db, clock):
    create_session(db, clock)
    before = db.scalar(select(Participant.id).order_by(Participant.id.desc()))
    with pytest.raises(DomainError) as err:
        join(db, clock, "ZZZZZZ")
    assert err.value.code == "unknown_join_code"
    assert db.scalar(select(Participant.id).order_by(Participant.id.desc())) == before


def test_nobody_joins_an_ended_session(db, clock):
    created = create_session(db, clock)
    host = actor_of(service.authenticate(db, created.facilitator_token))
    service.end_session(db, host, clock.now())
    with pytest.raises(DomainError) as err:
        join(db, clock, created.session.join_code)
    assert err.value.code == "session_ended"


def test_each_credential_opens_its_own_role(db, clock):
    created = create_session(db, clock)
    joined = join(db, clock, created.session.join_code)
    assert service.authenticate(db, created.facilitator_token).role is Role.FACILITATOR
    assert service.authenticate(db, joined.token).role is Role.PARTICIPANT
    display = service.authenticate(db, created.display_key)
    assert display.role is Role.DISPLAY and display.participant is None
    with pytest.raises(DomainError) as err:
        service.authenticate(db, "a-token-nobody-was-given")
    assert err.value.code == "not_authenticated"


def test_presence_joined_then_left_then_returned(db, clock):
    created = create_session(db, clock)
    joined = join(db, clock, created.session.join_code)
    _, events = connect(db, clock, joined.token, "sid-1")
    assert [e.name for e in events] == ["participant:joined"]
    assert events[0].payload["participant"]["present"] is True

    _, second_tab = connect(db, clock, joined.token, "sid-2")
    assert second_tab == []  # already present: nobody needs telling
    assert connections.disconnect(db, "sid-1", clock.now()) == []
    left = connections.disconnect(db, "sid-2", clock.now())
    assert [e.name for e in left] == ["participant:left"]
    assert left[0].payload["participant"]["present"] is False

    clock.advance(60)
    _, back = connect(db, clock, joined.token, "sid-3")
    assert [e.name for e in back] == ["participant:returned"]
    assert back[0].payload["participant"]["id"] == joined.participant.id
    people = db.scalars(
        select(Participant).where(Participant.session_id == created.session.id)
    ).all()
    assert len(people) == 2  # the same participant again, not a duplicate


def test_versions_count_every_visible_change(db, clock):
    created = create_session(db, clock)
    host, first = connect(db, clock, created.facilitator_token, "sid-h")
    joined = join(db, clock, created.session.join_code)
    _, second = connect(db, clock, joined.token, "sid-p")
    started = service.start_session(db, host, clock.now())  # the session, then its agenda
    left = connections.disconnect(db, "sid-p", clock.now())
    versions = [e.payload["version"] for e in first + second + started + left]
    assert versions == [2, 3, 4, 5, 6]
    assert service.snapshot(db, host, clock.now())["version"] == 6


def test_snapshot_lists_people_in_arrival_order_with_presence(db, clock):
    created = create_session(db, clock)
    host, _ = connect(db, clock, created.facilitator_token, "sid-h")
    names = ["Bo", "Cecilie", "Dan"]
    for index, name in enumerate(names):
        clock.advance(5)
        joined = join(db, clock, created.session.join_code, display_name=name)
        connect(db, clock, joined.token, f"sid-{index}")
    join(db, clock, created.session.join_code, display_name="Never connected")
    connections.disconnect(db, "sid-1", clock.now())

    snap = service.snapshot(db, host, clock.now())
    assert [p["display_name"] for p in snap["participants"]] == ["Anne", *names]
    assert [p["present"] for p in snap["participants"]] == [True, True, False, True]
    assert snap["you"] == {"role": "facilitator", "participant_id": created.facilitator.id}
    assert snap["session"]["join_code"] == created.session.join_code
    assert snap["server_time"] == clock.now().isoformat().replace("+00:00", "Z")


def test_start_and_end_follow_the_status_rules(db, clock):
    created = create_session(db, clock)
    host = actor_of(service.authenticate(db, created.facilitator_token))
    clock.advance(30)
    started, _agenda = service.start_session(db, host, clock.now())
    assert started.name == "session:started"
    assert started.payload["status"] == "running"
    assert started.payload["started_at"] == clock.now().isoformat().replace("+00:00", "Z")
    with pytest.raises(DomainError) as again:
        service.start_session(db, host, clock.now())
    assert again.value.code == "already_started"

    clock.advance(3600)
    ended, _agenda = service.end_session(db, host, clock.now())
    assert ended.payload["status"] == "ended"
    session = db.get(PeerSession, created.session.id)
    assert session.ended_at == clock.now()
    for change in (service.start_session, service.end_session):
        with pytest.raises(DomainError) as err:
            change(db, host, clock.now())
        assert err.value.code == "session_ended"


def test_ending_a_session_that_never_started_is_allowed(db, clock):
    created = create_session(db, clock)
    host = actor_of(service.authenticate(db, created.facilitator_token))
    ended, _agenda = service.end_session(db, host, clock.now())
    assert ended.payload["status"] == "ended"


def test_leave_ends_every_connection_of_that_person(db, clock):
    created = create_session(db, clock)
    joined = join(db, clock, created.session.join_code)
    actor, _ = connect(db, clock, joined.token, "tab-1")
    connect(db, clock, joined.token, "tab-2")
    events, sids = presence.leave(db, actor, clock.now())
    assert sorted(sids) == ["tab-1", "tab-2"]
    assert [e.name for e in events] == ["participant:left"]
    assert db.scalars(select(Connection)).all() == []


def test_a_display_is_not_a_person(db, clock):
    created = create_session(db, clock)
    actor, events = connect(db, clock, created.display_key, "screen")
    assert events == []
    assert actor.role is Role.DISPLAY
    assert service.snapshot(db, actor, clock.now())["participants"] == []


def test_a_display_is_sent_no_organisation_and_the_others_are(db, clock):
    created = create_session(db, clock)
    connect(db, clock, created.display_key, "screen")
    connect(db, clock, created.facilitator_token, "anne")
    joined = join(db, clock, created.session.join_code, organisation="Aarhus Kommune")
    _, events = connect(db, clock, joined.token, "bo")
    [arrived] = [event for event in events if event.name == "participant:joined"]
    assert arrived.each is not None
    assert "organisation" not in arrived.each["screen"]["participant"]
    assert arrived.each["anne"]["participant"]["organisation"] == "Aarhus Kommune"
    assert arrived.each["bo"] is arrived.each["anne"]  # one payload for all the others
    display = actor_of(service.authenticate(db, created.display_key))
    people = service.snapshot(db, display, clock.now())["participants"]
    assert [person["display_name"] for person in people] == ["Anne", "Bo"]
    assert all("organisation" not in person for person in people)


def test_a_silent_worker_loses_its_connections_and_people_are_told(db, clock):
    created = create_session(db, clock)
    joined = join(db, clock, created.session.join_code)
    connections.register_worker(db, "worker-b", clock.now())
    actor = actor_of(service.authenticate(db, joined.token))
    connections.connect(db, sid="on-b", worker_id="worker-b", actor=actor, now=clock.now())
    connect(db, clock, created.facilitator_token, "on-a")

    clock.advance(20)
    connections.heartbeat(db, WORKER, clock.now())
    assert connections.sweep_dead_workers(db, clock.now(), timeout_seconds=30) == []
    clock.advance(20)  # worker-b has now been silent for 40 s, worker-a for 20 s
    events = connections.sweep_dead_workers(db, clock.now(), timeout_seconds=30)
    assert [(e.name, e.payload["participant"]["id"]) for e in events] == [
        ("participant:left", joined.participant.id)
    ]
    assert [c.sid for c in db.scalars(select(Connection))] == ["on-a"]
    # A second sweep (another worker, or the next round) finds nothing more to do.
    assert connections.sweep_dead_workers(db, clock.now(), timeout_seconds=30) == []


def test_people_of_a_worker_that_stopped_on_purpose_are_gone_only_if_not_back(db, clock):
    """SIGTERM (core.shutdown): the stopping worker's connections stay for the grace;
    Bo reconnects to another worker meanwhile and is never told gone, Cy is, after it."""
    created = create_session(db, clock)
    bo, cy = (join(db, clock, created.session.join_code, display_name=n) for n in ("Bo", "Cy"))
    connections.register_worker(db, "worker-b", clock.now())
    for person, sid in ((bo, "bo-on-b"), (cy, "cy-on-b")):
        actor = actor_of(service.authenticate(db, person.token))
        connections.connect(db, sid=sid, worker_id="worker-b", actor=actor, now=clock.now())
    connections.depart(db, "worker-b", clock.now(), grace_seconds=15, timeout_seconds=30)

    clock.advance(2)
    _, arrived = connect(db, clock, bo.token, "bo-on-a")
    assert arrived == []  # never gone, so not "returned" either
    clock.advance(12)
    connections.heartbeat(db, WORKER, clock.now())
    assert connections.sweep_dead_workers(db, clock.now(), timeout_seconds=30) == []
    clock.advance(2)  # the grace is over
    events = connections.sweep_dead_workers(db, clock.now(), timeout_seconds=30)
    assert [(e.name, e.payload["participant"]["id"]) for e in events] == [
        ("participant:left", cy.participant.id)
    ]
    assert [c.sid for c in db.scalars(select(Connection))] == ["bo-on-a"]


def test_a_stopping_worker_frees_its_places_per_address_at_once(db, clock):
    """Its rows stay for the grace, but they must not count against an office's address
    while its people reconnect elsewhere (core.connection_bound)."""
    created = create_session(db, clock)
    connect(db, clock, created.facilitator_token, "on-a")
    db.add(ConnectionAddress(sid="on-a", address="0" * 64))
    connections.register_worker(db, "worker-b", clock.now())
    bo = actor_of(service.authenticate(db, join(db, clock, created.session.join_code).token))
    connections.connect(db, sid="on-b", worker_id="worker-b", actor=bo, now=clock.now())
    db.add(ConnectionAddress(sid="on-b", address="0" * 64))
    connection_bound.free_worker(db, "worker-b")
    assert [a.sid for a in db.scalars(select(ConnectionAddress))] == ["on-a"]
    assert sorted(c.sid for c in db.scalars(select(Connection))) == ["on-a", "on-b"]


def test_every_host_is_given_the_same_room_display_link(db, clock):
    created = create_session(db, clock)
    joined = join(db, clock, created.session.join_code)
    facilitator = actor_of(service.authenticate(db, created.facilitator_token))
    service.set_role(db, facilitator, joined.participant.id, Role.COFACILITATOR, clock.now())
    cohost = actor_of(service.authenticate(db, joined.token))
    code = created.session.join_code
    for host in (facilitator, cohost):
        shared = links.share_links(db, host, SECRET, "http://host/")
        assert shared == {
            "join_url": f"http://host/j/{code}",
            "display_url": f"http://host/s/{code}#display={created.display_key}",
        }
    service.set_role(db, facilitator, joined.participant.id, Role.PARTICIPANT, clock.now())
    participant = actor_of(service.authenticate(db, joined.token))
    with pytest.raises(DomainError) as err:
        links.share_links(db, participant, SECRET, "http://host/")
    assert err.value.code == "forbidden"


def test_the_display_key_is_derived_from_the_secret_and_the_session(db, clock):
    one, two = create_session(db, clock), create_session(db, clock)
    assert one.display_key != two.display_key
    assert links.display_key(SECRET, one.session) == one.display_key
    assert links.display_key("another-secret-key", one.session) != one.display_key
    # Another secret (or a session from before keys were derived): the host is given
    # the derived key, which opens the display from then on; the old one no longer does.
    host = actor_of(service.authenticate(db, one.facilitator_token))
    shared = links.share_links(db, host, "another-secret-key", "http://host/")
    key = shared["display_url"].split("#display=")[1]
    assert service.authenticate(db, key).role is Role.DISPLAY
    with pytest.raises(DomainError):
        service.authenticate(db, one.display_key)
