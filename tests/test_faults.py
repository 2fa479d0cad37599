"""Faults with nothing acknowledged lost (issue 14): two server processes on a
PostgreSQL cluster and a Redis of the test's own, real Socket.IO clients in a running
session, a dilemma round moving on by its countdowns and a board being written.

- One process is killed (SIGKILL) mid-turn: its clients reconnect to the other one and
  resync within 10 s; the countdowns are handled exactly once (the agenda's history),
  and every post whose command was acknowledged is kept.
- PostgreSQL restarts: commands during the outage are refused `database_unavailable`
  and leave nothing half done; afterwards the session goes on. An outage longer than the
  workers' timeout makes nobody "left": a process judges others by their heartbeats
  only once it has itself beaten steadily for a timeout (core.sweeper).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
import requests
import socketio
from sqlalchemy import create_engine, text

from tests.live_client import LiveClient, all_current, create_session, join
from tests.postgres_support import PostgresCluster, own_postgres
from tests.redis_support import RedisServer, own_redis_server
from tests.restart_support import Rejoining, Writer, phase_titles
from tests.support import ServerProcess

pytestmark = [pytest.mark.server, pytest.mark.own_database]
# Quick sweeps, so countdowns run out on time; a killed process counts as gone after 3 s.
WORKER_ENV = {"HOLDSPORT_SWEEP_SECONDS": "0.5", "HOLDSPORT_WORKER_TIMEOUT_SECONDS": "3"}
RESYNC_SECONDS = 10  # the bound: reconnected elsewhere and current again
SEGMENT_SECONDS = 2  # each step of the round is shortened to about this long


@pytest.fixture
def cluster() -> Iterator[PostgresCluster]:
    with own_postgres() as cluster:
        yield cluster


@pytest.fixture
def redis_server(tmp_path) -> Iterator[RedisServer]:
    with own_redis_server(tmp_path) as server:
        yield server


@pytest.fixture
def workers(cluster: PostgresCluster, redis_server: RedisServer) -> Iterator[list[ServerProcess]]:
    extra = {**WORKER_ENV, "REDIS_URL": redis_server.url}
    started: list[ServerProcess] = []
    try:
        for _ in range(2):
            started.append(ServerProcess(cluster.url, **extra).start())
        yield started
    finally:
        for worker in started:
            worker.stop()


class Failover(Rejoining):
    """A client whose process dies: it connects again through the load balancer, which
    sends it to a process still alive (`fallback`)."""

    def __init__(self, base_url: str, token: str, fallback: str) -> None:
        super().__init__(base_url, token)
        self.fallback = fallback

    def _on_drop(self, reason: Any = None) -> None:
        self.base_url = self.fallback
        super()._on_drop(reason)


class PostWriter(Writer):
    """Writes board posts `<prefix> <n>` until the board's limit per person."""

    command = "board:post"
    pause = 1.5  # a person's pace, within the board's budget per connection

    def payload(self, title: str) -> dict[str, Any]:
        secret = f"{self.prefix}-secret-{title.rsplit(' ', 1)[1]}".ljust(32, "x")
        return {"prompt": 0, "text": title, "secret": secret}

    def done(self, reply: dict[str, Any]) -> bool:
        return bool(reply["error"]["code"] == "post_limit_reached")


class Shortener:
    """The facilitator shortens each new step to about SEGMENT_SECONDS, so that the
    round moves on by its countdowns (the sweepers) many times during the test."""

    def __init__(self, host: LiveClient) -> None:
        self.host = host
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> Shortener:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=15)

    def _run(self) -> None:
        shortened = -1
        while not self._stop.wait(0.1):
            agenda = self.host.state["agenda"]
            timer = agenda["timer"]
            if agenda["segment"] == shortened or timer["status"] != "running":
                continue
            ends = datetime.fromisoformat(timer["ends_at"])
            left = int((ends - datetime.now(UTC)).total_seconds())
            if left > SEGMENT_SECONDS:
                cut = {"segment": agenda["segment"], "seconds": SEGMENT_SECONDS - left}
                try:
                    self.host.call("timer:extend", cut)  # stale_segment: moved on already
                except socketio.exceptions.SocketIOError:
                    continue
            shortened = agenda["segment"]


def history(url: str, join_code: str) -> list[tuple[str, int, int | None]]:
    engine = create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT h.action, h.segment, h.turn_id FROM agenda_history h"
                " JOIN peer_sessions s ON s.id = h.session_id"
                " WHERE s.join_code = :code ORDER BY h.id"
            ),
            {"code": join_code},
        )
        found = [tuple(row) for row in rows]
    engine.dispose()
    return found  # type: ignore[return-value]


def turn_order(url: str, phase_id: int) -> list[int]:
    engine = create_engine(url)
    with engine.connect() as connection:
        ids = connection.scalars(
            text(
                "SELECT id FROM turns WHERE phase_id = :id AND left_out IS NULL ORDER BY position"
            ),
            {"id": phase_id},
        ).all()
    engine.dispose()
    return list(ids)


def post_texts(url: str) -> list[str]:
    engine = create_engine(url)
    with engine.connect() as connection:
        texts = connection.scalars(text("SELECT text FROM board_posts")).all()
    engine.dispose()
    return list(texts)


def countdown_faults(steps: list[tuple[str, int, int | None]], turns: list[int]) -> list[str]:
    """What the agenda's history shows doubled or skipped: each segment started once and
    in sequence, each countdown run out once, each turn started once, in the order."""
    faults = []
    started = [segment for action, segment, _ in steps if action == "segment_started"]
    if started != list(range(started[0], started[0] + len(started))):
        faults.append(f"segments not one after another: {started}")
    ran_out = [segment for action, segment, _ in steps if action == "time_up"]
    faults += [f"time up twice in segment {s}" for s in set(ran_out) if ran_out.count(s) > 1]
    finished = sum(1 for action, _, _ in steps if action == "finished")
    if len(ran_out) != len(started) - 1 + finished:
        faults.append(f"{len(ran_out)} countdowns ran out for {len(started)} segments")
    presented = [turn for action, _, turn in steps if action == "turn_started"]
    if presented != turns[: len(presented)]:
        faults.append(f"turns started {presented}, in the order {turns}")
    return faults


def test_a_process_killed_mid_turn_loses_nothing_acknowledged(workers, cluster):
    one, two = workers
    host = create_session(one.url)
    code = host["join_code"]
    anne = LiveClient(one.url, host["facilitator_token"]).connect()
    names = {"Bo": two, "Cara": two, "Dan": one, "Eva": one}
    people: dict[str, LiveClient] = {}
    for name, worker in names.items():
        token = join(worker.url, code, name)["token"]
        people[name] = Failover(worker.url, token, fallback=one.url).connect()
    everyone = [anne, *people.values()]
    victims = [people["Bo"], people["Cara"]]
    writers: list[Writer] = []
    shortener = Shortener(anne)
    try:
        anne.wait_for(lambda: len(anne.state["participants"]) == 5)
        # The new session's open discussion makes way for a dilemma round that moves on
        # by itself at each step's time-up.
        default = anne.state["agenda"]["phases"][0]["id"]
        assert anne.call("agenda:remove_phase", {"phase_id": default}) == {"ok": True}
        round_ = {"kind": "dilemma_round", "title": "Dilemmaer", "minutes": 40, "advance": "auto"}
        assert anne.call("agenda:add_phase", round_) == {"ok": True}
        assert anne.call("session:start") == {"ok": True}
        assert anne.call("board:open", {"prompts": ["Hvad fylder?"], "mode": "live"})["ok"]
        phase_id = anne.state["agenda"]["current"]["phase_id"]
        shortener.start()
        writers = [PostWriter(people[name], name).start() for name in names]
        for writer in writers:
            writer.wait_for_acks(3)
        anne.wait_for(lambda: anne.state["agenda"]["segment"] >= 3, timeout=20)
        assert anne.state["agenda"]["current"]["turn_id"] is not None  # mid-turn
        segment_at_kill = anne.state["agenda"]["segment"]
        written_at_kill = [len(writer.acked) for writer in writers]
        assert max(written_at_kill) < 10, written_at_kill  # still writing when it dies

        two.stop(kill=True)  # SIGKILL: no goodbye, no drain
        for victim in victims:
            victim.wait_for(lambda v=victim: len(v.away) == 1, timeout=RESYNC_SECONDS + 5)
            assert victim.away[0] < RESYNC_SECONDS, victim.away
            assert victim.base_url == one.url
        # The survivor's sweeper alone moves the round on now.
        anne.wait_for(lambda: anne.state["agenda"]["segment"] >= segment_at_kill + 3, timeout=30)
        for writer in writers:
            writer.wait_until_done(timeout=60)
        shortener.stop()
        segment = anne.state["agenda"]["segment"]
        reply = anne.call("timer:pause", {"segment": segment})
        assert reply["ok"] or reply["error"]["code"] == "stale_segment", reply
        all_current(everyone, timeout=RESYNC_SECONDS)

        steps = history(cluster.url, code)
        print(f"away after the kill: {[round(v.away[0], 2) for v in victims]} s")
        assert countdown_faults(steps, turn_order(cluster.url, phase_id)) == []
        assert sum(1 for s in steps if s[0] == "time_up" and s[1] >= segment_at_kill) >= 3
        kept = post_texts(cluster.url)
        for writer in writers:
            assert writer.faults(kept) == [], writer.outcomes(kept)
            # Up to the board's limit, a post lost with its connection's ack included.
            outcomes = writer.outcomes(kept)
            assert outcomes["acked"] + outcomes["unanswered but done"] == 10, outcomes
    finally:
        shortener.stop()
        for writer in writers:
            writer.stop()
        for client in everyone:
            client.disconnect()


def test_commands_during_a_database_restart_are_refused_whole_and_the_session_goes_on(
    workers, cluster
):
    one, two = workers
    host = create_session(one.url)
    code = host["join_code"]
    anne = Rejoining(one.url, host["facilitator_token"]).connect()
    bo = Rejoining(two.url, join(two.url, code, "Bo")["token"]).connect()
    cara = Rejoining(one.url, join(one.url, code, "Cara")["token"]).connect()
    everyone = [anne, bo, cara]
    try:
        anne.wait_for(lambda: len(anne.state["participants"]) == 3)
        assert anne.call("session:start") == {"ok": True}
        assert anne.call("board:open", {"prompts": ["Hvad fylder?"], "mode": "live"})["ok"]
        all_current(everyone, timeout=10)
        before = {k: len(v) for k, v in _counted_tables(cluster.url).items()}

        cluster.stop()  # a restart: every database connection is cut, none can open
        refused = []
        for client, name, payload in (
            (anne, "agenda:add_phase", {"kind": "break", "title": "Pause", "minutes": 5}),
            (bo, "board:post", {"prompt": 0, "text": "Under udfaldet", "secret": "s" * 32}),
            (cara, "hand:raise", {}),
            (anne, "session:sync", {}),
        ):
            reply = client.call(name, payload)
            refused.append((name, reply))
            assert reply["ok"] is False, (name, reply)
            assert reply["error"]["code"] == "database_unavailable", (name, reply)
        # In the connection's language, and HTTP says so with 503.
        assert bo.call("hand:raise")["error"]["message"].startswith("The server cannot reach")
        assert anne.acks[-1][1]["error"]["message"].startswith("Serveren kan ikke")
        answer = requests.get(f"{two.url}/api/sessions/{code}", timeout=10)
        assert answer.status_code == 503
        assert answer.json()["error"]["code"] == "database_unavailable"
        assert requests.get(f"{one.url}/api/ready", timeout=10).status_code == 503

        cluster.start()
        after = {k: len(v) for k, v in _counted_tables(cluster.url).items()}
        assert after == before  # nothing of the refused commands was kept
        # The session goes on: commands work again, on both processes.
        deadline = time.monotonic() + 10
        while anne.call("session:sync")["ok"] is False:
            assert time.monotonic() < deadline, anne.acks[-1]
            time.sleep(0.2)
        assert anne.call("agenda:add_phase", {"kind": "break", "title": "Pause", "minutes": 5})[
            "ok"
        ]
        assert bo.call("board:post", {"prompt": 0, "text": "Efter", "secret": "t" * 32})["ok"]
        assert cara.call("hand:raise") == {"ok": True}
        all_current(everyone, timeout=RESYNC_SECONDS)
        assert "Pause" in phase_titles(anne.state)
        assert post_texts(cluster.url) == ["Efter"]
    finally:
        for client in everyone:
            client.disconnect()


def _counted_tables(url: str) -> dict[str, list[Any]]:
    engine = create_engine(url)
    with engine.connect() as connection:
        found = {
            table: connection.execute(text(f"SELECT * FROM {table}")).all()
            for table in ("phases", "board_posts", "hands", "agenda_history")
        }
    engine.dispose()
    return found


def test_a_database_outage_longer_than_the_worker_timeout_reports_nobody_gone(workers, cluster):
    one, two = workers
    host = create_session(one.url)
    anne = LiveClient(one.url, host["facilitator_token"]).connect()
    bo = Rejoining(two.url, join(two.url, host["join_code"], "Bo")["token"]).connect()
    try:
        anne.wait_for(lambda: anne.people() == [("Anne", True), ("Bo", True)])
        cluster.stop()
        # The outage itself: longer than the workers' timeout (3 s here).
        time.sleep(float(WORKER_ENV["HOLDSPORT_WORKER_TIMEOUT_SECONDS"]) + 2)
        cluster.start()
        all_current([anne, bo], timeout=RESYNC_SECONDS)
        time.sleep(2)  # a few sweeps of both processes after the outage
        left = [p for name, p in anne.received if name == "participant:left"]
        assert left == [], left
    finally:
        anne.disconnect()
        bo.disconnect()
