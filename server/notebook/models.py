"""Rows of the notebook. A note's text, and whose turn it was written in, are sealed
(crypto.py): the database holds only ciphertext, readable with a key it never stores."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from server.core.db import Base, UTCDateTime, str_enum

ENTRY_ID_LENGTH = 32  # the client names its entries (so a retried save cannot make two)
# A sealed note: nonce, the JSON of its text and context, the tag. Bounds storage only.
SEALED_LENGTH = 40_000


class NoteKind(enum.StrEnum):
    LISTENING = "listening"  # while someone else presents
    TAKEAWAY = "takeaway"  # what I take with me
    FREE = "free"


class NotebookEntry(Base):
    __tablename__ = "notebook_entries"
    __table_args__ = (UniqueConstraint("participant_id", "entry_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("peer_sessions.id"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"), index=True)
    entry_id: Mapped[str] = mapped_column(String(ENTRY_ID_LENGTH))
    kind: Mapped[NoteKind] = mapped_column(str_enum(NoteKind, "note_kind"))
    # The phase it was written in; the plan may lose a phase, the note stays.
    phase_id: Mapped[int | None] = mapped_column(
        ForeignKey("phases.id", ondelete="SET NULL"), nullable=True
    )
    sealed: Mapped[bytes] = mapped_column(LargeBinary(SEALED_LENGTH))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
