"""The one background loop of a worker: heartbeat, sweep workers that went quiet,
handle countdowns that ran out, and run other features' periodic work."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from flask import Flask
from sqlalchemy.orm import Session

from server.agenda import service as agenda
from server.core.domain import Event
from server.core.realtime import publish
from server.core.runtime import Runtime
from server.presence import service

log = logging.getLogger(__name__)

SweepHook = Callable[[Session, datetime], list[Event]]
# Other features' periodic work (the board's batches), each round in its own transaction.
SWEEP_HOOKS: list[SweepHook] = []


def on_sweep(hook: SweepHook) -> SweepHook:
    SWEEP_HOOKS.append(hook)
    return hook


def sweep_once(runtime: Runtime) -> None:
    now = runtime.clock.now()
    with runtime.db.transaction() as db:
        service.heartbeat(db, runtime.worker_id, now)
        events = service.sweep_dead_workers(db, now, runtime.settings.worker_timeout_seconds)
    publish(events)
    settle_timers(runtime)
    for hook in SWEEP_HOOKS:
        try:
            with runtime.db.transaction() as db:
                events = hook(db, now)
        except Exception:  # one feature's failure must not stop presence, or the others
            log.exception("sweep hook %s failed", hook.__qualname__)
            continue
        publish(events)


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
