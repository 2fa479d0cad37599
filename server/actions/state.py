"""Reading a session's actions, and their shape on the wire (the snapshot's `actions`)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from server.actions.models import Action, ActionStatus, FollowUp, OwnerKind
from server.sessions.models import PeerSession

MAX_ACTIONS = 100  # recorded in one session: bounds what one misbehaving client can add


# Built once, as every join reads them (bench/join_cpu.py): only the session changes.
_RECORDED = select(Action).where(Action.session_id == bindparam("session_id")).order_by(Action.id)
_CARRIED = (
    select(FollowUp, Action)
    .join(Action, Action.id == FollowUp.action_id)
    .where(FollowUp.session_id == bindparam("session_id"))
    .order_by(FollowUp.position)
)


def recorded_in(db: Session, session_id: int) -> list[Action]:
    return list(db.scalars(_RECORDED, {"session_id": session_id}))


def carried_into(db: Session, session_id: int) -> list[tuple[FollowUp, Action]]:
    """The open actions this session started with, in the order they were recorded."""
    rows = db.execute(_CARRIED, {"session_id": session_id})
    return [(follow_up, action) for follow_up, action in rows]


def owner_fields(action: Action, here: bool) -> dict[str, Any] | None:
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


def action_fields(action: Action, here: bool = True) -> dict[str, Any]:
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
    rows = db.execute(
        select(Action, PeerSession.title)
        .join(PeerSession, PeerSession.id == Action.session_id)
        .where(Action.group_id == group_id, Action.status == ActionStatus.OPEN)
        .order_by(Action.id)
    )
    return [{**action_fields(a, here=False), "session_title": title} for a, title in rows]


def actions_part(db: Session, session_id: int) -> dict[str, Any]:
    """The same for everyone in the session: nothing in it says who wrote an action."""
    return {
        "recorded": [action_fields(a) for a in recorded_in(db, session_id)],
        "carried": [
            {**action_fields(action, here=False), "outcome": f.outcome.value if f.outcome else None}
            for f, action in carried_into(db, session_id)
        ],
        "limit": MAX_ACTIONS,
    }
