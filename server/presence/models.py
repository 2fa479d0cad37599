"""Rows for server workers and the live connections they hold."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from server.core.db import Base, UTCDateTime, str_enum
from server.core.domain import Role


class Worker(Base):
    """One server process. Its heartbeat tells the others its connections are real."""

    __tablename__ = "workers"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    heartbeat_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class Connection(Base):
    """One Socket.IO connection, authenticated for exactly one session."""

    __tablename__ = "connections"

    sid: Mapped[str] = mapped_column(String(64), primary_key=True)
    worker_id: Mapped[str] = mapped_column(ForeignKey("workers.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("peer_sessions.id"), index=True)
    # None for a room display, which is a screen, not a person.
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id"), index=True, nullable=True
    )
    role: Mapped[Role] = mapped_column(str_enum(Role, "connection_role"))
    language: Mapped[str] = mapped_column(String(8))
    connected_at: Mapped[datetime] = mapped_column(UTCDateTime)
