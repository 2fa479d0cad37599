"""Reading a session's actions, and their shape on the wire (the snapshot's `actions`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import Row, Table, bindparam, literal_column, null, select, union_all
from sqlalchemy.orm import Session

from server.actions.models import Action, ActionStatus, FollowUp, OwnerKind
from server.core.db import rows
from server.sessions.models import PeerSession

MAX_ACTIONS = 100  # recorded in one session: bounds what one misbehaving client can add


_actions = cast(Table, Action.__table__).c
_follow_ups = cast(Table, FollowUp.__table__).c
# What action_fields and the summary read of an action, as plain rows: built once, as every
# join reads them (bench/join_cpu.py): only the session changes.
_FIELDS = (
    _actions.id,
    _actions.level,
    _actions.text,
    _actions.owner_kind,
    _actions.owner_name,
    _actions.owner_participant_id,
    _actions.due_on,
    _actions.status,
    _actions.source_post,
)
_RECORDED = (
    select(*_FIELDS).where(_actions.session_id == bindparam("session_id")).order_by(_actions.id)
)
_CARRIED = (
    select(*_FIELDS, _follow_ups.outcome)
    .join_from(FollowUp.__table__, Action.__table__, _actions.id == _follow_ups.action_id)
    .where(_follow_ups.session_id == bindparam("session_id"))
    .order_by(_follow_ups.position)
)


# Both at once, for the snapshot and `actions:updated`: one round trip. The carried ones
# first (their `outcome` gives the column its type), each kind in its own order.
_BOTH = union_all(
    _CARRIED.order_by(None).add_columns(
        _follow_ups.position.label("place"), literal_column("1").label("carried")
    ),
    _RECORDED.order_by(None).add_columns(null(), _actions.id, literal_column("0")),
).order_by(literal_column("carried"), literal_column("place"))


def recorded_in(db: Session, session_id: int) -> Sequence[Row[Any]]:
    """The actions recorded in this session, as rows of what action_fields reads."""
    return rows(db, _RECORDED, {"session_id": session_id})


def carried_into(db: Session, session_id: int) -> Sequence[Row[Any]]:
    """The open actions this session started with, in the order they were recorded: rows
    of what action_fields reads, and the follow-up's `outcome`."""
    return rows(db, _CARRIED, {"session_id": session_id})


def owner_fields(action: Action | Row[Any], here: bool) -> dict[str, Any] | None:
    """Who owns it: None (nobody), the group, or a person by name; `participant_id` only
    for an action of this session (so a client can say "you")."""
    if action.owner_kind is None:
        return None
    if action.owner_kind is OwnerKind.GROUP:
        return {"kind": "group"}
    return {
        "kind": "person",
        "name": action.owner_name,
        "participant_id": action.owner_participant_id if here else None,
    }


def action_fields(action: Action | Row[Any], here: bool = True) -> dict[str, Any]:
    return {
        "id": action.id,
        "level": action.level.value,
        "text": action.text,
        "owner": owner_fields(action, here),
        "due": action.due_on.isoformat() if action.due_on else None,
        "status": action.status.value,
        "from_post": action.source_post is not None,
    }


def open_actions_of_group(db: Session, group_id: int) -> list[dict[str, Any]]:
    """The group's open actions, oldest first, with the title of the session each was
    recorded in: what its facilitators see on the group's page."""
    found = db.execute(
        select(Action, PeerSession.title)
        .join(PeerSession, PeerSession.id == Action.session_id)
        .where(Action.group_id == group_id, Action.status == ActionStatus.OPEN)
        .order_by(Action.id)
    )
    return [{**action_fields(a, here=False), "session_title": title} for a, title in found]


def actions_part(db: Session, session_id: int) -> dict[str, Any]:
    """The same for everyone in the session: nothing in it says who wrote an action."""
    both = rows(db, _BOTH, {"session_id": session_id})
    return {
        "recorded": [action_fields(a) for a in both if not a.carried],
        "carried": [
            {**action_fields(a, here=False), "outcome": a.outcome.value if a.outcome else None}
            for a in both
            if a.carried
        ],
        "limit": MAX_ACTIONS,
    }
