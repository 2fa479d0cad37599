"""Rows for the agenda. A countdown is data, never a ticking thread:
while running it stores the absolute end time, while paused the seconds left.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from server.core.db import Base, UTCDateTime, str_enum


class PhaseKind(enum.StrEnum):
    ROUND = "round"  # everyone speaks once, in order
    DILEMMA_ROUND = "dilemma_round"  # each presenter goes through the steps
    DISCUSSION = "discussion"  # open floor with a hand-raise queue
    BOARD = "board"  # the anonymous board
    BREAK = "break"
    # The group's open actions from earlier sessions: done, continue or drop (server/actions).
    FOLLOW_UP = "follow_up"
    PULSE = "pulse"  # the anonymous psychological-safety pulse (server/pulse)
    # Small groups, each through its own presenters' steps (server/breakouts).
    BREAKOUT = "breakout"


TURN_KINDS = (PhaseKind.ROUND, PhaseKind.DILEMMA_ROUND)


class Advance(enum.StrEnum):
    AUTO = "auto"  # at time-up the next segment starts by itself
    MANUAL = "manual"  # at time-up the timer shows 0 and waits for the facilitator


class OrderMode(enum.StrEnum):
    JOIN = "join"
    RANDOM = "random"
    MANUAL = "manual"


class TimerStatus(enum.StrEnum):
    IDLE = "idle"  # nothing to count: not started, or the agenda is through
    RUNNING = "running"
    PAUSED = "paused"
    EXPIRED = "expired"  # time is up and the facilitator decides what next


class Phase(Base):
    __tablename__ = "phases"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("peer_sessions.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[PhaseKind] = mapped_column(str_enum(PhaseKind, "phase_kind"))
    # Either a content key (shown in each reader's language) or the facilitator's own text.
    title_key: Mapped[str | None] = mapped_column(String(160), nullable=True)
    title: Mapped[str | None] = mapped_column(String(120), nullable=True)
    # A word to the group on how to run the phase (a content key), if the format has one.
    intro_key: Mapped[str | None] = mapped_column(String(160), nullable=True)
    # [{"key": content key} | {"text": own text}]
    prompts: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    planned_seconds: Mapped[int] = mapped_column(Integer)
    advance: Mapped[Advance] = mapped_column(str_enum(Advance, "phase_advance"))
    # Dilemma rounds: [{"key", "title_key", "seconds"}] for each presenter in turn.
    steps: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    presenters: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # Phases with presenters: the format's own words for them, as content keys
    # ({"kind_name_key", "listening_key"}); None means a dilemma round's words.
    words: Mapped[dict[str, str] | None] = mapped_column(JSON, nullable=True)
    board_prompts: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    # Board phases: {"mode": "reveal"|"live", "named": bool, "threshold": int}, fixed
    # before the phase starts (a board that opened anonymous never becomes named).
    board_settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    order_mode: Mapped[OrderMode] = mapped_column(str_enum(OrderMode, "turn_order"))
    # Rounds: each speaker's share, fixed when the phase first starts.
    turn_seconds: Mapped[int | None] = mapped_column(Integer, nullable=True)
    turns_built: Mapped[bool] = mapped_column(Boolean, default=False)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class Turn(Base):
    __tablename__ = "turns"
    __table_args__ = (UniqueConstraint("phase_id", "participant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    phase_id: Mapped[int] = mapped_column(ForeignKey("phases.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"))
    position: Mapped[int] = mapped_column(Integer)
    # None while in the order; "passed" (by themselves) or "skipped" (by the facilitator).
    left_out: Mapped[str | None] = mapped_column(String(16), nullable=True)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # Dilemma rounds: the presenter's own title for their dilemma. Only they see it, and
    # the summary shows it only if they said it may (`title_shared`, default no).
    title: Mapped[str | None] = mapped_column(String(120), nullable=True)
    title_shared: Mapped[bool] = mapped_column(Boolean, default=False)


class AgendaClock(Base):
    """Where the session is in its agenda, and the one countdown that runs."""

    __tablename__ = "agenda_clocks"

    session_id: Mapped[int] = mapped_column(ForeignKey("peer_sessions.id"), primary_key=True)
    # Raised at every move to another segment; commands name the segment they mean,
    # so two facilitators pressing "next" at once move on only once.
    segment: Mapped[int] = mapped_column(Integer, default=0)
    phase_id: Mapped[int | None] = mapped_column(
        ForeignKey("phases.id", ondelete="SET NULL"), nullable=True
    )
    turn_id: Mapped[int | None] = mapped_column(
        ForeignKey("turns.id", ondelete="SET NULL"), nullable=True
    )
    step_index: Mapped[int | None] = mapped_column(Integer, nullable=True)
    finished: Mapped[bool] = mapped_column(Boolean, default=False)
    timer_status: Mapped[TimerStatus] = mapped_column(str_enum(TimerStatus, "timer_status"))
    duration_seconds: Mapped[float] = mapped_column(Float, default=0)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True, index=True)
    remaining_seconds: Mapped[float | None] = mapped_column(Float, nullable=True)
    segment_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # The current speaker dropped: their time waits until the facilitator decides.
    speaker_away: Mapped[bool] = mapped_column(Boolean, default=False)
    alternate_locations: Mapped[bool] = mapped_column(Boolean, default=False)


class Hand(Base):
    __tablename__ = "hands"

    id: Mapped[int] = mapped_column(primary_key=True)
    phase_id: Mapped[int] = mapped_column(ForeignKey("phases.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"))
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # "raised", "speaking"; lowered hands are deleted.
    status: Mapped[str] = mapped_column(String(16))


class ReadyMark(Base):
    __tablename__ = "ready_marks"

    phase_id: Mapped[int] = mapped_column(
        ForeignKey("phases.id", ondelete="CASCADE"), primary_key=True
    )
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"), primary_key=True)


class HistoryEntry(Base):
    """What happened when: the record behind planned-versus-actual and the race tests."""

    __tablename__ = "agenda_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("peer_sessions.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    action: Mapped[str] = mapped_column(String(32))
    segment: Mapped[int] = mapped_column(Integer)
    phase_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    turn_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    step_index: Mapped[int | None] = mapped_column(Integer, nullable=True)


class Presentation(Base):
    """Who presented a dilemma in a group's session, kept once the session's content
    (its turns) has expired: the group's memory for presenter rotation (agenda.history)."""

    __tablename__ = "presentations"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[int] = mapped_column(Integer, index=True)
    session_title: Mapped[str] = mapped_column(String(120))
    member_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), nullable=True, index=True
    )
    display_name: Mapped[str] = mapped_column(String(60))
    presented_at: Mapped[datetime] = mapped_column(UTCDateTime)
