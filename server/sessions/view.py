"""The snapshot: everything one connection may see, under the session's version."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, select
from sqlalchemy.orm import Session

from server.core import snapshot as parts
from server.core.connections import connected_participant_ids
from server.core.db import rows
from server.core.domain import Actor, Role
from server.sessions.models import Participant
from server.sessions.state import (
    iso,
    on_display,
    participant_fields,
    session_fields,
    session_now,
)

_people = cast(Table, Participant.__table__).c
# Who has come and not been removed, in the order they came: what participant_fields
# sends, as plain rows. Built once, as every join reads it (bench/join_cpu.py).
_PEOPLE = (
    select(
        _people.id,
        _people.display_name,
        _people.organisation,
        _people.language,
        _people.role,
        _people.location,
        _people.admitted_at,
        _people.joined_at,
    )
    .where(
        _people.session_id == bindparam("session_id"),
        _people.first_seen_at.is_not(None),
        _people.removed_at.is_(None),
    )
    .order_by(_people.first_seen_at, _people.id)
)


def snapshot(db: Session, actor: Actor, now: datetime) -> dict[str, Any]:
    """The whole state one connection may see; events after it carry higher versions."""
    session, version = session_now(db, actor.session_id)
    mine = {
        "version": version,
        "server_time": iso(now),
        "you": {"role": actor.role.value, "participant_id": actor.participant_id},
        "session": session_fields(session),
    }
    if actor.role is Role.WAITING:
        return mine  # at the door: nothing of what happens inside
    connected = connected_participant_ids(db, session.id)
    people = rows(db, _PEOPLE, {"session_id": session.id})
    if actor.role is Role.DISPLAY:  # the projector: only who is inside and here now,
        # in the order they joined, where its client puts someone who comes back (§3)
        people = sorted(
            (p for p in people if on_display(p, p.id in connected)),
            key=lambda p: (p.joined_at, p.id),
        )
    return {
        **mine,
        "participants": [participant_fields(p, p.id in connected, actor.role) for p in people],
        **parts.parts(db, actor, now),
    }
