"""A connection that drops by itself (a network blip) keeps its person present for the
reconnect grace: back by then, nobody was told they left or returned; not back, the
sweep reports them left once the grace is over (core.connections.drop, sweep_closed).

In the domain first, with a frozen clock; then with real clients on a server process
whose sockets are cut under them, as a dropped Wi-Fi does."""

from __future__ import annotations

import socket
import time

import pytest

from server.core import connections
from tests.live_client import LiveClient, create_session, join
from tests.support import running_server

GRACE = 5.0


def _names(events) -> list[str]:  # type: ignore[no-untyped-def]
    return [event.name for event in events]


def test_someone_back_within_the_grace_never_left(db, clock, room):
    bo = room.people[0].actor
    assert connections.drop(db, "sid-0", clock.now(), grace_seconds=GRACE) == []
    assert bo.participant_id in connections.present_participant_ids(db, bo.session_id)

    clock.advance(GRACE - 1)
    assert (
        _names(
            connections.connect(db, sid="sid-0b", worker_id="worker-a", actor=bo, now=clock.now())
        )
        == []
    )  # not "returned"
    clock.advance(GRACE)
    assert _names(connections.sweep_closed(db, clock.now(), GRACE)) == []
    assert connections.sids_of(db, bo.participant_id) == ["sid-0b"]  # the old row went


def test_someone_not_back_has_left_once_the_grace_is_over(db, clock, room):
    bo = room.people[0].actor
    connections.drop(db, "sid-0", clock.now(), grace_seconds=GRACE)
    clock.advance(GRACE - 0.5)
    assert connections.sweep_closed(db, clock.now(), GRACE) == []
    assert bo.participant_id in connections.present_participant_ids(db, bo.session_id)

    clock.advance(0.5)
    assert _names(connections.sweep_closed(db, clock.now(), GRACE)) == ["participant:left"]
    assert bo.participant_id not in connections.present_participant_ids(db, bo.session_id)
    assert connections.sweep_closed(db, clock.now(), GRACE) == []  # told once


def test_a_dropped_connection_is_told_nothing_during_the_grace(db, clock, room):
    connections.drop(db, "sid-0", clock.now(), grace_seconds=GRACE)
    sids = [sid for sid, _ in connections.audience(db, room.host.session_id)]
    assert "sid-0" not in sids and "sid-1" in sids


def test_without_a_grace_a_drop_is_a_departure_at_once(db, clock, room):
    assert _names(connections.drop(db, "sid-0", clock.now(), grace_seconds=0)) == [
        "participant:left"
    ]


# Real clients on a server process: a socket cut under a client, as a dropped network.
LIVE_GRACE = 3.0


@pytest.fixture
def server_with_grace(database_url):
    env = {"HOLDSPORT_RECONNECT_GRACE_SECONDS": str(LIVE_GRACE), "HOLDSPORT_SWEEP_SECONDS": "0.2"}
    with running_server(database_url, **env) as process:
        yield process


def _cut(client: LiveClient) -> None:
    """The client's WebSocket stops dead, without a close: what the server sees of a
    network that went away."""
    client.sio.eio.ws.sock.shutdown(socket.SHUT_RDWR)


def _left(client: LiveClient) -> list[str]:
    return [p["participant"]["display_name"] for e, p in client.received if e == "participant:left"]


@pytest.mark.slow
def test_a_network_blip_within_the_grace_is_not_shown_to_the_others(server_with_grace):
    url = server_with_grace.url
    host = create_session(url)
    anne = LiveClient(url, host["facilitator_token"], transports=["websocket"]).connect()
    bo_token = join(url, host["join_code"], "Bo")["token"]
    bo = LiveClient(url, bo_token, transports=["websocket"]).connect()
    again = None
    try:
        anne.wait_for(lambda: anne.people() == [("Anne", True), ("Bo", True)])
        _cut(bo)
        again = LiveClient(url, bo_token, transports=["websocket"]).connect()
        # Past the grace of the cut connection: swept, and still nobody was told.
        time.sleep(LIVE_GRACE + 1)
        assert anne.call("session:sync")["ok"]
        assert anne.people() == [("Anne", True), ("Bo", True)]
        seen = [e for e, _ in anne.received if e.startswith("participant:")]
        assert "participant:left" not in seen and "participant:returned" not in seen, seen
    finally:
        for client in (anne, bo, again):
            if client is not None:
                client.disconnect()


@pytest.mark.slow
def test_someone_whose_network_stays_away_is_shown_as_left_after_the_grace(
    server_with_grace,
):
    url = server_with_grace.url
    host = create_session(url)
    anne = LiveClient(url, host["facilitator_token"], transports=["websocket"]).connect()
    bo = LiveClient(url, join(url, host["join_code"], "Bo")["token"], transports=["websocket"])
    bo.connect()
    try:
        anne.wait_for(lambda: anne.people() == [("Anne", True), ("Bo", True)])
        cut = time.monotonic()
        _cut(bo)
        anne.wait_for(lambda: _left(anne) == ["Bo"], timeout=LIVE_GRACE + 5)
        assert time.monotonic() - cut >= LIVE_GRACE - 0.1  # not at once
        assert anne.people() == [("Anne", True), ("Bo", False)]
    finally:
        anne.disconnect()
        bo.disconnect()
