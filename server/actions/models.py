"""Rows for actions. An action belongs to the group: it is recorded in one session and
stays open, carried into the group's next sessions, until a follow-up closes it.

Nothing records who wrote an action: it is the group's. Its owner is named on purpose
(a person present, stored by the name they went by, or the group as a whole).
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from server.core.db import Base, UTCDateTime, str_enum

TEXT_LENGTH = 280
NAME_LENGTH = 60  # as a participant's display name
POST_ID_LENGTH = 16  # a board post's random id (server/board/models.py)


class Level(enum.StrEnum):
    """The four levels of the IGLO model (content/banks/iglo.toml), in its order."""

    INDIVIDUAL = "individual"
    GROUP = "group"
    LEADER = "leader"
    ORGANISATION = "organisation"


class OwnerKind(enum.StrEnum):
    PERSON = "person"
    GROUP = "group"


class ActionStatus(enum.StrEnum):
    OPEN = "open"
    DONE = "done"
    DROPPED = "dropped"


class Outcome(enum.StrEnum):
    DONE = "done"
    CONTINUE = "continue"  # stays open: carried again next time
    DROP = "drop"


class Action(Base):
    __tablename__ = "actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id"), index=True)
    # The session it was recorded in.
    session_id: Mapped[int] = mapped_column(ForeignKey("peer_sessions.id"), index=True)
    level: Mapped[Level] = mapped_column(str_enum(Level, "action_level"))
    text: Mapped[str] = mapped_column(String(TEXT_LENGTH))
    owner_kind: Mapped[OwnerKind | None] = mapped_column(
        str_enum(OwnerKind, "action_owner"), nullable=True
    )
    owner_name: Mapped[str | None] = mapped_column(String(NAME_LENGTH), nullable=True)
    # The owner as a participant of the session it was recorded in, to show them "you".
    # No foreign key: the action outlives the session's people (retention.py).
    owner_participant_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    due_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    status: Mapped[ActionStatus] = mapped_column(str_enum(ActionStatus, "action_status"))
    # The board post it was made from, so that a post becomes an action only once.
    source_post: Mapped[str | None] = mapped_column(String(POST_ID_LENGTH), nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    closed_session_id: Mapped[int | None] = mapped_column(
        ForeignKey("peer_sessions.id"), nullable=True, index=True
    )


class FollowUp(Base):
    """An open action carried into a session (fixed when it starts), and what the group
    said of it there; `outcome` None: not (yet) answered, so it stays open."""

    __tablename__ = "action_follow_ups"

    session_id: Mapped[int] = mapped_column(ForeignKey("peer_sessions.id"), primary_key=True)
    action_id: Mapped[int] = mapped_column(
        ForeignKey("actions.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    outcome: Mapped[Outcome | None] = mapped_column(
        str_enum(Outcome, "follow_up_outcome"), nullable=True
    )
