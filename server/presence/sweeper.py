"""The one background loop of a worker: heartbeat, sweep workers that went quiet, and
handle countdowns that ran out."""

from __future__ import annotations

import logging

from flask import Flask

from server.agenda import service as agenda
from server.core.realtime import publish
from server.core.runtime import Runtime
from server.presence import service

log = logging.getLogger(__name__)


def sweep_once(runtime: Runtime) -> None:
    now = runtime.clock.now()
    with runtime.db.transaction() as db:
        service.heartbeat(db, runtime.worker_id, now)
        events = service.sweep_dead_workers(db, now, runtime.settings.worker_timeout_seconds)
    publish(events)
    settle_timers(runtime)


def settle_timers(runtime: Runtime) -> None:
    """Time-ups that are due, each in its own transaction; any number of workers may race."""
    now = runtime.clock.now()
    with runtime.db.transaction() as db:
        due = agenda.due_session_ids(db, now)
    for session_id in due:
        with runtime.db.transaction() as db:
            events = agenda.settle_due(db, session_id, now)  # none if another worker was first
        publish(events)


def start(app: Flask) -> None:
    runtime: Runtime = app.extensions["holdsport"]

    def loop() -> None:
        while True:
            runtime.socketio.sleep(runtime.settings.sweep_seconds)
            with app.app_context():
                try:
                    sweep_once(runtime)
                except Exception:  # keep sweeping: one bad round must not stop presence
                    log.exception("sweep failed")

    runtime.socketio.start_background_task(loop)
