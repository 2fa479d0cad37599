"""Two server processes behind one database and a Redis message queue.

Nothing lives only in one process: a client on either worker sees the same session,
and when a worker dies, the others report its people as gone.
"""

from __future__ import annotations

import os
import uuid

import pytest
import redis

from tests.live_client import LiveClient, create_session, join
from tests.support import ServerProcess, require

pytestmark = pytest.mark.server
REDIS_URL = os.environ.get("HOLDSPORT_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def redis_reachable() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.fixture
def workers(database_url):
    require(redis_reachable(), f"Redis is not reachable at {REDIS_URL}")
    extra = {
        "REDIS_URL": REDIS_URL,
        "HOLDSPORT_SWEEP_SECONDS": "0.5",
        "HOLDSPORT_WORKER_TIMEOUT_SECONDS": "3",
        # Test runs on other worktrees share this Redis: each run gets its own channel.
        "HOLDSPORT_REDIS_CHANNEL": f"holdsport-test-{uuid.uuid4().hex}",
    }
    first = ServerProcess(database_url, **extra)
    first.release()
    started = [first.start(), ServerProcess(database_url, **extra).start()]
    yield started
    for worker in started:
        worker.stop()


def test_clients_on_two_workers_share_one_session(workers):
    one, two = workers
    host = create_session(one.url)
    anne = LiveClient(one.url, host["facilitator_token"]).connect()
    bo = LiveClient(two.url, join(two.url, host["join_code"], "Bo")["token"]).connect()
    try:
        anne.wait_for(lambda: anne.people() == [("Anne", True), ("Bo", True)])
        assert anne.call("session:start") == {"ok": True}
        bo.wait_for(lambda: bo.state["session"]["status"] == "running")
    finally:
        anne.disconnect()
        bo.disconnect()


def test_people_on_a_killed_worker_are_reported_gone(workers):
    one, two = workers
    host = create_session(one.url)
    anne = LiveClient(one.url, host["facilitator_token"]).connect()
    bo = LiveClient(two.url, join(two.url, host["join_code"], "Bo")["token"]).connect()
    try:
        anne.wait_for(lambda: anne.people() == [("Anne", True), ("Bo", True)])
        two.stop(kill=True)  # no goodbye: only its silence tells
        # After the worker timeout (3 s here) the survivor's sweep removes Bo.
        anne.wait_for(lambda: anne.people() == [("Anne", True), ("Bo", False)], timeout=15)
    finally:
        anne.disconnect()
        bo.disconnect()
