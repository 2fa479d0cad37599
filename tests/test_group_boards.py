"""Breakout groups' own boards without sockets: a board per group big enough, none (and
why) for a smaller one, posts and reveals per group, who is told what, the close at
the phase's end, the plenary summary and retention."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import func, select

from server.board import groups, service, writing
from server.board.models import Board, Post
from server.board.retention import forget_boards
from server.board.writing import Writer
from server.breakouts import service as breakouts
from server.core import personal
from server.core.bus import SessionDeleted
from server.core.change import change_of
from server.core.errors import DomainError
from server.core.summary import Reader, sections
from server.sessions import service as sessions
from tests.agenda_support import BREAKOUT, DISCUSS, Group
from tests.board_support import new_secret
from tests.factories import join

WITH_BOARDS = dataclasses.replace(BREAKOUT, board_settings={"groups": True, "threshold": 3})


class Trios(Group):
    """Five people (a trio and a pair), the facilitator; every one a board writer."""

    def __init__(self, db, clock, plan=WITH_BOARDS):
        self.writers: dict[str, Writer] = {}
        super().__init__(db, clock, [plan, DISCUSS], names=())
        self.writers["host"] = self.writer_of(self.host, self.host_token, "sid-host")
        for index in range(5):
            clock.advance(1)
            self.people[f"P{index}"] = self.arrive(f"P{index}")

    def arrive(self, name, **extra):
        joined = join(self.db, self.clock, self.code, display_name=name, **extra)
        actor = self.connect(joined.token, f"sid-{name}")
        self.writers[name] = self.writer_of(actor, joined.token, f"sid-{name}")
        return actor

    @staticmethod
    def writer_of(actor, token, sid):
        return Writer(actor, personal.derive(token), sid)

    def members(self):
        """{group number: [names]} of the running phase."""
        phase = groups.running_phase(self.db, self.session_id)
        seated = groups.seats(self.db, phase.id)
        found: dict[int, list[str]] = {}
        for name, actor in self.people.items():
            found.setdefault(seated[actor.participant_id], []).append(name)
        return dict(sorted(found.items()))

    def trio_and_pair(self):
        by_size = sorted(self.members().values(), key=len)
        assert [len(names) for names in by_size] == [2, 3]
        return by_size[1], by_size[0]

    def post(self, name, text):
        return writing.write_post(
            self.db, self.writers[name], prompt=0, text=text, secret=new_secret(), now=self.now
        )

    @property
    def now(self):
        return self.clock.now()

    def mine(self, name):
        return sessions.snapshot(self.db, self.people[name], self.now)["group_boards"]


def test_a_group_of_the_threshold_gets_a_board_and_a_smaller_one_none_and_why(db, clock):
    net = Trios(db, clock)
    net.start()
    trio, pair = net.trio_and_pair()
    mine = net.mine(trio[0])
    assert mine["threshold"] == 3
    (own,) = mine["boards"]
    assert own["board"]["status"] == "open" and own["board"]["named"] is False
    (small,) = net.mine(pair[0])["boards"]
    assert small["board"] is None  # the client says why: fewer than `threshold` people
    with pytest.raises(DomainError) as refused:
        net.post(pair[0], "Vi er kun to")
    assert (refused.value.code, refused.value.params) == ("group_too_small", {"threshold": 3})
    host_view = sessions.snapshot(db, net.host, clock.now())["group_boards"]
    assert [(b["group"], b["board"] is None) for b in host_view["boards"]] == [
        (n, len(names) < 3) for n, names in net.members().items()
    ]
    # The plenary's board is not the group's: a snapshot's `board` stays the plenary's.
    assert sessions.snapshot(db, net.people[trio[0]], clock.now())["board"] is None


def test_a_group_writes_and_reveals_its_own_board_and_only_it_is_told(db, clock):
    net = Trios(db, clock)
    net.start()
    trio, pair = net.trio_and_pair()
    for index, name in enumerate(trio):
        net.post(name, f"Trio-post {index}")
    mark = change_of(db).mark()
    service.reveal_board(db, net.people[trio[1]], clock.now())  # a member reveals it
    (event,) = change_of(db).since(mark)
    assert event.name == "board:group_updated" and event.each is not None
    assert len({p["version"] for p in event.each.values()}) == 1  # one version for all
    for name in trio:
        shown = event.each[f"sid-{name}"]["board"]
        assert sorted(p["text"] for p in shown["posts"]) == [f"Trio-post {i}" for i in range(3)]
        assert all(p["author_id"] is None for p in shown["posts"])
    for name in pair:
        assert event.each[f"sid-{name}"] == {"version": event.payload["version"]}
    assert len(event.each["sid-host"]["board"]["posts"]) == 3  # hosts watch every group
    (own,) = net.mine(trio[0])["boards"]
    assert own["board"]["revealed"] is True and len(own["board"]["posts"]) == 3
    with pytest.raises(DomainError) as outsider:
        service.reveal_board(db, net.people[pair[0]], clock.now())
    assert outsider.value.code == "group_too_small"


def test_a_reveal_needs_the_threshold_of_writers_in_the_group(db, clock):
    net = Trios(db, clock)
    net.start()
    trio, _pair = net.trio_and_pair()
    net.post(trio[0], "Én")
    net.post(trio[1], "To")
    with pytest.raises(DomainError) as early:
        service.reveal_board(db, net.people[trio[0]], clock.now())
    assert early.value.code == "reveal_needs_posts"
    number = next(n for n, names in net.members().items() if names == trio)
    net.post(trio[2], "Tre")
    service.reveal_board(db, net.host, clock.now(), group=number)  # or a host, by number


def test_a_latecomer_making_the_pair_a_trio_opens_its_board_for_all_of_it(db, clock):
    net = Trios(db, clock)
    net.start()
    _trio, pair = net.trio_and_pair()
    mark = change_of(db).mark()
    net.people["Late"] = net.arrive("Late")
    told = [e for e in change_of(db).since(mark) if e.name == "board:groups_updated"]
    assert told, "the new board is told"
    assert "Late" in net.members()[next(n for n, m in net.members().items() if pair[0] in m)]
    (own,) = net.mine("Late")["boards"]
    assert own["board"]["status"] == "open"


def test_the_phase_end_closes_every_group_board_and_the_summary_keeps_them_out(db, clock):
    net = Trios(db, clock)
    net.start()
    trio, _pair = net.trio_and_pair()
    for name in trio:
        net.post(name, f"Kun for gruppen: {name}")
    service.reveal_board(db, net.people[trio[0]], clock.now())
    net.next()  # back to the plenary
    assert net.mine(trio[0]) is None
    assert {b.status.value for b in db.scalars(select(Board))} == {"closed"}
    sessions.end_session(db, net.host, clock.now())
    text = str(sections(db, Reader(net.session_id, net.host.participant_id, "en")))
    assert "Kun for gruppen" not in text
    forget_boards(db, SessionDeleted(net.session_id), clock.now())
    assert db.scalar(select(func.count()).select_from(Post)) == 0


def test_a_group_board_not_revealed_by_the_end_is_never_shown_and_its_posts_go(db, clock):
    net = Trios(db, clock)
    net.start()
    trio, _pair = net.trio_and_pair()
    written = [net.post(name, "Aldrig vist").post["id"] for name in trio[:2]]
    mark = change_of(db).mark()
    net.next()  # back to the plenary before anyone revealed
    (closed,) = [e for e in change_of(db).since(mark) if e.name == "board:group_updated"]
    assert sorted(closed.each[f"sid-{trio[0]}"]["dropped"]) == sorted(written)
    assert db.scalar(select(func.count()).select_from(Post)) == 0


def test_a_move_gives_the_grown_group_a_board_and_the_mover_writes_there(db, clock):
    net = Trios(db, clock)
    net.start()
    trio, pair = net.trio_and_pair()
    phase = groups.running_phase(db, net.session_id)
    numbers = {names[0]: number for number, names in net.members().items()}
    mover = trio[0]
    breakouts.move(
        db, net.host, phase.id, net.people[mover].participant_id, numbers[pair[0]], clock.now()
    )
    written = net.post(mover, "I den nye gruppe")
    grown = groups.group_board(db, phase.id, numbers[pair[0]])
    assert grown is not None and db.get_one(Post, written.post["id"]).board_id == grown.id
    kept = groups.group_board(db, phase.id, numbers[trio[0]])
    assert kept is not None and kept.status.value == "open"  # the shrunk group keeps its own
    (own,) = net.mine(pair[0])["boards"]
    assert own["board"]["id"] == grown.id
