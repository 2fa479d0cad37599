"""The agenda's board phases open and close the board (reactions to phases starting and
ending), and a board still open when its session ends is closed with it. A breakout
phase with group boards opens one for each group big enough (groups.py) as its groups
are seated or change, and closes them all when it ends."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.agenda.models import Phase, PhaseKind
from server.board import groups
from server.board.models import Board, BoardStatus
from server.board.service import add_board, close, close_board, open_board_for
from server.board.state import current_board
from server.core.bus import BreakoutGroupsChanged, PhaseEnded, PhaseStarted, SessionEnded


def columns_of(phase: Phase) -> list[dict[str, str]]:
    """The board's columns: the phase's board prompts, else its prompts, else its title."""
    if phase.board_prompts or phase.prompts:
        return phase.board_prompts or phase.prompts
    if phase.title:
        return [{"text": phase.title}]
    return [{"key": phase.title_key}] if phase.title_key else [{"key": "bank.board.hard_to_say"}]


def on_phase_started(db: Session, fact: PhaseStarted, now: datetime) -> None:
    phase = db.get_one(Phase, fact.phase_id)
    if phase.kind is not PhaseKind.BOARD:
        return
    if db.scalar(select(Board.id).where(Board.phase_id == phase.id)) is not None:
        return  # back in a phase whose board exists: it stays as it was left
    board = current_board(db, phase.session_id)
    if board is not None and board.status is not BoardStatus.CLOSED:
        close_board(db, phase.session_id, now)  # the phase brings its own board
    settings = phase.board_settings or {}
    open_board_for(
        db,
        phase.session_id,
        prompts=columns_of(phase),
        mode=settings.get("mode", "reveal"),
        named=bool(settings.get("named", False)),
        threshold=settings.get("threshold"),
        phase_id=phase.id,
        now=now,
    )


def on_phase_ended(db: Session, fact: PhaseEnded, now: datetime) -> None:
    phase = db.get_one(Phase, fact.phase_id)
    if phase.kind is PhaseKind.BOARD:
        close_board(db, fact.session_id, now)
    elif phase.kind is PhaseKind.BREAKOUT and (phase.board_settings or {}).get("groups"):
        _close_group_boards(db, fact.session_id, phase.id, now)
        groups.tell_groups(db, fact.session_id)  # back in the plenary: no group boards


def on_groups_changed(db: Session, fact: BreakoutGroupsChanged, now: datetime) -> None:
    """Each group of the running breakout phase with at least `threshold` people seated
    gets its own anonymous board; a smaller one gets none (it is told why). Fixed once
    opened: a group that shrinks keeps its board, whose reveal still needs `threshold`
    writers."""
    phase = groups.running_phase(db, fact.session_id)
    if phase is None or phase.id != fact.phase_id:
        return
    threshold = groups.threshold_of(phase)
    settings = {"mode": phase.board_settings.get("mode"), "named": False, "threshold": threshold}
    for number, size in groups.group_sizes(db, phase.id).items():
        if size >= threshold and groups.group_board(db, phase.id, number) is None:
            add_board(
                db,
                phase.session_id,
                columns_of(phase),
                settings,
                phase_id=phase.id,
                group_number=number,
                now=now,
            )
    groups.tell_groups(db, phase.session_id)


def _close_group_boards(db: Session, session_id: int, phase_id: int | None, now: datetime) -> None:
    query = select(Board).where(
        Board.session_id == session_id,
        Board.group_number.is_not(None),
        Board.status != BoardStatus.CLOSED,
    )
    if phase_id is not None:
        query = query.where(Board.phase_id == phase_id)
    for board in db.scalars(query.order_by(Board.group_number)).all():
        close(db, board, now)


def on_session_ended(db: Session, fact: SessionEnded, now: datetime) -> None:
    """A board opened by hand has no phase to end it: the session's end does (and any
    group board still open)."""
    close_board(db, fact.session_id, now)
    _close_group_boards(db, fact.session_id, None, now)
