"""The agenda's board phases open and close the board (hooks on phases starting and ending)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.agenda.models import Phase, PhaseKind
from server.board.models import Board, BoardStatus
from server.board.service import close_board, open_board_for
from server.board.state import current_board
from server.core.domain import Event


def columns_of(phase: Phase) -> list[dict[str, str]]:
    """The board's columns: the phase's board prompts, else its prompts, else its title."""
    if phase.board_prompts or phase.prompts:
        return phase.board_prompts or phase.prompts
    if phase.title:
        return [{"text": phase.title}]
    return [{"key": phase.title_key}] if phase.title_key else [{"key": "bank.board.hard_to_say"}]


def on_phase_started(db: Session, phase: Phase, now: datetime) -> list[Event]:
    if phase.kind is not PhaseKind.BOARD:
        return []
    if db.scalar(select(Board.id).where(Board.phase_id == phase.id)) is not None:
        return []  # back in a phase whose board exists: it stays as it was left
    events: list[Event] = []
    board = current_board(db, phase.session_id)
    if board is not None and board.status is not BoardStatus.CLOSED:
        events += close_board(db, phase.session_id, now)  # the phase brings its own board
    settings = phase.board_settings or {}
    return events + open_board_for(
        db,
        phase.session_id,
        prompts=columns_of(phase),
        mode=settings.get("mode", "reveal"),
        named=bool(settings.get("named", False)),
        threshold=settings.get("threshold"),
        phase_id=phase.id,
        now=now,
    )


def on_phase_ended(db: Session, phase: Phase, now: datetime) -> list[Event]:
    if phase.kind is not PhaseKind.BOARD:
        return []
    return close_board(db, phase.session_id, now)
