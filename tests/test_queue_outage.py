"""When Redis between two server processes fails: commands still answer, every client
still reaches the current state (docs/architecture.md, "When the message queue
fails"), and live events resume once Redis is back.

Each test runs its own redis-server on a free port and stops it; the database is the
suite's (SQLite shared by both processes, or PostgreSQL with HOLDSPORT_TEST_DATABASE_URL).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import suppress
from typing import Any

import pytest
import redis
from playwright.sync_api import expect

from server.core.message_queue import RedisQueue
from tests.browser import new_page
from tests.live_client import LiveClient, all_current, create_session, join
from tests.redis_support import RedisServer, own_redis_server
from tests.support import ServerProcess

pytestmark = pytest.mark.server
# Two processes that sweep twice a second; neither counts the other dead during the test.
WORKER_ENV = {"HOLDSPORT_SWEEP_SECONDS": "0.5", "HOLDSPORT_WORKER_TIMEOUT_SECONDS": "60"}


@pytest.fixture
def redis_server(tmp_path) -> Iterator[RedisServer]:
    with own_redis_server(tmp_path) as server:
        yield server


@pytest.fixture
def workers(database_url, redis_server: RedisServer):
    extra = {**WORKER_ENV, "REDIS_URL": redis_server.url}
    started: list[ServerProcess] = []
    try:
        for _ in range(2):
            started.append(ServerProcess(database_url, **extra).start())
        yield started
    finally:
        for worker in started:
            worker.stop()


def timed_call(client: LiveClient, name: str, payload: dict[str, Any] | None = None) -> None:
    """A command answers `ok`, and soon, whatever Redis does."""
    started = time.monotonic()
    reply = client.call(name, payload or {})
    assert reply == {"ok": True}, (name, reply)
    assert time.monotonic() - started < 4, f"{name} took {time.monotonic() - started:.1f} s"


def live_versions(client: LiveClient, after: int) -> list[int]:
    """Versions this client received as events (not in a snapshot) above `after`."""
    return [payload["version"] for _, payload in client.received if payload["version"] > after]


def test_clients_on_the_other_process_catch_up_while_redis_is_down_and_after(
    workers,
    redis_server: RedisServer,
):
    one, two = workers
    host = create_session(one.url)
    code = host["join_code"]
    anne = LiveClient(one.url, host["facilitator_token"]).connect()
    cara = LiveClient(one.url, join(one.url, code, "Cara")["token"]).connect()
    bo = LiveClient(two.url, join(two.url, code, "Bo")["token"]).connect()
    display = LiveClient(two.url, host["display_key"]).connect()
    everyone = [anne, cara, bo, display]
    try:
        for client in everyone:
            client.wait_for(lambda c=client: len(c.state["participants"]) == 3)
        all_current(everyone, timeout=10)

        redis_server.stop()
        before = bo.state["version"]
        timed_call(anne, "session:start")
        timed_call(anne, "participant:set_location", {"location": "room"})
        timed_call(cara, "hand:raise")
        cara_id = cara.state["you"]["participant_id"]
        promote = {"participant_id": cara_id, "role": "cofacilitator"}
        timed_call(anne, "participant:set_role", promote)
        # Process one's own clients got every event live, Redis or not.
        all_current([anne, cara], timeout=5)

        # Nothing reached process two through Redis, yet its clients catch up by version.
        all_current(everyone, timeout=10)
        for client in (bo, display):
            assert live_versions(client, before) == []
            assert client.announced and client.announced[-1] > before
            assert client.state["session"]["status"] == "running"

        redis_server.start()
        restarted = time.monotonic()
        segment = anne.state["agenda"]["segment"]
        timed_call(anne, "timer:pause", {"segment": segment})
        timed_call(cara, "hand:lower")
        all_current(everyone, timeout=10 - (time.monotonic() - restarted))

        # And live events flow between the processes again.
        back = bo.state["version"]
        deadline = time.monotonic() + 10
        location = "remote"
        while not live_versions(bo, back) and time.monotonic() < deadline:
            timed_call(anne, "participant:set_location", {"location": location})
            location = "room" if location == "remote" else "remote"
            time.sleep(0.3)
        assert live_versions(bo, back), "events do not reach process two through Redis again"
        all_current(everyone, timeout=10)
    finally:
        for client in everyone:
            client.disconnect()


@pytest.mark.browser
def test_the_page_says_it_is_catching_up_and_ends_current(
    browser,
    workers,
    redis_server: RedisServer,
):
    one, two = workers
    host = create_session(one.url)
    code = host["join_code"]
    anne = LiveClient(one.url, host["facilitator_token"]).connect()
    page = new_page(browser, "da-DK")
    try:
        page.goto(f"{two.url}/j/{code}")
        page.fill("input[name=display_name]", "Bo")
        page.get_by_role("button", name="Deltag", exact=True).click()
        expect(page.locator("#session-status")).to_have_text("Ikke startet endnu")
        expect(page.locator("#connection")).to_have_text("Forbundet")
        anne.wait_for(lambda: len(anne.state["participants"]) == 2)
        # Every text the badge shows, however briefly.
        page.evaluate(
            """() => {
              window.badgeTexts = [];
              const note = () => {
                const badge = document.querySelector("#connection");
                if (badge) window.badgeTexts.push(badge.textContent);
              };
              new MutationObserver(note).observe(document.body,
                {subtree: true, childList: true, characterData: true});
            }"""
        )

        redis_server.stop()
        timed_call(anne, "session:start")
        expect(page.locator("#session-status")).to_have_text("I gang", timeout=10_000)
        assert "Henter det seneste…" in page.evaluate("window.badgeTexts")
        expect(page.locator("#connection")).to_have_text("Forbundet")

        redis_server.start()
        timed_call(anne, "participant:set_location", {"location": "room"})
        anne_row = page.locator("#participants li", has_text="Anne")
        expect(anne_row).to_contain_text("i lokalet", timeout=10_000)
    finally:
        anne.disconnect()
        page.context.close()


def test_the_listener_subscribes_again_when_redis_comes_back(redis_server: RedisServer):
    queue = RedisQueue(redis_server.url, "listener-test")
    received: list[bytes] = []
    stop = threading.Event()

    def listen() -> None:
        for message in queue._listen():
            received.append(message)
            if stop.is_set():
                break  # closes the generator, and with it the subscription

    listener = threading.Thread(target=listen, daemon=True)
    listener.start()
    publisher = redis.Redis.from_url(redis_server.url)

    def delivered(text: bytes) -> bool:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with suppress(redis.RedisError):
                publisher.publish("listener-test", text)
            if text in received:
                return True
            time.sleep(0.2)
        return False

    try:
        assert delivered(b"before")
        redis_server.stop()
        redis_server.start()
        started = time.monotonic()
        assert delivered(b"after")
        assert time.monotonic() - started < 5  # python-socketio's own backoff may wait a minute
    finally:
        stop.set()  # the listener ends at its next message
        with suppress(redis.RedisError):
            publisher.publish("listener-test", b"stop")
        listener.join(timeout=5)
        publisher.close()
