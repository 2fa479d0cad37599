"""A person's old connection ends while their new one arrives (a reload, a tab closed as
another opens, a process swept as its people reconnect elsewhere): whatever ends the
old one must see the new one, or the room is told they left while they are here.

Real threads, each with its own transaction on the real database. On PostgreSQL the
new connection's transaction holds the session's lock, uncommitted, while the old one
ends; the ending must wait for it and then find the person still here. (SQLite runs
whole transactions one after the other, so there it checks only the outcome.)
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest
from sqlalchemy.orm import Session

from server.core import connections
from server.core.domain import Event
from server.sessions.state import lock
from tests.board_support import make_room

GRACE = 5.0
WORKER = "worker-a"


def _arriving_while(  # type: ignore[no-untyped-def]
    database, clock, actor, ending: Callable[[Session], list[Event]], worker: str = WORKER
) -> list[str]:
    """Bo's new connection is recorded under the session's lock; before it commits,
    `ending` runs in a transaction of its own. Returns whom the ending's events said left."""
    recorded, commit = threading.Event(), threading.Event()
    told: list[Event] = []

    def arrive() -> None:
        with database.transaction() as db:
            lock(db, actor.session_id)
            connections.connect(db, sid="sid-new", worker_id=worker, actor=actor, now=clock.now())
            recorded.set()
            commit.wait(5)

    def end() -> None:
        with database.transaction() as db:
            told.extend(ending(db))

    arriving = threading.Thread(target=arrive)
    arriving.start()
    assert recorded.wait(5)
    ending_thread = threading.Thread(target=end)
    ending_thread.start()
    time.sleep(0.3)  # the ending reaches whatever it waits for
    commit.set()
    arriving.join(5)
    ending_thread.join(5)
    assert not arriving.is_alive() and not ending_thread.is_alive()
    return [
        event.payload["participant"]["display_name"]
        for event in told
        if event.name == "participant:left"
    ]


def _room(database, clock):  # type: ignore[no-untyped-def]
    with database.transaction() as db:
        room = make_room(db, clock, people=2, worker=WORKER)
    return room.people[0].actor  # "Person 0", on sid-0


def _present(database, actor) -> bool:  # type: ignore[no-untyped-def]
    with database.transaction() as db:
        return actor.participant_id in connections.present_participant_ids(db, actor.session_id)


@pytest.mark.race
def test_a_connection_closing_as_its_person_reconnects_does_not_say_they_left(database, clock):
    bo = _room(database, clock)

    def close(db: Session) -> list[Event]:
        return connections.disconnect(db, "sid-0", clock.now())

    assert _arriving_while(database, clock, bo, close) == []
    assert _present(database, bo)


@pytest.mark.race
def test_the_grace_running_out_as_its_person_reconnects_does_not_say_they_left(database, clock):
    bo = _room(database, clock)
    with database.transaction() as db:
        connections.drop(db, "sid-0", clock.now(), grace_seconds=GRACE)
    clock.advance(GRACE + 1)

    def sweep(db: Session) -> list[Event]:
        return connections.sweep_closed(db, clock.now(), GRACE)

    assert _arriving_while(database, clock, bo, sweep) == []
    assert _present(database, bo)


@pytest.mark.race
def test_a_dead_process_swept_as_its_people_reconnect_does_not_say_they_left(database, clock):
    bo = _room(database, clock)
    clock.advance(60)
    with database.transaction() as db:
        connections.register_worker(db, "worker-b", clock.now())  # worker-a stopped beating

    def sweep(db: Session) -> list[Event]:
        return connections.sweep_dead_workers(db, clock.now(), timeout_seconds=30)

    # Bo reconnects to the living process; the others on the dead one have left.
    assert _arriving_while(database, clock, bo, sweep, worker="worker-b") == ["Person 1"]
    assert _present(database, bo)
