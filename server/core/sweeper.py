"""The one background loop of a process: its heartbeat, the sweep of processes that
went quiet and of connections that dropped and were not taken up again in time,
closing its own sockets that no row knows any more, then every feature's periodic work
(subscribers of `Tick`), each in its own unit of work so one feature's failure stops
neither presence nor the others, and last the catch-up of rooms that missed events
from the message queue."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from flask import Flask
from sqlalchemy.orm import Session

from server.core import connections, message_queue
from server.core.bus import Tick, bus
from server.core.errors import DomainError
from server.core.runtime import Runtime
from server.core.unit import NAMESPACE, unit_of_work

log = logging.getLogger(__name__)


def sweep_once(runtime: Runtime, strays: Strays | None = None, judge_others: bool = True) -> None:
    """`judge_others`: this process has beaten steadily for a worker timeout, so another's
    old heartbeat means it is gone, not that the database was out for both of them."""
    with unit_of_work(runtime) as unit:
        connections.heartbeat(unit.db, runtime.worker_id, unit.now)
        timeout = runtime.settings.worker_timeout_seconds
        if judge_others:
            connections.sweep_dead_workers(unit.db, unit.now, timeout)
        grace = runtime.settings.reconnect_grace_seconds
        connections.sweep_closed(unit.db, unit.now, grace)
        if strays is not None:  # closed after the commit: their disconnects write too
            unit.change.after_commit.append(strays.closer(unit.db))
    for work in bus.subscribers(Tick):
        try:
            with unit_of_work(runtime) as unit:
                work(unit.db, Tick(unit.now), unit.now)
        except Exception:
            log.exception("periodic work %s failed", work.__qualname__)
    try:
        message_queue.catch_up(runtime)
    except Exception:
        log.exception("catching up failed")


class Strays:
    """This process's sockets whose connection row is gone: a removed person whose
    `disconnect` through the message queue never arrived, or a row swept while the
    process was paused. Closed on the second beat they are seen, so a connection whose
    row is still being written is never taken for one."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.seen: set[str] = set()

    def closer(self, db: Session) -> Callable[[], None]:
        """Find them now; the returned action closes them."""
        server = self.runtime.socketio.server
        local = {sid for sid, _ in server.manager.get_participants(NAMESPACE, None)}
        stray = connections.local_sids_without_rows(db, self.runtime.worker_id, local)
        closing, self.seen = stray & self.seen, stray - self.seen

        def close() -> None:
            for sid in closing:
                log.info("closing a connection no row knows")
                server.disconnect(sid, namespace=NAMESPACE, ignore_queue=True)

        return close


def start(app: Flask) -> None:
    runtime: Runtime = app.extensions["holdsport"]
    strays = Strays(runtime)

    def loop() -> None:
        # Until the process shuts down (core.shutdown): a round under way is finished
        # first, and no heartbeat after the shutdown set its last one.
        beating_since: float | None = None  # since the first round that went through
        while not runtime.drain.draining:
            planned = time.monotonic() + runtime.settings.sweep_seconds
            runtime.socketio.sleep(runtime.settings.sweep_seconds)
            # Late when the process is too busy to wake it (or was paused): countdowns and
            # presence lag by as much.
            runtime.metrics.sweep_lateness.observe(max(0.0, time.monotonic() - planned))
            with app.app_context():
                steady = beating_since is not None and (
                    time.monotonic() - beating_since >= runtime.settings.worker_timeout_seconds
                )
                try:
                    with runtime.drain.work():
                        sweep_once(runtime, strays, judge_others=steady)
                    beating_since = beating_since or time.monotonic()
                except DomainError:
                    return  # server_restarting
                except Exception:  # keep sweeping: one bad round must not stop presence
                    # (after a database outage the others' heartbeats are old too)
                    beating_since = None
                    log.exception("sweep failed")

    runtime.socketio.start_background_task(loop)
