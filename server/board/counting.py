"""The count of posts everyone sees: told in coarse steps, never as someone writes.

If the count went up on every screen a moment after someone pressed "post", anyone in
the room could note who wrote when. So writing (or deleting a post nobody has seen)
sends nothing. The sweeper tells a changed count only on its first round in each window
of rules.COUNT_SECONDS of the server's clock, however many posts came or went; a
reveal, a batch and the close tell it too. `count_told_at` is only the window of that
round: every open board gets it each window, changed or not, so it dates no post.
Snapshots and the other events carry the count last told, so asking again does not give
a fresher one.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from server.board import groups, rules
from server.board.models import Board, BoardStatus
from server.board.state import lock_session, post_count
from server.core.domain import Event, declare_events
from server.sessions.models import PeerSession, Status

declare_events("board:count_changed")


def window_start(now: datetime) -> datetime:
    start = math.floor(now.timestamp() / rules.COUNT_SECONDS) * rules.COUNT_SECONDS
    return datetime.fromtimestamp(start, UTC)


def tell_count(db: Session, board: Board) -> int:
    """The count, told now along with something else (a reveal, a batch, the close)."""
    board.count_told = post_count(db, board)
    return board.count_told


def tell_counts(db: Session, now: datetime) -> list[Event]:
    """The sweeper's round. The first round in a window of the clock claims the window
    for each open board (whichever process gets there first) and tells its count if it
    changed; every later round in the window does nothing. So a post written in the
    middle of a window is told at the start of the next, however soon a round comes."""
    start = window_start(now)
    candidates = db.execute(
        select(Board.id, Board.session_id)
        .join(PeerSession, PeerSession.id == Board.session_id)
        .where(Board.status != BoardStatus.CLOSED, PeerSession.status != Status.ENDED)
        .where(Board.count_told_at.is_(None) | (Board.count_told_at < start))
        .order_by(Board.session_id)
    ).all()
    events: list[Event] = []
    for board_id, session_id in candidates:
        lock_session(db, session_id)  # first, as every board command does: no deadlock
        claim = (
            update(Board)
            .where(Board.id == board_id, Board.status != BoardStatus.CLOSED)
            .where(Board.count_told_at.is_(None) | (Board.count_told_at < start))
            .values(count_told_at=start)
            .execution_options(synchronize_session=False)
        )
        if db.execute(claim).rowcount != 1:  # type: ignore[attr-defined]
            continue  # another process had this window first
        board = db.get_one(Board, board_id)
        db.refresh(board)
        if post_count(db, board) == board.count_told:
            continue
        count = tell_count(db, board)
        events.append(groups.tell(db, board, "board:count_changed", {"count": count}))
    return events
