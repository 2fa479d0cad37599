"""Breakout phases through a real server process and real python-socketio clients: a
network session of twelve leaders from four organisations, the facilitator and the room
display, through two breakout phases and back to the plenary.

Every payload each connection receives (snapshots, events, acks) is kept and checked at
the end: nobody is sent another group's presenter, step, countdown or synthesis before
the phase ended, and every connection's versions run on without a gap although
`breakout:updated` is built for each connection.
"""

from __future__ import annotations

import pytest

from tests.breakout_support import (
    NAMES,
    Network,
    breakout_versions,
    isolation_faults,
    move_on_and_write,
    organisation_key,
    pairs,
    plan_ids,
    present,
    round_in,
    seats_of,
    status_is,
    version_faults,
)
from tests.replay_support import state_differences

pytestmark = pytest.mark.server


@pytest.fixture
def network(server):
    network = Network([server.url])
    yield network
    network.close()


def test_a_network_session_through_two_breakout_phases_back_to_the_plenary(network):
    network.gather()
    anne, screen, bo = (network.people[name] for name in ("Anne", "screen", "Bo"))
    assert anne.state["session"]["agreements"] == 13  # the lead and twelve guests
    first, second, plenary = network.add_phases()

    refused = bo.call("breakout:plan", {"phase_id": first})
    assert refused["error"]["code"] == "forbidden"
    assert anne.call("breakout:plan", {"phase_id": first, "size": 3}) == {"ok": True}
    network.wait_all(status_is(first, "planned"))
    planned = round_in(anne.state, first)
    groups = plan_ids(planned)
    assert sorted(map(len, groups.values())) == [3, 3, 3, 3]
    assert sorted(pid for ids in groups.values() for pid in ids) == sorted(
        network.id_of(name) for name in NAMES
    )
    assert planned["conflicts"] == []
    for ids in groups.values():  # colleagues apart, however they wrote their organisation
        keys = {organisation_key(network.organisation[network.name_of(pid)]) for pid in ids}
        assert len(keys) == 3
    # The plan is public: everyone is told where to sit, the room display too, without
    # names (it names only the people present it knows: nobody gone goes up on the wall).
    unnamed = [
        {**g, "members": [{"participant_id": m["participant_id"]} for m in g["members"]]}
        for g in planned["plan"]
    ]
    for who, client in network.people.items():
        wanted = unnamed if who == "screen" else planned["plan"]
        assert round_in(client.state, first)["plan"] == wanted

    assert anne.call("session:start") == {"ok": True}
    network.wait_all(status_is(first, "running"))
    for name in NAMES:
        mine = round_in(network.people[name].state, first)["my_group"]
        assert mine["presenter_id"] == mine["members"][0] and mine["step_index"] == 0
        assert mine["timer"]["status"] == "running"
    assert round_in(screen.state, first)["my_group"] is None

    mine = round_in(bo.state, first)["my_group"]
    other = next(number for number in groups if number != mine["number"])
    step = {"phase_id": first, "group": other, "segment": mine["segment"]}
    assert bo.call("breakout:next", step)["error"]["code"] == "not_in_group"
    assert anne.call("breakout:synthesis", {"phase_id": first, "text": "x"})["error"]["code"] == (
        "not_in_group"
    )

    syntheses: dict[tuple[int, int], str] = {}
    move_on_and_write(network, first, syntheses)

    # A latecomer from a fifth organisation is placed and told their group.
    network.add("Nils", "Grundfos")
    nils = network.connect("Nils")
    nils.wait_for(lambda: round_in(nils.state, first)["my_group"] is not None)
    nils_id = network.id_of("Nils")
    seated = round_in(nils.state, first)["my_group"]
    assert nils_id in seated["members"] and seated["presenter_id"] != nils_id
    network.wait_all(lambda s: nils_id in seats_of(round_in(s, first)))

    # Someone who drops and comes back keeps their seat.
    cai_seat = seats_of(round_in(anne.state, first))[network.id_of("Cai")]
    network.people["Cai"].disconnect()
    anne.wait_for(lambda: not present(anne.state, "Cai"))
    cai = network.connect("Cai")
    assert round_in(cai.state, first)["my_group"]["number"] == cai_seat
    anne.wait_for(lambda: present(anne.state, "Cai"))
    assert seats_of(round_in(anne.state, first))[network.id_of("Cai")] == cai_seat

    first_seats = seats_of(round_in(anne.state, first))
    met = pairs(round_in(anne.state, first))
    network.next_phase()  # into the second breakout phase, planned as it starts
    network.wait_all(lambda s: status_is(first, "ended")(s) and status_is(second, "running")(s))
    rotated = round_in(anne.state, second)
    assert rotated["conflicts"] == []
    assert len(seats_of(rotated)) == 13
    assert pairs(rotated) & met == set()  # nobody sits again with someone from before
    # The first phase is over: its syntheses are everyone's now.
    for client in network.people.values():
        shown = round_in(client.state, first)["syntheses"]
        assert {(first, s["number"]): s["text"] for s in shown} == syntheses
    second_seats = seats_of(rotated)
    move_on_and_write(network, second, syntheses)

    network.next_phase()  # back to the plenary
    network.wait_all(status_is(second, "ended"))
    # The agenda tells its own change in an event of its own: it may come after.
    network.wait_all(lambda s: s["agenda"]["current"]["phase_id"] == plenary)
    for client in network.people.values():
        shown = {
            (breakout["phase_id"], s["number"]): s["text"]
            for breakout in client.state["breakouts"]["rounds"]
            for s in breakout["syntheses"]
        }
        assert shown == syntheses  # every group's, of both phases
    assert all(g["timer"]["status"] != "running" for g in round_in(anne.state, second)["groups"])

    seats = {first: first_seats, second: second_seats}
    faults = [
        fault for client in network.opened for fault in isolation_faults(client, syntheses, seats)
    ]
    assert faults == []
    # One version per change, on every connection; every `breakout:updated` reached all.
    for client in network.opened:
        assert version_faults(client) == [], client.state["you"]
    since = max(c.snapshots[0]["version"] for c in network.people.values())
    told = {name: breakout_versions(c, since) for name, c in network.people.items()}
    assert len(told["Anne"]) >= 10
    assert all(versions == told["Anne"] for versions in told.values()), told
    # Snapshot + events = a fresh snapshot, on each connection, for its own view.
    for client in network.people.values():
        fresh = client.call("session:sync")["snapshot"]
        assert state_differences(client.state, fresh, 120) == [], client.state["you"]
