"""The private notebook without sockets: only its owner's key opens an entry, the
database holds no plaintext, a host's notes follow their account, bad input changes
nothing, exports in both languages, and retention forgets it all."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from server.accounts import service as accounts
from server.agenda.models import AgendaClock, Turn
from server.core import connections, personal
from server.core.errors import DomainError
from server.core.validation import load_args
from server.notebook import service
from server.notebook.export import export_notebook
from server.notebook.schemas import TEXT_LENGTH, WriteNoteArgs
from server.sessions import door
from server.sessions import service as sessions
from server.sessions.retention import delete_session, expire_due_content
from tests.agenda_support import DISCUSS, ROUND, WORKER
from tests.factories import (
    PASSWORD,
    PASSWORDS,
    SECRET,
    actor_of,
    create_session,
    join,
    pass_for,
    set_agenda,
    sign_up,
)
from tests.retention_support import dump

SECRET_WORDS = "I doubt my own leadership when Bo presents"


def _guest(db, clock, code: str, name: str, language: str = "en"):  # type: ignore[no-untyped-def]
    joined = join(db, clock, code, display_name=name, language=language)
    actor = actor_of(sessions.authenticate(db, joined.token))
    connections.connect(db, sid=f"sid-{name}", worker_id=WORKER, actor=actor, now=clock.now())
    return service.owner(db, actor, personal.derive(joined.token), SECRET), joined.token


def _write(db, clock, who, entry_id="entry-0001", kind="listening", text=SECRET_WORDS):  # type: ignore[no-untyped-def]
    return service.write_note(db, who, entry_id=entry_id, kind=kind, text=text, now=clock.now())


@pytest.fixture
def started(db, clock):  # type: ignore[no-untyped-def]
    created = create_session(db, clock)
    set_agenda(db, created.session.id, [ROUND, DISCUSS])
    bo, bo_token = _guest(db, clock, created.session.join_code, "Bo")
    cecilie, _ = _guest(db, clock, created.session.join_code, "Cecilie")
    host = actor_of(sessions.authenticate(db, created.facilitator_token))
    sessions.start_session(db, host, clock.now())
    return created, host, bo, bo_token, cecilie


def test_only_the_owner_reads_their_notes_with_the_turn_they_were_written_in(db, clock, started):
    created, _, bo, _, cecilie = started
    clock_row = db.get_one(AgendaClock, created.session.id)
    turn = db.get_one(Turn, clock_row.turn_id)
    writer = cecilie if turn.participant_id == bo.participant_id else bo
    entry = _write(db, clock, writer)
    presenter = "Bo" if writer is cecilie else "Cecilie"
    assert entry["turn_of"] == presenter and entry["phase_title"] == "Check-in"
    assert entry["phase_id"] == clock_row.phase_id and entry["text"] == SECRET_WORDS
    other = bo if writer is cecilie else cecilie
    assert service.read_notebook(db, other) == {"entries": []}
    with pytest.raises(DomainError) as err:
        service.delete_note(db, other, entry_id="entry-0001")
    assert err.value.code == "note_not_found"
    # The same entry id is the other person's own entry, not a way into the first.
    _write(db, clock, other, text="Mine")
    assert [e["text"] for e in service.read_notebook(db, writer)["entries"]] == [SECRET_WORDS]

    clock.advance(5)
    updated = _write(db, clock, writer, kind="takeaway", text="Changed")
    assert (updated["kind"], updated["turn_of"], updated["text"]) == (
        "takeaway",
        presenter,
        "Changed",
    )
    assert updated["updated_at"] != updated["created_at"]
    service.delete_note(db, writer, entry_id="entry-0001")
    assert service.read_notebook(db, writer) == {"entries": []}


def test_a_second_device_with_the_same_token_reads_them_and_a_wrong_key_reads_nothing(
    db, clock, started
):
    _, _, bo, bo_token, _ = started
    _write(db, clock, bo)
    again = actor_of(sessions.authenticate(db, bo_token))
    second = service.owner(db, again, personal.derive(bo_token), SECRET)
    assert [e["text"] for e in service.read_notebook(db, second)["entries"]] == [SECRET_WORDS]
    stranger = service.Owner(bo.actor, b"\0" * 32)  # someone with the database, not the token
    assert service.read_notebook(db, stranger) == {"entries": []}


def test_the_database_holds_no_plaintext_note(db, clock, started):
    _, host, bo, _, _ = started
    _write(db, clock, bo)
    mine = service.owner(db, host, None, SECRET)
    _write(db, clock, mine, text="The facilitator's own doubts")
    everything = json.dumps(
        {table: sorted(map(repr, rows)) for table, rows in dump(db).items()}, ensure_ascii=False
    )
    assert "notebook_entries" in everything and "doubt" not in everything
    assert "Bo presents" not in everything and "facilitator's own" not in everything


def test_a_hosts_notes_follow_them_to_another_signed_in_login(db, clock):
    anne = sign_up(db, clock)
    created = create_session(db, clock, host=anne)
    first = actor_of(sessions.authenticate(db, created.facilitator_token))
    _write(db, clock, service.owner(db, first, personal.derive(created.facilitator_token), SECRET))
    other_login = accounts.sign_in(  # another device: a second login
        db, PASSWORDS, email=anne.account.email, password=PASSWORD, now=clock.now(), login_days=30
    )
    token, _ = pass_for(db, clock, other_login, created.session)
    assert token != created.facilitator_token
    second = actor_of(sessions.authenticate(db, token))
    notes = service.read_notebook(db, service.owner(db, second, personal.derive(token), SECRET))
    assert [e["text"] for e in notes["entries"]] == [SECRET_WORDS]
    # Another server secret (someone without SECRET_KEY) opens nothing.
    assert service.read_notebook(db, service.owner(db, second, None, "x" * 40)) == {"entries": []}


@pytest.mark.parametrize(
    "payload",
    [
        {"entry_id": "entry-0001", "kind": "listening", "text": "x" * (TEXT_LENGTH + 1)},
        {"entry_id": "entry-0001", "kind": "gossip", "text": "x"},
        {"entry_id": "short", "kind": "free", "text": "x"},
        {"entry_id": "entry/../0001", "kind": "free", "text": "x"},
        {"entry_id": "entry-0001", "kind": "free", "text": "a\x00b"},
        {"entry_id": "entry-0001", "kind": "free"},
        {"entry_id": "entry-0001", "kind": "free", "text": "x", "participant_id": 1},
    ],
)
def test_bad_input_changes_nothing(db, clock, started, payload):
    _, _, bo, _, _ = started
    _write(db, clock, bo)
    before = dump(db)
    with pytest.raises(DomainError) as err:
        load_args(WriteNoteArgs(), payload)
    assert err.value.code == "invalid_payload"
    assert dump(db) == before


def test_a_full_notebook_says_so(db, clock, started, monkeypatch):
    _, _, bo, _, _ = started
    monkeypatch.setattr(service, "MAX_ENTRIES", 2)
    _write(db, clock, bo, entry_id="entry-0001")
    _write(db, clock, bo, entry_id="entry-0002")
    _write(db, clock, bo, entry_id="entry-0002", text="an update still fits")
    with pytest.raises(DomainError) as err:
        _write(db, clock, bo, entry_id="entry-0003")
    assert (err.value.code, err.value.params) == ("notebook_full", {"max": 2})


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ["# My notes: ", "## Takeaways", "## Listening notes", "Check-in, while "]),
        ("da", ["# Mine noter: ", "## Det tager jeg med", "## Lyttenoter", "Check-in, mens "]),
    ],
)
def test_export_in_the_readers_language(db, clock, started, language, expected):
    created, _, bo, _, cecilie = started
    turn = db.get_one(Turn, db.get_one(AgendaClock, created.session.id).turn_id)
    writer = cecilie if turn.participant_id == bo.participant_id else bo
    writer = service.Owner(replace(writer.actor, language=language), writer.key)
    _write(db, clock, writer)
    _write(db, clock, writer, entry_id="entry-0002", kind="takeaway", text="Ask for help sooner")
    _write(db, clock, writer, entry_id="entry-0003", kind="free", text="")  # left out
    exported = export_notebook(db, writer)
    assert exported["mime"] == "text/markdown"
    assert exported["filename"] == f"holdsport-{created.session.join_code}-notes.md"
    content = exported["content"]
    for part in expected:
        assert part in content, content
    assert content.index("Ask for help sooner") < content.index(SECRET_WORDS)


def test_retention_and_deleting_the_session_forget_every_note(db, clock, started):
    created, host, bo, _, cecilie = started
    _write(db, clock, bo)
    _write(db, clock, cecilie)
    sessions.end_session(db, host, clock.now())
    clock.advance(31 * 86400)
    assert expire_due_content(db, clock.now(), 30) == [created.session.id]
    assert dump(db)["notebook_entries"] == set()

    other = create_session(db, clock)
    guest, _ = _guest(db, clock, other.session.join_code, "Dan")
    _write(db, clock, guest)
    assert dump(db)["notebook_entries"]
    delete_session(db, other.session.id, clock.now())
    assert dump(db)["notebook_entries"] == set()


def test_a_removed_persons_notes_go(db, clock, started):
    _, host, bo, _, cecilie = started
    _write(db, clock, bo)
    _write(db, clock, cecilie)
    door.remove(db, host, bo.participant_id, clock.now())
    assert len(dump(db)["notebook_entries"]) == 1
