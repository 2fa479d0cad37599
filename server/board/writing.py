"""Writing on a board: post, edit, delete. Nothing stored says who wrote a post.

The author's browser makes a random secret per post and keeps it; the server keeps its
hash. That secret edits or deletes the post, and so does the author's key (the same on
every device of theirs, server.core.personal), recomputing the post's `owner_tag`: the
same person on another device finds their posts (board.mine) and changes them there.
The per-person post limit, and the one mark that counts a person toward a batch
(waiting.py), come from posts whose `owner_tag` the writer's own key recomputes (tags.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from server.board import groups, rate, rules, tags, waiting
from server.board.models import Board, Post, PostAuthor
from server.board.scatter import scatter_waiting
from server.board.state import lock_session
from server.core.domain import Actor, Event
from server.core.errors import DomainError


@dataclass(frozen=True)
class Writer:
    """Who sends a board command, as the board may know them: by key, never by name."""

    actor: Actor
    key: bytes  # the person's key (server.core.personal): same in every tab, never stored
    connection: str  # this connection, for its rate limit


@dataclass(frozen=True)
class Written:
    """What the author's own ack carries: nobody else is told about this post yet."""

    post: dict[str, Any]
    posts_left: int
    events: list[Event]
    board_id: int = 0


def begin(db: Session, writer: Writer, now: datetime, *, writable: bool) -> Board:
    """Lock the session, spend one of the connection's commands, find the board."""
    lock_session(db, writer.actor.session_id)
    rate.spend(db, writer.key, writer.connection, now)
    return groups.require_board_of(db, writer.actor, writable=writable)


def write_post(
    db: Session, writer: Writer, *, prompt: int, text: str, secret: str, now: datetime
) -> Written:
    """A new post. Others learn only that the count went up, and not now (counting.py);
    its text waits for a reveal or a batch, and even then nothing says whose it is
    (unless the board is named)."""
    board = begin(db, writer, now, writable=True)
    if prompt >= len(board.prompts):
        raise DomainError("invalid_payload", fields=["prompt"])
    text = rules.clean_text(text)
    left = rules.MAX_POSTS - _own_posts(db, board, writer.key)
    if left <= 0:
        raise DomainError("post_limit_reached", max=rules.MAX_POSTS)
    post = Post(
        id=tags.new_id(),
        board_id=board.id,
        prompt=prompt,
        text=text,
        secret_hash=tags.secret_hash(secret),
    )
    post.owner_tag = tags.tag(writer.key, "post", _salt(board), post.id)

    def add() -> None:
        db.add(post)
        if board.named and writer.actor.participant_id is not None:
            db.add(PostAuthor(post_id=post.id, participant_id=writer.actor.participant_id))

    _counting_waiters(db, board, writer.key, add, post.id)
    # Others learn of it with the next count (counting.py).
    return Written(own_fields(post), left - 1, [], board.id)


def edit_post(
    db: Session, writer: Writer, *, post_id: str, secret: str | None, text: str, now: datetime
) -> Written:
    """Change one's own post. Before it is shown, nobody else notices; once shown, the
    new text waits for the next batch, so its timing does not point at its author."""
    board = begin(db, writer, now, writable=False)
    post = _own_post(db, board, writer.key, post_id, secret)
    new_text = rules.clean_text(text)

    def change() -> None:
        post.text = new_text

    _counting_waiters(db, board, writer.key, change, post.id)
    left = rules.MAX_POSTS - _own_posts(db, board, writer.key)
    return Written(own_fields(post), left, [], board.id)


def delete_post(
    db: Session, writer: Writer, *, post_id: str, secret: str | None, now: datetime
) -> Written:
    """Delete one's own post: its words are gone at once; a shown post leaves the board
    with the next batch (or when the board ends)."""
    board = begin(db, writer, now, writable=False)
    post = _own_post(db, board, writer.key, post_id, secret)
    shown = post.position is not None

    def delete() -> None:
        if shown:
            post.deleted = True
            post.text = ""
            post.secret_hash = None
        else:
            db.delete(post)

    _counting_waiters(db, board, writer.key, delete, post_id)
    left = rules.MAX_POSTS - _own_posts(db, board, writer.key)
    return Written({"id": post_id, "shown": shown}, left, [], board.id)


def _counting_waiters(
    db: Session, board: Board, key: bytes, change: Callable[[], None], touched: str
) -> None:
    """Make a change, then set this person's one mark anew from what of theirs waits.

    A batch needs several people (rules.BATCH_SIZE), not several posts: three posts of
    one person in one batch would still point at that person (waiting.py counts them).
    """
    change()
    db.flush()
    waiting.mark_own(db, board, key, _salt(board), touched)
    scatter_waiting(db, board)


def _own_post(db: Session, board: Board, key: bytes, post_id: str, secret: str | None) -> Post:
    """The post, if the secret its browser keeps, or else the asker's key, says it is
    theirs. Authors may edit and delete while the board is locked, not once it ended."""
    salt = _salt(board)
    post = db.get(Post, post_id)
    if post is None or post.board_id != board.id or post.deleted:
        raise DomainError("post_not_found")
    by_secret = secret is not None and tags.secret_matches(secret, post.secret_hash)
    if not (by_secret or tags.made_by(key, "post", salt, post.id, post.owner_tag)):
        raise DomainError("not_your_post")
    return post


# Built once, as every post written reads it twice (bench/command_cpu.py).
_OWN_POSTS = select(Post.id, Post.owner_tag).where(
    Post.board_id == bindparam("board_id"), Post.deleted.is_(False)
)


def _own_posts(db: Session, board: Board, key: bytes) -> int:
    rows = db.execute(_OWN_POSTS, {"board_id": board.id}).all()
    return tags.count_own(key, "post", _salt(board), [(i, t or "") for i, t in rows])


def _salt(board: Board) -> str:
    if board.salt is None:
        raise DomainError("board_not_open")
    return board.salt


def own_fields(post: Post) -> dict[str, Any]:
    return {
        "id": post.id,
        "prompt": post.prompt,
        "text": post.text,
        "shown": post.position is not None,
    }
