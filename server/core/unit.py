"""The one way every entry point runs work: a transaction, then publishing after commit.

Commands, connect and disconnect, the sweeper and the HTTP views all open their
transaction here. The body works on `unit.db` at `unit.now`; the events that the
transaction's change collected (core.change) go out only once it has committed, in
version order, after the socket work the body left for after the commit.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from server.core.change import Change, change_of, forget
from server.core.runtime import Runtime, current_runtime

NAMESPACE = "/session"
log = logging.getLogger(__name__)


def room(session_id: int) -> str:
    """The Socket.IO room of everyone connected to one session."""
    return f"session:{session_id}"


@dataclass(frozen=True)
class Unit:
    db: Session
    now: datetime
    change: Change


@contextmanager
def unit_of_work(runtime: Runtime | None = None) -> Iterator[Unit]:
    runtime = runtime or current_runtime()
    with runtime.db.transaction() as db:
        unit = Unit(db, runtime.clock.now(), change_of(db))
        try:
            yield unit
        finally:
            forget(db)
    committed = time.perf_counter()
    for action in unit.change.after_commit:
        action()
    publish(runtime, unit.change)
    if unit.change.events:
        runtime.metrics.publish_seconds.observe(time.perf_counter() - committed)


def _by_payload(each: dict[str, dict[str, Any]]) -> list[tuple[dict[str, Any], list[str]]]:
    """The connections sharing one payload object, together: one emit encodes and checks
    a payload once for all its recipients, where an emit per connection did it for each."""
    groups: dict[int, tuple[dict[str, Any], list[str]]] = {}
    for sid, payload in each.items():
        groups.setdefault(id(payload), (payload, []))[1].append(sid)
    return list(groups.values())


def publish(runtime: Runtime, change: Change) -> None:
    try:
        for event in change.events:
            if event.each is not None:
                for payload, sids in _by_payload(event.each):
                    runtime.socketio.emit(event.name, payload, to=sids, namespace=NAMESPACE)
                continue
            to = room(event.session_id)
            runtime.socketio.emit(event.name, event.payload, to=to, namespace=NAMESPACE)
    except Exception:
        # Committed is committed: clients that missed an event resync on a version gap, or
        # when their process finds their room behind (core.message_queue; Redis failures
        # are handled there and never reach this).
        log.exception("publishing %s events failed", len(change.events))
