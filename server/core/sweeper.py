"""The one background loop of a process: its heartbeat, the sweep of processes that
went quiet, then every feature's periodic work (subscribers of `Tick`), each in its
own unit of work so one feature's failure stops neither presence nor the others, and
last the catch-up of rooms that missed events from the message queue."""

from __future__ import annotations

import logging

from flask import Flask

from server.core import connections, message_queue
from server.core.bus import Tick, bus
from server.core.runtime import Runtime
from server.core.unit import unit_of_work

log = logging.getLogger(__name__)


def sweep_once(runtime: Runtime) -> None:
    with unit_of_work(runtime) as unit:
        connections.heartbeat(unit.db, runtime.worker_id, unit.now)
        timeout = runtime.settings.worker_timeout_seconds
        connections.sweep_dead_workers(unit.db, unit.now, timeout)
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
