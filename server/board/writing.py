"""Writing on a board: post, edit, delete. Nothing stored says who wrote a post.

The author's browser makes a random secret per post and keeps it; the server keeps its
hash. That secret edits or deletes the post, and so does the author's key (the same on
every device of theirs, server.core.personal), recomputing the post's `owner_tag`: the
same person on another device finds their posts (board.mine) and changes them there.
The per-person post limit, and the one mark that counts a person toward a batch
(waiting.py), come from posts whose `owner_tag` the writer's own key recomputes (tags.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from server.board import groups, rate, rules, tags, waiting
from server.board.models import Post
from server.board.scatter import board_posts, scatter_waiting
from server.board.state import BoardRow, lock_session
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


def begin(db: Session, writer: Writer, now: datetime, *, writable: bool) -> BoardRow:
    """Lock the session, spend one of the connection's commands, find the board (to read
    only: a plain row of it, as a command of a writer changes its posts, not the board)."""
    lock_session(db, writer.actor.session_id)
    rate.spend(db, writer.key, writer.connection, now)
    return groups.board_to_write(db, writer.actor, writable=writable)


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
    own = tags.Tags(writer.key, "post", _salt(board))
    posts, mine = _posts_and_own(db, board, own)
    left = rules.MAX_POSTS - _undeleted(mine)
    if left <= 0:
        raise DomainError("post_limit_reached", max=rules.MAX_POSTS)
    post_id = tags.new_id()
    post = {
        **_NEW_POST,
        "id": post_id,
        "board_id": board.id,
        "prompt": prompt,
        "text": text,
        "secret_hash": tags.secret_hash(secret),
        "owner_tag": own.of(post_id),
    }
    posts.append(post)
    mine.append(post)
    authors = None
    if board.named and writer.actor.participant_id is not None:
        authors = [{"post_id": post_id, "participant_id": writer.actor.participant_id}]
    # Written with the waiting posts it is scattered among (scatter.py).
    scatter_waiting(db, board, posts, waiting.mark_own(mine, post_id), authors)
    # Others learn of it with the next count (counting.py).
    fields = {"id": post_id, "prompt": prompt, "text": text, "shown": False}
    return Written(fields, left - 1, [], board.id)


# A new post's values besides its own: the model's defaults (None where it has none), for
# every column, as the scatter writes whole rows.
_NEW_POST: dict[str, Any] = {
    column.name: getattr(column.default, "arg", None) for column in Post.__table__.columns
}


def edit_post(
    db: Session, writer: Writer, *, post_id: str, secret: str | None, text: str, now: datetime
) -> Written:
    """Change one's own post. Before it is shown, nobody else notices; once shown, the
    new text waits for the next batch, so its timing does not point at its author."""
    board = begin(db, writer, now, writable=False)
    post = _own_post(db, board, writer.key, post_id, secret)
    post.text = rules.clean_text(text)
    left = _counting_waiters(db, board, writer.key, post.id)
    return Written(own_fields(post), left, [], board.id)


def delete_post(
    db: Session, writer: Writer, *, post_id: str, secret: str | None, now: datetime
) -> Written:
    """Delete one's own post: its words are gone at once; a shown post leaves the board
    with the next batch (or when the board ends)."""
    board = begin(db, writer, now, writable=False)
    post = _own_post(db, board, writer.key, post_id, secret)
    shown = post.position is not None
    if shown:
        post.deleted = True
        post.text = ""
        post.secret_hash = None
    else:
        db.delete(post)
    left = _counting_waiters(db, board, writer.key, post_id)
    return Written({"id": post_id, "shown": shown}, left, [], board.id)


def _counting_waiters(db: Session, board: BoardRow, key: bytes, touched: str) -> int:
    """After a change: set this person's one mark anew from what of theirs waits, scatter
    what waits, and say how many posts they may still write.

    A batch needs several people (rules.BATCH_SIZE), not several posts: three posts of
    one person in one batch would still point at that person (waiting.py counts them).
    """
    db.flush()
    posts, mine = _posts_and_own(db, board, tags.Tags(key, "post", _salt(board)))
    scatter_waiting(db, board, posts, waiting.mark_own(mine, touched))
    return rules.MAX_POSTS - _undeleted(mine)


def _posts_and_own(
    db: Session, board: BoardRow, own: tags.Tags
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The board's posts (one read), and those of them whose tag this person's key made."""
    posts = board_posts(db, board.id)
    return posts, [post for post in posts if own.made(post["id"], post["owner_tag"])]


def _undeleted(mine: list[dict[str, Any]]) -> int:
    return sum(1 for post in mine if not post["deleted"])


def _own_post(db: Session, board: BoardRow, key: bytes, post_id: str, secret: str | None) -> Post:
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


def _salt(board: BoardRow) -> str:
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
