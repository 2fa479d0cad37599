"""Helpers for board tests without sockets: a session with people, each a board Writer."""

from __future__ import annotations

import copy
import secrets
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy.orm import Session

from server.board import service, writing
from server.board.writing import Writer
from server.core import connections, personal
from server.core.domain import Actor
from server.core.errors import DomainError
from server.sessions import service as sessions
from tests.factories import actor_of, create_session, join
from tests.live_client import apply_event

# Every column of every board table, reviewed: a new column fails this audit until it is
# reviewed here and in docs/anonymity.md. Only board_post_authors names a person, and only
# a named board writes it.
BOARD_COLUMNS = {
    "boards": {
        "id", "session_id", "phase_id", "prompts", "mode", "named", "threshold", "status",
        "revealed", "published", "salt", "waiting_writers", "count_told", "count_told_at",
        "opened_at", "closed_at", "group_number",
    },
    "board_posts": {
        "id", "board_id", "prompt", "text", "shown_text", "deleted", "hidden", "position",
        "cluster_id", "me_too", "thanks", "votes", "secret_hash", "owner_tag", "counted",
    },
    "board_clusters": {"id", "board_id", "name", "position", "votes"},
    "board_reactions": {"post_id", "tag", "kind"},
    "board_votes": {"target_id", "tag", "board_id"},
    "board_rate_windows": {"key", "count", "expires_at"},
    "board_post_authors": {"post_id", "participant_id"},
}  # fmt: skip

PROMPTS = ["A mistake I learned from", "What makes it safe or unsafe to share here"]


@dataclass
class Room:
    db: Any
    clock: Any
    host: Actor
    host_writer: Writer
    people: list[Writer]
    tokens: list[str]
    events: list[Any] = field(default_factory=list)

    @property
    def now(self):  # type: ignore[no-untyped-def]
        return self.clock.now()

    def record(self, events):  # type: ignore[no-untyped-def]
        self.events.extend(events)
        return events

    def open(self, **options: Any):  # type: ignore[no-untyped-def]
        options.setdefault("prompts", [{"text": text} for text in PROMPTS])
        return self.record(service.open_board(self.db, self.host, now=self.now, **options))

    def post(self, who: Writer, text: str, prompt: int = 0) -> tuple[dict[str, Any], str]:
        secret = new_secret()
        written = writing.write_post(
            self.db, who, prompt=prompt, text=text, secret=secret, now=self.now
        )
        self.record(written.events)
        return written.post, secret

    def snapshot(self, actor: Actor) -> dict[str, Any]:
        return sessions.snapshot(self.db, actor, self.now)


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def make_room(db, clock, people: int = 3, worker: str = "worker-a") -> Room:  # type: ignore[no-untyped-def]
    connections.register_worker(db, worker, clock.now())
    created = create_session(db, clock)
    host = actor_of(sessions.authenticate(db, created.facilitator_token))
    tokens = [created.facilitator_token]
    writers = [Writer(host, personal.derive(created.facilitator_token), "sid-host")]
    for index in range(people):
        joined = join(db, clock, created.session.join_code, display_name=f"Person {index}")
        actor = actor_of(sessions.authenticate(db, joined.token))
        connections.connect(db, sid=f"sid-{index}", worker_id=worker, actor=actor, now=clock.now())
        tokens.append(joined.token)
        writers.append(Writer(actor, personal.derive(joined.token), f"sid-{index}"))
    return Room(db, clock, host, writers[0], writers[1:], tokens)


def replay(state: dict[str, Any], events: list[Any]) -> dict[str, Any]:
    """Apply events to a snapshot the way docs/protocol.md says a client does."""
    for event in events:
        if event.payload["version"] == state["version"] + 1:
            apply_event(state, event.name, copy.deepcopy(event.payload))
    return state


def refused(call, *args, **kwargs) -> DomainError:
    """The error a call fails with; like a failed command, it leaves nothing behind."""
    db = args[0] if args and isinstance(args[0], Session) else call.__self__.db
    with pytest.raises(DomainError) as err, db.begin_nested():
        call(*args, **kwargs)
    return err.value


def code_of(call, *args, **kwargs) -> str:
    return refused(call, *args, **kwargs).code
