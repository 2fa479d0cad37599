"""The message queue between server processes (Redis), and catching up when it fails.

With `REDIS_URL` set, every event reaches this process's own clients at once and the
other processes' clients through Redis (python-socketio's pub/sub manager). When Redis
is down or hangs, a publish gives up within about two seconds, is logged, and the
command still answers: committed is committed. The other processes' clients miss
those events, and nothing would tell them until a later event showed a version gap.

So each process checks, on its sweeper tick, the version of every session it has
connections in against the newest version it has sent that session's room, its own
events and those that came through Redis alike. A room still behind after a short
grace (an event may be on its way) gets `session:version` from this process alone,
not through Redis, so it works while Redis is down; a client whose state is older
fetches a snapshot (`session:sync`, docs/protocol.md). The listener that receives
from Redis retries every few seconds until Redis is back, so live events resume.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Collection, Iterator, Mapping
from contextlib import suppress
from typing import Any

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry
from socketio import PubSubManager
from sqlalchemy import column, select, table
from sqlalchemy.orm import Session

from server.core.connections import Connection
from server.core.domain import declare_events
from server.core.runtime import Runtime
from server.core.unit import NAMESPACE, room, unit_of_work

log = logging.getLogger(__name__)
declare_events("session:version")

# A publish waits this long to connect and for Redis's reply, twice, then gives up.
PUBLISH_TIMEOUT_SECONDS = 1.0
# After a failed publish, publishing is skipped this long: a hung Redis must not slow
# every command; the clients that miss those events catch up by version.
PUBLISH_PAUSE_SECONDS = 2.0
# The listener tries to subscribe again at most this far apart while Redis is away.
LISTEN_RETRY_MAX_SECONDS = 2.0
# How long a room may look behind before it is told: an event may be on its way.
CATCH_UP_GRACE_SECONDS = 2.0

_SESSIONS = table("peer_sessions", column("id"), column("version"))


class Delivered:
    """Per room of this process: the newest version it sent, and which rooms fell behind.

    An event with a payload per connection (core.change.emit_each) is sent to each sid
    instead of the room: the room has that version once every connection of it here has.
    """

    def __init__(self, grace_seconds: float = CATCH_UP_GRACE_SECONDS) -> None:
        self.grace_seconds = grace_seconds
        self._sent: dict[str, int] = {}
        self._sent_to: dict[str, int] = {}  # by sid: the newest payload of its own
        # A room that looked behind: the version it lacked and when that was first seen.
        self._behind: dict[str, tuple[int, float]] = {}
        self._lock = threading.Lock()

    def sent(self, room_name: str, version: int) -> None:
        with self._lock:
            self._sent[room_name] = max(version, self._sent.get(room_name, -1))

    def sent_to(self, sid: str, version: int) -> None:
        with self._lock:
            self._sent_to[sid] = max(version, self._sent_to.get(sid, -1))

    def due(
        self,
        versions: Mapping[str, int],
        now: float,
        members: Mapping[str, Collection[str]] | None = None,
    ) -> dict[str, int]:
        """The rooms to tell their version: still behind `versions` after the grace.

        `versions` holds the committed version of every room with a connection here;
        rooms not in it are forgotten. `members`: the sids of each room here (for what
        was sent to each). A room told is taken as caught up at that version.
        """
        members = members or {}
        due: dict[str, int] = {}
        with self._lock:
            for known in (self._sent, self._behind):
                for gone in known.keys() - versions.keys():
                    del known[gone]
            here = {sid for sids in members.values() for sid in sids}
            for gone in self._sent_to.keys() - here:
                del self._sent_to[gone]
            for room_name, version in versions.items():
                sent = self._sent.get(room_name, -1)
                sids = members.get(room_name)
                if sids:
                    sent = max(sent, min(self._sent_to.get(sid, -1) for sid in sids))
                seen = self._behind.get(room_name)
                if sent >= version:
                    self._behind.pop(room_name, None)
                elif seen is None or sent >= seen[0]:
                    self._behind[room_name] = (version, now)
                elif now - seen[1] >= self.grace_seconds:
                    due[room_name] = version
                    self._sent[room_name] = version
                    del self._behind[room_name]
        return due


def _versions_sent(message: Mapping[str, Any]) -> list[tuple[str, int]]:
    """The targets and version of a versioned event: `room` names the session's room, or
    the sids of the connections that share one payload of their own (a list)."""
    target, data = message.get("room"), message.get("data")
    if message.get("namespace") != NAMESPACE or not isinstance(data, list) or len(data) != 1:
        return []
    version = data[0].get("version") if isinstance(data[0], dict) else None
    if not isinstance(version, int):
        return []
    targets = target if isinstance(target, list) else [target]
    return [(name, version) for name in targets if isinstance(name, str)]


class RedisQueue(PubSubManager):
    """python-socketio's Redis pub/sub backend, with bounded waits and a record of
    what this process sent each room (for `catch_up`)."""

    name = "redis"

    def __init__(self, url: str, channel: str, *, timeout: float = PUBLISH_TIMEOUT_SECONDS) -> None:
        super().__init__(channel=channel)
        self.url = url
        self.timeout = timeout
        self.delivered = Delivered()
        self._publisher: redis.Redis | None = None
        self._paused_until = 0.0
        self._failed_since: float | None = None
        self._skipped = 0

    def _handle_emit(self, message: dict[str, Any]) -> None:
        # Every emit reaches this process's clients here: its own and those from Redis.
        super()._handle_emit(message)
        for target, version in _versions_sent(message):
            if target.startswith("session:"):
                self.delivered.sent(target, version)
            else:
                self.delivered.sent_to(target, version)

    def _client(self, **options: Any) -> redis.Redis:
        # No retries inside redis-py: the publisher and the listener each retry their way.
        return redis.Redis.from_url(
            self.url, socket_connect_timeout=self.timeout, retry=Retry(NoBackoff(), 0), **options
        )

    def _publish(self, data: Any) -> int | None:
        now = time.monotonic()
        if now < self._paused_until:
            self._skipped += 1
            return None
        error: Exception | None = None
        for _attempt in range(2):  # a second try on a fresh connection: Redis may have restarted
            try:
                if self._publisher is None:
                    self._publisher = self._client(socket_timeout=self.timeout)
                receivers = int(self._publisher.publish(self.channel, self.json.dumps(data)))
            except Exception as err:
                error = err
                self._drop_publisher()
                continue
            if self._failed_since is not None:
                log.info(
                    "publishing to Redis again after %.1f s (%s messages not sent)",
                    now - self._failed_since,
                    self._skipped,
                )
                self._failed_since, self._skipped = None, 0
            return receivers
        self._paused_until = time.monotonic() + PUBLISH_PAUSE_SECONDS
        self._skipped += 1
        if self._failed_since is None:
            self._failed_since = now
            log.error("cannot publish to Redis (%s); other processes' clients catch up", error)
        return None

    def _drop_publisher(self) -> None:
        publisher, self._publisher = self._publisher, None
        if publisher is not None:
            with suppress(Exception):  # already broken: nothing to close cleanly
                publisher.close()

    def _listen(self) -> Iterator[bytes]:
        channel = self.channel.encode()
        for message in self._messages():
            if message.get("type") == "message" and message.get("channel") == channel:
                yield message["data"]

    def _messages(self) -> Iterator[dict[str, Any]]:
        """Everything Redis sends on the channel, subscribing again whenever it is lost."""
        pause = 0.5
        lost_at: float | None = None
        while True:
            # No read timeout: a quiet channel is no failure. Keepalive finds dead peers.
            listener = self._client(socket_timeout=None, socket_keepalive=True)
            pubsub = listener.pubsub(ignore_subscribe_messages=True)
            try:
                pubsub.subscribe(self.channel)
                if lost_at is not None:
                    log.info("listening to Redis again after %.1f s", time.monotonic() - lost_at)
                    lost_at, pause = None, 0.5
                yield from pubsub.listen()
            except Exception as err:
                if lost_at is None:
                    lost_at = time.monotonic()
                    log.error("lost the Redis listener (%s); retrying", err)
            finally:
                with suppress(Exception):  # already broken: nothing to close cleanly
                    pubsub.close()
                    listener.close()
            time.sleep(pause)
            pause = min(pause * 2, LISTEN_RETRY_MAX_SECONDS)


def queue_manager(url: str | None, channel: str) -> RedisQueue | None:
    """The client manager for Socket.IO: None (one process, no queue) without a URL."""
    return RedisQueue(url, channel) if url else None


def local_versions(db: Session, worker_id: str) -> dict[str, int]:
    """The committed version of every session this process has a connection in, by room."""
    rows = db.execute(
        select(Connection.session_id, _SESSIONS.c.version)
        .join(_SESSIONS, _SESSIONS.c.id == Connection.session_id)
        .where(Connection.worker_id == worker_id)
        .distinct()
    )
    return {room(session_id): int(version) for session_id, version in rows}


def catch_up(runtime: Runtime) -> None:
    """Tell this process's rooms that fell behind their version (the sweeper runs this)."""
    queue = runtime.socketio.server.manager
    if not isinstance(queue, RedisQueue):
        return  # one process: every event reached every client already
    with unit_of_work(runtime) as unit:
        versions = local_versions(unit.db, runtime.worker_id)
    members = {
        room_name: [sid for sid, _ in queue.get_participants(NAMESPACE, room_name)]
        for room_name in versions
    }
    for room_name, version in queue.delivered.due(versions, time.monotonic(), members).items():
        # Only to this process's own clients: each process tells its own, Redis or not.
        runtime.socketio.emit(
            "session:version",
            {"version": version},
            to=room_name,
            namespace=NAMESPACE,
            ignore_queue=True,
        )
