"""Rows of the breakout phases: the seating (groups and seats) and each group's own
countdown through its presenters' steps. A countdown is data, as the agenda's is:
while running it stores its end, while paused what is left (agenda.timer)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from server.agenda.models import TimerStatus
from server.core.db import Base, UTCDateTime, str_enum


class BreakoutRound(Base):
    """One breakout phase's plan: made when the facilitator asks to see it, or at the
    latest when the phase starts."""

    __tablename__ = "breakout_rounds"

    phase_id: Mapped[int] = mapped_column(
        ForeignKey("phases.id", ondelete="CASCADE"), primary_key=True
    )
    session_id: Mapped[int] = mapped_column(ForeignKey("peer_sessions.id"), index=True)
    size: Mapped[int] = mapped_column(Integer)  # people per group, as asked
    planned_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The phase is the agenda's current one: set as it starts, cleared as it ends (the
    # agenda tells both before its clock has moved).
    running: Mapped[bool] = mapped_column(Boolean, default=False)
    # The facilitator's last word to every group while the phase runs.
    broadcast: Mapped[str | None] = mapped_column(String(280), nullable=True)
    broadcast_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # The common countdown's end that the one-minute warning was given for: an extension
    # gives a new end, and so a new warning.
    warned_for: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class BreakoutGroup(Base):
    __tablename__ = "breakout_groups"
    __table_args__ = (UniqueConstraint("phase_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    phase_id: Mapped[int] = mapped_column(
        ForeignKey("breakout_rounds.phase_id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)  # the table people find by its number
    # Raised at every move to another step; a "next" names the segment it means, so two
    # members pressing it at once move on only once.
    segment: Mapped[int] = mapped_column(Integer, default=0)
    presenter_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="SET NULL"), nullable=True
    )
    step_index: Mapped[int | None] = mapped_column(Integer, nullable=True)
    finished: Mapped[bool] = mapped_column(Boolean, default=False)
    timer_status: Mapped[TimerStatus] = mapped_column(str_enum(TimerStatus, "breakout_timer"))
    duration_seconds: Mapped[float] = mapped_column(Float, default=0)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True, index=True)
    remaining_seconds: Mapped[float | None] = mapped_column(Float, nullable=True)
    segment_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # What the group sends to the plenary; shown to everyone once the phase has ended.
    synthesis: Mapped[str | None] = mapped_column(String(1000), nullable=True)


class BreakoutSeat(Base):
    __tablename__ = "breakout_seats"

    phase_id: Mapped[int] = mapped_column(
        ForeignKey("breakout_rounds.phase_id", ondelete="CASCADE"), primary_key=True
    )
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"), primary_key=True)
    group_id: Mapped[int] = mapped_column(
        ForeignKey("breakout_groups.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)  # the group's speaking order
    # Has had their turn as presenter in this phase (in whichever group they were then).
    presented: Mapped[bool] = mapped_column(Boolean, default=False)
