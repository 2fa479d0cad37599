"""The facilitator's work on a board: hide and restore posts, group them into clusters.

None of it needs to know who wrote anything, and none of it can find out.
"""

from __future__ import annotations

from datetime import datetime
from typing import cast

from sqlalchemy import Table, bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session

from server.board import tags
from server.board.models import Cluster, Post, Vote
from server.board.state import (
    BoardRow,
    authors_of,
    cluster_fields,
    find_cluster,
    find_post,
    host_board_row,
    post_fields,
)
from server.core.domain import Actor, Event, declare_events
from server.core.errors import DomainError
from server.sessions.state import emit

declare_events(
    "board:post_hidden",
    "board:post_restored",
    "board:cluster_added",
    "board:cluster_renamed",
    "board:cluster_removed",
    "board:post_moved",
)


def hide_post(db: Session, actor: Actor, *, post_id: str, now: datetime) -> list[Event]:
    """Take a shown post off everyone's board; the facilitator still sees it, to restore."""
    board, post = _shown_post(db, actor, post_id)
    if post.hidden:
        return []
    post.hidden = True
    return [emit(db, "board:post_hidden", board.session_id, {"post_id": post.id})]


def restore_post(db: Session, actor: Actor, *, post_id: str, now: datetime) -> list[Event]:
    board, post = _shown_post(db, actor, post_id)
    if not post.hidden:
        return []
    post.hidden = False  # an edit made while it was hidden rides with the next batch
    author = authors_of(db, board, [post.id]).get(post.id)
    return [emit(db, "board:post_restored", board.session_id, {"post": post_fields(post, author)})]


def _shown_post(db: Session, actor: Actor, post_id: str) -> tuple[BoardRow, Post]:
    board = host_board_row(db, actor)
    post = find_post(db, board, post_id)
    if post.position is None:
        raise DomainError("post_not_found")  # nobody has seen it: nothing to hide
    return board, post


# Built once, as a facilitator may add many (bench/command_cpu.py): only the values change.
_LAST_POSITION = select(func.max(Cluster.position)).where(Cluster.board_id == bindparam("board_id"))
# A Core insert: nothing reads the new row back through the ORM in this transaction.
_ADD_CLUSTER = insert(cast(Table, Cluster.__table__)).values(
    id=bindparam("id"),
    board_id=bindparam("board_id"),
    name=bindparam("name"),
    position=bindparam("position"),
    votes=0,
)


def add_cluster(db: Session, actor: Actor, *, name: str, now: datetime) -> list[Event]:
    board = host_board_row(db, actor)
    last = db.scalar(_LAST_POSITION, {"board_id": board.id})
    cluster = {"id": tags.new_id(), "name": name.strip(), "votes": 0}
    db.execute(
        _ADD_CLUSTER,
        {
            "id": cluster["id"],
            "board_id": board.id,
            "name": cluster["name"],
            "position": (last or 0) + 1,
        },
    )
    return [emit(db, "board:cluster_added", board.session_id, {"cluster": cluster})]


def rename_cluster(
    db: Session, actor: Actor, *, cluster_id: str, name: str, now: datetime
) -> list[Event]:
    board = host_board_row(db, actor)
    cluster = find_cluster(db, board, cluster_id)
    cluster.name = name.strip()
    return [
        emit(db, "board:cluster_renamed", board.session_id, {"cluster": cluster_fields(cluster)})
    ]


def remove_cluster(db: Session, actor: Actor, *, cluster_id: str, now: datetime) -> list[Event]:
    """Its posts stay, ungrouped; votes given to the cluster are given back."""
    board = host_board_row(db, actor)
    cluster = find_cluster(db, board, cluster_id)
    db.execute(update(Post).where(Post.cluster_id == cluster.id).values(cluster_id=None))
    db.execute(delete(Vote).where(Vote.target_id == cluster.id))
    db.delete(cluster)
    return [emit(db, "board:cluster_removed", board.session_id, {"cluster_id": cluster_id})]


def move_post(
    db: Session, actor: Actor, *, post_id: str, cluster_id: str | None, now: datetime
) -> list[Event]:
    """Put a shown post into a cluster, or (None) take it out of one."""
    board, post = _shown_post(db, actor, post_id)
    if cluster_id is not None:
        find_cluster(db, board, cluster_id)
    if post.cluster_id == cluster_id:
        return []
    post.cluster_id = cluster_id
    return [
        emit(
            db, "board:post_moved", board.session_id, {"post_id": post.id, "cluster_id": cluster_id}
        )
    ]
