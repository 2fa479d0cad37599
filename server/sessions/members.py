"""A group's members: the people who joined its sessions, recognised across sessions
only by a key their own browser makes and keeps (docs/anonymity.md, "Members").

The server stores a hash of that key salted with the group, never the key, and
nothing a facilitator types can make or change a member.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from server.core import tokens
from server.sessions.models import Member


def member_key_hash(group_id: int, member_key: str) -> str:
    """Salted with the group: one browser's key gives another hash in every group."""
    return tokens.scoped_token_hash(f"group:{group_id}", member_key)


def recognise_member(
    db: Session, group_id: int, member_key: str, display_name: str, now: datetime
) -> int:
    """The id of the group's member with this key (seen again now, under this name), or
    of a new one. One statement: the same browser joining twice at once is one member."""
    params = {
        "new_group_id": group_id,
        "new_key_hash": member_key_hash(group_id, member_key),
        "new_display_name": display_name,
        "now": now,
    }
    recognising = _RECOGNISING[db.get_bind().dialect.name]
    return int(db.execute(recognising, params).scalar_one())


_members = cast(Table, Member.__table__)


def _recognising(insert: Callable[..., Any]) -> Any:
    new = insert(_members).values(
        group_id=bindparam("new_group_id"),
        key_hash=bindparam("new_key_hash"),
        display_name=bindparam("new_display_name"),
        first_seen_at=bindparam("now"),
        last_seen_at=bindparam("now"),
    )
    seen_again = {
        "display_name": new.excluded.display_name,
        "last_seen_at": new.excluded.last_seen_at,
    }
    key = [_members.c.group_id, _members.c.key_hash]
    return new.on_conflict_do_update(index_elements=key, set_=seen_again).returning(_members.c.id)


# Built once, as joins run it (as board/rate.py's count).
_RECOGNISING = {
    "sqlite": _recognising(sqlite.insert),
    "postgresql": _recognising(postgresql.insert),
}
