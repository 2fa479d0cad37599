"""A group's sessions, and planning its next one: from a format, or from an earlier
session's agenda as it was planned."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from server.agenda import navigation, service
from server.agenda.formats import plans_for
from server.agenda.models import AgendaClock, HistoryEntry, Turn
from server.core.errors import DomainError
from server.sessions import service as sessions
from server.sessions.groups import group_sessions
from server.sessions.models import PeerSession, Status
from tests.agenda_support import CLOSING, DILEMMA, ROUND, Group
from tests.factories import create_session

PLANNED_FIELDS = (
    "position", "kind", "title_key", "title", "intro_key", "prompts", "planned_seconds",
    "advance", "steps", "presenters", "board_prompts", "board_settings", "order_mode",
)  # fmt: skip


def as_planned(db, session_id):
    return [
        {name: getattr(phase, name) for name in PLANNED_FIELDS}
        for phase in navigation.phases(db, session_id)
    ]


def group_id_of(db, session_id):
    return db.get_one(PeerSession, session_id).group_id


def test_the_group_lists_its_planned_running_and_ended_sessions(db, clock):
    ended = Group(db, clock, [ROUND])
    ended.start()
    sessions.end_session(db, ended.host, clock.now())
    group_id = group_id_of(db, ended.session_id)
    clock.advance(60)
    running = create_session(db, clock, group_id=group_id, title="Maj")
    sessions.start_session(
        db, Group.connect(ended, running.facilitator_token, "sid-2"), clock.now()
    )
    next_month = clock.now() + timedelta(days=30)
    planned = create_session(
        db, clock, group_id=group_id, title="Juni", format_key="quick_check",
        planned_for=next_month, language="en",
    )  # fmt: skip
    create_session(db, clock, title="Another group's")

    listed = group_sessions(db, group_id)
    assert [(s.id, s.status) for s in listed] == [
        (ended.session_id, Status.ENDED),
        (running.session.id, Status.RUNNING),
        (planned.session.id, Status.WAITING),
    ]
    june = listed[2]
    assert (june.title, june.format_key, june.language) == ("Juni", "quick_check", "en")
    assert june.planned_for == next_month and june.join_code == planned.session.join_code
    assert june.created_at == clock.now() and june.started_at is None and june.ended_at is None
    assert listed[0].started_at is not None and listed[0].ended_at is not None


def test_planning_from_a_format_in_an_existing_group(db, clock):
    first = create_session(db, clock)
    planned = create_session(db, clock, group_id=first.session.group_id, format_key="peer_sparring")
    assert planned.session.group_id == first.session.group_id
    fresh = create_session(db, clock, format_key="peer_sparring").session.id
    assert as_planned(db, planned.session.id) == as_planned(db, fresh)
    assert len(as_planned(db, planned.session.id)) == len(plans_for("peer_sparring"))


def test_planning_from_the_last_sessions_agenda_copies_it_as_planned(db, clock):
    last = Group(db, clock, [ROUND, DILEMMA, CLOSING])
    phases = navigation.phases(db, last.session_id)
    phases[1].title = "Dilemmaer"
    phases[1].board_settings = {"mode": "live"}
    last.start()
    for _ in range(4):
        last.next()
    sessions.end_session(db, last.host, clock.now())
    group_id = group_id_of(db, last.session_id)

    clock.advance(86400)
    planned = create_session(db, clock, group_id=group_id, agenda_from=last.session_id)
    new_id = planned.session.id
    assert as_planned(db, new_id) == as_planned(db, last.session_id)
    assert planned.session.format_key == db.get_one(PeerSession, last.session_id).format_key
    copied = navigation.phases(db, new_id)
    assert all(p.started_at is None and p.ended_at is None for p in copied)
    assert all(not p.turns_built and p.turn_seconds is None for p in copied)
    phase_ids = [p.id for p in copied]
    assert (
        db.scalar(select(func.count()).select_from(Turn).where(Turn.phase_id.in_(phase_ids))) == 0
    )
    history = select(func.count()).select_from(HistoryEntry)
    assert db.scalar(history.where(HistoryEntry.session_id == new_id)) == 0
    clock_row = db.get_one(AgendaClock, new_id)
    assert (clock_row.segment, clock_row.phase_id, clock_row.finished) == (0, None, False)
    # The copy is the new session's own: changing it leaves the old one as it was.
    copied[1].steps[0]["seconds"] = 1
    assert navigation.phases(db, last.session_id)[1].steps[0]["seconds"] == 300


def test_the_agenda_of_another_groups_session_is_refused(db, clock):
    ours = create_session(db, clock)
    theirs = create_session(db, clock)
    before = db.scalar(select(func.count()).select_from(PeerSession))
    for source in (theirs.session.id, 999_999):
        with pytest.raises(DomainError) as refused:
            create_session(db, clock, group_id=ours.session.group_id, agenda_from=source)
        assert refused.value.code == "agenda_from_other_group"
    with pytest.raises(DomainError) as refused:
        create_session(db, clock, agenda_from=ours.session.id)  # a new group has no sessions
    assert refused.value.code == "agenda_from_other_group"
    assert db.scalar(select(func.count()).select_from(PeerSession)) == before


def test_an_unknown_group_is_refused(db, clock):
    with pytest.raises(DomainError) as refused:
        create_session(db, clock, group_id=999_999)
    assert refused.value.code == "unknown_group"


def test_a_copied_agenda_runs(db, clock):
    last = Group(db, clock, [DILEMMA])
    group_id = group_id_of(db, last.session_id)
    planned = create_session(db, clock, group_id=group_id, agenda_from=last.session_id)
    host = Group.connect(last, planned.facilitator_token, "sid-next")
    sessions.start_session(db, host, clock.now())
    assert (
        service.clock_of(db, planned.session.id).phase_id
        == navigation.phases(db, planned.session.id)[0].id
    )
