"""Hostile input over Socket.IO, against a real server process: every command of
`server.core.realtime.COMMANDS`, with the payloads its `args` schema invites.

The ack is never `internal_error`: a hostile text or number is `invalid_payload`, and
any other refusal is a code docs/protocol.md §5 gives that command. The server's log
shows no traceback afterwards.
"""

from __future__ import annotations

import re
import secrets
from pathlib import Path

import pytest
import requests
from hypothesis import event, given
from hypothesis import strategies as st
from marshmallow import fields

# Importing the features' events modules declares their commands.
from server.actions import events as _actions  # noqa: F401
from server.agenda import events as _agenda  # noqa: F401
from server.board import events as _board  # noqa: F401
from server.breakouts import events as _breakouts  # noqa: F401
from server.core.domain import Role
from server.core.realtime import COMMANDS
from server.core.validation import Int, Text
from server.notebook import events as _notebook  # noqa: F401
from server.presence import events as _presence  # noqa: F401
from server.pulse import events as _pulse  # noqa: F401
from server.sessions import events as _sessions  # noqa: F401
from server.summary import events as _summary  # noqa: F401
from tests.hostile import HOSTILE_INTS, fuzz_settings, payloads, refused_texts
from tests.live_client import LiveClient, create_session, join
from tests.support import dump_database, running_server

pytestmark = pytest.mark.server
DOC = (Path(__file__).resolve().parents[1] / "docs" / "protocol.md").read_text()
COMMON = {"not_authenticated", "forbidden", "invalid_payload"}
# Sent only with a payload they must refuse: the first ends the facilitator's connection,
# the second the session, and the fuzz goes on with both.
ENDING = {"participant:leave", "session:end"}
BREAKOUT_TABLES = ("breakout_rounds", "breakout_groups", "breakout_seats")


def documented_errors() -> dict[str, set[str]]:
    """Command → the error codes §5 lists for it (besides the common ones)."""
    section = DOC.split("## 5. Commands", 1)[1].split("\n## ", 1)[0]
    found = {}
    for line in section.splitlines():
        if line.startswith("| `") and ":" in line.split("|")[1]:
            cells = [cell.strip() for cell in re.split(r"(?<!\\)\|", line.strip("|"))]
            found[cells[0].strip("`")] = set(re.findall(r"`([a-z_]+)`", cells[4]))
    return found


@pytest.fixture
def room(database_url):
    """A running session: a facilitator and a participant, a board with a post on it."""
    with running_server(database_url) as server:
        host = create_session(server.url)
        anne = LiveClient(server.url, host["facilitator_token"], "en").connect()
        bo = LiveClient(server.url, join(server.url, host["join_code"], "Bo")["token"]).connect()
        try:
            assert anne.call("session:start")["ok"]
            assert anne.call("board:open", {"prompts": ["Mistakes", "Safety"]})["ok"]
            # Last on the agenda: a breakout phase with a plan, for the breakout commands.
            trios = {"kind": "breakout", "title": "Trios", "minutes": 30}
            assert anne.call("agenda:add_phase", trios)["ok"]
            breakout_id = anne.call("session:sync")["snapshot"]["agenda"]["phases"][-1]["id"]
            assert anne.call("breakout:plan", {"phase_id": breakout_id, "size": 2})["ok"]
            secret = secrets.token_urlsafe(32)
            post = bo.call("board:post", {"prompt": 0, "text": "første", "secret": secret})
            state = anne.call("session:sync")["snapshot"]
            agenda = state["agenda"]
            sensible = {
                "segment": agenda["segment"],
                "phase_id": agenda["phases"][-1]["id"],
                "turn_id": agenda["turns"][0]["id"] if agenda["turns"] else 1,
                "hand_id": 1,
                "participant_id": state["participants"][-1]["id"],
                "post_id": post["post"]["id"],
                "target_id": post["post"]["id"],
                "secret": secret,
                "cluster_id": None,
                "action_id": 1,  # none yet: the fuzzer's own action:add makes it
                "owner_id": state["participants"][-1]["id"],
                "due": "2027-01-15",
                "prompts": ["Mistakes"],
                "group": 1,
                "size": 3,
            }
            yield server, anne, sensible
        finally:
            anne.disconnect()
            bo.disconnect()


def check(reply, name: str, allowed: dict[str, set[str]]) -> None:
    assert isinstance(reply, dict) and isinstance(reply.get("ok"), bool), (name, reply)
    if not reply["ok"]:
        code = reply["error"]["code"]
        assert code != "internal_error", name
        assert code in COMMON | allowed[name], (name, code)


def hostile_fields(schema):
    """(field name, a hostile value) for every text and number the schema takes."""
    for name, field in schema.fields.items():
        inner = field.inner if isinstance(field, fields.List) else field
        wrap = (lambda v: [v]) if isinstance(field, fields.List) else (lambda v: v)
        if isinstance(inner, Text):
            for value in refused_texts(inner):
                yield name, wrap(value)
        elif isinstance(inner, Int):
            for value in HOSTILE_INTS:
                yield name, wrap(value)


def test_every_hostile_text_and_number_in_every_command_is_invalid_payload(room):
    server, anne, _ = room
    assert all(Role.FACILITATOR in cmd.roles for cmd in COMMANDS.values())
    dump = dump_database(server.env["DATABASE_URL"])
    breakouts = {table: dump[table] for table in BREAKOUT_TABLES}
    assert len(breakouts["breakout_seats"]) == 1  # Bo's seat
    tried = 0
    tried_commands = set()
    for name, cmd in COMMANDS.items():
        for field, value in hostile_fields(cmd.args):
            reply = anne.call(name, {field: value})
            assert reply["ok"] is False, (name, field, value)
            assert reply["error"]["code"] == "invalid_payload", (name, field, value, reply)
            assert field in reply["error"]["params"]["fields"], (name, field, value)
            tried += 1
            tried_commands.add(name)
    assert tried > 200
    assert {name for name in COMMANDS if name.startswith("breakout:")} <= tried_commands
    # Still the same session, untouched.
    # The one post is still there (the count others see moves on a 10-second clock).
    dump = dump_database(server.env["DATABASE_URL"])
    assert len(dump["board_posts"]) == 1
    assert {table: dump[table] for table in BREAKOUT_TABLES} == breakouts  # the plan as made
    assert "Traceback" not in server.log()


def test_every_breakout_command_answers_a_phase_that_is_no_breakout_as_unknown(room):
    """The fuzz's most common refusal of a breakout command, made every run: a phase of
    the session that is no breakout phase is `unknown_phase`, a code §5 gives them all."""
    _, anne, sensible = room
    allowed = documented_errors()
    discussion = anne.call("session:sync")["snapshot"]["agenda"]["phases"][0]
    assert discussion["kind"] == "discussion"
    values = {**sensible, "phase_id": discussion["id"], "segment": 0, "text": "Hej"}
    breakout_commands = [name for name in COMMAND_NAMES if name.startswith("breakout:")]
    assert len(breakout_commands) == 5
    for name in breakout_commands:
        payload = {field: values[field] for field in COMMANDS[name].args.fields}
        reply = anne.call(name, payload)
        assert reply["error"]["code"] == "unknown_phase", (name, reply)
        assert "unknown_phase" in allowed[name], name


COMMAND_NAMES = sorted(COMMANDS)
# What the sweeper changes on its own, whenever it runs: the board's count told on its
# clock, and the session version its event takes (server/board/counting.py).
# And the one-minute warning of a breakout phase, once the fuzz has shortened its time.
TICKING = {
    "boards": {"count_told", "count_told_at"},
    "peer_sessions": {"version"},
    "breakout_rounds": {"warned_for"},
}


@fuzz_settings(400)
@given(data=st.data())
def test_fuzz_every_command(room, database_url, data):
    server, anne, sensible = room
    allowed = documented_errors()
    assert set(allowed) == set(COMMANDS)
    name = data.draw(st.sampled_from(COMMAND_NAMES), label="command")
    payload = data.draw(payloads(COMMANDS[name].args, sensible), label="payload")
    if name in ENDING:
        payload = {"unknown": payload}
    before = dump_database(database_url, TICKING)
    reply = anne.call(name, payload)
    check(reply, name, allowed)
    if not reply["ok"]:
        after = dump_database(database_url, TICKING)
        # The sweeper deletes rate windows that have ended, whenever it runs.
        swept = set(after.pop("board_rate_windows")) <= set(before.pop("board_rate_windows"))
        changed = {t: (before.get(t), after.get(t)) for t in after if after[t] != before.get(t)}
        assert swept and not changed, (name, reply["error"]["code"], changed)
    event(reply["error"]["code"] if not reply["ok"] else "ok")  # --hypothesis-show-statistics
    if name in ENDING:
        assert reply["error"]["code"] == "invalid_payload"
    assert "Traceback" not in server.log()


def test_hostile_http_bodies_against_the_real_server(server):
    url = f"{server.url}/api"
    base = {"title": "T", "language": "da", "facilitator_name": "Anne"}
    raw_bodies = [
        b'{"title": "a\\u0000b", "language": "da", "facilitator_name": "Anne"}',
        b'{"title": "\\ud800", "language": "da", "facilitator_name": "Anne"}',
        b'{"title": "   ", "language": "da", "facilitator_name": "Anne"}',
        b"[" * 50_000,
        b"\xff\xfe\xfd",
        b'{"join_code": 1e999, "display_name": "Bo", "language": "da"}',
    ]
    for raw in raw_bodies:
        for path in ("/sessions", "/join"):
            reply = requests.post(
                url + path, data=raw, headers={"Content-Type": "application/json"}, timeout=10
            )
            assert reply.status_code == 400, (path, raw[:40], reply.text)
            assert reply.json()["error"]["code"] == "invalid_payload"
    wrong_group = requests.post(f"{url}/sessions", json={**base, "group_id": "1\x00"}, timeout=10)
    assert wrong_group.json()["error"] == {
        "code": "invalid_payload",
        "message": wrong_group.json()["error"]["message"],
        "params": {"fields": ["group_id"]},
    }
    assert requests.get(f"{url}/sessions/%00%ED%A0%80", timeout=10).status_code == 404
    assert "Traceback" not in server.log()
    # Nothing of it was stored.
    assert dump_database(server.env["DATABASE_URL"])["peer_sessions"] == []
