"""A group's members: the people who joined its sessions, recognised across sessions
only by a key their own browser makes and keeps (docs/anonymity.md, "Members").

The server stores a hash of that key salted with the group, never the key, and
nothing a facilitator types can make or change a member.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from server.core import tokens
from server.sessions.models import Member


def member_key_hash(group_id: int, member_key: str) -> str:
    """Salted with the group: one browser's key gives another hash in every group."""
    return tokens.scoped_token_hash(f"group:{group_id}", member_key)


def recognise_member(
    db: Session, group_id: int, member_key: str, display_name: str, now: datetime
) -> Member:
    """The group's member with this key (seen again now, under this name), or a new one."""
    key_hash = member_key_hash(group_id, member_key)
    find = select(Member).where(Member.group_id == group_id, Member.key_hash == key_hash)
    member = db.scalar(find)
    if member is None:
        member = Member(
            group_id=group_id,
            key_hash=key_hash,
            display_name=display_name,
            first_seen_at=now,
            last_seen_at=now,
        )
        try:
            with db.begin_nested():  # the same browser joining twice at once: one wins
                db.add(member)
        except IntegrityError:
            member = db.scalars(find).one()
    member.display_name = display_name
    member.last_seen_at = now
    db.flush()
    return member
