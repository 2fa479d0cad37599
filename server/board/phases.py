"""The agenda's board phases open and close the board (reactions to phases starting and
ending), and a board still open when its session ends is closed with it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.agenda.models import Phase, PhaseKind
from server.board.models import Board, BoardStatus
from server.board.service import close_board, open_board_for
from server.board.state import current_board
from server.core.bus import PhaseEnded, PhaseStarted, SessionEnded


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
    if db.get_one(Phase, fact.phase_id).kind is PhaseKind.BOARD:
        close_board(db, fact.session_id, now)


def on_session_ended(db: Session, fact: SessionEnded, now: datetime) -> None:
    """A board opened by hand has no phase to end it: the session's end does."""
    close_board(db, fact.session_id, now)
