"""How long the event loop was held: a ticker that sleeps a little and notes how late it
woke (HOLDSPORT_LOOP_WATCH, docs/operations.md).

Under eventlet one greenlet that runs without yielding (a long query on a blocking
driver, a full garbage collection, a large payload encoded) holds every connection of
the process; the ticker wakes late by as much. Each lag goes into a histogram, the
longest since the previous scrape into a gauge, and one over STALL_SECONDS into the log.

On a machine shared with other work the process also wakes late because it waits for a
core: where Linux tells that wait (/proc/thread-self/schedstat), the lag less it is the
loop *held* by the process itself, measured apart.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

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


SCHEDSTAT = Path("/proc/thread-self/schedstat")


def waited_for_a_core() -> float | None:
    """Seconds this thread has waited, runnable, for a CPU; None where Linux does not say."""
    try:
        return int(SCHEDSTAT.read_text().split()[1]) / 1e9
    except (OSError, IndexError, ValueError):
        return None


def start(runtime: Runtime) -> None:
    metrics = runtime.metrics
    longest, held_longest = LongestLag(), LongestLag()
    metrics.loop_lag_max.set_function(longest.take)
    metrics.loop_held_max.set_function(held_longest.take)

    def tick() -> None:
        while not runtime.drain.draining:
            planned = time.monotonic() + TICK_SECONDS
            waited = waited_for_a_core()
            runtime.socketio.sleep(TICK_SECONDS)
            lag = max(0.0, time.monotonic() - planned)
            metrics.loop_lag.observe(lag)
            longest.note(lag)
            after = waited_for_a_core()
            held = lag if waited is None or after is None else max(0.0, lag - (after - waited))
            metrics.loop_held.observe(held)
            held_longest.note(held)
            if lag > STALL_SECONDS:
                log.warning(
                    "the event loop was held for %.0f ms (%.0f ms not waiting for a core)",
                    lag * 1000,
                    held * 1000,
                )

    runtime.socketio.start_background_task(tick)
