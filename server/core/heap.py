"""CPython's cycle collector in a long-running server process.

With about 2,000 connections the heap holds millions of objects, and a full collection
walks all of them with the whole process stopped: 18 to 190 ms (shared/NOTES.md), the
slowest deliveries at light load. What the process loaded to start (modules, mapped
classes, compiled statements, catalogs) lives as long as the process, so it is frozen
out of every later collection; young collections run less often, so fewer objects reach
the old generation whose growth triggers a full one. Every collection's pause is
measured (`holdsport_gc_pause_seconds`).
"""

from __future__ import annotations

import gc
import time
from typing import Any

from prometheus_client import Histogram

# CPython's defaults are (700, 10, 10): a young collection every 700 allocations net.
THRESHOLDS = (10_000, 20, 10)


def settle(pauses: Histogram) -> None:
    """Once the app is built, before serving: collect what starting left, freeze the rest."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)
    started: list[float] = []

    def measure(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            started.append(time.perf_counter())
        elif started:
            pauses.labels(str(info["generation"])).observe(time.perf_counter() - started.pop())

    gc.callbacks.append(measure)
