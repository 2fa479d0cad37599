"""Retention and deletion (server/sessions/retention.py), checked against every table:
the job deletes what people wrote and did in sessions past retention and nothing else;
deleting a session or a group leaves no row of it behind."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from server.agenda.models import Presentation
from server.app import socketio_of
from server.board import rules
from server.board.models import RateWindow
from server.core import connections
from server.core.bus import Tick, bus
from server.core.sweeper import sweep_once
from server.core.unit import NAMESPACE, unit_of_work
from server.sessions import hosts
from server.sessions.events import show_out
from server.sessions.models import Member, PeerSession
from server.sessions.retention import delete_group, delete_session, expire_due_content
from server.sessions.subscriptions import expire_content
from tests.agenda_support import WORKER
from tests.board_support import code_of
from tests.factories import create_session, sign_up
from tests.retention_support import (
    OWNED_BY_SESSION,
    SHARED_TABLES,
    SKELETON,
    dump,
    end,
    every_table,
    lively_session,
    rows_of_session,
)

DAYS = 30


def test_every_table_is_either_a_sessions_or_shared(db):
    """A new table must say whose it is, and so how retention and deletion treat it."""
    assert every_table(db) == set(OWNED_BY_SESSION) | SHARED_TABLES


def test_the_job_deletes_exactly_what_people_wrote_in_sessions_past_retention(db, clock):
    expiring = lively_session(db, clock, "expiring")
    end(db, clock, expiring)
    clock.advance(3600)
    young = lively_session(db, clock, "young", group_id=expiring.group_id)
    end(db, clock, young)
    running = lively_session(db, clock, "running")
    waiting_id = lively_session(db, clock, "waiting").session_id
    db.execute(  # a session nobody ever started
        PeerSession.__table__.update()
        .where(PeerSession.id == waiting_id)
        .values(status="waiting", started_at=None)
    )
    for lively in (expiring, running):
        for table, rows in rows_of_session(db, lively.session_id).items():
            # Follow-ups only where earlier actions were carried in (young: expiring's).
            empty_allowed = ("board_reactions", "board_votes", "pulse_tags", "action_follow_ups")
            empty_allowed += ("kept_summaries",) if lively is running else ()
            assert rows or table in empty_allowed, table
    assert rows_of_session(db, running.session_id)["board_votes"]
    assert rows_of_session(db, young.session_id)["action_follow_ups"]

    clock.advance(timedelta(days=DAYS).total_seconds() - 1)  # young ended an hour later
    before, mine_before = dump(db), rows_of_session(db, expiring.session_id)
    assert expire_due_content(db, clock.now(), DAYS) == [expiring.session_id]
    after, mine_after = dump(db), rows_of_session(db, expiring.session_id)

    for table in before:
        others_before = before[table] - mine_before.get(table, set())
        assert after[table] - mine_after.get(table, set()) == others_before, table
    for table in OWNED_BY_SESSION:
        if table in SKELETON:
            assert len(mine_after[table]) == len(mine_before[table]) > 0, table
        else:
            assert not mine_after[table], table
    assert mine_after["phases"] == mine_before["phases"]
    assert mine_after["agenda_history"] == mine_before["agenda_history"]
    expired = db.get_one(PeerSession, expiring.session_id)
    assert expired.content_deleted_at == clock.now()

    assert expire_due_content(db, clock.now(), DAYS) == []
    assert dump(db) == after


def test_content_goes_only_once_the_retention_time_has_passed(db, clock):
    lively = lively_session(db, clock, "s")
    end(db, clock, lively)
    clock.advance(timedelta(days=DAYS).total_seconds())
    assert expire_due_content(db, clock.now(), DAYS) == []  # as long as tokens still work
    clock.advance(1)
    assert expire_due_content(db, clock.now(), DAYS) == [lively.session_id]


def test_the_sweepers_beat_runs_the_job_with_the_configured_retention(app, clock):
    runtime = app.extensions["holdsport"]
    assert expire_content in bus.subscribers(Tick)
    with app.app_context():
        with unit_of_work(runtime) as unit:
            connections.register_worker(unit.db, WORKER, clock.now())
            lively = lively_session(unit.db, clock, "s")
            end(unit.db, clock, lively)
        clock.advance(timedelta(days=runtime.settings.retention_days).total_seconds() + 1)
        sweep_once(runtime)
        with unit_of_work(runtime) as unit:
            session = unit.db.get_one(PeerSession, lively.session_id)
            assert session.content_deleted_at == clock.now()
            assert not rows_of_session(unit.db, lively.session_id)["participants"]


def test_deleting_a_group_leaves_no_row_of_it_behind(db, clock):
    other_past = lively_session(db, clock, "other-past")
    end(db, clock, other_past)
    clock.advance(timedelta(days=DAYS + 1).total_seconds())
    assert expire_due_content(db, clock.now(), DAYS) == [other_past.session_id]
    lively_session(db, clock, "other-running", group_id=other_past.group_id)
    anne = sign_up(db, clock)  # her account outlives her group
    before = dump(db)

    past = lively_session(db, clock, "past", host=anne)
    end(db, clock, past)
    clock.advance(timedelta(days=DAYS + 1).total_seconds())
    assert expire_due_content(db, clock.now(), DAYS) == [past.session_id]
    ended = lively_session(db, clock, "ended", group_id=past.group_id, host=anne)
    end(db, clock, ended)
    running = lively_session(db, clock, "running", group_id=past.group_id, host=anne)
    hosts.invite(db, account_id=anne.account.id, group_id=past.group_id, now=clock.now())
    member = db.scalars(select(Member).where(Member.group_id == past.group_id)).first()
    assert member is not None
    db.add(
        Presentation(
            group_id=past.group_id,
            session_id=past.session_id,
            session_title="past",
            member_id=member.id,
            display_name=member.display_name,
            presented_at=clock.now(),
        )
    )

    sids = delete_group(db, past.group_id, clock.now())

    assert sorted(sids) == sorted(ended.sids + running.sids)
    _assert_same_but_rate_windows(db, clock, before, dump(db))


def test_deleting_a_session_leaves_everything_else_as_it_was(db, clock):
    anne = sign_up(db, clock)
    kept = lively_session(db, clock, "kept", host=anne)
    before = dump(db)
    deleted = lively_session(db, clock, "deleted", group_id=kept.group_id, host=anne)

    sids = delete_session(db, deleted.session_id, clock.now())

    assert sorted(sids) == sorted(deleted.sids)
    _assert_same_but_rate_windows(db, clock, before, dump(db))


def test_deleting_what_is_not_there_is_refused(db, clock):
    lively = lively_session(db, clock, "s")
    assert code_of(delete_session, db, lively.session_id + 1, clock.now()) == "unknown_join_code"
    assert code_of(delete_group, db, lively.group_id + 1, clock.now()) == "unknown_group"


def _assert_same_but_rate_windows(db, clock, before, after) -> None:  # type: ignore[no-untyped-def]
    """Table by table the same, but board rate windows: they trace back to nobody, so
    nothing can delete them by session; new ones go within a window (board/rate.py)."""
    windows = "board_rate_windows"
    assert {t: r for t, r in after.items() if t != windows} == {
        t: r for t, r in before.items() if t != windows
    }
    new = {row[0] for row in after[windows] - before[windows]}
    expiry = {key: at for key, at in db.execute(select(RateWindow.key, RateWindow.expires_at))}
    window = timedelta(seconds=rules.RATE_WINDOW_SECONDS)
    assert all(expiry[key] <= clock.now() + window for key in new)


def test_a_deleted_sessions_connections_hear_it_and_close(app, clock):
    """What the socket layer does with the sids delete_session returns (sessions.events)."""
    runtime = app.extensions["holdsport"]
    with app.app_context(), unit_of_work(runtime) as unit:
        created = create_session(unit.db, clock)
    io = socketio_of(app)
    client = io.test_client(
        app,
        namespace=NAMESPACE,
        flask_test_client=app.test_client(),
        auth={"token": created.facilitator_token},
    )
    assert client.is_connected(NAMESPACE)
    client.get_received(NAMESPACE)
    with app.app_context(), unit_of_work(runtime) as unit:
        sids = delete_session(unit.db, created.session.id, unit.now)
        unit.change.after_commit.append(lambda: show_out(sids, "session:deleted"))
    assert len(sids) == 1
    assert not client.is_connected(NAMESPACE)
    # What it heard before it closed (get_received reads only while connected).
    assert [m["name"] for m in client.queue if m["namespace"] == NAMESPACE] == ["session:deleted"]
