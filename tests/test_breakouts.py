"""Breakout phases without sockets: the plan before the start, each group's own steps
and countdown, what each reader is told, latecomers, moves, rotation, the synthesis,
the broadcast and the one-minute warning."""

from __future__ import annotations

from itertools import combinations

import pytest
from sqlalchemy import select

from server.agenda import service as agenda
from server.breakouts import service, view
from server.breakouts.models import BreakoutGroup, BreakoutSeat
from server.breakouts.planning import same_organisation_key
from server.breakouts.schemas import SynthesisArgs
from server.core import connections
from server.core.change import change_of
from server.core.errors import DomainError
from server.core.summary import Reader, sections
from server.sessions import door
from server.sessions.models import Participant
from tests.agenda_support import BREAKOUT, DISCUSS, Group

STEP_SECONDS = [180, 120, 360, 180]  # the trio steps (agenda.navigation.TRIO_STEPS)
ORGANISATIONS = ["Aarhus Kommune", "Region Syd", "Novo"]


class Network(Group):
    """Nine people from three organisations, and the facilitator, all connected."""

    def __init__(self, db, clock, plans=(BREAKOUT, DISCUSS), people=9):
        super().__init__(db, clock, list(plans), names=())
        for index in range(people):
            clock.advance(1)
            name = f"P{index}"
            self.people[name] = self.arrive(name, organisation=ORGANISATIONS[index % 3])

    @property
    def phase_ids(self):
        return [p["id"] for p in self.view()["phases"]]

    def view_of(self, actor):
        rounds = view.load(self.db, self.session_id, self.clock.now())
        return view.view_for(rounds, actor, self.clock.now())["rounds"]

    def breakout(self, actor, phase_index=0):
        return self.view_of(actor)[phase_index]

    def plan(self, size=3):
        return service.make_plan(self.db, self.host, self.phase_ids[0], size, self.clock.now())

    def groups(self, phase_index=0):
        """{number: [names]} of a phase's plan."""
        names = {a.participant_id: n for n, a in self.people.items()}
        plan = self.breakout(self.host, phase_index)["plan"]
        return {g["number"]: [names[m["participant_id"]] for m in g["members"]] for g in plan}

    def group_of(self, name, phase_index=0):
        return next(n for n, names in self.groups(phase_index).items() if name in names)

    def sweep(self):
        mark = change_of(self.db).mark()
        service.sweep(self.db, self.clock.now())
        return change_of(self.db).since(mark)


def organisation(name):
    return ORGANISATIONS[int(name[1:]) % 3]


def test_the_plan_is_there_before_the_start_with_colleagues_apart_and_no_host(db, clock):
    net = Network(db, clock)
    net.plan()
    groups = net.groups()
    assert sorted(len(names) for names in groups.values()) == [3, 3, 3]
    seated = [name for names in groups.values() for name in names]
    assert sorted(seated) == sorted(net.people)  # everyone, once; no host
    for names in groups.values():
        keys = [same_organisation_key(organisation(n)) for n in names]
        assert len(set(keys)) == len(keys)
    view = net.breakout(net.host)
    assert view["status"] == "planned"
    assert view["conflicts"] == []
    assert all(g["timer"]["status"] == "idle" for g in view["groups"])


def test_starting_runs_each_groups_first_presenter_on_its_own_countdown(db, clock):
    net = Network(db, clock)
    net.start()
    view = net.breakout(net.host)
    assert view["status"] == "running"
    assert len(view["groups"]) == 3
    for group in view["groups"]:
        assert group["presenter_id"] == group["members"][0]
        assert group["step_index"] == 0
        assert group["timer"]["status"] == "running"
        assert group["timer"]["remaining_seconds"] == STEP_SECONDS[0]


def test_steps_move_on_by_themselves_through_every_presenter_then_the_group_is_through(db, clock):
    net = Network(db, clock)
    net.start()
    seen = []
    for _presenter in range(3):
        for seconds in STEP_SECONDS:
            group = net.breakout(net.host)["groups"][0]
            seen.append((group["presenter_id"], group["step_index"]))
            clock.advance(seconds)
            net.sweep()
    group = net.breakout(net.host)["groups"][0]
    assert group["finished"] is True
    assert group["timer"]["status"] == "idle"
    members = group["members"]
    assert seen == [(member, step) for member in members for step in range(4)]


def test_a_group_moves_on_early_and_only_itself(db, clock):
    net = Network(db, clock)
    net.start()
    phase_id = net.phase_ids[0]
    number = net.group_of("P0")
    mine = net.breakout(net.people["P0"])["my_group"]
    service.next_step(db, net.people["P0"], phase_id, number, mine["segment"], clock.now())
    after = {g["number"]: g for g in net.breakout(net.host)["groups"]}
    assert after[number]["step_index"] == 1
    assert all(g["step_index"] == 0 for n, g in after.items() if n != number)
    with pytest.raises(DomainError) as stale:
        service.next_step(db, net.people["P0"], phase_id, number, mine["segment"], clock.now())
    assert stale.value.code == "stale_segment"
    other = next(n for n in net.people if net.group_of(n) != number)
    segment = after[number]["segment"]
    with pytest.raises(DomainError) as outsider:
        service.next_step(db, net.people[other], phase_id, number, segment, clock.now())
    assert outsider.value.code == "not_in_group"
    service.next_step(db, net.host, phase_id, number, segment, clock.now())  # a host may


def test_each_reader_is_told_only_their_own_groups_inside(db, clock):
    net = Network(db, clock)
    net.start()
    phase_id = net.phase_ids[0]
    number = net.group_of("P0")
    mine = net.breakout(net.people["P0"])["my_group"]
    mark = change_of(db).mark()
    service.next_step(db, net.people["P0"], phase_id, number, mine["segment"], clock.now())
    (event,) = [e for e in change_of(db).since(mark) if e.name == "breakout:updated"]
    assert event.each is not None
    sids = {f"sid-{name}": name for name in net.people}
    assert set(event.each) == {*sids, "sid-host"}  # every connection, one version
    assert len({payload["version"] for payload in event.each.values()}) == 1
    for sid, name in sids.items():
        (view,) = event.each[sid]["breakouts"]["rounds"]
        assert view["groups"] == [] and view["conflicts"] == []
        assert view["my_group"]["number"] == net.group_of(name)
        assert len(view["plan"]) == 3  # where everyone sits is no secret: the room sees it
    (host_view,) = event.each["sid-host"]["breakouts"]["rounds"]
    assert [g["number"] for g in host_view["groups"]] == [1, 2, 3]
    assert host_view["my_group"] is None


def test_a_synthesis_keeps_its_lines(db, clock):
    net = Network(db, clock)
    net.start()
    phase_id = net.phase_ids[0]
    args = SynthesisArgs().load({"phase_id": phase_id, "text": " Ask early\r\nAsk again\n"})
    service.write_synthesis(db, net.people["P0"], phase_id, args.text, clock.now())
    assert net.breakout(net.people["P0"])["my_group"]["synthesis"] == "Ask early\nAsk again"


def test_a_latecomer_gets_a_seat_with_room_and_someone_who_drops_keeps_theirs(db, clock):
    net = Network(db, clock, people=5)  # a trio and a pair; only the trio has someone of Novo
    net.start()
    late = net.arrive("Late", organisation=" novo ")
    net.people["Late"] = late
    groups = net.groups()
    assert sorted(len(names) for names in groups.values()) == [3, 3]
    number = net.group_of("Late")
    assert "Novo" not in [organisation(n) for n in groups[number] if n != "Late"]
    connections.disconnect(db, "sid-P1", clock.now())
    assert "P1" in net.groups()[net.group_of("P1")]


def test_a_latecomer_into_a_group_that_is_through_presents_there(db, clock):
    net = Network(db, clock, people=2)  # one group of two
    net.start()
    for _ in range(2 * len(STEP_SECONDS)):
        group = net.breakout(net.host)["groups"][0]
        service.next_step(db, net.host, net.phase_ids[0], 1, group["segment"], clock.now())
    assert net.breakout(net.host)["groups"][0]["finished"] is True
    net.people["Late"] = net.arrive("Late")
    group = net.breakout(net.host)["groups"][0]
    assert group["finished"] is False
    assert group["presenter_id"] == net.people["Late"].participant_id


def test_the_facilitator_moves_someone_and_is_told_of_colleagues_together(db, clock):
    net = Network(db, clock)
    net.plan()
    number = net.group_of("P0")
    colleague_group = net.group_of("P3")  # P0 and P3 are both of Aarhus Kommune
    assert number != colleague_group
    person = net.people["P0"].participant_id
    service.move(db, net.host, net.phase_ids[0], person, colleague_group, clock.now())
    assert "P0" in net.groups()[colleague_group]
    (conflict,) = net.breakout(net.host)["conflicts"]
    assert conflict["group"] == colleague_group
    assert conflict["organisation"] == "Aarhus Kommune"
    service.move(db, net.host, net.phase_ids[0], person, 4, clock.now())  # a new group
    assert net.groups()[4] == ["P0"]
    with pytest.raises(DomainError) as wrong:
        service.move(db, net.host, net.phase_ids[0], person, 9, clock.now())
    assert wrong.value.code == "unknown_breakout_group"
    with pytest.raises(DomainError) as host:
        service.move(db, net.host, net.phase_ids[0], net.host.participant_id, 1, clock.now())
    assert host.value.code == "unknown_participant"


def test_moving_the_presenter_out_hands_their_group_to_the_next_presenter(db, clock):
    net = Network(db, clock)
    net.start()
    group = net.breakout(net.host)["groups"][0]
    presenter, following = group["members"][0], group["members"][1]
    service.move(db, net.host, net.phase_ids[0], presenter, 2, clock.now())
    after = net.breakout(net.host)["groups"]
    assert after[0]["presenter_id"] == following
    assert after[0]["step_index"] == 0
    assert after[1]["members"][-1] == presenter
    # They presented already: in their new group they only consult.
    for _ in range(3 * len(STEP_SECONDS)):
        group = net.breakout(net.host)["groups"][1]
        if group["finished"]:
            break
        assert group["presenter_id"] != presenter
        service.next_step(db, net.host, net.phase_ids[0], 2, group["segment"], clock.now())


def test_a_second_breakout_phase_seats_nobody_with_someone_they_met(db, clock):
    net = Network(db, clock, plans=(BREAKOUT, BREAKOUT, DISCUSS))
    net.start()
    net.next()
    first = {frozenset(p) for g in net.groups(0).values() for p in combinations(g, 2)}
    second = {frozenset(p) for g in net.groups(1).values() for p in combinations(g, 2)}
    assert len(first) == len(second) == 9
    assert first.isdisjoint(second)


def test_the_synthesis_stays_in_the_group_until_the_plenary(db, clock):
    net = Network(db, clock)
    net.start()
    phase_id = net.phase_ids[0]
    writer = "P0"
    number = net.group_of(writer)
    service.write_synthesis(db, net.people[writer], phase_id, "Ask for help earlier", clock.now())
    for name, actor in net.people.items():
        view = net.breakout(actor)
        own = net.group_of(name) == number
        assert view["my_group"]["synthesis"] == ("Ask for help earlier" if own else None)
        assert view["syntheses"] == []
    host = net.breakout(net.host)
    assert [g["synthesis_sent"] for g in host["groups"]] == [n == number for n in (1, 2, 3)]
    assert "Ask for help earlier" not in str(host)
    net.next()  # back to the plenary
    for actor in [net.host, *net.people.values()]:
        assert net.breakout(actor)["syntheses"] == [
            {"number": number, "text": "Ask for help earlier"}
        ]
        assert net.breakout(actor)["status"] == "ended"
    with pytest.raises(DomainError) as late:
        service.write_synthesis(db, net.people[writer], phase_id, "More", clock.now())
    assert late.value.code == "breakout_not_running"


def test_the_broadcast_reaches_every_group(db, clock):
    net = Network(db, clock)
    net.start()
    service.broadcast(db, net.host, net.phase_ids[0], "Five minutes more for all", clock.now())
    for actor in [net.host, *net.people.values()]:
        assert net.breakout(actor)["broadcast"]["text"] == "Five minutes more for all"


def test_one_minute_before_the_plenary_everyone_is_warned_again_after_an_extension(db, clock):
    net = Network(db, clock)
    net.start()
    clock.advance(45 * 60 - 61)
    net.sweep()
    assert net.breakout(net.host)["warning"] is False
    clock.advance(2)
    assert [e.name for e in net.sweep()] == ["breakout:updated"]
    assert all(net.breakout(a)["warning"] for a in [net.host, *net.people.values()])
    assert [e.name for e in net.sweep()] == []  # told once
    agenda.extend(db, net.host, net.segment, 300, clock.now())
    assert net.breakout(net.host)["warning"] is False
    clock.advance(300)
    assert "breakout:updated" in [e.name for e in net.sweep()]
    assert net.breakout(net.host)["warning"] is True


def test_planning_again_after_the_start_is_refused(db, clock):
    net = Network(db, clock)
    net.start()
    with pytest.raises(DomainError) as started:
        net.plan()
    assert started.value.code == "breakout_started"


def test_someone_removed_loses_their_seat(db, clock):
    net = Network(db, clock)
    net.start()
    person = net.people["P0"].participant_id
    door.remove(db, net.host, person, clock.now())
    seats = db.scalars(select(BreakoutSeat.participant_id)).all()
    assert person not in seats
    assert db.scalars(select(BreakoutGroup.presenter_id)).all().count(person) == 0


def test_the_summary_has_each_groups_synthesis_by_number_only(db, clock):
    net = Network(db, clock)
    net.start()
    writer = net.people["P0"]
    text = "Say *no* earlier [link](http://x)"
    service.write_synthesis(db, writer, net.phase_ids[0], text, clock.now())
    net.next()
    reader = Reader(net.session_id, writer.participant_id, "da")
    (section,) = [s for s in sections(db, reader) if s.key == "breakouts"]
    assert section.heading == "Opsamlinger fra smågrupperne"
    (phase,) = section.data["phases"]
    number = net.group_of("P0")
    assert phase["syntheses"] == [{"number": number, "name": f"Gruppe {number}", "text": text}]
    assert "P0" not in str(section.data) and "P0" not in "".join(section.markdown)
    assert "\\[link\\]\\(http://x\\)" in "\n".join(section.markdown)


def test_a_synthesis_keeps_its_lines_in_the_summary(db, clock):
    net = Network(db, clock)
    net.start()
    service.write_synthesis(
        db, net.people["P0"], net.phase_ids[0], "Ask early\n- Ask again", clock.now()
    )
    net.next()
    reader = Reader(net.session_id, net.people["P0"].participant_id, "en")
    (section,) = [s for s in sections(db, reader) if s.key == "breakouts"]
    number = net.group_of("P0")
    # A hard line break (a backslash) and an indented line: still the same list item.
    assert f"- **Group {number}**: Ask early\\\n  \\- Ask again" in "\n".join(section.markdown)


def test_one_groups_members_share_one_payload_and_other_groups_get_their_own(db, clock):
    net = Network(db, clock)
    net.start()
    number = net.group_of("P0")
    mine = net.breakout(net.people["P0"])["my_group"]
    mark = change_of(db).mark()
    service.next_step(db, net.people["P0"], net.phase_ids[0], number, mine["segment"], clock.now())
    (event,) = [e for e in change_of(db).since(mark) if e.name == "breakout:updated"]
    assert event.each is not None
    payloads = {}
    for name in net.people:
        payloads.setdefault(net.group_of(name), set()).add(id(event.each[f"sid-{name}"]))
    assert all(len(ids) == 1 for ids in payloads.values())  # built, and sent, once a group
    assert len(set.union(*payloads.values())) == 3
    assert id(event.each["sid-host"]) not in set.union(*payloads.values())
    # Shared, and still what each of them reads on their own.
    for name, actor in net.people.items():
        (view,) = event.each[f"sid-{name}"]["breakouts"]["rounds"]
        assert view == net.breakout(actor)


def test_nobody_at_the_door_or_removed_is_sent_a_breakout_view(db, clock):
    net = Network(db, clock)
    net.start()
    waiting = db.get_one(Participant, net.people["P1"].participant_id)
    waiting.admitted_at = None  # as someone still at the door
    removed = db.get_one(Participant, net.people["P2"].participant_id)
    removed.removed_at = clock.now()
    db.flush()
    event = service.updated(db, net.session_id, clock.now())
    assert event.each is not None
    assert "sid-P1" not in event.each and "sid-P2" not in event.each
    assert "sid-P0" in event.each and "sid-host" in event.each
