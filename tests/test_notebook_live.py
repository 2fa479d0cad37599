"""The notebook through a real server process and real python-socketio clients: a note
reaches only its writer's other connections, follows their credential to another device
(a guest's token, a facilitator's account), and is stored sealed."""

from __future__ import annotations

import json
import secrets

import pytest

from tests.live_client import Ears, LiveClient, create_session, facilitator, join, sign_in
from tests.log_audit import full_log, spellings
from tests.support import dump_database

pytestmark = pytest.mark.server
SECRET_WORDS = "Mine tvivl om min egen ledelse, mens Bo fremlægger"
NOTEBOOK_EVENTS = ("notebook:entry_saved", "notebook:entry_deleted")


def connect(clients, server, token: str, language: str | None = None) -> tuple[LiveClient, Ears]:  # type: ignore[no-untyped-def]
    client = LiveClient(server.url, token, language)
    ears = Ears(client, NOTEBOOK_EVENTS)
    clients.append(client.connect())
    return client, ears


def everything_heard(client: LiveClient, ears: Ears) -> str:
    heard = [client.received, client.snapshots, client.acks, ears.heard]
    return json.dumps(heard, ensure_ascii=False)


def write(client: LiveClient, entry_id: str, text: str, kind: str = "listening") -> dict:
    reply = client.call("notebook:write", {"entry_id": entry_id, "kind": kind, "text": text})
    assert reply["ok"], reply
    return reply["entry"]


def test_a_guests_notes_reach_only_their_own_connections_and_follow_their_token(
    server, clients, database_url
):
    host = create_session(server.url)
    anne, anne_ears = connect(clients, server, host["facilitator_token"])
    bo_token = join(server.url, host["join_code"], "Bo", language="da")["token"]
    tab, tab_ears = connect(clients, server, bo_token)
    phone, phone_ears = connect(clients, server, bo_token)
    cecilie, cecilie_ears = connect(
        clients, server, join(server.url, host["join_code"], "Cecilie")["token"]
    )
    assert anne.call("session:start") == {"ok": True}

    entry = write(tab, "note-from-tab-1", SECRET_WORDS)
    assert entry["text"] == SECRET_WORDS
    [saved] = phone_ears.wait_for("notebook:entry_saved")
    assert saved == {"entry": entry}
    write(tab, "note-from-tab-2", "Spørg om hjælp før", kind="takeaway")
    phone_ears.wait_for("notebook:entry_saved", count=2)
    assert phone.call("notebook:delete", {"entry_id": "note-from-tab-2"}) == {"ok": True}
    assert tab_ears.wait_for("notebook:entry_deleted") == [{"id": "note-from-tab-2"}]
    assert tab_ears.of("notebook:entry_saved") == []  # the writer's own tab has its ack

    for other in (anne, cecilie):
        assert other.call("notebook:get") == {"ok": True, "notebook": {"entries": []}}
        assert other.call("notebook:delete", {"entry_id": "note-from-tab-1"})["error"]["code"] == (
            "note_not_found"
        )
        other.call("session:sync")
    for other, ears in ((anne, anne_ears), (cecilie, cecilie_ears)):
        heard = everything_heard(other, ears)
        assert "note-from-tab" not in heard and "tvivl" not in heard and "hjælp" not in heard
        assert not ears.of("notebook:entry_saved") and not ears.of("notebook:entry_deleted")

    # Bad input through the wire: refused, nothing changes, nobody hears of it.
    before = tab.call("notebook:get")
    too_long = {"entry_id": "note-from-tab-1", "kind": "free", "text": "x" * 5001}
    for bad in (too_long, {**too_long, "text": "ok", "kind": "diary"}, {"entry_id": "../x"}):
        reply = tab.call("notebook:write", bad)
        assert reply["error"]["code"] == "invalid_payload", reply
    assert tab.call("notebook:get") == before
    assert len(phone_ears.of("notebook:entry_saved")) == 2

    # Another device with the same token: the notes are there, and change live.
    phone.disconnect()
    laptop, laptop_ears = connect(clients, server, bo_token)
    notebook = laptop.call("notebook:get")["notebook"]
    assert [e["text"] for e in notebook["entries"]] == [SECRET_WORDS]
    # After the session ended, the notebook still works (within retention).
    assert anne.call("session:end") == {"ok": True}
    write(tab, "note-from-tab-3", "Efter sessionen", kind="takeaway")
    laptop_ears.wait_for("notebook:entry_saved")
    exported = laptop.call("notebook:export")
    assert exported["mime"] == "text/markdown" and "## Det tager jeg med" in exported["content"]
    assert SECRET_WORDS in exported["content"]

    stored = repr(dump_database(database_url))
    assert "notebook_entries" in stored
    assert "tvivl" not in stored and "Efter sessionen" not in stored


def test_a_facilitators_notes_follow_them_to_another_signed_in_browser(server, clients):
    http = facilitator(server.url)
    host = create_session(server.url, host=http)
    desk, _ = connect(clients, server, host["facilitator_token"])
    write(desk, "host-note-0001", "Remember to breathe", kind="free")

    other = sign_in(server.url, http.email)  # type: ignore[attr-defined]
    reply = other.post(f"{server.url}/api/sessions/{host['join_code']}/pass", timeout=10)
    token = reply.json()["token"]
    assert token != host["facilitator_token"]
    laptop, laptop_ears = connect(clients, server, token)
    notebook = laptop.call("notebook:get")["notebook"]
    assert [e["text"] for e in notebook["entries"]] == ["Remember to breathe"]
    write(desk, "host-note-0002", "And to listen", kind="takeaway")
    [saved] = laptop_ears.wait_for("notebook:entry_saved")
    assert saved["entry"]["text"] == "And to listen"


def test_the_servers_log_never_holds_a_note(server, clients):
    """An operator reading the log sees nothing anyone wrote in their notebook: not what
    was saved, rewritten, deleted or exported, and not what was refused."""
    host = create_session(server.url, facilitator_name="Annelise Ordstyrer")
    anne, _ = connect(clients, server, host["facilitator_token"])
    bodil, _ = connect(clients, server, join(server.url, host["join_code"], "Bodil")["token"])
    cai, _ = connect(clients, server, join(server.url, host["join_code"], "Cai")["token"])
    assert anne.call("session:start") == {"ok": True}
    markers: list[str] = []  # one per text sent: no log line may hold one
    texts: list[str] = []

    def note(words: str) -> str:
        markers.append(f"NOTEMARK{secrets.token_hex(6)}")
        texts.append(f"{markers[-1]} {words}")
        return texts[-1]

    write(bodil, "bodil-note-01", note("Jeg tvivler på min egen ledelse\nog siger det ikke"))
    write(bodil, "bodil-note-01", note("Omskrevet: frygten for at fejle foran chefen"))
    write(bodil, "bodil-note-02", note("Spørge Cecilie om budgetsagen"), kind="takeaway")
    assert bodil.call("notebook:delete", {"entry_id": "bodil-note-02"}) == {"ok": True}
    write(cai, "cai-note-0001", note("Mine medarbejdere stoler ikke på mig"), kind="free")
    write(anne, "anne-note-001", note("Facilitatorens egen bekymring om gruppen"))
    for refused in (
        {"entry_id": "bodil-note-03", "kind": "free", "text": note("altfor lang " + "ø" * 5000)},
        {"entry_id": "bodil-note-03", "kind": "free", "text": note("nulbyte\x00indeni")},
        {"entry_id": "bodil-note-03", "kind": "dagbog", "text": note("forkert slags note")},
        {"entry_id": "../../etc", "kind": "free", "text": note("forkert nøgle til noten")},
    ):
        assert bodil.call("notebook:write", refused)["error"]["code"] == "invalid_payload"
    stranger = cai.call("notebook:delete", {"entry_id": "bodil-note-01"})
    assert stranger["error"]["code"] == "note_not_found"
    assert markers[1] in bodil.call("notebook:export")["content"]
    assert anne.call("session:end") == {"ok": True}
    write(bodil, "bodil-note-04", note("Efter sessionen: tale med HR"), kind="takeaway")
    assert len(bodil.call("notebook:get")["notebook"]["entries"]) == 2

    log = full_log(server)
    for marker in markers:
        assert marker not in log
    for text in texts:
        for spelling in spellings(text):
            assert spelling not in log
        for word in text.split():  # a log that cut the text short would still hold these
            assert len(word) < 6 or word not in log, word
