"""Rows of a pulse. Nothing here names, or can be joined to, the person who answered.

Answers are kept only as counts per (statement, value), made at open so that no row is
born with someone's first answer. "Has answered" is a tag, an HMAC keyed by the person's
personal key (server.core.personal) with the pulse's salt; when the pulse closes the
salt is wiped and the tags deleted, so nobody can tell later who answered.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from server.core.db import Base, UTCDateTime, str_enum

TAG_LENGTH = 64  # hex HMAC-SHA256
SCALE = range(1, 8)  # 1 = strongly disagree ... 7 = strongly agree


class PulseStatus(enum.StrEnum):
    OPEN = "open"  # taking answers; only how many answered is shown
    CLOSED = "closed"  # frozen for good: the result, if at least k answered


class Pulse(Base):
    __tablename__ = "pulses"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("peer_sessions.id"), index=True)
    # The agenda's pulse phase that opened it; a pulse outlives its phase's row.
    phase_id: Mapped[int | None] = mapped_column(
        ForeignKey("phases.id", ondelete="SET NULL"), nullable=True
    )
    # [{"key": content key, "reverse": bool}], fixed at open: later content edits do
    # not change how an earlier pulse was scored.
    statements: Mapped[list[Any]] = mapped_column(JSON)
    status: Mapped[PulseStatus] = mapped_column(str_enum(PulseStatus, "pulse_status"))
    # The least number of answers for a result, fixed at open (config: pulse_min_answers).
    k: Mapped[int] = mapped_column(Integer)
    answered: Mapped[int] = mapped_column(Integer, default=0)
    # True once closed with answered >= k; a pulse closed below k never shows anything.
    visible: Mapped[bool] = mapped_column(Boolean, default=False)
    # Per-pulse salt of the "has answered" tags; None once closed.
    salt: Mapped[str | None] = mapped_column(String(64), nullable=True)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class PulseCount(Base):
    """How many answered `value` to statement number `statement`; never who."""

    __tablename__ = "pulse_counts"

    pulse_id: Mapped[int] = mapped_column(
        ForeignKey("pulses.id", ondelete="CASCADE"), primary_key=True
    )
    statement: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[int] = mapped_column(Integer, primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


class PulseTag(Base):
    """Someone answered this open pulse (one-way, per pulse); deleted when it closes."""

    __tablename__ = "pulse_tags"

    pulse_id: Mapped[int] = mapped_column(
        ForeignKey("pulses.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(TAG_LENGTH), primary_key=True)
