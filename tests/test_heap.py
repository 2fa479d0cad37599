"""The serving process's garbage collector: startup frozen, collections rarer and timed."""

from __future__ import annotations

import gc

import pytest

from server.core import heap
from server.core.metrics import Metrics


@pytest.fixture
def restored_collector():
    thresholds, callbacks = gc.get_threshold(), list(gc.callbacks)
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)
    gc.callbacks[:] = callbacks


def pauses(metrics: Metrics, generation: str) -> float:
    value = metrics.registry.get_sample_value(
        "holdsport_gc_pause_seconds_count", {"generation": generation}
    )
    return value or 0.0


def test_settling_freezes_what_starting_made_and_times_each_collection(restored_collector):
    metrics = Metrics()
    survivor = [object() for _ in range(100)]
    heap.settle(metrics.gc_pause_seconds)
    assert gc.get_freeze_count() >= len(survivor)
    assert gc.get_threshold() == heap.THRESHOLDS
    gc.collect()
    assert pauses(metrics, "2") == 1
    gc.collect(0)
    assert pauses(metrics, "0") == 1
