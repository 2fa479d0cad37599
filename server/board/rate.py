"""A rate limit per connection that is kept in the database, yet traces back to nobody.

Fixed windows: a row counts the board commands of one connection in one window of
rules.RATE_WINDOW_SECONDS. Its key is a tag of the connection's id under the person's
key (tags.py): no row names a connection, and a new window starts a new, unlinked row.
Expired rows are deleted by the sweeper.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from server.board import rules, tags
from server.board.models import RateWindow
from server.core.errors import DomainError


def spend(db: Session, personal_key: bytes, connection: str, now: datetime) -> None:
    """Count one command of this connection, or refuse it if the window is used up.

    Call it under the session's lock: then two commands of one connection never race.
    A refused command, like any failed one, is rolled back and counts nothing.
    """
    window = math.floor(now.timestamp() / rules.RATE_WINDOW_SECONDS)
    key = tags.tag(personal_key, "rate", connection, str(window))
    ends = (window + 1) * rules.RATE_WINDOW_SECONDS
    expires = now + timedelta(seconds=ends - now.timestamp())
    upsert = _COUNT[db.get_bind().dialect.name]
    count, expires_at = db.execute(upsert, {"key": key, "expires_at": expires}).one()
    if count > rules.RATE_LIMIT:
        seconds = max(1, math.ceil((expires_at - now).total_seconds()))
        raise DomainError("rate_limited", seconds=seconds)


_windows = cast(Table, RateWindow.__table__)


def _counted(insert: Callable[..., Any]) -> Any:
    """One statement counts the command: the window's row made, or its count raised. On
    the table, not the entity: the ORM's bulk insert would cost more than the statement."""
    return (
        insert(_windows)
        .values(key=bindparam("key"), count=1, expires_at=bindparam("expires_at"))
        .on_conflict_do_update(
            index_elements=[_windows.c.key], set_={"count": _windows.c.count + 1}
        )
        .returning(_windows.c.count, _windows.c.expires_at)
    )


# Built once, as every board command runs it (bench/command_cpu.py).
_COUNT = {"sqlite": _counted(sqlite.insert), "postgresql": _counted(postgresql.insert)}


def forget_expired(db: Session, now: datetime) -> None:
    db.execute(delete(RateWindow).where(RateWindow.expires_at <= now))
