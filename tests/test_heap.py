"""The serving process's garbage collector: startup frozen, collections timed, and the old
generation collected only when the process is quiet or its memory has grown."""

from __future__ import annotations

import gc
import weakref

import pytest

from server.core import heap
from server.core.metrics import Metrics

GROWTH = 64 * heap.MIB


@pytest.fixture
def restored_collector():
    thresholds, callbacks = gc.get_threshold(), list(gc.callbacks)
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)
    gc.callbacks[:] = callbacks


class Process:
    """What OldGeneration reads of its process, moved on by the test: its clock, CPU, RSS."""

    def __init__(self) -> None:
        self.now = self.used = 0.0
        self.resident = 300 * heap.MIB

    def run(self, seconds: float, busy: float) -> None:
        self.now += seconds
        self.used += seconds * busy


class Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: only the collector frees it


def old_garbage() -> weakref.ref[Node]:
    """A cycle that lived through a young collection (so in the old generation), then died."""
    node = Node()
    gc.collect(1)
    return weakref.ref(node)


def counted(metrics: Metrics, name: str, labels: dict[str, str]) -> float:
    return metrics.registry.get_sample_value(name, labels) or 0.0


@pytest.fixture
def old(restored_collector):
    metrics, process = Metrics(), Process()
    taken = heap.take_over(metrics, GROWTH)
    assert taken is not None  # Linux: the RSS can be read
    old = heap.OldGeneration(
        metrics,
        GROWTH,
        resident=lambda: process.resident,
        cpu=lambda: process.used,
        clock=lambda: process.now,
    )
    old.process = process  # type: ignore[attr-defined]
    return old


def test_taking_over_freezes_what_starting_made_and_times_each_collection(restored_collector):
    metrics = Metrics()
    survivor = [object() for _ in range(100)]
    heap.take_over(metrics, GROWTH)
    assert gc.get_freeze_count() >= len(survivor)
    assert gc.get_threshold() == heap.THRESHOLDS  # generation 2 never by itself
    gc.collect()
    assert counted(metrics, "holdsport_gc_pause_seconds_count", {"generation": "2"}) == 1
    gc.collect(0)
    assert counted(metrics, "holdsport_gc_pause_seconds_count", {"generation": "0"}) == 1
    assert counted(metrics, "holdsport_gc_pause_max_seconds", {"generation": "2"}) > 0
    assert counted(metrics, "holdsport_gc_cpu_max_seconds", {"generation": "2"}) > 0


def test_a_busy_process_leaves_the_old_generation_alone(old):
    garbage = old_garbage()
    old.process.run(5, busy=0.9)
    assert old.beat() is None
    gc.collect(1)  # young collections do not reach it either
    assert garbage() is not None


def test_a_quiet_process_collects_the_old_generation_and_freezes_what_lives(old):
    garbage, alive = old_garbage(), Node()
    old.process.run(5, busy=0.02)
    assert old.beat() == "quiet"
    assert garbage() is None
    assert not any(found is alive for found in gc.get_objects())  # in no generation: frozen
    quiet = {"reason": "quiet"}
    assert counted(old.metrics, "holdsport_gc_full_collections_total", quiet) == 1
    old.process.run(5, busy=0.02)
    assert old.beat() is None  # nothing new reached the old generation: no walk for nothing


def test_a_busy_process_whose_memory_grew_collects_what_is_not_frozen(old):
    frozen = old_garbage_frozen_at_a_quiet_moment(old)
    garbage = old_garbage()
    old.process.run(5, busy=0.9)
    old.process.resident += GROWTH  # not more than the growth: nothing yet
    assert old.beat() is None
    old.process.resident += 1
    old.process.run(5, busy=0.9)
    assert old.beat() == "growth"
    assert garbage() is None
    assert frozen() is not None  # kept until the next quiet moment, which takes it
    old.process.resident += GROWTH  # the growth counts from the collection's RSS on
    old.process.run(5, busy=0.9)
    assert old.beat() is None
    gc.collect(1)
    old.process.run(5, busy=0.02)
    assert old.beat() == "quiet"
    assert frozen() is None


def old_garbage_frozen_at_a_quiet_moment(old: heap.OldGeneration) -> weakref.ref[Node]:
    node = Node()
    gc.collect(1)
    old.process.run(5, busy=0.02)  # type: ignore[attr-defined]
    assert old.beat() == "quiet"
    return weakref.ref(node)


def test_cpython_never_collects_the_old_generation_by_itself(restored_collector):
    heap.take_over(Metrics(), GROWTH)
    kept = [[] for _ in range(500_000)]  # into the old generation: CPython's rule is met
    for _ in range(heap.CPYTHON_THRESHOLD2 + 1):
        gc.collect(1)
    collected: list[int] = []
    gc.callbacks.append(lambda phase, info: collected.append(info["generation"]))
    kept += [[] for _ in range(3 * heap.THRESHOLDS[0])]  # net allocations: young collections
    assert collected and 2 not in collected
