"""Forgetting a session's boards: when its content expires, or the session is deleted,
every board of it goes, with every post, author, reaction, vote and cluster. A board is
all written by people (or chosen for them), so nothing of it stays as a skeleton."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from server.board.models import Board, Cluster, Post, PostAuthor, Reaction, Vote
from server.core.bus import Fact


def forget_boards(db: Session, fact: Fact, now: datetime) -> None:
    boards = select(Board.id).where(Board.session_id == fact.session_id)
    posts = select(Post.id).where(Post.board_id.in_(boards))
    db.execute(delete(Vote).where(Vote.board_id.in_(boards)))
    db.execute(delete(Reaction).where(Reaction.post_id.in_(posts)))
    db.execute(delete(PostAuthor).where(PostAuthor.post_id.in_(posts)))
    db.execute(delete(Post).where(Post.board_id.in_(boards)))  # before their clusters
    db.execute(delete(Cluster).where(Cluster.board_id.in_(boards)))
    db.execute(delete(Board).where(Board.session_id == fact.session_id))
