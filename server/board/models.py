"""Rows of a board. Nothing here names, or can be joined to, the person who wrote or reacted.

Posts, reactions and votes carry no participant, connection, time or increasing id.
What lets the server enforce "one per person" is a tag: an HMAC keyed by a secret
derived from the person's raw token (which is never stored), salted per board; the
salt is wiped and the tag rows deleted when the board closes (see tags.py).
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from server.core.db import Base, UTCDateTime, str_enum

ID_LENGTH = 16  # random ids (see tags.new_id): never in the order things were written
TAG_LENGTH = 64  # hex HMAC-SHA256
TEXT_COLUMN_LENGTH = 1000  # the service's own limit is lower; this only bounds storage


class BoardMode(enum.StrEnum):
    REVEAL = "reveal"  # write, then the facilitator shows every post at once
    LIVE = "live"  # posts appear as they come, in shuffled batches


class BoardStatus(enum.StrEnum):
    OPEN = "open"
    LOCKED = "locked"  # no writing; reactions and votes go on
    CLOSED = "closed"  # the phase ended: read only, every tag gone


class ReactionKind(enum.StrEnum):
    ME_TOO = "me_too"
    THANKS = "thanks"


class Board(Base):
    __tablename__ = "boards"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("peer_sessions.id"), index=True)
    # The agenda's board phase that opened it (None: opened by hand).
    phase_id: Mapped[int | None] = mapped_column(
        ForeignKey("phases.id", ondelete="SET NULL"), nullable=True
    )
    # A breakout group's own board: the group's number in the breakout phase `phase_id`
    # (None: the plenary's board). Only that group and the hosts ever see it (groups.py).
    group_number: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # Columns: {"key": content key} (each reader's language) or {"text": own words}.
    prompts: Mapped[list[Any]] = mapped_column(JSON)
    mode: Mapped[BoardMode] = mapped_column(str_enum(BoardMode, "board_mode"))
    # Fixed when the board opens: nothing turns an anonymous board into a named one.
    named: Mapped[bool] = mapped_column(Boolean)
    threshold: Mapped[int] = mapped_column(Integer)
    status: Mapped[BoardStatus] = mapped_column(str_enum(BoardStatus, "board_status"))
    revealed: Mapped[bool] = mapped_column(Boolean, default=False)
    # How many posts have been published so far: the next batch's positions start here.
    published: Mapped[int] = mapped_column(Integer, default=0)
    # Per-board salt of every tag; None once closed, so no tag can be recomputed.
    salt: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # How many different people had something waiting when the board closed (a count
    # only), so that a board closed before its reveal can still be revealed. While it is
    # open, the count comes from the posts' marks (waiting.py), never from here.
    waiting_writers: Mapped[int] = mapped_column(Integer, default=0)
    # The count of posts everyone was last told, and the start of the window of the
    # server's clock it was told in (counting.py): never the moment anyone wrote.
    count_told: Mapped[int] = mapped_column(Integer, default=0)
    count_told_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class Cluster(Base):
    __tablename__ = "board_clusters"

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("boards.id"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    position: Mapped[int] = mapped_column(Integer)
    votes: Mapped[int] = mapped_column(Integer, default=0)


class Post(Base):
    """One post. `text` is what its author last wrote; `shown_text` what everyone sees.

    A post is unpublished while `position` is None; an edit or a delete of a published
    post waits for the next batch, so its timing does not point at its author.
    Rows lie in the order of their random ids (SQLite: WITHOUT ROWID; PostgreSQL:
    scatter.py), never in the order they were written.
    """

    __tablename__ = "board_posts"
    __table_args__ = {"sqlite_with_rowid": False}  # noqa: RUF012  (SQLAlchemy reads it)

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("boards.id"), index=True)
    # Which of the board's prompts (its columns) the post answers, by index.
    prompt: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(String(TEXT_COLUMN_LENGTH))
    shown_text: Mapped[str | None] = mapped_column(String(TEXT_COLUMN_LENGTH), nullable=True)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    # Random order, given when the post is published (never the order of writing).
    position: Mapped[int | None] = mapped_column(Integer, nullable=True)
    cluster_id: Mapped[str | None] = mapped_column(
        ForeignKey("board_clusters.id"), nullable=True, index=True
    )
    me_too: Mapped[int] = mapped_column(Integer, default=0)
    thanks: Mapped[int] = mapped_column(Integer, default=0)
    votes: Mapped[int] = mapped_column(Integer, default=0)
    # sha256 of a secret only the author's browser holds: it alone may edit or delete.
    secret_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # Counts toward its author's post limit; one-way and different for every post.
    owner_tag: Mapped[str | None] = mapped_column(String(TAG_LENGTH), nullable=True)
    # One post of each person with something waiting counts them once toward a batch;
    # only their own commands set it (waiting.py). False again once published or closed.
    counted: Mapped[bool] = mapped_column(Boolean, default=False)


class PostAuthor(Base):
    """Only on a named board, chosen before anyone wrote: who wrote what, shown to all."""

    __tablename__ = "board_post_authors"

    post_id: Mapped[str] = mapped_column(
        ForeignKey("board_posts.id", ondelete="CASCADE"), primary_key=True
    )
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"), index=True)


class Reaction(Base):
    """One person's reaction to one post; the tag differs per post, so none link up."""

    __tablename__ = "board_reactions"

    post_id: Mapped[str] = mapped_column(
        ForeignKey("board_posts.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(TAG_LENGTH), primary_key=True)
    kind: Mapped[ReactionKind] = mapped_column(str_enum(ReactionKind, "reaction_kind"))


class Vote(Base):
    """One person's vote on a post or a cluster (`target_id`); deleted when the board closes."""

    __tablename__ = "board_votes"

    target_id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    tag: Mapped[str] = mapped_column(String(TAG_LENGTH), primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("boards.id"), index=True)


class RateWindow(Base):
    """Board commands one connection sent in one time window, under a key nobody can trace."""

    __tablename__ = "board_rate_windows"

    key: Mapped[str] = mapped_column(String(TAG_LENGTH), primary_key=True)
    count: Mapped[int] = mapped_column(Integer)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
