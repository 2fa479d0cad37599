"""What accounts do when others tell them something (server.core.bus)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from server.accounts import service
from server.core.bus import Bus, Tick


def forget_expired_logins(db: Session, tick: Tick, now: datetime) -> None:
    """A login past its days ends like a sign-out; the sweeper closes its sockets
    (their rows are gone)."""
    service.forget_expired_logins(db, now)


def install(bus: Bus) -> None:
    bus.subscribe(Tick, forget_expired_logins)
