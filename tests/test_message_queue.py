"""The message queue's own parts, without server processes: which rooms fell behind,
what counts as sent, and publishing that gives up quickly when Redis is away."""

from __future__ import annotations

import socket
import time

from server.core.message_queue import (
    PUBLISH_PAUSE_SECONDS,
    Delivered,
    RedisQueue,
    catch_up,
    local_versions,
)
from server.core.unit import NAMESPACE
from tests.board_support import make_room
from tests.conftest import WORKER
from tests.support import free_port


def test_a_room_is_told_only_when_it_stays_behind_past_the_grace():
    delivered = Delivered(grace_seconds=2)
    delivered.sent("session:1", 5)
    assert delivered.due({"session:1": 5}, now=0) == {}
    # Version 6 is committed; its event may be on its way: not yet.
    assert delivered.due({"session:1": 6}, now=10) == {}
    assert delivered.due({"session:1": 6}, now=11) == {}
    assert delivered.due({"session:1": 6}, now=12) == {"session:1": 6}
    # Told once: the room counts as caught up at 6.
    assert delivered.due({"session:1": 6}, now=20) == {}


def test_an_event_that_arrives_within_the_grace_clears_the_room():
    delivered = Delivered(grace_seconds=2)
    delivered.sent("session:1", 5)
    assert delivered.due({"session:1": 6}, now=0) == {}
    delivered.sent("session:1", 6)
    assert delivered.due({"session:1": 6}, now=5) == {}
    # A newer miss starts its own grace.
    delivered.sent("session:1", 6)
    assert delivered.due({"session:1": 8}, now=6) == {}
    delivered.sent("session:1", 7)  # 7 came, 8 did not
    assert delivered.due({"session:1": 8}, now=7) == {}
    assert delivered.due({"session:1": 8}, now=9) == {"session:1": 8}


def test_rooms_without_connections_here_are_forgotten():
    delivered = Delivered(grace_seconds=0)
    delivered.sent("session:1", 3)
    assert delivered.due({"session:2": 4}, now=0) == {}
    # Session 1 is gone from this process; coming back it starts unknown and is told once.
    assert delivered.due({"session:1": 3}, now=1) == {}
    assert delivered.due({"session:1": 3}, now=2) == {"session:1": 3}


def test_the_queue_records_what_reaches_this_process_s_rooms():
    queue = RedisQueue(f"redis://127.0.0.1:{free_port()}/0", "test")
    event = {"method": "emit", "namespace": NAMESPACE, "event": "agenda:updated"}
    queue._handle_emit({**event, "room": "session:4", "data": [{"version": 9}]})
    queue._handle_emit({**event, "room": "session:4", "data": [{"version": 8}]})
    queue._handle_emit({**event, "room": "sid-1", "data": [{"version": 30}]})  # one connection
    queue._handle_emit({**event, "room": "session:5", "data": [{"count": 2}]})  # unversioned
    assert queue.delivered._sent_to == {"sid-1": 30}
    assert queue.delivered.due({"session:4": 9}, now=0) == {}
    assert queue.delivered._sent == {"session:4": 9}


def test_a_payload_per_connection_counts_once_every_connection_here_has_it():
    """`breakout:updated` goes to each sid with its own payload (core.change.emit_each):
    the room is not behind once each of its connections here got its version, and is
    told when one of them missed it."""
    delivered = Delivered(grace_seconds=2)
    members = {"session:1": ["sid-a", "sid-b"]}
    delivered.sent("session:1", 5)
    delivered.sent_to("sid-a", 6)
    delivered.sent_to("sid-b", 6)
    assert delivered.due({"session:1": 6}, now=0, members=members) == {}
    assert delivered.due({"session:1": 6}, now=10, members=members) == {}
    delivered.sent_to("sid-a", 7)  # sid-b's 7 was lost on the way
    assert delivered.due({"session:1": 7}, now=11, members=members) == {}
    assert delivered.due({"session:1": 7}, now=13, members=members) == {"session:1": 7}
    # A connection gone from this process is forgotten; a room event counts for all.
    assert delivered.due({"session:1": 7}, now=14, members={"session:1": ["sid-a"]}) == {}
    assert delivered._sent_to == {"sid-a": 7}


def test_publishing_to_a_stopped_redis_gives_up_at_once_and_pauses():
    queue = RedisQueue(f"redis://127.0.0.1:{free_port()}/0", "test")  # nobody listens there
    started = time.monotonic()
    assert queue._publish({"method": "emit"}) is None
    assert queue._publish({"method": "emit"}) is None  # paused: not even tried
    assert time.monotonic() - started < 1
    assert queue._skipped == 2


def test_publishing_to_a_hung_redis_waits_only_the_timeout():
    with socket.socket() as hung:  # accepts connections, never answers
        hung.bind(("127.0.0.1", 0))
        hung.listen(8)
        port = hung.getsockname()[1]
        queue = RedisQueue(f"redis://127.0.0.1:{port}/0", "test", timeout=0.2)
        started = time.monotonic()
        assert queue._publish({"method": "emit"}) is None
        assert time.monotonic() - started < 1  # two tries of 0.2 s, not redis-py's 5 s each
        started = time.monotonic()
        assert queue._publish({"method": "emit"}) is None
        assert time.monotonic() - started < 0.05
        assert queue._paused_until - time.monotonic() <= PUBLISH_PAUSE_SECONDS


def test_without_a_queue_there_is_nothing_to_catch_up(app, database, clock):
    with app.app_context():
        catch_up(app.extensions["holdsport"])  # one process: returns without a query


def test_local_versions_are_the_sessions_this_process_has_connections_in(db, clock):
    room = make_room(db, clock, people=1)
    db.flush()
    versions = local_versions(db, WORKER)
    assert list(versions) == [f"session:{room.host.session_id}"]
    assert local_versions(db, "another-worker") == {}
