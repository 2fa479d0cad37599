"""Who presented a dilemma in a group's sessions, and the default order it makes:
those who have not presented recently first, the facilitator last."""

from __future__ import annotations

import dataclasses
import random

from server.agenda import service, turns
from server.agenda.history import presenter_history
from server.agenda.models import OrderMode
from server.agenda.view import agenda_view
from server.core import connections, tokens
from server.sessions import service as sessions
from server.sessions.retention import expire_due_content
from tests.agenda_support import DILEMMA, WORKER
from tests.factories import actor_of, create_session, join, set_agenda

KEYS = {name: tokens.new_token() for name in ("Bo", "Cecilie", "Dan", "Eva", "Finn")}


class Meeting:
    """One session of a group, everyone connected; people in KEYS join as members."""

    def __init__(self, db, clock, names, group_id=None, plans=(DILEMMA,)):
        self.db, self.clock = db, clock
        extra = {"group_id": group_id} if group_id else {}
        created = create_session(db, clock, **extra)
        self.session_id, self.group_id = created.session.id, created.session.group_id
        set_agenda(db, self.session_id, list(plans))
        self.people = {"Anne": self.connect(created.facilitator_token, "host")}
        for name in names:
            clock.advance(1)
            key = KEYS.get(name)
            joined = join(db, clock, created.session.join_code, display_name=name, member_key=key)
            self.people[name] = self.connect(joined.token, name)

    def connect(self, token, name):
        actor = actor_of(sessions.authenticate(self.db, token))
        sid = f"sid-{self.session_id}-{name}"
        connections.connect(self.db, sid=sid, worker_id=WORKER, actor=actor, now=self.clock.now())
        return actor

    @property
    def host(self):
        return self.people["Anne"]

    def view(self):
        return agenda_view(self.db, self.session_id, self.clock.now())

    def name_of(self, participant_id):
        return next(n for n, a in self.people.items() if a.participant_id == participant_id)

    def order(self):
        waiting = [t for t in self.view()["turns"] if not t["left_out"]]
        return [self.name_of(t["participant_id"]) for t in waiting]

    def start(self):
        sessions.start_session(self.db, self.host, self.clock.now())

    def next(self):
        self.clock.advance(60)
        service.next_segment(self.db, self.host, self.view()["segment"], self.clock.now())

    def hold(self):
        """Start, let the dilemma round run through (two presenters), end."""
        self.start()
        while not self.view()["finished"]:
            self.next()
        sessions.end_session(self.db, self.host, self.clock.now())


def test_the_default_order_puts_those_who_presented_recently_last(db, clock):
    first = Meeting(db, clock, ["Bo", "Cecilie", "Dan", "Eva"])
    first.hold()  # Bo and Cecilie present
    clock.advance(30 * 86400)
    second = Meeting(db, clock, ["Bo", "Cecilie", "Dan", "Eva"], first.group_id)
    second.start()
    assert second.order() == ["Dan", "Eva", "Bo", "Cecilie", "Anne"]
    while not second.view()["finished"]:
        second.next()  # Dan and Eva present
    sessions.end_session(db, second.host, clock.now())
    clock.advance(30 * 86400)
    # Finn is new to the group; Gro's browser sends no key, so the group cannot know her.
    third = Meeting(db, clock, ["Eva", "Gro", "Dan", "Finn", "Cecilie", "Bo"], first.group_id)
    third.start()
    # Bo presented before Cecilie a month before Dan and Eva: longest ago goes first.
    assert third.order() == ["Finn", "Gro", "Bo", "Cecilie", "Dan", "Eva", "Anne"]


def test_the_facilitator_can_still_change_the_order(db, clock):
    first = Meeting(db, clock, ["Bo", "Cecilie"])
    first.hold()
    second = Meeting(db, clock, ["Bo", "Cecilie", "Dan"], first.group_id)
    second.start()
    assert second.order() == ["Dan", "Bo", "Cecilie", "Anne"]
    view = second.view()
    waiting = {second.name_of(t["participant_id"]): t["id"] for t in view["turns"]}
    wanted = ["Anne", "Cecilie", "Bo"]  # after Dan, who presents now
    turns.reorder(db, second.host, [waiting[name] for name in wanted], clock.now())
    assert second.order() == ["Dan", *wanted]


def test_random_order_is_not_rotated(db, clock, monkeypatch):
    monkeypatch.setattr(random.SystemRandom, "shuffle", lambda self, people: people.reverse())
    first = Meeting(db, clock, ["Bo", "Cecilie"])
    first.hold()
    shuffled = dataclasses.replace(DILEMMA, order_mode=OrderMode.RANDOM)
    second = Meeting(db, clock, ["Bo", "Cecilie", "Dan"], first.group_id, plans=[shuffled])
    second.start()
    assert second.order() == ["Dan", "Cecilie", "Bo", "Anne"]  # join order, reversed


def test_alternating_locations_applies_after_the_rotation(db, clock):
    first = Meeting(db, clock, ["Bo", "Cecilie"])
    first.hold()
    second = Meeting(db, clock, ["Bo", "Cecilie", "Dan", "Eva"], first.group_id)
    turns.set_alternate(db, second.host, True, clock.now())
    for name in ("Cecilie", "Eva"):
        sessions.set_location(db, second.people[name], "remote", clock.now())
    second.start()
    # Rotation: Dan, Eva, Bo, Cecilie, Anne; then remote (Eva, Cecilie) and others by turns.
    assert second.order() == ["Eva", "Dan", "Cecilie", "Bo", "Anne"]


def test_presenter_history_lists_who_presented_and_when(db, clock):
    first = Meeting(db, clock, ["Bo", "Cecilie", "Dan"])  # two presenters
    first.start()
    began = clock.now()
    for _ in range(4):
        first.next()  # Bo through his four steps
    turns.pass_turn(db, first.people["Cecilie"], clock.now())  # passed: she did not present
    dan_began = clock.now()
    assert first.view()["current"]["step_index"] == 0  # Dan presents, from the start
    while not first.view()["finished"]:
        first.next()
    sessions.end_session(db, first.host, clock.now())
    planned = create_session(db, clock, group_id=first.group_id)  # nothing presented yet
    elsewhere = Meeting(db, clock, ["Eva"])
    elsewhere.start()

    history = presenter_history(db, first.group_id)
    assert [(p.display_name, p.presented_at) for p in history] == [
        ("Bo", began),
        ("Dan", dan_began),
    ]  # not Cecilie, who passed, nor Eva of another group
    bo = history[0]
    assert bo.session_id == first.session_id and bo.session_title == "Ledergruppen i Nordhavn"
    assert bo.participant_id == first.people["Bo"].participant_id
    assert bo.member_id is not None
    assert all(p.session_id != planned.session.id for p in history)


def test_who_presented_outlives_the_sessions_content(db, clock):
    """Retention deletes the turns of an old session; the group keeps who presented."""
    first = Meeting(db, clock, ["Bo", "Cecilie", "Dan", "Eva"])
    first.hold()  # Bo and Cecilie present
    before = [(p.display_name, p.presented_at) for p in presenter_history(db, first.group_id)]
    clock.advance(31 * 86400)
    assert expire_due_content(db, clock.now(), 30) == [first.session_id]
    after = presenter_history(db, first.group_id)
    assert (
        [(p.display_name, p.presented_at) for p in after]
        == before
        == [
            ("Bo", before[0][1]),
            ("Cecilie", before[1][1]),
        ]
    )
    assert all(p.participant_id is None for p in after)  # the participants are gone
    second = Meeting(db, clock, ["Bo", "Cecilie", "Dan", "Eva"], first.group_id)
    second.start()
    assert second.order() == ["Dan", "Eva", "Bo", "Cecilie", "Anne"]
