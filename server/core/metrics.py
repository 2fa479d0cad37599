"""What a process counts for its operator, in the Prometheus format (prometheus_client).

Each app has its own registry: the figures are this process's (with several processes,
scrape each and sum). Labels hold only names from fixed tables (a command's name, an
error code, a route's pattern, an exception class), never anything a person typed.
`sessions_running` is the exception to "per process": it is read from the database at
each scrape, so every process tells the same number.
"""

from __future__ import annotations

from collections.abc import Callable

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    PlatformCollector,
    ProcessCollector,
    generate_latest,
)
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from sqlalchemy import Engine, event

__all__ = ["CONTENT_TYPE_LATEST", "Metrics"]

# Seconds: from a millisecond (a cached read) to ten (a database waiting on a lock).
# Seconds: a young collection takes well under a millisecond, a full one on a big heap 0.1 s.
GC_BUCKETS = (0.0001, 0.0005, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5)
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)


class Metrics:
    def __init__(self) -> None:
        self.registry = registry = CollectorRegistry()
        ProcessCollector(registry=registry)
        PlatformCollector(registry=registry)
        self.connections = Gauge(
            "holdsport_connections",
            "Socket.IO connections open on this process",
            registry=registry,
        )
        self.sessions_running = Gauge(
            "holdsport_sessions_running",
            "Sessions started and not ended (from the database: the same on every process)",
            registry=registry,
        )
        self.commands = Counter(
            "holdsport_commands",
            "Socket.IO commands answered, by name and outcome (ok or the error code)",
            ["command", "outcome"],
            registry=registry,
        )
        self.gc_pause_seconds = Histogram(
            "holdsport_gc_pause_seconds",
            "How long each of CPython's garbage collections stopped the process, by generation",
            ["generation"],
            buckets=GC_BUCKETS,
            registry=registry,
        )
        self.gc_collected = Counter(
            "holdsport_gc_collected_objects",
            "Objects those collections found unreachable (cyclic garbage), by generation",
            ["generation"],
            registry=registry,
        )
        self.gc_pause_max = Gauge(
            "holdsport_gc_pause_max_seconds",
            "The longest of those collections since the process started, by generation",
            ["generation"],
            registry=registry,
        )
        self.gc_cpu_max = Gauge(
            "holdsport_gc_cpu_max_seconds",
            "The most CPU one collection used since the process started, by generation",
            ["generation"],
            registry=registry,
        )
        self.gc_full_collections = Counter(
            "holdsport_gc_full_collections",
            "Full collections core.heap ran, by reason (quiet, or memory growth)",
            ["reason"],
            registry=registry,
        )
        self.command_seconds = Histogram(
            "holdsport_command_seconds",
            "Time to answer a command, from receipt to its ack",
            ["command"],
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        self.http_requests = Counter(
            "holdsport_http_requests",
            "HTTP requests answered by the app, by route pattern and status",
            ["route", "status"],
            registry=registry,
        )
        self.publish_seconds = Histogram(
            "holdsport_publish_delay_seconds",
            "Time from a transaction's commit until its events were handed to Socket.IO",
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        self.sweep_lateness = Histogram(
            "holdsport_sweep_lateness_seconds",
            "How much later than planned the sweeper's beat started",
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        self.database_errors = Counter(
            "holdsport_database_errors",
            "Errors the database driver raised, by SQLAlchemy's class of them",
            ["kind"],
            registry=registry,
        )

        # Filled only with HOLDSPORT_LOOP_WATCH (core.loopwatch).
        self.loop_lag, self.loop_lag_max = self._lags(
            "holdsport_loop_lag", "How late a ticker sleeping 20 ms woke"
        )
        self.loop_held, self.loop_held_max = self._lags(
            "holdsport_loop_held", "The loop's lag less the time it waited for a core (Linux)"
        )

    def _lags(self, name: str, what: str) -> tuple[Histogram, Gauge]:
        """A histogram of event-loop lags, and a gauge of the longest since the last scrape."""
        histogram = Histogram(
            f"{name}_seconds",
            what,
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
            registry=self.registry,
        )
        longest = Gauge(
            f"{name}_max_seconds",
            f"{what}: the longest since the previous scrape",
            registry=self.registry,
        )
        return histogram, longest

    def count_connections(self, count: Callable[[], int]) -> None:
        """Read the open connections at each scrape: no counter to drift on a lost event."""
        self.connections.set_function(count)

    def watch(self, engine: Engine) -> None:
        """Count every error the engine's driver raises, on connect or on a statement."""

        @event.listens_for(engine, "handle_error")
        def _count(context):  # type: ignore[no-untyped-def]
            error = context.sqlalchemy_exception or context.original_exception
            self.database_errors.labels(type(error).__name__).inc()

    def exposition(self) -> bytes:
        return generate_latest(self.registry)
