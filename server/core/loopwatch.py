"""How long the event loop was held: a ticker that sleeps a little and notes how late it
woke (HOLDSPORT_LOOP_WATCH, docs/operations.md).

Under eventlet one greenlet that runs without yielding (a long query on a blocking
driver, a full garbage collection, a large payload encoded) holds every connection of
the process; the ticker wakes late by as much. Each lag goes into a histogram, the
longest since the previous scrape into a gauge, and one over STALL_SECONDS into the log.
"""

from __future__ import annotations

import logging
import threading
import time

from server.core.runtime import Runtime

log = logging.getLogger(__name__)

TICK_SECONDS = 0.02
STALL_SECONDS = 0.1  # the bound for a single stall


class LongestLag:
    """The longest lag seen since it was last read (a gauge read at each scrape)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._longest = 0.0

    def note(self, seconds: float) -> None:
        with self._lock:
            self._longest = max(self._longest, seconds)

    def take(self) -> float:
        with self._lock:
            longest, self._longest = self._longest, 0.0
        return longest


def start(runtime: Runtime) -> None:
    metrics = runtime.metrics
    longest = LongestLag()
    metrics.loop_lag_max.set_function(longest.take)

    def tick() -> None:
        while not runtime.drain.draining:
            planned = time.monotonic() + TICK_SECONDS
            runtime.socketio.sleep(TICK_SECONDS)
            lag = max(0.0, time.monotonic() - planned)
            metrics.loop_lag.observe(lag)
            longest.note(lag)
            if lag > STALL_SECONDS:
                log.warning("the event loop was held for %.0f ms", lag * 1000)

    runtime.socketio.start_background_task(tick)
