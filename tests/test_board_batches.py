"""Batches need several real people, whatever happened before: a property-based test.

Random sequences of board commands from several people (write, edit, delete, hide,
restore, lock, unlock, reveal, close, reopen, the sweeper's rounds) run against the
services. The test knows who wrote what; the server must not, and still every
`board:published` must hold new or changed posts of at least `batch_size` different
people (`threshold` for a reveal, both for a live board's first batch).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from server.board import counting, curation, rules, service, waiting, writing
from server.board.models import Post
from server.core.errors import DomainError
from tests.board_support import make_room, new_secret

PEOPLE = 5  # the facilitator (0) and four participants, each with their own key

person = st.integers(0, PEOPLE - 1)
pick = st.integers(0, 30)
commands = st.one_of(
    st.tuples(st.just("write"), person),
    st.tuples(st.just("edit"), person, pick, st.sampled_from(["new", "back"])),
    st.tuples(st.just("delete"), person, pick),
    st.tuples(st.just("hide"), pick),
    st.tuples(st.just("restore"), pick),
    st.tuples(st.sampled_from(["lock", "unlock", "reveal", "close", "sweep"])),
    st.tuples(st.just("open"), st.sampled_from(["live", "reveal"]), st.integers(2, 4)),
)


@dataclass
class Oracle:
    """What the test knows and the server must not: who wrote each post."""

    author: dict[str, int] = field(default_factory=dict)
    secret: dict[str, str] = field(default_factory=dict)
    shown: set[str] = field(default_factory=set)
    batches: int = 0

    def own(self, who: int, db: Any) -> list[Post]:
        posts = [db.get(Post, pid) for pid, author in self.author.items() if author == who]
        return [p for p in posts if p is not None and not p.deleted]

    def check(self, events: list[Any], *, needs: int) -> None:
        for event in events:
            if event.name != "board:published":
                continue
            payload = event.payload
            changed = [p["id"] for p in payload["posts"]] + list(payload["removed"])
            writers = {self.author[pid] for pid in changed}
            if changed:
                self.batches += 1
                assert len(writers) >= needs, (needs, writers, payload)
            self.shown.update(p["id"] for p in payload["posts"])
            self.shown.difference_update(payload["removed"])

    def check_marks(self, db: Any, board: Any) -> None:
        """The count the server derives is never above the truth: one mark per person."""
        if board is None or board.salt is None:
            return
        posts = db.scalars(select(Post).where(Post.board_id == board.id)).all()
        marked = [self.author[p.id] for p in posts if p.counted]
        assert len(marked) == len(set(marked)), "someone counts twice"
        truly = {self.author[p.id] for p in posts if waiting.waits(p)}
        assert waiting.writers_waiting(db, board) <= len(truly)


def run(room: Any, oracle: Oracle, command: tuple[Any, ...]) -> None:
    db, host, now = room.db, room.host, room.now
    writers = [room.host_writer, *room.people]
    board = service.current_board(db, host.session_id)
    name = command[0]
    needs = rules.BATCH_SIZE
    if board is not None and not board.revealed:
        needs = board.threshold if name == "reveal" else max(rules.BATCH_SIZE, board.threshold)
    events: list[Any] = []
    if name == "write":
        secret = new_secret()
        written = writing.write_post(
            db, writers[command[1]], prompt=0, text=f"by {command[1]}", secret=secret, now=now
        )
        oracle.author[written.post["id"]] = command[1]
        oracle.secret[written.post["id"]] = secret
        events = written.events
    elif name in ("edit", "delete"):
        mine = oracle.own(command[1], db)
        if not mine:
            return
        post = mine[command[2] % len(mine)]
        secret = oracle.secret[post.id]
        if name == "delete":
            events = writing.delete_post(
                db, writers[command[1]], post_id=post.id, secret=secret, now=now
            ).events
        else:
            back = command[3] == "back" and post.shown_text is not None
            text = post.shown_text if back else f"edit {len(oracle.author)}"
            writing.edit_post(
                db, writers[command[1]], post_id=post.id, secret=secret, text=text, now=now
            )
    elif name in ("hide", "restore"):
        shown = sorted(oracle.shown, key=lambda pid: (oracle.author[pid], pid))
        if not shown:
            return
        act = curation.hide_post if name == "hide" else curation.restore_post
        events = act(db, host, post_id=shown[command[1] % len(shown)], now=now)
    elif name == "open":
        events = room.open(mode=command[1], threshold=command[2])
        oracle.shown.clear()
    elif name == "sweep":
        events = service.sweep(db, now) + counting.tell_counts(db, now)
    elif name == "close":
        events = service.close_board(db, host.session_id, now)
    else:
        act = {
            "lock": service.lock_board,
            "unlock": service.unlock_board,
            "reveal": service.reveal_board,
        }[name]
        events = act(db, host, now)
    oracle.check(events, needs=needs)
    oracle.check_marks(db, service.current_board(db, host.session_id))


@pytest.mark.filterwarnings("ignore::hypothesis.errors.NonInteractiveExampleWarning")
@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    mode=st.sampled_from(["live", "reveal"]),
    threshold=st.integers(2, 4),
    script=st.lists(commands, max_size=60),
)
# The facilitator's own attack: edit a shown post, hide it, edit it back, restore it,
# twice; then one other person's post must not be published alone.
@example(
    mode="live",
    threshold=3,
    script=[
        ("write", 0),
        ("write", 1),
        ("write", 2),
        ("sweep",),
        *[("edit", 0, 0, "new"), ("hide", 0), ("edit", 0, 0, "back"), ("restore", 0)] * 2,
        ("write", 3),
        ("sweep",),
    ],
)
# The threshold counts people: two posts of the facilitator and one of someone else.
@example(mode="reveal", threshold=3, script=[("write", 0), ("write", 0), ("write", 1), ("reveal",)])
def test_every_batch_holds_posts_of_enough_different_people(
    database, clock, mode, threshold, script
):
    db = database.sessions()
    try:
        room = make_room(db, clock, people=PEOPLE - 1)
        room.open(mode=mode, threshold=threshold)
        oracle = Oracle()
        for command in script:
            clock.advance(rules.RATE_WINDOW_SECONDS)  # no rate limit in the way
            try:
                with db.begin_nested():  # a refused command changes nothing, as over the wire
                    run(room, oracle, command)
            except DomainError:
                pass
    finally:
        db.rollback()
        db.close()
