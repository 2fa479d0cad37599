"""Socket.IO connection attempts counted per client address, against real server processes:
a client connecting as fast as it can, guessed credentials, and a whole room behind one
address reconnecting at once.

Test servers lift these limits (tests.support.CONNECTS_FOR_TESTS); each test here sets
them back, small or at their defaults. The server trusts one proxy, and a test names
the client's address in X-Forwarded-For, as a load balancer would.
"""

from __future__ import annotations

import threading
import uuid

import pytest
import socketio

from server.config import Settings
from tests.live_client import NAMESPACE, create_session
from tests.support import (
    REDIS_URL,
    ServerProcess,
    dump_database,
    redis_reachable,
    require,
    running_server,
)

pytestmark = pytest.mark.server
PROXIED = {"HOLDSPORT_TRUSTED_PROXIES": "1"}
ATTACKER, NEIGHBOUR, ROOM = "203.0.113.66", "198.51.100.7", "192.0.2.60"


def connect(server, token, address):
    """A raw client from `address`: (the client, None) connected, or (None, the refusal)."""
    client = socketio.Client(reconnection=False)
    refusal: dict = {}
    client.on("connect_error", refusal.update, namespace=NAMESPACE)
    try:
        client.connect(
            server.url,
            namespaces=[NAMESPACE],
            auth={"token": token, "language": "da"},
            headers={"X-Forwarded-For": address},
            transports=["websocket"],
            wait_timeout=10,
        )
    except socketio.exceptions.ConnectionError:
        return None, refusal
    return client, None


def attempt(server, token, address):
    """Connect and close again; the refusal's data, or None if it got in."""
    client, refusal = connect(server, token, address)
    if client is not None:
        client.disconnect()
        return None
    return refusal


def connect_at_once(server, token, address, count):
    results: list = []

    def one() -> None:
        results.append(connect(server, token, address))

    threads = [threading.Thread(target=one) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def assert_rate_limited(refusal):
    assert refusal["data"]["code"] == "rate_limited"
    assert refusal["message"].startswith("Du sender for hurtigt.")
    assert 1 <= refusal["data"]["params"]["seconds"] <= 60


def test_a_client_connecting_as_fast_as_it_can_is_refused_and_others_get_in(database_url):
    limits = {"HOLDSPORT_RATE_LIMIT_CONNECT": "8 per minute", **PROXIED}
    with running_server(database_url, **limits) as server:
        token = create_session(server.url)["facilitator_token"]
        assert [attempt(server, token, ATTACKER) for _ in range(8)] == [None] * 8
        refused = attempt(server, token, ATTACKER)
        assert refused is not None
        assert_rate_limited(refused)
        assert attempt(server, token, NEIGHBOUR) is None


def test_refused_credentials_spend_a_strict_budget_then_no_connect_gets_through(database_url):
    limits = {"HOLDSPORT_RATE_LIMIT_CONNECT_REFUSED": "3 per minute", **PROXIED}
    with running_server(database_url, **limits) as server:
        token = create_session(server.url)["facilitator_token"]
        # Connects that get in spend nothing of it.
        assert [attempt(server, token, ATTACKER) for _ in range(5)] == [None] * 5
        guesses = [attempt(server, f"guessed-token-{i:06d}", ATTACKER) for i in range(3)]
        assert [g["data"]["code"] for g in guesses] == ["not_authenticated"] * 3
        before = dump_database(database_url)
        # Refused before the lookup: a real credential says nothing about the guesses.
        for tried in ("guessed-token-000099", token):
            refused = attempt(server, tried, ATTACKER)
            assert refused is not None
            assert_rate_limited(refused)
        assert dump_database(database_url) == before  # nothing changed
        assert attempt(server, token, NEIGHBOUR) is None


def test_two_processes_share_the_counts_through_redis(database_url):
    require(redis_reachable(), f"Redis is not reachable at {REDIS_URL}")
    env = {
        "REDIS_URL": REDIS_URL,
        "HOLDSPORT_REDIS_CHANNEL": f"connects-{uuid.uuid4().hex}",
        "HOLDSPORT_RATE_LIMIT_CONNECT_REFUSED": "4 per minute",
        **PROXIED,
    }
    first = ServerProcess(database_url, **env)
    first.release()
    one, two = first.start(), ServerProcess(database_url, **env).start()
    try:
        token = create_session(one.url)["facilitator_token"]
        for index in range(4):
            refused = attempt(one if index % 2 else two, f"guessed-token-{index:06d}", ATTACKER)
            assert refused is not None and refused["data"]["code"] == "not_authenticated"
        for server in (one, two):
            refused = attempt(server, token, ATTACKER)
            assert refused is not None
            assert_rate_limited(refused)
    finally:
        one.stop()
        two.stop()


def test_a_room_behind_one_address_reconnects_whole_at_the_defaults(database_url):
    """60 phones on one Wi-Fi (one public address) are connected; the Wi-Fi drops and all
    60 connect again at once, while the server still counts their old connections (it
    sees a silent drop only when its ping times out, up to 45 s: here the old ones simply
    stay open). With the default limits every one of the 120 gets in."""
    defaults = {
        "HOLDSPORT_RATE_LIMIT_CONNECT": Settings.rate_limit_connect,
        "HOLDSPORT_RATE_LIMIT_CONNECT_REFUSED": Settings.rate_limit_connect_refused,
        "HOLDSPORT_MAX_CONNECTIONS_PER_ADDRESS": str(Settings.max_connections_per_address),
        **PROXIED,
    }
    admitted: list = []
    with running_server(database_url, **defaults) as server:
        token = create_session(server.url)["facilitator_token"]
        try:
            for _ in range(2):  # before the drop, and everyone back at once after it
                results = connect_at_once(server, token, ROOM, 60)
                admitted += [client for client, _ in results if client]
                assert [refusal for _, refusal in results if refusal] == []
            assert len(admitted) == 120
        finally:
            for client in admitted:
                client.disconnect()
