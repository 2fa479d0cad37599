"""How many SQL statements a join and the commonest commands send (issue 14).

Round trips, not time: each count is exact on every run, so a ceiling here catches a
change that reads the session or the agenda clock once more per join or per command.
(How fast is measured in bench/load.py, never here.) Each ceiling is what the path takes
today, with what its statements are; a failure prints the statements it found.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.exc import OperationalError

from server.agenda.clock import clock_of
from server.app import socketio_of
from server.core import connections
from server.core.change import forget
from server.core.realtime import NAMESPACE
from server.sessions.models import Participant, PeerSession
from server.sessions.state import emit, lock, lock_row
from server.sessions.view import snapshot
from tests.accounts_support import signed_in_client
from tests.factories import create_session
from tests.statements import Statements, counted


@pytest.fixture
def io(app):
    return socketio_of(app)


@pytest.fixture
def engine(app):
    return app.extensions["holdsport"].db.engine


@pytest.fixture
def meeting(app, io):
    """A started session with its facilitator and three participants connected."""
    http = signed_in_client(app)
    made = http.post(
        "/api/sessions",
        json={"title": "Count", "language": "en", "facilitator_name": "Anne", "admission": "code"},
    ).get_json()
    host = _connect(io, app, http, made["facilitator_token"])
    people = [_connect(io, app, http, _join(http, made["join_code"], n)) for n in "BCD"]
    assert _call(host, "session:start")["ok"]
    return {"http": http, "host": host, "people": people, "join_code": made["join_code"]}


def _join(http, join_code: str, name: str) -> str:
    body = {"join_code": join_code, "display_name": name, "language": "en"}
    return http.post("/api/join", json=body).get_json()["token"]


def _connect(io, app, http, token: str):
    client = io.test_client(
        app, namespace=NAMESPACE, flask_test_client=http, auth={"token": token, "language": "en"}
    )
    assert client.is_connected(NAMESPACE)
    return client


def _call(client, name: str, payload: dict | None = None) -> dict:
    return client.emit(name, payload or {}, namespace=NAMESPACE, callback=True)


def _segment(client) -> int:
    snapshot = _call(client, "session:sync")["snapshot"]
    return snapshot["agenda"]["segment"]


def _at_most(seen: Statements, ceiling: int, postgresql_adds: int = 0) -> None:
    """The ceiling is SQLite's; `postgresql_adds`: what PostgreSQL takes more (its locks)."""
    if seen.dialect == "postgresql":
        ceiling += postgresql_adds
    assert len(seen.work) <= ceiling, f"{len(seen.work)} statements:\n{seen.listing()}"


def test_a_participant_joining(app, io, engine, meeting):
    """Connect with a credential, arrive, get the snapshot: 16 statements (34 before the
    session and the agenda clock were read once per join, 27 before a running breakout was
    told by the agenda clock and its phase, 25 before who is here, the phases and the
    agenda clock were read once as plain rows, an address's place taken in one statement,
    the actions read in one, and breakouts and titles not read in a session without
    breakout phases or dilemma rounds).

    The session's lock, found by the token (1); the credential, read after it so that
    nothing it read is read again: the person, their session and its group in one
    SELECT (2). Their connection, and who is here (are
    they connected elsewhere? the arrival's reactions and the snapshot ask again) (3-4).
    Arriving: first seen, the version (5-6); the reactions: the agenda clock and the
    phases (a breakout running? a latecomer's turn) (7-8). The address's place, counted
    and taken (9). The snapshot: the people (10); actions (11); the agenda: turns,
    hands, ready marks (12-14); the board (15), the pulse (16); breakouts, titles and
    group boards none (this session has no breakout phase or dilemma round).
    """
    token = _join(meeting["http"], meeting["join_code"], "Eva")
    with counted(engine) as seen:
        eva = _connect(io, app, meeting["http"], token)
    assert any(m["name"] == "session:snapshot" for m in eva.get_received(NAMESPACE))
    _at_most(seen, 16, postgresql_adds=1)  # the address's advisory lock


def test_a_participant_asking_to_join(engine, meeting):
    """`POST /api/join`, with the key that makes them the group's member: 4 statements
    (5 to 8 before the member was made or found in one upsert and the person written
    with all they are known by in one INSERT). The session's lock, found by the code
    (1); the names taken (2); the member (3); the person (4)."""
    body = {"join_code": meeting["join_code"], "display_name": "Eva", "language": "en"}
    for name, key in (("Eva", "e" * 43), ("Finn", "f" * 43), ("Eva again", "e" * 43)):
        with counted(engine) as seen:
            reply = meeting["http"].post(
                "/api/join", json={**body, "display_name": name, "member_key": key}
            )
        assert reply.status_code == 201
        _at_most(seen, 4)


def test_a_board_post(app, engine, meeting):
    """6 statements (7 before, 8 before that, 15 before that): who sends and the
    session's lock with its status, in one (1); the writer's rate window counted (1, an
    upsert); a group board? and the board, in one read (1); the board's posts, read once: which
    are the writer's, their mark, what is scattered (1); the waiting posts taken out and
    put back with the new one among them (2). Each person's tags are recomputed in
    memory, one short hash per post."""
    assert _call(meeting["host"], "board:open", {"prompts": ["Ideas"]})["ok"]
    post = {"prompt": 0, "text": "An idea", "secret": "s" * 32}
    assert _call(meeting["people"][1], "board:post", post)["ok"]
    with counted(engine) as seen:
        assert _call(meeting["people"][0], "board:post", post)["ok"]
    _at_most(seen, 6)


def test_a_board_reaction(app, engine, meeting):
    """7 statements (8 before, 10 before that): who sends and the session's lock with its
    status, in one (1); the rate window counted (1); a group board? and the board, in one
    read (1); the post and this person's reaction to it (1); the reaction written (1);
    the post's counts raised, returning them (1); the version (1). Changing a reaction
    takes the same."""
    host, people = meeting["host"], meeting["people"]
    assert _call(host, "board:open", {"prompts": ["Ideas"]})["ok"]
    ids = []
    for n, person in enumerate(people):
        post = {"prompt": 0, "text": f"Idea {n}", "secret": f"{n:032d}"}
        ids.append(_call(person, "board:post", post)["post"]["id"])
    assert _call(host, "board:reveal")["ok"]
    for kind in ("me_too", "thanks"):
        with counted(engine) as seen:
            assert _call(people[0], "board:react", {"post_id": ids[1], "kind": kind})["ok"]
        _at_most(seen, 7)


def test_a_hand_raised(engine, meeting):
    """5 statements (6 before, 8 before that): who sends and the session's lock with its
    row, in one (1); the agenda clock (1); the phase's hands, read once: is theirs up
    already, and what everyone gets (1); the hand (1); the version (1)."""
    with counted(engine) as seen:
        assert _call(meeting["people"][0], "hand:raise")["ok"]
    _at_most(seen, 5)


def test_the_agenda_moving_on(engine, meeting):
    """7 statements (8 before, 12 before that): who sends and the session's lock with its
    row, in one (1); the agenda clock (1); the phases, read once: where it stands, what
    comes after and the new agenda (1); the clock and the phase written (2); history (1);
    the version (1)."""
    segment = _segment(meeting["host"])
    with counted(engine) as seen:
        assert _call(meeting["host"], "agenda:next", {"segment": segment})["ok"]
    _at_most(seen, 7)


def _locks(statement: str) -> bool:
    return statement.startswith("UPDATE peer_sessions")


def test_a_change_finds_who_sends_with_the_lock_and_a_read_takes_no_lock(engine, meeting):
    """A command that changes the session (`locks=True`) takes the lock in its first
    statement, with who sends (PostgreSQL: UPDATE … FROM; SQLite, whose transactions
    hold the write lock from BEGIN, a read of the same join), and never again; a read
    (`session:sync`) takes none."""
    with counted(engine) as seen:
        assert _call(meeting["people"][0], "hand:raise")["ok"]
    first, rest = seen.work[0], seen.work[1:]
    assert "connections" in first and "peer_sessions" in first, seen.listing()
    assert _locks(first) == (seen.dialect == "postgresql"), seen.listing()
    assert not any(_locks(s) and "version=peer_sessions.version" in s for s in rest)
    with counted(engine) as seen:
        assert _call(meeting["people"][0], "session:sync")["ok"]
    assert not any(_locks(s) for s in seen.work), seen.listing()


def test_a_role_that_may_not_change_is_refused_as_before(meeting):
    """Finding who sends with the lock keeps the refusal of a role that may not."""
    person = meeting["people"][0]
    assert _call(person, "agenda:next", {"segment": 0})["error"]["code"] == "forbidden"


# --- what is read once stays right ------------------------------------------------------


def test_a_clock_read_before_the_lock_is_read_again_after_it(db, database, room):
    """Another transaction may move the clock between a read and the lock: the first read
    after the lock goes to the database; later ones in the transaction do not."""
    forget(db)  # a new unit of work's change: nothing locked, nothing kept
    session_id = room.host.session_id
    before = clock_of(db, session_id)
    with counted(database.engine) as seen:
        assert clock_of(db, session_id) is before  # no lock yet: the same read
        lock(db, session_id)
        clock_of(db, session_id)  # read again, under the lock
        clock_of(db, session_id)
    assert [s for s in seen.work if "agenda_clocks" in s and s.startswith("SELECT")] == [
        seen.work[-1]
    ], seen.listing()


def test_the_lock_reads_the_sessions_row_afresh(db, room):
    """The session's row read before its lock, changed meanwhile, is current after it."""
    forget(db)
    session_id = room.host.session_id
    read = db.get_one(PeerSession, session_id)
    changed = update(PeerSession).where(PeerSession.id == session_id).values(title="Renamed")
    db.execute(changed, execution_options={"synchronize_session": False})
    assert read.title != "Renamed"
    assert lock(db, session_id) is read and read.title == "Renamed"


def test_the_lock_as_a_row_then_as_the_entity_reads_the_entity_afresh(db, room):
    """A board command takes the lock as a plain row; a later `lock` in the transaction
    still gets the row as the lock has it, not an entity read before."""
    forget(db)
    session_id = room.host.session_id
    read = db.get_one(PeerSession, session_id)
    changed = update(PeerSession).where(PeerSession.id == session_id).values(title="Renamed")
    db.execute(changed, execution_options={"synchronize_session": False})
    assert lock_row(db, session_id).status is read.status
    assert lock(db, session_id) is read and read.title == "Renamed"
    assert lock_row(db, session_id) is read  # the entity, once the transaction holds it


def test_the_lock_writes_a_pending_change_of_the_session_first(db, room):
    forget(db)
    session_id = room.host.session_id
    session = db.get_one(PeerSession, session_id)
    session.title = "Pending"
    assert lock(db, session_id) is session and session.title == "Pending"
    title = select(PeerSession.title).where(PeerSession.id == session_id)
    assert db.connection().scalar(title) == "Pending"  # flushed, not lost


@pytest.mark.parametrize("first", [lock, lock_row])
def test_either_lock_holds_off_the_others_on_postgresql(database, clock, first):
    """The row lock is the same whichever way it is taken: a second transaction waits."""
    if database.engine.dialect.name != "postgresql":
        pytest.skip("SQLite serializes whole transactions (BEGIN IMMEDIATE)")
    with database.transaction() as db:
        session_id = create_session(db, clock, title="Locked").session.id
    with database.transaction() as holder:
        first(holder, session_id)
        for second in (lock, lock_row):
            with pytest.raises(OperationalError, match="lock"), database.transaction() as other:
                other.execute(text("SET LOCAL lock_timeout = '50ms'"))
                second(other, session_id)


def test_a_snapshot_after_a_change_has_the_version_the_change_took(db, room):
    session_id = room.host.session_id
    lock(db, session_id)
    taken = emit(db, "participant:left", session_id, {"participant_id": 1})
    assert snapshot(db, room.host, room.now)["version"] == taken.payload["version"]


def _here_reads(seen: Statements) -> list[str]:
    return [s for s in seen.work if s.startswith("SELECT") and "FROM connections" in s]


def test_who_is_here_is_read_once_while_the_lock_is_held(db, database, room):
    """A join's arrival and its snapshot ask who is here several times: one read, which
    a change of what it does not say (when someone was first seen) keeps."""
    forget(db)
    session_id = room.host.session_id
    lock(db, session_id)
    with counted(database.engine) as seen:
        present = connections.present_participant_ids(db, session_id)
        db.get_one(Participant, room.people[0].actor.participant_id).first_seen_at = room.now
        assert connections.connected_participant_ids(db, session_id) == present
        assert len(connections.audience(db, session_id)) == 3
    assert len(_here_reads(seen)) == 1, seen.listing()


def test_who_is_here_is_read_again_once_the_transaction_changes_it(db, clock, room):
    forget(db)
    session_id = room.host.session_id
    lock(db, session_id)
    bo = room.people[0].actor
    assert bo.participant_id in connections.present_participant_ids(db, session_id)
    person = db.get_one(Participant, bo.participant_id)
    person.admitted_at = None  # not flushed yet: the read flushes first, as the ORM would
    assert bo.participant_id not in connections.present_participant_ids(db, session_id)
    person.admitted_at = clock.now()
    assert bo.participant_id in connections.present_participant_ids(db, session_id)

    connections.drop(db, "sid-0", clock.now(), grace_seconds=5)
    assert "sid-0" not in [sid for sid, _ in connections.audience(db, session_id)]
    connections.forget_person(db, bo.participant_id)  # a DELETE statement
    assert bo.participant_id not in connections.connected_participant_ids(db, session_id)
    connections.connect(db, sid="sid-0c", worker_id="worker-a", actor=bo, now=clock.now())
    assert bo.participant_id in connections.connected_participant_ids(db, session_id)


def test_who_is_here_forgets_what_a_savepoint_undid(db, clock, room):
    forget(db)
    session_id = room.host.session_id
    lock(db, session_id)
    bo = room.people[0].actor.participant_id
    with pytest.raises(RuntimeError), db.begin_nested():
        connections.forget_person(db, bo)
        assert bo not in connections.connected_participant_ids(db, session_id)
        raise RuntimeError("undone")
    assert bo in connections.connected_participant_ids(db, session_id)
