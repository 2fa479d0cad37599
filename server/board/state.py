"""Reading a session's current board, locking it, and its shape on the wire."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import Row, Table, bindparam, func, select
from sqlalchemy.orm import Session

from server.board.models import Board, BoardStatus, Cluster, Post, PostAuthor
from server.board.rules import LIMITS
from server.core.db import rows
from server.core.domain import HOSTS, Actor
from server.core.errors import DomainError
from server.sessions.models import Status
from server.sessions.state import LockedSession, lock_row


def lock_session(db: Session, session_id: int) -> LockedSession:
    """Take the session's row lock (sessions.state.lock_row) for a board change; refuse once
    the session has ended. Board commands serialize on it like every other change."""
    session = lock_row(db, session_id)
    if session.status is Status.ENDED:
        raise DomainError("session_ended")
    return session


# Built once, as every join reads it (bench/join_cpu.py): only the session changes.
_CURRENT = (
    select(Board)
    .where(Board.session_id == bindparam("session_id"), Board.group_number.is_(None))
    .order_by(Board.id.desc())
    .limit(1)
)


def current_board(db: Session, session_id: int) -> Board | None:
    """The plenary's newest board: the open one, or the last one closed (a breakout
    group's own boards aside, groups.py)."""
    return db.scalars(_CURRENT, {"session_id": session_id}).first()


# A board to read, not to change: the entity, or a plain row of its columns (cheaper).
BoardRow = Board | Row[Any]
_boards = cast(Table, Board.__table__)
# The same board's id, for reads of it as a plain row.
NEWEST_BOARD = (
    select(func.max(_boards.c.id))
    .where(_boards.c.session_id == bindparam("session_id"), _boards.c.group_number.is_(None))
    .scalar_subquery()
)
_CURRENT_ROW = select(_boards).where(_boards.c.id == NEWEST_BOARD)


def current_board_row(db: Session, session_id: int) -> Row[Any] | None:
    """`current_board` as a plain row, far cheaper than an entity, for what is only sent."""
    found = rows(db, _CURRENT_ROW, {"session_id": session_id})
    return found[0] if found else None


def require_board(db: Session, session_id: int, *, writable: bool = False) -> Board:
    """The current board; with `writable`, one that takes new posts."""
    board = current_board(db, session_id)
    if board is None:
        raise DomainError("board_not_open")
    if writable:
        require_writable(board)
    return board


def require_writable(board: BoardRow) -> None:
    """Refuse a new post unless the board takes them."""
    if board.status is BoardStatus.CLOSED:
        raise DomainError("board_not_open")
    if board.status is BoardStatus.LOCKED:
        raise DomainError("board_locked")


def host_board(db: Session, actor: Actor) -> Board:
    """The current board, locked for a change only the facilitator may make."""
    if actor.role not in HOSTS:
        raise DomainError("forbidden")
    lock_session(db, actor.session_id)
    return require_board(db, actor.session_id)


def host_board_row(db: Session, actor: Actor) -> BoardRow:
    """`host_board` for a change of what is on the board, not of the board itself (its
    posts, its clusters): the board as a plain row, with no entity to load."""
    if actor.role not in HOSTS:
        raise DomainError("forbidden")
    lock_session(db, actor.session_id)
    board = current_board_row(db, actor.session_id)
    if board is None:
        raise DomainError("board_not_open")
    return board


def require_not_closed(board: BoardRow) -> None:
    if board.status is BoardStatus.CLOSED:
        raise DomainError("board_not_open")


def find_post(db: Session, board: BoardRow, post_id: str) -> Post:
    post = db.get(Post, post_id)
    if post is None or post.board_id != board.id:
        raise DomainError("post_not_found")
    return post


def find_cluster(db: Session, board: BoardRow, cluster_id: str) -> Cluster:
    cluster = db.get(Cluster, cluster_id)
    if cluster is None or cluster.board_id != board.id:
        raise DomainError("cluster_not_found")
    return cluster


def post_count(db: Session, board: Board) -> int:
    """Posts others know exist: published ones (until a delete is applied) and waiting ones."""
    return int(
        db.scalar(select(func.count()).select_from(Post).where(Post.board_id == board.id)) or 0
    )


_posts = cast(Table, Post.__table__).c
_clusters = cast(Table, Cluster.__table__).c
# What post_fields and cluster_fields read, as plain rows: a board may hold hundreds of
# posts, and every join reads them all. Built once.
_POST_READ = ("id", "prompt", "shown_text", "hidden", "cluster_id", "me_too", "thanks", "votes")
_SHOWN_POSTS = (
    select(*(_posts[name] for name in _POST_READ))
    .where(_posts.board_id == bindparam("board_id"), _posts.position.is_not(None))
    .order_by(_posts.position)
)
_CLUSTERS = (
    select(_clusters.id, _clusters.name, _clusters.votes)
    .where(_clusters.board_id == bindparam("board_id"))
    .order_by(_clusters.position)
)


def board_fields(db: Session, board: BoardRow, *, host: bool) -> dict[str, Any]:
    """The board as a client sees it; `host` adds the text of hidden posts (facilitator)."""
    posts = rows(db, _SHOWN_POSTS, {"board_id": board.id})
    clusters = rows(db, _CLUSTERS, {"board_id": board.id})
    authors = authors_of(db, board, [p.id for p in posts])
    return {
        "id": board.id,
        "prompts": list(board.prompts),
        "mode": board.mode.value,
        "named": board.named,
        "threshold": board.threshold,
        "status": board.status.value,
        "revealed": board.revealed,
        "count": board.count_told,  # told in coarse steps (counting.py)
        "limits": dict(LIMITS),
        "posts": [post_fields(p, authors.get(p.id), host=host) for p in posts],
        "clusters": [cluster_fields(c) for c in clusters],
    }


def post_fields(
    post: Post | Row[Any], author_id: int | None, *, host: bool = False
) -> dict[str, Any]:
    return {
        "id": post.id,
        "prompt": post.prompt,
        "text": post.shown_text if host or not post.hidden else None,
        "hidden": post.hidden,
        "cluster_id": post.cluster_id,
        "reactions": {"me_too": post.me_too, "thanks": post.thanks},
        "votes": post.votes,
        "author_id": author_id,
    }


def cluster_fields(cluster: Cluster | Row[Any]) -> dict[str, Any]:
    return {"id": cluster.id, "name": cluster.name, "votes": cluster.votes}


def authors_of(db: Session, board: BoardRow, post_ids: list[str]) -> dict[str, int]:
    """Who wrote what, on a named board only; an anonymous board has no such rows at all."""
    if not board.named or not post_ids:
        return {}
    rows = db.execute(
        select(PostAuthor.post_id, PostAuthor.participant_id).where(
            PostAuthor.post_id.in_(post_ids)
        )
    )
    return {post_id: participant_id for post_id, participant_id in rows}
