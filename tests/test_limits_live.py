"""A closed room under attack, against real server processes (the Procfile's command):
guessing join codes, too many connections from one address, big bodies, headers.

Every request here comes from 127.0.0.1. Where a test needs a second address, the
server trusts one proxy (HOLDSPORT_TRUSTED_PROXIES=1) and the test says X-Forwarded-For,
as a load balancer would.
"""

from __future__ import annotations

import os
import threading
import time
import uuid

import pytest
import redis
import requests
import socketio

from server.core.security import CONTENT_SECURITY_POLICY
from tests.live_client import NAMESPACE, LiveClient, create_session, join
from tests.support import ServerProcess, require, running_server

pytestmark = pytest.mark.server
# A Redis database of its own (test_scale_out uses 15), and a channel per test below.
REDIS_URL = os.environ.get("HOLDSPORT_TEST_LIMITS_REDIS_URL", "redis://127.0.0.1:6379/14")
DANISH = {"Accept-Language": "da"}


def preview(server, code, address=None, **headers):
    if address:
        headers["X-Forwarded-For"] = address
    return requests.get(f"{server.url}/api/sessions/{code}", headers=headers, timeout=10)


def test_guessing_join_codes_is_refused_quickly_and_a_real_code_still_works(database_url):
    with running_server(database_url, HOLDSPORT_TRUSTED_PROXIES="1") as server:
        code = create_session(server.url)["join_code"]
        attacker = "203.0.113.66"
        started = time.monotonic()
        answers = [preview(server, f"ZZZZ{i:02d}", attacker).status_code for i in range(20, 32)]
        assert answers == [404] * 10 + [429] * 2
        assert time.monotonic() - started < 5  # refused after a burst, not after a while
        refused = preview(server, "ZZZZ99", attacker, **DANISH)
        error = refused.json()["error"]
        assert (refused.status_code, error["code"]) == (429, "rate_limited")
        assert error["message"].startswith("Du sender for hurtigt.")
        assert refused.headers["Retry-After"] == str(error["params"]["seconds"])
        assert 1 <= error["params"]["seconds"] <= 60
        # A real code is no way round it: the lookup is refused before it is made.
        assert preview(server, code, attacker).status_code == 429
        body = {"join_code": code, "display_name": "Eve", "language": "en"}
        as_attacker = {"X-Forwarded-For": attacker}
        sneaked = requests.post(
            f"{server.url}/api/join", json=body, headers=as_attacker, timeout=10
        )
        assert sneaked.status_code == 429
        # Someone else, at another address, joins as usual.
        assert preview(server, code, "198.51.100.7").status_code == 200
        assert join(server.url, code, "Bo")["token"]


def test_the_failure_window_resets_and_the_daily_budget_holds(database_url):
    limit = {"HOLDSPORT_RATE_LIMIT_JOIN_FAILURES": "4 per 2 seconds; 6 per day"}
    with running_server(database_url, **limit) as server:
        assert [preview(server, "ZZZZZZ").status_code for _ in range(5)] == [404] * 4 + [429]
        time.sleep(2.2)
        assert [preview(server, "ZZZZZZ").status_code for _ in range(3)] == [404, 404, 429]
        time.sleep(2.2)
        held = preview(server, "ZZZZZZ")
        assert held.status_code == 429  # the day's six are used up
        assert int(held.headers["Retry-After"]) > 80_000


def test_two_processes_share_the_counts_through_redis(database_url):
    require(redis_reachable(), f"Redis is not reachable at {REDIS_URL}")
    extra = {"REDIS_URL": REDIS_URL, "HOLDSPORT_REDIS_CHANNEL": f"limits-{uuid.uuid4().hex}"}
    first = ServerProcess(database_url, **extra)
    first.release()
    one, two = first.start(), ServerProcess(database_url, **extra).start()
    try:
        for index in range(10):
            assert preview(one if index % 2 else two, "ZZZZZZ").status_code == 404
        assert preview(one, "ZZZZZZ").status_code == 429
        assert preview(two, "ZZZZZZ").status_code == 429
        # Redis holds the counts under the address's keyed hash, never the address.
        keys = redis.Redis.from_url(REDIS_URL).keys(f"*{extra['HOLDSPORT_REDIS_CHANNEL']}:*")
        assert keys and not [key for key in keys if b"127.0.0.1" in key]
    finally:
        one.stop()
        two.stop()


def redis_reachable() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def connect(server, token, address=None):
    """A raw client: returns it connected, or the refusal's data."""
    client = socketio.Client(reconnection=False)
    refusal = {}
    client.on("connect_error", refusal.update, namespace=NAMESPACE)
    headers = {"X-Forwarded-For": address} if address else {}
    try:
        client.connect(
            server.url,
            namespaces=[NAMESPACE],
            auth={"token": token, "language": "da"},
            headers=headers,
            wait_timeout=10,
        )
    except socketio.exceptions.ConnectionError:
        return None, refusal
    return client, None


def test_connections_per_address_are_bounded_across_processes(database_url):
    env = {"HOLDSPORT_MAX_CONNECTIONS_PER_ADDRESS": "3", "HOLDSPORT_TRUSTED_PROXIES": "1"}
    first = ServerProcess(database_url, **env)
    first.release()
    one, two = first.start(), ServerProcess(database_url, **env).start()
    opened = []
    try:
        host = create_session(one.url)
        token = host["facilitator_token"]
        for server in (one, one, two):
            client, refusal = connect(server, token, "203.0.113.5")
            assert refusal is None
            opened.append(client)
        for server in (one, two):
            client, refusal = connect(server, token, "203.0.113.5")
            assert client is None
            assert refusal["data"] == {"code": "too_many_connections", "params": {"max": 3}}
            assert refusal["message"].startswith("Der er for mange forbindelser")
        # Another address is not affected; a closed connection frees its place.
        client, refusal = connect(two, token, "198.51.100.8")
        assert refusal is None
        opened.append(client)
        opened.pop(0).disconnect()
        deadline = time.monotonic() + 10
        while True:
            client, refusal = connect(two, token, "203.0.113.5")
            if client or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert refusal is None
        opened.append(client)
    finally:
        for client in opened:
            client.disconnect()
        one.stop()
        two.stop()


def test_the_bound_holds_for_many_connections_at_once(database_url):
    env = {"HOLDSPORT_MAX_CONNECTIONS_PER_ADDRESS": "5"}
    with running_server(database_url, **env) as server:
        token = create_session(server.url)["facilitator_token"]
        results: list[tuple] = []

        def attempt() -> None:
            results.append(connect(server, token))

        threads = [threading.Thread(target=attempt) for _ in range(12)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        admitted = [client for client, _ in results if client]
        refused = [refusal for client, refusal in results if not client]
        try:
            assert len(admitted) == 5
            assert {r["data"]["code"] for r in refused} == {"too_many_connections"}
        finally:
            for client in admitted:
                client.disconnect()


def test_big_bodies_are_refused_unread(server):
    big = b'{"join_code": "' + b"A" * (50 * 1024 * 1024) + b'"}'
    started = time.monotonic()
    try:
        reply = requests.post(
            f"{server.url}/api/join",
            data=big,
            headers={"Content-Type": "application/json", **DANISH},
            timeout=30,
        )
    except requests.ConnectionError:
        pytest.fail("the server closed the connection instead of answering 413")
    assert reply.status_code == 413
    assert reply.json()["error"]["code"] == "payload_too_large"
    assert reply.json()["error"]["params"] == {"max": 65536}
    assert time.monotonic() - started < 10
    # Chunked, with no length given: read only up to the bound, never parsed whole.
    chunks = (b"A" * 65536 for _ in range(40))
    chunked = requests.post(
        f"{server.url}/api/join",
        data=chunks,
        headers={"Content-Type": "application/json"},
        timeout=30,
    )
    assert chunked.status_code in (400, 413)
    assert chunked.json()["error"]["code"] in ("payload_too_large", "invalid_payload")
    assert requests.get(f"{server.url}/api/health", timeout=5).ok


def test_a_socket_io_message_over_the_bound_ends_only_that_connection(server):
    host = create_session(server.url)
    anne = LiveClient(server.url, host["facilitator_token"]).connect()
    bo = LiveClient(server.url, join(server.url, host["join_code"], "Bo")["token"]).connect()
    # The client leaves its WebSocket's socket open when the server ends the connection.
    anne_ws = anne.sio.eio.ws
    try:
        anne.sio.emit("session:sync", {"padding": "x" * 200_000}, namespace=NAMESPACE)
        deadline = time.monotonic() + 10
        while anne.sio.connected and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not anne.sio.connected
        assert bo.call("session:sync")["ok"]
    finally:
        anne.disconnect()
        bo.disconnect()
        if anne_ws is not None:
            anne_ws.shutdown()


def test_headers_on_pages_files_api_and_socket_io(database_url):
    with running_server(database_url, HOLDSPORT_TRUSTED_PROXIES="1") as server:
        paths = [
            "/",
            "/s/ABCDEF",
            "/static/app.css",
            "/static/js/app.js",
            "/vendor/socket.io.min.js",
            "/i18n/en.json",
            "/api/health",
            "/api/library",
            "/api/nothing-here",
            "/nothing-here",
            "/socket.io/?EIO=4&transport=polling",
        ]
        for path in paths:
            reply = requests.get(f"{server.url}{path}", timeout=10)
            headers = reply.headers
            assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY, path
            assert headers["X-Content-Type-Options"] == "nosniff", path
            assert headers["X-Frame-Options"] == "DENY", path
            assert headers["Referrer-Policy"] == "no-referrer", path
            assert "Strict-Transport-Security" not in headers, path
        # Behind a TLS-terminating proxy (trusted here): HSTS too.
        tls = requests.get(
            f"{server.url}/api/health", headers={"X-Forwarded-Proto": "https"}, timeout=10
        )
        assert tls.headers["Strict-Transport-Security"] == "max-age=31536000"
        # Both transports still work with the headers on.
        host = create_session(server.url)
        for transports in (["polling"], ["websocket"]):
            client = socketio.Client(reconnection=False)
            got = threading.Event()
            client.on("session:snapshot", lambda _, got=got: got.set(), namespace=NAMESPACE)
            client.connect(
                server.url,
                namespaces=[NAMESPACE],
                auth={"token": host["facilitator_token"]},
                transports=transports,
                wait_timeout=10,
            )
            try:
                assert got.wait(10)
                assert client.call("session:sync", namespace=NAMESPACE, timeout=10)["ok"]
            finally:
                client.disconnect()
