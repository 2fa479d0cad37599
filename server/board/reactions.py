"""Reactions ("me too", "thank you") and votes: counts for everyone, and no voter anywhere.

A reaction or vote row holds a tag that differs per post (tags.py), so it says neither
who made it nor that two of them came from the same person. Its only use is to keep
each person to one reaction per post and to their share of votes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.board import groups, rules, tags
from server.board.models import Board, Cluster, Post, Reaction, ReactionKind, Vote
from server.board.state import require_not_closed
from server.board.writing import Writer, begin
from server.core.domain import Event, declare_events
from server.core.errors import DomainError

declare_events("board:reacted", "board:voted")


@dataclass(frozen=True)
class Voted:
    votes_left: int
    events: list[Event]


def react(
    db: Session, writer: Writer, *, post_id: str, kind: str | None, now: datetime
) -> list[Event]:
    """Set this person's one reaction to a post (`kind`), or take it back (None)."""
    board = begin(db, writer, now, writable=False)
    post = _visible_post(db, board, post_id)
    salt = _salt(board)
    tag = tags.tag(writer.key, "react", salt, post.id)
    existing = db.get(Reaction, (post.id, tag))
    before = existing.kind if existing else None
    after = ReactionKind(kind) if kind else None
    if before is after:
        return []
    if before is not None:
        _count(post, before, -1)
    if after is None:
        db.delete(existing)
    elif existing is None:
        db.add(Reaction(post_id=post.id, tag=tag, kind=after))
    else:
        existing.kind = after
    if after is not None:
        _count(post, after, +1)
    payload = {
        "post_id": post.id,
        "reactions": {"me_too": post.me_too, "thanks": post.thanks},
    }
    return [groups.tell(db, board, "board:reacted", payload)]


def _count(post: Post, kind: ReactionKind, step: int) -> None:
    if kind is ReactionKind.ME_TOO:
        post.me_too += step
    else:
        post.thanks += step


def vote(db: Session, writer: Writer, *, target_id: str, vote: bool, now: datetime) -> Voted:
    """Give (or take back) one of this person's votes to a post or a cluster."""
    board = begin(db, writer, now, writable=False)
    target: Post | Cluster | None = db.get(Cluster, target_id)
    if target is None or target.board_id != board.id:
        target = _visible_post(db, board, target_id)
    salt = _salt(board)
    tag = tags.tag(writer.key, "vote", salt, target_id)
    existing = db.get(Vote, (target_id, tag))
    used = _votes_used(db, board, writer.key, salt)
    if vote and existing is None:
        if used >= rules.VOTES:
            raise DomainError("vote_limit_reached", max=rules.VOTES)
        db.add(Vote(target_id=target_id, tag=tag, board_id=board.id))
        target.votes += 1
        used += 1
    elif not vote and existing is not None:
        db.delete(existing)
        target.votes -= 1
        used -= 1
    else:
        return Voted(rules.VOTES - used, [])
    return Voted(
        rules.VOTES - used,
        [groups.tell(db, board, "board:voted", {"target_id": target_id, "votes": target.votes})],
    )


def _votes_used(db: Session, board: Board, key: bytes, salt: str) -> int:
    rows = db.execute(select(Vote.target_id, Vote.tag).where(Vote.board_id == board.id)).all()
    return tags.count_own(key, "vote", salt, [(t, g) for t, g in rows])


def _visible_post(db: Session, board: Board, post_id: str) -> Post:
    """Only what everyone can see takes reactions and votes."""
    require_not_closed(board)
    post = db.get(Post, post_id)
    if (
        post is None
        or post.board_id != board.id
        or post.position is None
        or post.hidden
        or post.deleted
    ):
        raise DomainError("post_not_found")
    return post


def _salt(board: Board) -> str:
    require_not_closed(board)
    assert board.salt is not None, "an open board has a salt"
    return board.salt
