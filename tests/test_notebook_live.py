"""The notebook through a real server process and real python-socketio clients: a note
reaches only its writer's other connections, follows their credential to another device
(a guest's token, a facilitator's account), and is stored sealed."""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest

from server.core.unit import NAMESPACE
from tests.live_client import LiveClient, create_session, facilitator, join, sign_in
from tests.support import dump_database

pytestmark = pytest.mark.server
SECRET_WORDS = "Mine tvivl om min egen ledelse, mens Bo fremlægger"
NOTEBOOK_EVENTS = ("notebook:entry_saved", "notebook:entry_deleted")


class Ears:
    """Everything a client hears that LiveClient does not apply: the notebook's events and
    any other event (the catch-all)."""

    def __init__(self, client: LiveClient) -> None:
        self.heard: list[tuple[str, Any]] = []
        self._changed = threading.Condition()
        for name in NOTEBOOK_EVENTS:
            client.sio.on(name, self._hear(name), namespace=NAMESPACE)
        client.sio.on("*", lambda name, data: self._hear(name)(data), namespace=NAMESPACE)

    def _hear(self, name: str):  # type: ignore[no-untyped-def]
        def hear(data: Any) -> None:
            with self._changed:
                self.heard.append((name, data))
                self._changed.notify_all()

        return hear

    def wait_for(self, name: str, count: int = 1) -> list[Any]:
        with self._changed:
            self._changed.wait_for(lambda: len(self.of(name)) >= count, timeout=10)
        found = self.of(name)
        assert len(found) >= count, self.heard
        return found

    def of(self, name: str) -> list[Any]:
        return [data for heard, data in self.heard if heard == name]


def connect(clients, server, token: str, language: str | None = None) -> tuple[LiveClient, Ears]:  # type: ignore[no-untyped-def]
    client = LiveClient(server.url, token, language)
    ears = Ears(client)
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
