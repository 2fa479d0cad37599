"""The anonymity audit: a scripted session through real Socket.IO clients, then every
table, every log line and every payload each client received, searched for anything
that joins a participant to a post or a reaction (docs/anonymity.md).
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import threading
import time
from typing import Any

import pytest
from sqlalchemy import create_engine, inspect, text

from server.board import tags
from server.core import personal, tokens
from tests.board_support import BOARD_COLUMNS
from tests.live_client import LiveClient, create_session, join
from tests.support import ServerProcess

pytestmark = pytest.mark.server
PEOPLE = [("Bo", "Aarhus Kommune"), ("Cecilie", "Region Syd"), ("Dan", None), ("Eva", None)]


def dump(url: str) -> dict[str, list[dict[str, Any]]]:
    engine = create_engine(url)
    with engine.connect() as connection:
        tables = inspect(connection).get_table_names()
        rows = {
            t: [dict(r._mapping) for r in connection.execute(text(f"SELECT * FROM {t}"))]
            for t in tables
        }
    engine.dispose()
    return rows


def reveals(payload: Any, identifiers: set[str]) -> bool:
    """Whether a payload holds an identifier: a short one (a first name) only as a whole
    value, since random ids contain two-letter runs like "Bo" by chance."""
    blob = json.dumps(payload, ensure_ascii=False)
    strings = {v for _, v in walk(payload) if isinstance(v, str)}
    return any(i in strings if len(i) <= 3 else i in blob for i in identifiers)


def summary_of(client: LiveClient) -> list[dict[str, Any]]:
    """A person's summary and both exports (docs/anonymity.md: the summary)."""
    replies = [client.call("summary:get")]
    replies += [client.call("summary:export", {"format": f}) for f in ("markdown", "csv")]
    assert all(reply["ok"] for reply in replies), replies
    return replies


def walk(value: Any):  # type: ignore[no-untyped-def]
    """Every (key, value) pair and string anywhere in a JSON-like value."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield key, item
            yield from walk(item)
    elif isinstance(value, list):
        for item in value:
            yield from walk(item)


@pytest.fixture
def server(database_url):
    process = ServerProcess(database_url, HOLDSPORT_SWEEP_SECONDS="0.2")
    process.start()
    yield process
    process.stop()


class Person:
    def __init__(self, server: ServerProcess, token: str, name: str, org: str | None) -> None:
        self.client = LiveClient(server.url, token).connect()
        self.token, self.name, self.org = token, name, org
        self.id = self.client.state["you"]["participant_id"]
        self.sid = self.client.sid
        self.posts: list[tuple[str, str]] = []  # (id, secret)
        self.texts: list[str] = []

    def write(self, body: str, prompt: int = 0) -> str:
        secret = secrets.token_urlsafe(32)
        reply = self.client.call("board:post", {"prompt": prompt, "text": body, "secret": secret})
        assert reply["ok"], reply
        self.posts.append((reply["post"]["id"], secret))
        self.texts.append(body)
        return reply["post"]["id"]

    def identifiers(self) -> set[str]:
        """What an operator, or a fellow participant, could tie to this person."""
        values = {self.name, self.token, tokens.token_hash(self.token), self.sid}
        values.add(personal.derive(self.token).hex())
        return {v for v in values | {self.org} if v}


def test_no_participant_can_be_joined_to_a_post_or_a_reaction(server, database_url):
    host = create_session(server.url, facilitator_name="Anne", organisation="Nordhavn")
    anne = Person(server, host["facilitator_token"], "Anne", "Nordhavn")
    people = [anne] + [
        Person(server, join(server.url, host["join_code"], name)["token"], name, org)
        for name, org in PEOPLE
    ]
    screen = LiveClient(server.url, host["display_key"]).connect()
    clients = [p.client for p in people] + [screen]
    for client in clients:
        client.wait_for(lambda c=client: len(c.people()) == len(people))

    assert anne.client.call(
        "board:open", {"prompts": ["A mistake I learned from", "An uncertainty I carry"]}
    ) == {"ok": True}
    for index, person in enumerate(people):
        person.write(f"mistake number {index} <b>bold</b> & æøå")
        if index % 2:
            person.write(f"uncertainty number {index} 🙈", prompt=1)
    edited_id, edited_secret = people[1].posts[0]
    people[1].client.call(
        "board:edit", {"post_id": edited_id, "secret": edited_secret, "text": "an edited post"}
    )
    people[1].texts.append("an edited post")
    gone_id, gone_secret = people[2].posts[-1]
    people[2].client.call("board:delete", {"post_id": gone_id, "secret": gone_secret})
    before_reveal = {id(c): len(c.received) for c in clients}
    backup_while_writing = dump(database_url)

    assert anne.client.call("board:reveal") == {"ok": True}
    screen.wait_for(lambda: screen.state["board"]["revealed"])
    shown = [p["id"] for p in screen.state["board"]["posts"]]
    for person in people:
        for post_id in shown[:3]:
            person.client.call("board:react", {"post_id": post_id, "kind": "me_too"})
        person.client.call("board:react", {"post_id": shown[-1], "kind": "thanks"})
        person.client.call("board:vote", {"target_id": shown[1], "vote": True})
    cluster = anne.client.call("board:add_cluster", {"name": "Tid"})["cluster_id"]
    anne.client.call("board:move_post", {"post_id": shown[0], "cluster_id": cluster})
    anne.client.call("board:hide", {"post_id": shown[2]})
    anne.client.call("board:restore", {"post_id": shown[2]})
    people[3].client.call("board:vote", {"target_id": cluster, "vote": True})
    late_id = people[4].write("a late post after the reveal")
    backup_while_open = dump(database_url)
    assert anne.client.call("board:close") == {"ok": True}
    screen.wait_for(lambda: screen.state["board"]["status"] == "closed")
    time.sleep(0.5)  # let the last events arrive everywhere
    backup_after = dump(database_url)
    # The summary and both exports, everyone's, once the session has ended.
    before_end = {id(c): len(c.received) for c in clients}  # the end's events are not the board's
    assert anne.client.call("session:end") == {"ok": True}
    summaries = {person.id: summary_of(person.client) for person in people}
    assert screen.call("summary:get")["error"]["code"] == "forbidden"
    closing = [threading.Thread(target=c.disconnect) for c in clients]
    for thread in closing:
        thread.start()
    for thread in closing:
        thread.join()
    server.stop()  # flush the log

    texts = [t for p in people for t in p.texts]
    post_ids = {pid for p in people for pid, _ in p.posts}
    identifiers = {person.id: person.identifiers() for person in people}
    every_identifier = set().union(*identifiers.values())
    # Written after the reveal, alone: no batch came before the end, so nobody ever saw it.
    assert late_id in {p["id"] for p in backup_while_open["board_posts"]}
    assert late_id not in {p["id"] for p in backup_after["board_posts"]}

    # 1. The schema: no board table has a column that could hold a person.
    for dumped in (backup_while_writing, backup_while_open, backup_after):
        for table, rows in dumped.items():
            if table.startswith("board"):
                assert table in BOARD_COLUMNS, f"unreviewed board table {table}"
                for row in rows:
                    assert set(row) == BOARD_COLUMNS[table], table
        assert dumped["board_post_authors"] == []  # the board was anonymous

        # 2. The values: nothing in a board table equals, contains or is derived from a
        # participant identifier (a name, a token or its hash, a socket id, their key).
        derived = every_identifier | {
            hashlib.sha256(v.encode()).hexdigest() for v in every_identifier
        }
        for table, rows in dumped.items():
            if not table.startswith("board"):
                continue
            for row in rows:
                for value in map(str, row.values()):
                    assert value not in derived, (table, value)
                    assert not any(len(i) > 3 and i in value for i in every_identifier), table

    # 3. An operator with a backup taken while the board was open holds the salt and
    # every tag; recomputing tags from what the database knows of each person fails,
    # while the raw token (which only the person's browser holds) would succeed.
    salt = backup_while_open["boards"][0]["salt"]
    tagged = [("react", r["post_id"], r["tag"]) for r in backup_while_open["board_reactions"]]
    tagged += [("vote", v["target_id"], v["tag"]) for v in backup_while_open["board_votes"]]
    tagged += [("post", p["id"], p["owner_tag"]) for p in backup_while_open["board_posts"]]
    assert len(tagged) > 20 and salt
    stored_tags = {tag for _, _, tag in tagged if tag}
    participants = {p["id"]: p for p in backup_while_open["participants"]}
    for person in people:
        row = participants[person.id]
        guesses = [str(row["id"]), row["token_hash"], row["display_name"], person.sid]
        for guess in guesses:
            for key in (guess.encode(), hashlib.sha256(guess.encode()).digest()):
                for purpose, item, tag in tagged:
                    assert tags.tag(key, purpose, salt, item) != tag
        real_key = personal.derive(person.token)
        assert any(tags.tag(real_key, p, salt, i) in stored_tags for p, i, _ in tagged)
    # After the close nothing is left to recompute, not even with a token.
    assert all(b["salt"] is None and b["count_told_at"] is None for b in backup_after["boards"])
    assert backup_after["board_reactions"] == [] and backup_after["board_votes"] == []
    assert all(p["owner_tag"] is None for p in backup_after["board_posts"])
    assert not any(p["counted"] for p in backup_after["board_posts"])
    assert all(p["secret_hash"] is None for p in backup_after["board_posts"])

    # 4. The logs never hold post text, post ids, secrets or tags.
    log = server.log()
    assert "Holdsport is running" in log
    secrets_sent = [s for p in people for _, s in p.posts]
    for needle in texts + sorted(post_ids) + secrets_sent + sorted(stored_tags):
        assert needle not in log

    # 6. The summary and its exports hold the shown posts and no one's identifier.
    shown_texts = [t for t in texts if t != "a late post after the reveal"]
    for replies in summaries.values():
        got, *exports = replies
        assert not reveals(got, every_identifier), got
        assert "a late post after the reveal" not in json.dumps(got, ensure_ascii=False)
        for export in exports:
            content = export["content"]
            assert "uncertainty number 1 🙈" in content and "an edited post" in content
            assert "a late post after the reveal" not in content
            for identifier in every_identifier:
                assert not re.search(rf"\b{re.escape(identifier)}\b", content), identifier
        board = next(s for s in got["summary"]["sections"] if s["key"] == "board")
        posts = [p for c in board["data"]["boards"][0]["columns"] for p in c["posts"]]
        assert {p["text"] for p in posts} <= set(shown_texts) and len(posts) >= len(people)
        assert all(set(p) == {"text", "me_too", "thanks", "votes", "cluster"} for p in posts)

    # 5. The payloads: nothing a client received ties a post or reaction to a person.
    for person in people:
        others = every_identifier - person.identifiers()
        client = person.client
        for name, reply in client.acks:
            blob = json.dumps(reply, ensure_ascii=False)
            if name.startswith("board:") and name != "board:export":
                assert not reveals(reply, others), (name, reply)
                assert "participant" not in blob and "author" not in blob, name
    for client in clients:
        payloads = [p for _, p in client.received[: before_end[id(client)]]] + [
            s["board"] for s in client.snapshots if s.get("board")
        ]
        payloads += [reply for _, reply in client.acks]
        for payload in payloads:
            for key, value in walk(payload):
                if key == "author_id":
                    assert value is None
                assert key not in {"participant_id", "sid", "token", "author", "created_at"}
            blob = json.dumps(payload, ensure_ascii=False)
            if any(pid in blob for pid in post_ids) or any(t in blob for t in texts):
                assert not reveals(payload, every_identifier), blob
        # Before the reveal a client received no one else's text, only counts.
        early = client.received[: before_reveal[id(client)]]
        for name, payload in early:
            if name.startswith("board:") and name != "board:opened":
                assert name == "board:count_changed" and set(payload) == {"version", "count"}
