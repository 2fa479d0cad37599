"""Rows for peer groups, sessions and participants."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.core.db import Base, UTCDateTime, str_enum
from server.core.domain import Role


class Status(enum.StrEnum):
    WAITING = "waiting"
    RUNNING = "running"
    ENDED = "ended"


class Admission(enum.StrEnum):
    """Who lets people in: a host admits each one (the default), or the join code alone."""

    HOST = "host"
    CODE = "code"


class Group(Base):
    """A peer group that meets again and again; its facilitators are accounts."""

    __tablename__ = "groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class GroupFacilitator(Base):
    __tablename__ = "group_facilitators"

    group_id: Mapped[int] = mapped_column(
        ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True
    )
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    added_at: Mapped[datetime] = mapped_column(UTCDateTime)


class GroupInvitation(Base):
    """A link that makes the signed-in account opening it a facilitator of the group."""

    __tablename__ = "group_invitations"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Member(Base):
    """Someone who joined a group's sessions, recognised by a key only their browser keeps.

    The key's hash is salted with the group, so the same browser is a different,
    unlinkable member in every other group (docs/anonymity.md).
    """

    __tablename__ = "members"
    __table_args__ = (UniqueConstraint("group_id", "key_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str] = mapped_column(String(60))  # the name they last joined with
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)


class PeerSession(Base):
    __tablename__ = "peer_sessions"
    # The retention job's question every beat: which ended sessions still have content?
    __table_args__ = (Index("ix_peer_sessions_retention", "content_deleted_at", "ended_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    language: Mapped[str] = mapped_column(String(8))
    format_key: Mapped[str] = mapped_column(String(64))
    join_code: Mapped[str] = mapped_column(String(16), unique=True)
    display_key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[Status] = mapped_column(
        str_enum(Status, "session_status"), default=Status.WAITING
    )
    admission: Mapped[Admission] = mapped_column(
        str_enum(Admission, "session_admission"), default=Admission.HOST
    )
    # Bumped by every change a client can see; clients use it to spot missed events.
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # The account that leads it (the facilitator); the group's other facilitators co-host.
    lead_account_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL"), nullable=True
    )
    # When the retention job deleted what people wrote and did here (sessions/retention.py).
    content_deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    # When the facilitator means to hold it, if they said (a planned session).
    planned_for: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    # A leader network across organisations: joining needs the confidentiality agreement
    # (sessions.agreement). Only how many accepted it is kept, never who.
    network: Mapped[bool] = mapped_column(Boolean, default=False)
    agreements: Mapped[int] = mapped_column(Integer, default=0)
    # A host asked the room display to show the join QR code in full, also while it runs.
    show_join: Mapped[bool] = mapped_column(Boolean, default=False)

    group: Mapped[Group] = relationship()


class Participant(Base):
    __tablename__ = "participants"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("peer_sessions.id"), index=True)
    role: Mapped[Role] = mapped_column(str_enum(Role, "participant_role"))
    display_name: Mapped[str] = mapped_column(String(60))
    organisation: Mapped[str | None] = mapped_column(String(80), nullable=True)
    language: Mapped[str] = mapped_column(String(8))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # "room" or "remote" in a hybrid session; None until they say.
    location: Mapped[str | None] = mapped_column(String(8), nullable=True)
    # Set at the first live connection: only from then on do others see this person.
    first_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # Let in by a host (or by the code, in an open session); until then they wait at the door.
    admitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # Removed by a host: the token never works again.
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # A host who is a facilitator account: they come in with a login's pass (HostPass),
    # never with a token of their own.
    account_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL"), nullable=True, index=True
    )
    # The group's member this browser is (sessions.members); None when it sent no key.
    member_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id"), nullable=True, index=True
    )


class HostPass(Base):
    """What a signed-in facilitator's browser connects with: one per login and session,
    gone with the login (sign-out, a changed password)."""

    __tablename__ = "host_passes"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    login_id: Mapped[int] = mapped_column(ForeignKey("logins.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )


class DeviceMove(Base):
    """A move code: lets one other device become the same participant, once, for minutes.

    The code itself is only in the old device's link (its URL fragment); the row keeps its
    hash and the participant's token sealed under a key derived from the code, so the
    database alone opens nothing (sessions.devices). A used code's row stays, emptied,
    until it expires, so that its second use is told apart from a code never made.
    """

    __tablename__ = "device_moves"

    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    sealed_token: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
