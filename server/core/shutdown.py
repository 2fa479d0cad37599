"""A process's way out on SIGTERM (a rolling restart): hand its people on, lose nothing.

1. It stops taking new connections: a new Engine.IO handshake is answered 503, which
   the proxy retries on another process (deploy/nginx.conf, `SendElsewhere`); commands
   that arrive now
   are refused with `server_restarting` and change nothing.
2. It finishes what runs: the commands in flight (their acks go out) and a sweep.
3. Its connection rows stay, and its heartbeat is set so that the other processes'
   sweep finds it dead `HOLDSPORT_SHUTDOWN_GRACE_SECONDS` from now: someone back on
   another process by then never counted as gone; only who is not back is reported left.
4. It closes its connections at the Engine.IO level, so clients reconnect by themselves
   (to another process, or to this one's successor) and get a snapshot.

The entry point (server/cli.py) hooks the signal and stops the web server afterwards;
nothing here depends on the async mode.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qs

from server.core import connection_bound, connections
from server.core.runtime import Runtime
from server.core.unit import NAMESPACE, unit_of_work

log = logging.getLogger(__name__)
# How long the commands in flight may take to finish before the process goes anyway.
FINISH_SECONDS = 10.0
# The longest wait for the last acks to reach long-polling clients (their next poll).
ACK_SECONDS = 1.0
# After closing: time for the close to reach the clients.
FLUSH_SECONDS = 0.5

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


def drain(runtime: Runtime) -> None:
    """Steps 1-4 above; returns when the web server may stop."""
    started = time.monotonic()
    runtime.drain.draining = True
    log.info("shutting down: finishing %s commands in flight", runtime.drain.running)
    while runtime.drain.running and time.monotonic() - started < FINISH_SECONDS:
        runtime.socketio.sleep(0.05)
    settings = runtime.settings
    try:
        with unit_of_work(runtime) as unit:
            connections.depart(
                unit.db,
                runtime.worker_id,
                unit.now,
                grace_seconds=settings.shutdown_grace_seconds,
                timeout_seconds=settings.worker_timeout_seconds,
            )
            connection_bound.free_worker(unit.db, runtime.worker_id)
    except Exception:  # the rows stay all the same: swept after the worker timeout instead
        log.exception("could not set the shutdown's grace")
    server = runtime.socketio.server
    local = [sid for sid, _ in server.manager.get_participants(NAMESPACE, None)]
    transports = [server.manager.eio_sid_from_sid(sid, NAMESPACE) for sid in local]
    _wait_for_acks_to_go_out(runtime, [t for t in transports if t is not None])
    for transport in transports:
        if transport is not None:
            # Not a Socket.IO disconnect: after that, clients would not reconnect by
            # themselves. Each in a task of its own: a close waits until a long-polling
            # client has fetched it, which one that is gone never does.
            runtime.socketio.start_background_task(server.eio.disconnect, transport)
    if local:
        runtime.socketio.sleep(FLUSH_SECONDS)
    log.info("shut down: %s connections handed on", len(local))


def _wait_for_acks_to_go_out(runtime: Runtime, transports: list[str]) -> None:
    """Until every connection's outgoing queue is empty (at most ACK_SECONDS): a
    long-polling client fetches its last acks with its next poll, and once closed, a
    connection answers no poll."""
    sockets = runtime.socketio.server.eio.sockets
    started = time.monotonic()
    while time.monotonic() - started < ACK_SECONDS:
        if all(sockets[t].queue.empty() for t in transports if t in sockets):
            return
        runtime.socketio.sleep(0.05)


class SendElsewhere:
    """WSGI middleware: Socket.IO requests this process should not take get 503, which
    the proxy answers by trying the next process (deploy/nginx.conf), where nothing was
    done yet: a new connection (a handshake, without a `sid`) while draining, and a
    long-poll of a connection this process does not hold. The proxy's stickiness sends
    a browser to one process, but after that process stopped, its connection lives on
    another one, and polls must find it there once the first is back."""

    def __init__(self, app: WSGIApp, runtime: Runtime) -> None:
        self.app = app
        self.runtime = runtime

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO", "").startswith("/socket.io/"):
            sid = parse_qs(environ.get("QUERY_STRING", "")).get("sid")
            held = self.runtime.socketio.server.eio.sockets
            if (sid is None and self.runtime.drain.draining) or (sid and sid[0] not in held):
                start_response("503 Service Unavailable", [("Retry-After", "1")])
                return [b"not here"]
        return self.app(environ, start_response)
