"""A board's life: open, reveal, publish in shuffled batches, lock, close; its snapshot part.

A board phase of the agenda opens its board when it starts and closes it when it ends
(board.phases); the facilitator's `board:open` and `board:close` commands do it by hand. Like every
service, these check the rules, change rows and return events; they never commit.
"""

from __future__ import annotations

import random
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from server.board import counting, groups, rules, tags, waiting
from server.board.models import Board, BoardMode, BoardStatus, Post, Reaction, Vote
from server.board.rate import forget_expired
from server.board.state import (
    authors_of,
    board_fields,
    current_board,
    current_board_row,
    host_board,
    lock_session,
    post_fields,
)
from server.core.domain import HOSTS, Actor, Event, declare_events
from server.core.errors import DomainError
from server.sessions.state import emit, lock

declare_events("board:opened", "board:published", "board:locked", "board:unlocked", "board:closed")
# Shuffles must not be predictable from earlier ones: the OS's randomness, not a seeded PRNG.
_shuffler = random.SystemRandom()


def open_board(
    db: Session,
    actor: Actor,
    *,
    prompts: list[dict[str, str]],
    mode: str = BoardMode.REVEAL.value,
    named: bool = False,
    threshold: int | None = None,
    now: datetime,
) -> list[Event]:
    """A facilitator opens a board by hand (the agenda opens one when a board phase starts)."""
    if actor.role not in HOSTS:
        raise DomainError("forbidden")
    return open_board_for(
        db, actor.session_id, prompts=prompts, mode=mode, named=named, threshold=threshold, now=now
    )


def open_board_for(
    db: Session,
    session_id: int,
    *,
    prompts: list[dict[str, str]],
    mode: str = BoardMode.REVEAL.value,
    named: bool = False,
    threshold: int | None = None,
    phase_id: int | None = None,
    now: datetime,
) -> list[Event]:
    """Open a new board with these prompts as its columns; one board is open at a time.

    A prompt is {"key": content key} (shown in each reader's language) or {"text": own
    words}. Whether the board is named is fixed here, before anyone writes, and never
    changes.
    """
    session = lock_session(db, session_id)
    previous = current_board(db, session.id)
    if previous is not None and previous.status is not BoardStatus.CLOSED:
        raise DomainError("board_already_open")
    dropped = _forget_unshown(db, session.id)
    settings = {"mode": mode, "named": named, "threshold": threshold}
    board = add_board(db, session.id, prompts, settings, phase_id=phase_id, now=now)
    fields = board_fields(db, board, host=False)
    return [emit(db, "board:opened", session.id, {"board": fields, "dropped": dropped})]


def add_board(
    db: Session,
    session_id: int,
    prompts: list[dict[str, str]],
    settings: dict[str, Any],
    *,
    phase_id: int | None,
    group_number: int | None = None,
    now: datetime,
) -> Board:
    """A new open board row (the plenary's, or a breakout group's: `group_number`)."""
    board = Board(
        session_id=session_id,
        phase_id=phase_id,
        group_number=group_number,
        prompts=[_trimmed(p) for p in prompts],
        mode=BoardMode(settings.get("mode") or BoardMode.REVEAL.value),
        named=bool(settings.get("named")),
        threshold=settings.get("threshold") or rules.DEFAULT_THRESHOLD,
        status=BoardStatus.OPEN,
        revealed=False,
        published=0,
        salt=tags.new_salt(),
        count_told_at=counting.window_start(now),  # a post now is told next window
        opened_at=now,
    )
    db.add(board)
    db.flush()
    return board


def _trimmed(prompt: dict[str, str]) -> dict[str, str]:
    return {"text": prompt["text"].strip()} if "text" in prompt else {"key": prompt["key"]}


def _forget_unshown(db: Session, session_id: int) -> list[str]:
    """Posts of an earlier board that were never shown can no longer be: they go, and
    their ids are told, so that each author's screen can say so (ids say nothing of who)."""
    earlier = select(Board.id).where(
        Board.session_id == session_id, Board.group_number.is_(None)
    )  # a group's board is the group's own: a new plenary board does not end it
    return _delete_unseen(db, earlier)


def _delete_unseen(db: Session, boards: Any) -> list[str]:
    """Delete the posts of these boards (a query of ids) that were never shown."""
    unseen = select(Post.id).where(Post.board_id.in_(boards), Post.position.is_(None))
    dropped = list(db.scalars(unseen))
    db.execute(delete(Post).where(Post.id.in_(dropped)))
    return dropped


def reveal_board(db: Session, actor: Actor, now: datetime, group: int | None = None) -> list[Event]:
    """Show every post at once, shuffled; needs posts of at least `threshold` different
    people. The refusal says how many are needed, not how many wrote so far: an exact
    number, asked for again and again, would tell the facilitator when each person wrote.
    A breakout group's board is revealed by its members, or by a host naming `group`."""
    lock_session(db, actor.session_id)
    board = groups.board_to_run(db, actor, group)
    if board.revealed:
        raise DomainError("already_revealed")
    if waiting.writers_waiting(db, board) < board.threshold:
        raise DomainError("reveal_needs_posts", threshold=board.threshold)
    board.revealed = True
    return publish_waiting(db, board, now, force=True)


def lock_board(db: Session, actor: Actor, now: datetime) -> list[Event]:
    """Stop new posts. Edits, deletes, reactions and votes go on, and batches too: a lock
    never pushes out what waits, or a facilitator could time it to one person's post."""
    board = host_board(db, actor)
    if board.status is not BoardStatus.OPEN:
        if board.status is BoardStatus.CLOSED:
            raise DomainError("board_not_open")
        return []
    board.status = BoardStatus.LOCKED
    return [_status_event(db, board, "board:locked")]


def unlock_board(db: Session, actor: Actor, now: datetime) -> list[Event]:
    board = host_board(db, actor)
    if board.status is BoardStatus.CLOSED:
        raise DomainError("board_not_open")
    if board.status is BoardStatus.OPEN:
        return []
    board.status = BoardStatus.OPEN
    return [_status_event(db, board, "board:unlocked")]


def close_board(db: Session, session_id: int, now: datetime) -> list[Event]:
    """The phase ended: no more posts, edits, deletes, reactions or votes. Idempotent.

    The salt and every tag go, so from now on nothing recomputes who wrote, reacted or
    voted, not even with a participant's token. A board never revealed stays so (the
    facilitator may still reveal it, if enough people wrote: that count is kept). On a
    revealed one, what waits goes out as a last batch if one is due; otherwise nothing
    of it shows, since a change appearing at the close would point at whoever made it
    since the last batch: new posts are deleted unseen, edits and deletes are dropped.
    """
    session = lock(db, session_id)  # an ending session closes its board too
    board = current_board(db, session.id)
    if board is None:
        return []
    return close(db, board, now)


def close(db: Session, board: Board, now: datetime) -> list[Event]:
    """Close this board (the plenary's or a group's): see close_board."""
    if board.status is BoardStatus.CLOSED:
        return []
    events, dropped = _settle_waiting(db, board, now) if board.revealed else ([], [])
    if board.group_number is not None and not board.revealed:
        # Nobody reveals a group's board once its phase is over: what waited is never shown.
        dropped = _delete_unseen(db, select(Board.id).where(Board.id == board.id))
    board.waiting_writers = 0 if board.revealed else waiting.writers_waiting(db, board)
    board.status = BoardStatus.CLOSED
    board.closed_at = now
    board.salt = None
    board.count_told_at = None
    counting.tell_count(db, board)  # no more rounds tell it after the close
    post_ids = select(Post.id).where(Post.board_id == board.id)
    db.execute(delete(Reaction).where(Reaction.post_id.in_(post_ids)))
    db.execute(delete(Vote).where(Vote.board_id == board.id))
    for post in db.scalars(select(Post).where(Post.board_id == board.id)):
        post.secret_hash = None
        post.owner_tag = None
        post.counted = False
    # Posts nobody saw, now gone: their authors are told.
    closed = _status_event(db, board, "board:closed", dropped=dropped)
    return [*events, closed]


def _settle_waiting(db: Session, board: Board, now: datetime) -> tuple[list[Event], list[str]]:
    """What waits at the close: a last batch if one is due, else nothing of it shows.
    Returns the events and the ids of the new posts deleted unseen."""
    if _due(db, board):
        return publish_waiting(db, board, now), []
    dropped = []
    for post in db.scalars(select(Post).where(Post.board_id == board.id)).all():
        if post.position is None:
            dropped.append(post.id)
            db.delete(post)
        elif post.shown_text is not None:  # stays as everyone saw it
            post.text = post.shown_text
            post.deleted = False
    db.flush()
    return [], dropped


def _status_event(db: Session, board: Board, name: str, **extra: Any) -> Event:
    # The count last told: a lock at the moment someone wrote must not tell it afresh.
    payload = {
        "status": board.status.value,
        "count": board.count_told,
        **extra,
    }
    return groups.tell(db, board, name, payload)


def publish_waiting(
    db: Session, board: Board, now: datetime, *, force: bool = False
) -> list[Event]:
    """Publish everything that waits, as one event: new posts in a fresh random order,
    edits and deletes of shown posts. Nothing is published one by one as written."""
    posts = db.scalars(select(Post).where(Post.board_id == board.id)).all()
    fresh = [p for p in posts if p.position is None]
    _shuffler.shuffle(fresh)
    for offset, post in enumerate(fresh):
        post.position = board.published + offset
        post.shown_text = post.text
    board.published += len(fresh)
    # A hidden post keeps its edit waiting until it is restored: its text goes to nobody.
    edited = [
        p
        for p in posts
        if p.position is not None
        and p not in fresh
        and not (p.deleted or p.hidden)
        and p.text != p.shown_text
    ]
    for post in edited:
        post.shown_text = post.text
    for post in fresh + edited:
        post.counted = False  # nothing of theirs waits here any more
    removed = [p.id for p in posts if p.deleted]
    if removed:
        db.execute(delete(Vote).where(Vote.target_id.in_(removed)))
        db.execute(delete(Post).where(Post.id.in_(removed)))
    board.waiting_writers = 0
    if not (fresh or edited or removed or force):
        return []
    shown = sorted(fresh + edited, key=lambda p: p.position or 0)
    authors = authors_of(db, board, [p.id for p in shown])
    payload: dict[str, Any] = {
        "revealed": board.revealed,
        "count": counting.tell_count(db, board),
        "posts": [post_fields(p, authors.get(p.id)) for p in shown],
        "removed": removed,
    }
    return [groups.tell(db, board, "board:published", payload)]


def publish_due(db: Session, now: datetime) -> list[Event]:
    """The sweeper's round: publish every batch that is due, on any session. Idempotent,
    and safe in many processes: each board is re-checked under its session's lock."""
    candidates = db.scalars(
        select(Board)
        .where(Board.status != BoardStatus.CLOSED)
        .where(Board.revealed.is_(True) | (Board.mode == BoardMode.LIVE))
        .order_by(Board.session_id)
    ).all()
    events: list[Event] = []
    for candidate in candidates:
        if not _due(db, candidate):
            continue
        lock_session(db, candidate.session_id)
        db.refresh(candidate)
        if not _due(db, candidate):
            continue  # another process published it first
        if not candidate.revealed:
            candidate.revealed = True  # a live board's first batch
        events += publish_waiting(db, candidate, now, force=True)
    return events


def _due(db: Session, board: Board) -> bool:
    """A batch is due once enough different people have something waiting; a live
    board's first batch needs `threshold` of them, like a reveal."""
    if board.status is BoardStatus.CLOSED:
        return False
    needed = rules.BATCH_SIZE if board.revealed else max(rules.BATCH_SIZE, board.threshold)
    return waiting.writers_waiting(db, board) >= needed


def sweep(db: Session, now: datetime) -> list[Event]:
    """The sweeper's round for boards: due batches, and rate windows that expired.
    (Counts that changed are told by counting.tell_counts, in a transaction of its own:
    each takes session locks in session order, and two such loops in one transaction
    would not.)"""
    forget_expired(db, now)
    return publish_due(db, now)


def board_snapshot(db: Session, actor: Actor, now: datetime) -> dict[str, Any] | None:
    board = current_board_row(db, actor.session_id)
    if board is None:
        return None
    return board_fields(db, board, host=actor.role in HOSTS)
