"""A summary the group chose to keep: written out once in every language when a
facilitator keeps it, so it outlives the session's content (docs/privacy.md)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from server.core.db import Base, UTCDateTime


class KeptSummary(Base):
    __tablename__ = "kept_summaries"

    session_id: Mapped[int] = mapped_column(ForeignKey("peer_sessions.id"), primary_key=True)
    language: Mapped[str] = mapped_column(String(8), primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    markdown: Mapped[str] = mapped_column(Text)  # as the Markdown export wrote it then
    kept_at: Mapped[datetime] = mapped_column(UTCDateTime)
