"""Every format in content/ runs through a whole session: all phases reached, in order,
and the time it takes when nobody cuts anything short is the duration it shows."""

from __future__ import annotations

import pytest

from server.agenda import service
from server.agenda.view import agenda_view
from server.content import library
from server.core import connections
from server.sessions import service as sessions
from tests.factories import actor_of, create_session, join

PEOPLE = 4  # the facilitator and three participants


@pytest.mark.parametrize("format_key", sorted(library().formats))
def test_a_format_runs_from_start_to_finish(database, clock, format_key):
    fmt = library().formats[format_key]
    with database.transaction() as db:
        connections.register_worker(db, "w", clock.now())
        created = create_session(db, clock, format_key=format_key)
        host = actor_of(sessions.authenticate(db, created.facilitator_token))
        connections.connect(db, sid="host", worker_id="w", actor=host, now=clock.now())
        for index in range(PEOPLE - 1):
            joined = join(db, clock, created.session.join_code, display_name=f"P{index}")
            actor = actor_of(sessions.authenticate(db, joined.token))
            connections.connect(db, sid=f"p{index}", worker_id="w", actor=actor, now=clock.now())
        view = agenda_view(db, created.session.id, clock.now())
        assert [p["title_key"] for p in view["phases"]] == [p.title_key for p in fmt.phases]
        assert view["schedule"]["planned_seconds"] == fmt.total_minutes * 60
        sessions.start_session(db, host, clock.now())

    reached, elapsed = [], 0.0
    for _ in range(500):
        with database.transaction() as db:
            view = agenda_view(db, created.session.id, clock.now())
            if view["finished"]:
                break
            phase_id = view["current"]["phase_id"]
            if not reached or reached[-1] != phase_id:
                reached.append(phase_id)
            timer = view["timer"]
            if timer["status"] == "expired":  # a manual phase waits for the facilitator
                service.next_segment(db, host, view["segment"], clock.now())
                continue
            elapsed += timer["remaining_seconds"]
            clock.advance(timer["remaining_seconds"])
            service.settle_due(db, created.session.id, clock.now())
    assert view["finished"], format_key
    assert reached == [p["id"] for p in view["phases"]]  # every phase, once, in order
    assert elapsed == fmt.total_minutes * 60
