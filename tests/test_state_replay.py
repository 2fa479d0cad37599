"""Snapshot + events = a fresh snapshot: observers in every role apply each event of a
long mixed session (presence, agenda, both kinds of board) with `apply_event`, and after
each stage each one's state equals what `session:sync` returns on its own connection.

After it: a promoted participant's own connection resyncs to its new role, and the
strict xfail shows what no event carries: "ready" said on another tab of one's own."""

from __future__ import annotations

import time

import pytest

from tests.live_client import NAMESPACE, LiveClient, create_session, join
from tests.replay_support import SWEEP_SECONDS, MixedSession, quiet, state_differences, write
from tests.support import running_server

pytestmark = pytest.mark.server


@pytest.fixture
def server(database_url):
    with running_server(database_url, HOLDSPORT_SWEEP_SECONDS=SWEEP_SECONDS) as process:
        yield process


def watch(base_url: str, token: str, unknown: list[str]) -> LiveClient:
    """An observer that only applies events; an event it has no applier for is noted."""
    client = LiveClient(base_url, token)
    client.sio.on("*", lambda name, *_: unknown.append(name), namespace=NAMESPACE)
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


@pytest.mark.xfail(
    strict=True,
    reason="`my_agenda.ready` is in the snapshot, but no event tells a person's other tabs "
    "that they signalled ready",
)
def test_ready_on_one_tab_replays_on_the_other(pair):
    anne, bo, watching = pair
    anne.call("session:start")
    assert bo.call("ready:set", {"ready": True}) == {"ok": True, "ready": True}
    assert differences_now(watching) == []  # my_agenda.ready: False != True
