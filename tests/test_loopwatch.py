"""The loop watch (HOLDSPORT_LOOP_WATCH): a late wake of its ticker is a stall, counted
in /metrics as the longest since the previous scrape and in a histogram."""

from __future__ import annotations

import threading
import time
from types import SimpleNamespace

from server.core import loopwatch
from server.core.metrics import Metrics


def test_a_late_wake_is_measured_and_the_longest_is_read_once():
    sleeps = 0
    late = threading.Event()

    def sleep(seconds: float) -> None:
        nonlocal sleeps
        sleeps += 1
        # The fifth wake comes 0.3 s late, as if a greenlet held the loop that long.
        time.sleep(seconds + (0.3 if sleeps == 5 else 0))
        if sleeps == 8:
            late.set()

    def in_background(work) -> None:  # type: ignore[no-untyped-def]
        threading.Thread(target=work, daemon=True).start()

    runtime = SimpleNamespace(
        metrics=Metrics(),
        drain=SimpleNamespace(draining=False),
        socketio=SimpleNamespace(sleep=sleep, start_background_task=in_background),
    )
    loopwatch.start(runtime)  # type: ignore[arg-type]
    assert late.wait(10)
    runtime.drain.draining = True
    registry = runtime.metrics.registry
    assert registry.get_sample_value("holdsport_loop_lag_max_seconds") >= 0.3
    assert registry.get_sample_value("holdsport_loop_lag_max_seconds") < 0.3  # read: anew
    over = registry.get_sample_value("holdsport_loop_lag_seconds_bucket", {"le": "0.25"})
    assert registry.get_sample_value("holdsport_loop_lag_seconds_count") - over >= 1
    assert registry.get_sample_value("holdsport_loop_held_seconds_count") >= 5
