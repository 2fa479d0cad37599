"""A peer group over time: its sessions, planned, running and ended."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.sessions.models import PeerSession, Status


@dataclass(frozen=True)
class GroupSession:
    id: int
    title: str
    format_key: str
    language: str
    status: Status  # waiting: planned, not started yet
    join_code: str
    created_at: datetime
    planned_for: datetime | None
    network: bool
    started_at: datetime | None
    ended_at: datetime | None


def group_sessions(db: Session, group_id: int) -> list[GroupSession]:
    """The group's sessions in the order they were made (the page sorts them as it shows)."""
    sessions = db.scalars(
        select(PeerSession)
        .where(PeerSession.group_id == group_id)
        .order_by(PeerSession.created_at, PeerSession.id)
    )
    return [
        GroupSession(
            id=s.id,
            title=s.title,
            format_key=s.format_key,
            language=s.language,
            status=s.status,
            join_code=s.join_code,
            created_at=s.created_at,
            planned_for=s.planned_for,
            network=s.network,
            started_at=s.started_at,
            ended_at=s.ended_at,
        )
        for s in sessions
    ]
