"""Snapshot + events = a fresh snapshot: observers in every role apply each event of a
long mixed session (presence, agenda, both kinds of board) with `apply_event`, and after
each stage each one's state equals what `session:sync` returns on its own connection.

After it: a promoted participant's own connection resyncs to its new role, and "ready"
said on one tab of one's own shows on the other (`agenda:my_agenda`)."""

from __future__ import annotations

import time

import pytest

from tests.live_client import NAMESPACE, PRIVATE_EVENTS, LiveClient, create_session, join
from tests.replay_support import SWEEP_SECONDS, MixedSession, quiet, state_differences, write
from tests.support import running_server

pytestmark = pytest.mark.server


@pytest.fixture
def server(database_url):
    with running_server(database_url, HOLDSPORT_SWEEP_SECONDS=SWEEP_SECONDS) as process:
        yield process


def watch(base_url: str, token: str, unknown: list[str]) -> LiveClient:
    """An observer that only applies events; an event it has no applier for is noted,
    but for the private ones to a person's other connections (a tab of a writer's), which
    change no state."""
    client = LiveClient(base_url, token)

    def note(name: str, *_: object) -> None:
        if name not in PRIVATE_EVENTS:
            unknown.append(name)

    client.sio.on("*", note, namespace=NAMESPACE)
    return client.connect()


def replayed(observers: dict[str, LiveClient], version: int, span: float) -> None:
    for role, observer in observers.items():
        assert observer.state is not None
        fresh = observer.call("session:sync")["snapshot"]
        assert (observer.state["you"]["role"], fresh["version"]) == (role, version)
        assert state_differences(observer.state, fresh, span) == [], role


def test_every_observer_replays_to_the_fresh_snapshot(server):
    host = create_session(server.url)
    dag = join(server.url, host["join_code"], "Dag")["token"]
    unknown: list[str] = []
    started = time.monotonic()
    observers = {
        "facilitator": watch(server.url, host["facilitator_token"], unknown),  # Anne's tab
        "participant": watch(server.url, dag, unknown),  # Dag only watches
        "display": watch(server.url, host["display_key"], unknown),
    }
    session = MixedSession(server.url, host)
    try:
        session.arrive()  # Cecilie becomes co-facilitator; then her second tab watches
        observers["cofacilitator"] = watch(server.url, session.tokens["Cecilie"], unknown)
        first = {role: o.state["version"] for role, o in observers.items()}
        for stage in session.stages():
            stage()
            version = quiet(session.people["Anne"], list(observers.values()))
            replayed(observers, version, time.monotonic() - started)
        for role, observer in observers.items():
            # Every change came as an event and was applied: one snapshot, no gap.
            assert (len(observer.snapshots), observer.gaps) == (1, 0), role
            applied = [e for e in observer.received if e[1]["version"] > first[role]]
            assert len(applied) == version - first[role] > 70, role
        assert unknown == []
        seen = {name for name, _ in observers["display"].received}
        assert {"participant:returned", "participant:admitted", "participant:removed"} <= seen
        assert {"session:updated", "board:published", "board:cluster_removed"} <= seen
        # The role-dependent part was compared: a hidden post's text only for hosts.
        for role, text in [("display", False), ("participant", False), ("cofacilitator", True)]:
            hidden = [p for p in observers[role].state["board"]["posts"] if p["hidden"]]
            assert hidden and (hidden[0]["text"] is not None) == text, role
    finally:
        session.close()
        for observer in observers.values():
            observer.disconnect()


# What no event carries. Each test below states what docs/protocol.md leads a client to
# hold and what a fresh snapshot says; strict: a fix makes them pass, and then fail here.


@pytest.fixture
def pair(server):
    """Anne and Bo, with Bo on two tabs: one acts, one only watches."""
    host = create_session(server.url)
    bo = join(server.url, host["join_code"], "Bo")["token"]
    clients = [
        LiveClient(server.url, token).connect() for token in (host["facilitator_token"], bo, bo)
    ]
    yield clients
    for client in clients:
        client.disconnect()


def differences_now(client: LiveClient) -> list[str]:
    assert client.state is not None
    version = client.call("session:sync")["snapshot"]["version"]
    client.wait_for(lambda: client.state["version"] >= version)
    return state_differences(client.state, client.call("session:sync")["snapshot"], 60)


def test_a_promoted_participant_replays_their_new_role(pair):
    anne, bo, watching = pair
    anne.call("board:open", {"prompts": ["A mistake"], "threshold": 2})  # two people
    for client in (anne, bo, watching):
        write(client, "hi")
    assert anne.call("board:reveal")["ok"]
    post = anne.call("session:sync")["snapshot"]["board"]["posts"][0]["id"]
    assert anne.call("board:hide", {"post_id": post})["ok"]
    promote = {"participant_id": bo.state["you"]["participant_id"], "role": "cofacilitator"}
    assert anne.call("participant:set_role", promote)["ok"]
    assert differences_now(watching) == []  # you.role and the hidden post's text


def test_ready_on_one_tab_replays_on_the_other(pair):
    anne, bo, watching = pair
    anne.call("session:start")
    assert bo.call("ready:set", {"ready": True}) == {"ok": True, "ready": True}
    watching.wait_for(lambda: watching.state["my_agenda"]["ready"])  # agenda:my_agenda
    assert differences_now(watching) == []
    assert bo.call("ready:set", {"ready": False}) == {"ok": True, "ready": False}
    watching.wait_for(lambda: not watching.state["my_agenda"]["ready"])
    assert differences_now(watching) == []
    # Nobody else hears of it: not the facilitator.
    assert "agenda:my_agenda" not in [name for name, _ in anne.own_parts]


def test_every_connection_replays_its_own_view_of_a_breakout_phase(server):
    """`breakout:updated` is each connection's own view: a host's tab, the room
    display and participants in different groups each apply theirs and equal their own
    fresh snapshot, through the plan, moves, steps, a synthesis, a broadcast, a
    latecomer, a drop, a removal, the sweeper's one-minute warning and the end."""
    host = create_session(server.url)
    tokens = {"Anne": host["facilitator_token"]}
    for index, name in enumerate(["Bo", "Cai", "Dag", "Eva", "Frej", "Gry"]):
        organisation = ["Aarhus Kommune", "Novo"][index % 2]
        tokens[name] = join(server.url, host["join_code"], name, organisation=organisation)["token"]
    unknown: list[str] = []
    started = time.monotonic()
    people = {name: LiveClient(server.url, token).connect() for name, token in tokens.items()}
    watching = {  # they only apply events
        "Anne's tab": watch(server.url, tokens["Anne"], unknown),
        "display": watch(server.url, host["display_key"], unknown),
        "Bo's tab": watch(server.url, tokens["Bo"], unknown),
        "Cai's tab": watch(server.url, tokens["Cai"], unknown),
    }
    anne = people["Anne"]
    ids = {name: client.state["you"]["participant_id"] for name, client in people.items()}

    def replay() -> None:
        version = quiet(anne, list(watching.values()))
        for name, observer in watching.items():
            fresh = observer.call("session:sync")["snapshot"]
            assert fresh["version"] == version, name
            assert state_differences(observer.state, fresh, time.monotonic() - started) == [], name

    def do(who: str, command: str, payload: dict) -> None:
        reply = people[who].call(command, payload)
        assert reply == {"ok": True}, (who, command, reply)

    def my_group(name: str) -> dict:
        """The group `name` sits in, as a host sees it now."""
        breakout = anne.call("session:sync")["snapshot"]["breakouts"]["rounds"][0]
        return next(group for group in breakout["groups"] if ids[name] in group["members"])

    def segment() -> int:
        return int(anne.call("session:sync")["snapshot"]["agenda"]["segment"])

    try:
        for kind, title in [("breakout", "Trioer"), ("discussion", "Plenum")]:
            do("Anne", "agenda:add_phase", {"kind": kind, "title": title, "minutes": 30})
        phase_id = anne.call("session:sync")["snapshot"]["agenda"]["phases"][-2]["id"]
        do("Anne", "breakout:plan", {"phase_id": phase_id, "size": 3})
        moved = 2 if my_group("Bo")["number"] == 1 else 1
        do(
            "Anne",
            "breakout:move",
            {"phase_id": phase_id, "participant_id": ids["Bo"], "group": moved},
        )
        replay()
        do("Anne", "session:start", {})
        while anne.call("session:sync")["snapshot"]["agenda"]["current"]["phase_id"] != phase_id:
            do(
                "Anne",
                "agenda:next",
                {"segment": anne.call("session:sync")["snapshot"]["agenda"]["segment"]},
            )
        replay()
        group = my_group("Bo")
        step = {"phase_id": phase_id, "group": group["number"], "segment": group["segment"]}
        do("Bo", "breakout:next", step)
        do("Cai", "breakout:synthesis", {"phase_id": phase_id, "text": "Vi spørger først"})
        do("Anne", "breakout:broadcast", {"phase_id": phase_id, "text": "Ti minutter tilbage"})
        replay()
        tokens["Hugo"] = join(server.url, host["join_code"], "Hugo", organisation="Novo")["token"]
        people["Hugo"] = LiveClient(server.url, tokens["Hugo"]).connect()  # a latecomer
        people["Eva"].disconnect()  # keeps her seat
        people["Eva"] = LiveClient(server.url, tokens["Eva"]).connect()
        do("Anne", "participant:remove", {"participant_id": ids["Frej"]})  # loses it
        replay()
        agenda = anne.call("session:sync")["snapshot"]["agenda"]
        left = int(agenda["timer"]["remaining_seconds"])
        do("Anne", "timer:extend", {"segment": agenda["segment"], "seconds": 45 - left})
        anne.wait_for(lambda: anne.state["breakouts"]["rounds"][0]["warning"])  # the sweeper's
        replay()
        do(
            "Anne",
            "agenda:next",
            {"segment": anne.call("session:sync")["snapshot"]["agenda"]["segment"]},
        )
        for observer in watching.values():
            observer.wait_for(
                lambda o=observer: o.state["breakouts"]["rounds"][0]["status"] == "ended"
            )
        replay()
        assert watching["display"].state["breakouts"]["rounds"][0]["syntheses"] == [
            {"number": my_group("Cai")["number"], "text": "Vi spørger først"}
        ]
        for name, observer in watching.items():
            # Every change came as an event and was applied: one snapshot, no gap.
            assert (len(observer.snapshots), observer.gaps) == (1, 0), name
            told = [p for n, p in observer.received if n == "breakout:updated"]
            assert len(told) >= 9, name
        assert unknown == []
    finally:
        for client in [*people.values(), *watching.values()]:
            client.disconnect()
