"""The door, without sockets: who waits, who is let in, who is removed, and what each may do."""

from __future__ import annotations

from datetime import timedelta

import pytest

from server.agenda import floor
from server.core import connections
from server.core.change import change_of
from server.core.domain import Role
from server.core.errors import DomainError
from server.sessions import door, service
from server.sessions.view import snapshot
from tests.agenda_support import ROUND, WORKER
from tests.factories import actor_of, create_session, join, set_agenda


class Door:
    """A session whose host admits people, with the host connected."""

    def __init__(self, db, clock, **options):
        self.db, self.clock = db, clock
        created = create_session(db, clock, admission="host", **options)
        self.session_id = created.session.id
        self.code = created.session.join_code
        self.host = self.connect(created.facilitator_token, "sid-host")

    def connect(self, token, sid):
        actor = actor_of(service.authenticate(self.db, token))
        connections.connect(self.db, sid=sid, worker_id=WORKER, actor=actor, now=self.clock.now())
        return actor

    def knock(self, name):
        joined = join(self.db, self.clock, self.code, display_name=name)
        return joined, self.connect(joined.token, f"sid-{name}")

    def present(self):
        return connections.present_participant_ids(self.db, self.session_id)

    def events_of(self, action):
        mark = change_of(self.db).mark()
        action()
        return [e.name for e in change_of(self.db).since(mark)]


def refused(action) -> str:
    with pytest.raises(DomainError) as err:
        action()
    return err.value.code


def test_someone_who_joins_waits_at_the_door_and_sees_nothing_inside(db, clock):
    room = Door(db, clock)
    events = room.events_of(lambda: room.knock("Bo"))
    assert events == ["participant:waiting"]
    _, bo = room.knock("Cecilie")
    assert bo.role is Role.WAITING
    assert bo.participant_id not in room.present()
    seen = snapshot(db, bo, clock.now())
    assert set(seen) == {"version", "server_time", "you", "session"}
    assert seen["you"] == {"role": "waiting", "participant_id": bo.participant_id}
    host_view = snapshot(db, room.host, clock.now())
    waiting = [p for p in host_view["participants"] if not p["admitted"]]
    assert [p["display_name"] for p in waiting] == ["Bo", "Cecilie"]


def test_a_host_lets_people_in_one_by_one_or_all_at_once(db, clock):
    room = Door(db, clock)
    _, bo = room.knock("Bo")
    room.knock("Cecilie")
    room.knock("Dan")
    events = room.events_of(lambda: door.admit(db, room.host, bo.participant_id, clock.now()))
    assert events == ["participant:admitted"]
    assert room.present() == {room.host.participant_id, bo.participant_id}
    assert door.admit(db, room.host, bo.participant_id, clock.now()) == []  # already in
    sids = door.admit_all(db, room.host, clock.now())
    assert sorted(sids) == ["sid-Cecilie", "sid-Dan"]
    assert len(room.present()) == 4


def test_once_in_always_in_a_reconnect_asks_nobody(db, clock):
    room = Door(db, clock)
    joined, bo = room.knock("Bo")
    door.admit(db, room.host, bo.participant_id, clock.now())
    connections.disconnect(db, "sid-Bo", clock.now())
    again = room.connect(joined.token, "sid-Bo-2")
    assert again.role is Role.PARTICIPANT
    assert again.participant_id in room.present()


def test_opening_the_door_lets_everyone_waiting_in(db, clock):
    room = Door(db, clock)
    room.knock("Bo")
    events = room.events_of(lambda: door.set_admission(db, room.host, "code", clock.now()))
    assert events == ["session:updated", "participant:admitted"]
    _, cecilie = room.knock("Cecilie")
    assert cecilie.role is Role.PARTICIPANT


def test_names_are_unique_in_a_session_as_people_read_them(db, clock):
    room = Door(db, clock)
    room.knock("Bo Hansen")
    for taken in ("bo hansen", " Bo  Hansen ", "BO HANSEN", "Anne"):
        assert refused(lambda t=taken: join(db, clock, room.code, display_name=t)) == "name_taken"
    join(db, clock, room.code, display_name="Bo H.")


def test_someone_removed_is_gone_for_good(db, clock):
    room = Door(db, clock)
    set_agenda(db, room.session_id, [ROUND])
    joined, bo = room.knock("Bo")
    door.admit(db, room.host, bo.participant_id, clock.now())
    service.start_session(db, room.host, clock.now())
    floor.raise_hand(db, bo, clock.now())
    events = room.events_of(lambda: door.remove(db, room.host, bo.participant_id, clock.now()))
    assert events[0] == "participant:removed"
    assert "agenda:updated" in events
    assert connections.sids_of(db, bo.participant_id) == []
    assert connections.actor_for_sid(db, "sid-Bo") is None
    assert refused(lambda: service.authenticate(db, joined.token)) == "removed_from_session"
    agenda = snapshot(db, room.host, clock.now())["agenda"]
    assert agenda["hands"] == []
    assert [t["left_out"] for t in agenda["turns"] if t["participant_id"] == bo.participant_id] == [
        "skipped"
    ]
    people = snapshot(db, room.host, clock.now())["participants"]
    assert bo.participant_id not in [p["id"] for p in people]
    join(db, clock, room.code, display_name="Bo")  # the name is free again; they wait again


def test_who_may_remove_whom(db, clock):
    room = Door(db, clock)
    _, bo = room.knock("Bo")
    _, cecilie = room.knock("Cecilie")
    door.admit_all(db, room.host, clock.now())
    service.set_role(db, room.host, bo.participant_id, Role.COFACILITATOR, clock.now())
    bo = connections.actor_for_sid(db, "sid-Bo")
    assert refused(lambda: door.remove(db, bo, room.host.participant_id, clock.now())) == (
        "forbidden"
    )
    assert refused(lambda: door.remove(db, bo, bo.participant_id, clock.now())) == "forbidden"
    service.set_role(db, room.host, cecilie.participant_id, Role.COFACILITATOR, clock.now())
    assert refused(lambda: door.remove(db, bo, cecilie.participant_id, clock.now())) == (
        "forbidden"
    )
    door.remove(db, room.host, cecilie.participant_id, clock.now())
    assert refused(lambda: door.remove(db, bo, 999_999, clock.now())) == "unknown_participant"


def test_credentials_end_when_the_session_has_ended_and_its_retention_has_passed(db, clock):
    room = Door(db, clock)
    joined, _ = room.knock("Bo")
    service.end_session(db, room.host, clock.now())
    later = clock.now() + timedelta(days=29)
    assert service.authenticate(db, joined.token, later, retention_days=30)
    much_later = clock.now() + timedelta(days=31)
    assert refused(lambda: service.authenticate(db, joined.token, much_later, 30)) == (
        "not_authenticated"
    )
