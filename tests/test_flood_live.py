"""One person flooding commands leaves every other session working (docs/protocol.md §5a).

Real server processes (the Procfile's command, eventlet) and real python-socketio
clients, with the budgets as deployed: one participant floods `participant:set_location`
from two tabs while a second session goes on as usual; one person with a tab on each of
two processes (one Redis) spends one budget.
"""

from __future__ import annotations

import threading
import time
import uuid
from dataclasses import dataclass, field
from functools import partial
from typing import Any
from unittest.mock import ANY

import pytest
import socketio
from sqlalchemy import create_engine, text

from server.config import Settings
from tests.live_client import NAMESPACE, LiveClient, create_session, join
from tests.support import (
    PEOPLES_BUDGET,
    REDIS_URL,
    ServerProcess,
    redis_reachable,
    require,
    running_server,
)

pytestmark = pytest.mark.server

LIMIT = Settings.command_limit  # per 10-second window
FLOOD_SECONDS = 3.0
FLOOD_RATE = 1000  # per tab: two tabs make about 2,000 commands a second
SMALL = 10  # the budget of the test with two processes, in a window it stays within
LONG_WINDOW = 600
REFUSED = {"ok": False, "error": {"code": "rate_limited", "message": ANY, "params": ANY}}


@dataclass
class Flood:
    """One tab sending `participant:set_location` as fast as the rate allows."""

    client: LiveClient
    sent: int = 0
    acks: list[dict[str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def run(self, until: float) -> None:
        started = time.monotonic()
        while time.monotonic() < until:
            # Alternate, so every accepted command is a change.
            location = "room" if self.sent % 2 else "remote"
            try:
                self.client.sio.emit(
                    "participant:set_location",
                    {"location": location},
                    namespace=NAMESPACE,
                    callback=self._acked,
                )
            except socketio.exceptions.SocketIOError:
                return  # disconnected: the server has had enough
            self.sent += 1
            ahead = self.sent / FLOOD_RATE - (time.monotonic() - started)
            if ahead > 0:
                time.sleep(ahead)

    def _acked(self, reply: dict[str, Any]) -> None:
        with self.lock:
            self.acks.append(reply)

    def codes(self) -> list[str]:
        with self.lock:
            return [("ok" if a["ok"] else a["error"]["code"]) for a in self.acks]


@dataclass
class Steady:
    """A participant of another session sending an ordinary command every 300 ms."""

    client: LiveClient
    latencies: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def run(self, until: float) -> None:
        count = 0
        while time.monotonic() < until:
            location = "room" if count % 2 else "remote"
            sent = time.monotonic()
            try:
                reply = self.client.call("participant:set_location", {"location": location})
            except Exception as err:  # a timeout is the stall this test is about
                self.failures.append(repr(err))
                return
            self.latencies.append(time.monotonic() - sent)
            if not reply["ok"]:
                self.failures.append(reply["error"]["code"])
            count += 1
            time.sleep(0.3)


def scalar(database_url: str, query: str, **params: Any) -> int:
    engine = create_engine(database_url)
    with engine.connect() as connection:
        value = connection.execute(text(query), params).scalar_one()
    engine.dispose()
    return int(value)


def session_version(database_url: str, join_code: str) -> int:
    query = "SELECT version FROM peer_sessions WHERE join_code = :code"
    return scalar(database_url, query, code=join_code)


def present(database_url: str, join_code: str) -> int:
    """Live connections of the session's participants."""
    query = (
        "SELECT count(*) FROM connections c JOIN peer_sessions s ON s.id = c.session_id"
        " WHERE s.join_code = :code"
    )
    return scalar(database_url, query, code=join_code)


def eventually(condition, timeout: float = 15.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def in_threads(*targets) -> None:  # type: ignore[no-untyped-def]
    threads = [threading.Thread(target=target, daemon=True) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)


def test_a_flooding_participant_is_refused_and_dropped_while_others_carry_on(database_url):
    opened: list[LiveClient] = []

    def connect(url: str, token: str) -> LiveClient:
        client = LiveClient(url, token).connect()
        opened.append(client)
        return client

    grace = {"HOLDSPORT_RECONNECT_GRACE_SECONDS": str(Settings.reconnect_grace_seconds)}
    with running_server(database_url, **PEOPLES_BUDGET, **grace) as server:
        try:
            loud = create_session(server.url, title="Loud")
            flooder = join(server.url, loud["join_code"], "Flo")["token"]
            tabs = [Flood(connect(server.url, flooder)) for _ in range(2)]

            calm = create_session(server.url, title="Calm")
            tokens = [calm["facilitator_token"]] + [
                join(server.url, calm["join_code"], name)["token"]
                for name in ("Bo", "Cecilie", "Dorte", "Erik")
            ]
            steady = [Steady(connect(server.url, token)) for token in tokens]
            before = session_version(database_url, loud["join_code"])

            until = time.monotonic() + FLOOD_SECONDS
            in_threads(*(partial(t.run, until) for t in [*tabs, *steady]))
            # The other session never noticed: every command answered, promptly.
            for person in steady:
                assert person.failures == []
                assert len(person.latencies) >= FLOOD_SECONDS / 0.5
                assert max(person.latencies) < 2.0, person.latencies
                assert person.client.sio.connected

            # The flooder was refused, then dropped, from both tabs.
            assert eventually(lambda: not any(tab.client.sio.connected for tab in tabs))
            assert eventually(lambda: present(database_url, loud["join_code"]) == 0)
            codes = [code for tab in tabs for code in tab.codes()]
            assert "rate_limited" in codes
            assert set(codes) <= {"ok", "rate_limited"}
            assert sum(tab.sent for tab in tabs) > Settings.flood_factor * LIMIT
            # Nor can the flooder come straight back.
            again = LiveClient(server.url, flooder)
            with pytest.raises(socketio.exceptions.ConnectionError):
                again.connect()
            assert again.refusal["data"]["code"] == "rate_limited"
            assert again.refusal["data"]["params"]["seconds"] > 10
            # Only accepted commands changed anything, each raising the version once; the
            # drop told the session that Flo left (one more). A tab's commands run one at a
            # time: when the drop came, at most one per tab was running (its change kept,
            # its answer lost); those waiting behind it change nothing, even though the
            # dropped connection keeps its person present for the reconnect grace.
            accepted = codes.count("ok")
            changes = session_version(database_url, loud["join_code"]) - before - 1
            assert accepted <= changes <= accepted + len(tabs)
        finally:
            closing = [threading.Thread(target=c.disconnect) for c in opened]
            for thread in closing:
                thread.start()
            for thread in closing:
                thread.join(timeout=10)


@pytest.fixture
def two_processes(database_url):
    """Two server processes on one database and one Redis, as tests/test_scale_out.py runs
    them, with a small budget and a long window (one test stays within one window)."""
    require(redis_reachable(), f"Redis is not reachable at {REDIS_URL}")
    extra = {
        **PEOPLES_BUDGET,
        "REDIS_URL": REDIS_URL,
        # Its own channel, so its own counters: other runs may share this Redis.
        "HOLDSPORT_REDIS_CHANNEL": f"holdsport-test-{uuid.uuid4().hex}",
        "HOLDSPORT_COMMAND_LIMIT": str(SMALL),
        "HOLDSPORT_SYNC_LIMIT": "4",
        "HOLDSPORT_COMMAND_WINDOW_SECONDS": str(LONG_WINDOW),
    }
    started = [ServerProcess(database_url, **extra).start() for _ in range(2)]
    yield started
    for worker in started:
        worker.stop()


def test_one_person_on_two_processes_spends_one_budget(two_processes):
    one, two = two_processes
    for _attempt in range(2):  # again if the window turned during the first attempt
        window = time.time() // LONG_WINDOW
        host = create_session(one.url)
        token = join(one.url, host["join_code"], "Bo")["token"]
        tabs = [LiveClient(one.url, token).connect(), LiveClient(two.url, token).connect()]
        other = LiveClient(two.url, join(two.url, host["join_code"], "Cecilie")["token"])
        try:
            codes = []
            for index in range(SMALL):
                reply = tabs[index % 2].call("participant:set_location", {"location": "room"})
                codes.append("ok" if reply["ok"] else reply["error"]["code"])
            # A third tab, on either process, is refused before it costs anything.
            late = LiveClient(one.url, token)
            with pytest.raises(socketio.exceptions.ConnectionError):
                late.connect()
            other.connect()  # someone else still can
            other_reply = other.call("participant:set_location", {"location": "remote"})
        finally:
            for client in [*tabs, other]:
                client.disconnect()
        if time.time() // LONG_WINDOW == window:
            break
    # Two connections opened (each counts, like a sync), then commands in turn.
    assert codes == ["ok"] * (SMALL - 2) + ["rate_limited"] * 2
    assert tabs[0].acks[-1][1] == REFUSED and tabs[1].acks[-1][1] == REFUSED
    assert late.refusal["data"]["code"] == "rate_limited"
    assert 0 < late.refusal["data"]["params"]["seconds"] <= LONG_WINDOW
    assert other_reply == {"ok": True}
