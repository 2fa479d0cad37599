"""CPython's cycle collector in a long-running server process.

A full (generation-2) collection walks every tracked object with the whole process
stopped. With 2,000 connections that is about 350,000 objects besides what starting
made (a census after 2,000 joins: about 140 per connection, nearly all eventlet's and
engine.io's: green threads, timers, queues, sockets, their closures and bound methods;
nothing of Holdsport's own to drop or untrack), and under the soak (bench/soak.py) it
stopped the loop for 150 to 250 ms every two or three minutes, whenever CPython's own
rule fired (ten generation-1 collections, and a quarter as many objects again reached
the old generation as it held after the last full one). The cycles that commands, joins
and dropped connections make die young, and the young collections take them; what
reaches the old generation is mostly alive, so walking it is nearly all waste.

So the old generation is never collected on CPython's schedule, only by `OldGeneration`:

- when the process is quiet (it used under QUIET_SHARE of a core for a beat), where a
  pause holds up nobody; what is then still alive is frozen (`gc.freeze`), so that a
  later collection walks only what came after;
- when its memory (RSS) has grown `HOLDSPORT_GC_GROWTH_MIB` since the last full
  collection, so a process that is never quiet still has its memory bounded: by that
  growth, plus what was frozen at the last quiet moment and has died in cycles since
  (at most the heap of that moment: frozen objects are never added to). Under the
  soak's load 11.8 minutes left about 10,000 unreachable objects in the old generation
  (what the quiet collection after it found): hours to grow 128 MiB.

Young collections stay small (THRESHOLDS): generation 1 after ten of generation 0, not
twenty, halved its longest under the soak (103 to 53 ms of CPU). What the process loaded to start
is collected and frozen before serving, like a quiet moment. Every collection's pause is
measured (`holdsport_gc_pause_seconds`, and the CPU it used), and every full one counted
by its reason (`holdsport_gc_full_collections_total`).
"""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from server.core.metrics import Metrics
from server.core.runtime import Runtime

# A young collection every 10,000 net allocations; one of generation 1 after 10 of those
# (CPython's defaults: 700, 10, 10); generation 2 never by itself, see OldGeneration.
THRESHOLDS = (10_000, 10, 2**31 - 1)
CPYTHON_THRESHOLD2 = 10
BEAT_SECONDS = 5.0
QUIET_SHARE = 0.1  # of a core, over a beat
MIB = 1024 * 1024
STATM = Path("/proc/self/statm")


def resident_bytes() -> int | None:
    """This process's RSS; None where Linux's /proc does not tell it."""
    try:
        return int(STATM.read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, IndexError, ValueError):
        return None


class OldGeneration:
    """Decides, once a beat, whether the old generation is collected now."""

    def __init__(
        self,
        metrics: Metrics,
        growth_bytes: int,
        resident: Callable[[], int | None] = resident_bytes,
        cpu: Callable[[], float] = time.process_time,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.metrics = metrics
        self.growth_bytes = growth_bytes
        self.resident, self.cpu, self.clock = resident, cpu, clock
        self.began, self.used = clock(), cpu()
        self.resident_after = resident() or 0

    def beat(self) -> str | None:
        """Collect if quiet or grown; the reason, or None if it did not."""
        now, used = self.clock(), self.cpu()
        quiet = used - self.used < QUIET_SHARE * (now - self.began)
        self.began, self.used = now, used
        # Something reached the old generation since its last collection (and freeze).
        aged = gc.get_count()[2] > 0
        if quiet and aged:
            reason = "quiet"
            gc.unfreeze()
            gc.collect()
            gc.freeze()
        elif (self.resident() or 0) - self.resident_after > self.growth_bytes:
            reason = "growth"
            gc.collect()
        else:
            return None
        self.metrics.gc_full_collections.labels(reason).inc()
        self.resident_after = self.resident() or 0
        self.used = self.cpu()  # the collection itself does not count against quiet
        return reason


def settle(runtime: Runtime) -> None:
    """Once the app is built, before serving: collect what starting left, freeze the rest,
    and collect the old generation on OldGeneration's beats from now on."""
    old = take_over(runtime.metrics, runtime.settings.gc_growth_mib * MIB)
    if old is None:
        return

    def loop() -> None:
        while not runtime.drain.draining:
            runtime.socketio.sleep(BEAT_SECONDS)
            old.beat()

    runtime.socketio.start_background_task(loop)


def take_over(metrics: Metrics, growth_bytes: int) -> OldGeneration | None:
    """Collect, freeze, time every collection from now on, and stop CPython's own full
    collections; None (CPython's rule kept) where the process's RSS cannot be read."""
    gc.collect()
    gc.freeze()
    measure(metrics)
    if resident_bytes() is None:
        gc.set_threshold(*THRESHOLDS[:2], CPYTHON_THRESHOLD2)
        return None
    gc.set_threshold(*THRESHOLDS)
    return OldGeneration(metrics, growth_bytes)


def measure(metrics: Metrics) -> None:
    """Time every collection: its pause, and the CPU it used (the pause less any wait for
    a core on a shared machine)."""
    started: list[tuple[float, float]] = []
    longest = {"pause": [0.0] * 3, "cpu": [0.0] * 3}

    def note(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            started.append((time.perf_counter(), time.thread_time()))
        elif started:
            began, used = started.pop()
            generation = info["generation"]
            label = str(generation)
            pause, cpu = time.perf_counter() - began, time.thread_time() - used
            metrics.gc_pause_seconds.labels(label).observe(pause)
            metrics.gc_collected.labels(label).inc(info["collected"])
            for kind, seconds, gauge in (
                ("pause", pause, metrics.gc_pause_max),
                ("cpu", cpu, metrics.gc_cpu_max),
            ):
                if seconds > longest[kind][generation]:
                    longest[kind][generation] = seconds
                    gauge.labels(label).set(seconds)

    gc.callbacks.append(note)
