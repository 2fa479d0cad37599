"""Randomized races: two facilitators press "next" while the countdown runs out.

Real threads, each with its own transaction on the real database (SQLite or
PostgreSQL), and a sweeper racing them. Whatever the interleaving, every turn
must start exactly once, in order.
"""

from __future__ import annotations

import random
import threading

import pytest
from sqlalchemy import select

from server.agenda import service
from server.agenda.models import Advance, HistoryEntry, PhaseKind
from server.agenda.service import PhasePlan
from server.agenda.view import agenda_view
from server.core import connections
from server.core.domain import Role
from server.core.errors import DomainError
from server.sessions import service as sessions
from tests.factories import actor_of, create_session, join, set_agenda

TRIALS = 80
SPEAKERS = 4
ROUND = PhasePlan(kind=PhaseKind.ROUND, planned_seconds=SPEAKERS * 30, advance=Advance.AUTO)


def prepare_trial(database, clock, trial):
    """A running session: a round of four speakers, a facilitator and a co-facilitator."""
    with database.transaction() as db:
        created = create_session(db, clock, title=f"Race {trial}")
        set_agenda(db, created.session.id, [ROUND])
        host = actor_of(sessions.authenticate(db, created.facilitator_token))
        connections.connect(db, sid=f"h{trial}", worker_id="w", actor=host, now=clock.now())
        for index in range(SPEAKERS - 1):
            joined = join(db, clock, created.session.join_code, display_name=f"P{index}")
            actor = actor_of(sessions.authenticate(db, joined.token))
            connections.connect(
                db, sid=f"p{trial}-{index}", worker_id="w", actor=actor, now=clock.now()
            )
        co_id = actor.participant_id
        sessions.set_role(db, host, co_id, Role.COFACILITATOR, clock.now())
        sessions.start_session(db, host, clock.now())
        cohost = connections.actor_for_sid(db, f"p{trial}-{SPEAKERS - 2}")
        expected = [t["id"] for t in agenda_view(db, created.session.id, clock.now())["turns"]]
    return created.session.id, host, cohost, expected


def press_next(database, clock, actor, segment, barrier, outcomes):
    barrier.wait()
    try:
        with database.transaction() as db:
            service.next_segment(db, actor, segment, clock.now())
        outcomes.append("moved")
    except DomainError as err:
        outcomes.append(err.code)


def sweep(database, clock, session_id, barrier, outcomes):
    barrier.wait()
    with database.transaction() as db:
        swept = service.settle_due(db, session_id, clock.now())
    outcomes.append("swept" if swept else "nothing due")


@pytest.mark.race
def test_competing_commands_and_time_up_never_skip_or_double_a_turn(database, clock):
    with database.transaction() as db:
        connections.register_worker(db, "w", clock.now())
    rng = random.Random(20261126)
    for trial in range(TRIALS):
        session_id, host, cohost, expected = prepare_trial(database, clock, trial)
        for _ in range(SPEAKERS):
            with database.transaction() as db:
                segment = agenda_view(db, session_id, clock.now())["segment"]
            # Sometimes the countdown has just run out as the buttons are pressed.
            clock.advance(rng.choice([5, 29.99, 30, 30.01, 45]))
            outcomes: list[str] = []
            actors = [a for a in (host, cohost) if rng.random() < 0.9] or [host]
            barrier = threading.Barrier(len(actors) + 1)
            threads = [
                threading.Thread(
                    target=press_next, args=(database, clock, a, segment, barrier, outcomes)
                )
                for a in actors
            ]
            threads.append(
                threading.Thread(
                    target=sweep, args=(database, clock, session_id, barrier, outcomes)
                )
            )
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=30)
            assert outcomes.count("moved") <= 1, outcomes
        with database.transaction() as db:
            started = list(
                db.scalars(
                    select(HistoryEntry.turn_id)
                    .where(
                        HistoryEntry.session_id == session_id, HistoryEntry.action == "turn_started"
                    )
                    .order_by(HistoryEntry.id)
                )
            )
            view = agenda_view(db, session_id, clock.now())
        # Each press round moved on exactly once: every turn started once, in order.
        assert started == expected, (trial, started, expected)
        assert view["finished"], trial
