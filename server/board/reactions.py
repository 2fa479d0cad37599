"""Reactions ("me too", "thank you") and votes: counts for everyone, and no voter anywhere.

A reaction or vote row holds a tag that differs per post (tags.py), so it says neither
who made it nor that two of them came from the same person. Its only use is to keep
each person to one reaction per post and to their share of votes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Row, Table, bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from server.board import groups, rules, tags
from server.board.models import Cluster, Post, Reaction, ReactionKind, Vote
from server.board.state import BoardRow, require_not_closed
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
    salt = _salt(board)
    tag = tags.tag(writer.key, "react", salt, post_id)
    found = db.execute(_REACTION_OF, {"post_id": post_id, "tag": tag}).one_or_none()
    if found is None or found.board_id != board.id or not _visible(found):
        raise DomainError("post_not_found")
    before = found.kind
    after = ReactionKind(kind) if kind else None
    if before is after:
        return []
    the = {"the_post": post_id, "the_tag": tag}
    if before is None:
        db.execute(_ADD_REACTION, {"post_id": post_id, "tag": tag, "kind": after})
    elif after is None:
        db.execute(_TAKE_REACTION, the)
    else:
        db.execute(_CHANGE_REACTION, {**the, "new_kind": after})
    steps = {"me_too_step": 0, "thanks_step": 0}
    for changed, step in ((before, -1), (after, +1)):
        if changed is not None:
            steps[f"{changed.value}_step"] += step
    me_too, thanks = db.execute(_COUNT_REACTIONS, {"the_post": post_id, **steps}).one()
    payload = {"post_id": post_id, "reactions": {"me_too": me_too, "thanks": thanks}}
    return [groups.tell(db, board, "board:reacted", payload)]


_posts = cast(Table, Post.__table__)
_reactions = cast(Table, Reaction.__table__)
# Built once, as every reaction runs them (bench/command_cpu.py): only the values change.
# The post, and this person's reaction to it if any, in one read.
_REACTION_OF = (
    select(_posts.c.board_id, _posts.c.position, _posts.c.hidden, _posts.c.deleted)
    .add_columns(_reactions.c.kind)
    .select_from(
        _posts.outerjoin(
            _reactions,
            (_reactions.c.post_id == _posts.c.id) & (_reactions.c.tag == bindparam("tag")),
        )
    )
    .where(_posts.c.id == bindparam("post_id"))
)
_THE_REACTION = (_reactions.c.post_id == bindparam("the_post")) & (
    _reactions.c.tag == bindparam("the_tag")
)
_ADD_REACTION = insert(_reactions)
_TAKE_REACTION = delete(_reactions).where(_THE_REACTION)
_CHANGE_REACTION = update(_reactions).where(_THE_REACTION).values(kind=bindparam("new_kind"))
_COUNT_REACTIONS = (
    update(_posts)
    .where(_posts.c.id == bindparam("the_post"))
    .values(
        me_too=_posts.c.me_too + bindparam("me_too_step"),
        thanks=_posts.c.thanks + bindparam("thanks_step"),
    )
    .returning(_posts.c.me_too, _posts.c.thanks)
)


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


def _votes_used(db: Session, board: BoardRow, key: bytes, salt: str) -> int:
    rows = db.execute(select(Vote.target_id, Vote.tag).where(Vote.board_id == board.id)).all()
    return tags.count_own(key, "vote", salt, [(t, g) for t, g in rows])


def _visible_post(db: Session, board: BoardRow, post_id: str) -> Post:
    """Only what everyone can see takes reactions and votes."""
    require_not_closed(board)
    post = db.get(Post, post_id)
    if post is None or post.board_id != board.id or not _visible(post):
        raise DomainError("post_not_found")
    return post


def _visible(post: Post | Row[Any]) -> bool:
    return post.position is not None and not post.hidden and not post.deleted


def _salt(board: BoardRow) -> str:
    require_not_closed(board)
    assert board.salt is not None, "an open board has a salt"
    return board.salt
