"""What a person's own key finds on the current board: their posts, reactions and votes.

For a browser of theirs that does not keep them (their other device, sessions.devices):
recomputed from the tags with the asking connection's personal key (tags.py), so nothing
stored says whose they are, and only a live connection of that person can ask. Once the
board has closed its salt and tags are gone, and nothing is found.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.board import tags
from server.board.models import Post, Reaction, Vote
from server.board.state import current_board
from server.board.writing import Writer, own_fields


def own_on_board(db: Session, writer: Writer) -> dict[str, Any]:
    """The asker's own posts (as their acks give them), reactions and votes."""
    board = current_board(db, writer.actor.session_id)
    found: dict[str, Any] = {"board_id": None, "posts": [], "reactions": {}, "votes": []}
    if board is None or board.salt is None:
        return found
    salt, key = board.salt, writer.key
    posts = db.scalars(
        select(Post).where(Post.board_id == board.id, Post.deleted.is_(False)).order_by(Post.id)
    )
    reactions = db.execute(
        select(Reaction.post_id, Reaction.tag, Reaction.kind)
        .join(Post, Post.id == Reaction.post_id)
        .where(Post.board_id == board.id)
    )
    votes = db.execute(select(Vote.target_id, Vote.tag).where(Vote.board_id == board.id))
    own_post, own_reaction, own_vote = (tags.Tags(key, p, salt) for p in ("post", "react", "vote"))
    found["board_id"] = board.id
    found["posts"] = [own_fields(p) for p in posts if own_post.made(p.id, p.owner_tag)]
    found["reactions"] = {
        post_id: str(kind) for post_id, tag, kind in reactions if own_reaction.made(post_id, tag)
    }
    found["votes"] = sorted(t for t, tag in votes if own_vote.made(t, tag))
    return found
