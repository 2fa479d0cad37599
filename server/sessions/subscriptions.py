"""What the sessions feature does on the sweeper's beat: the retention job, and
forgetting move codes that expired."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from server.core.bus import Bus, Tick
from server.core.runtime import current_runtime
from server.sessions.devices import forget_expired_moves
from server.sessions.retention import expire_due_content


def expire_content(db: Session, tick: Tick, now: datetime) -> None:
    """Sessions whose retention time has passed lose what people wrote and did in them."""
    expire_due_content(db, now, current_runtime().settings.retention_days)
    forget_expired_moves(db, now)  # a move code nobody used is gone minutes later


def install(bus: Bus) -> None:
    bus.subscribe(Tick, expire_content)
