"""Recording actions, turning board posts into actions, and following them up.

Everyone admitted may add and edit this session's actions (they are the group's, and
nothing records who wrote one); hosts may delete them, turn board posts into actions
and say, in the follow-up phase, what became of the actions carried in. Every change
emits `actions:updated` with the whole `actions` part; services never commit.
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server.actions.models import (
    TEXT_LENGTH,
    Action,
    ActionStatus,
    FollowUp,
    Level,
    Outcome,
    OwnerKind,
)
from server.actions.state import MAX_ACTIONS, actions_part
from server.agenda.models import AgendaClock, Phase, PhaseKind
from server.board.models import Post
from server.board.state import current_board
from server.core.domain import HOSTS, PEOPLE, Actor, Event, Role, declare_events
from server.core.errors import DomainError
from server.sessions.models import Participant, PeerSession, Status
from server.sessions.state import emit, lock

declare_events("actions:updated")

# The IGLO board's columns (content/formats/iglo.toml): a post's column is its level.
IGLO_COLUMNS = {f"bank.iglo.action_{level.value}": level for level in Level}
CLOSING = {Outcome.DONE: ActionStatus.DONE, Outcome.DROP: ActionStatus.DROPPED}


def add_action(db: Session, actor: Actor, args: Any, now: datetime) -> list[Event]:
    """Record an action of this session (`args`: schemas.ActionArgs)."""
    session = _open_session(db, actor, PEOPLE)
    _require_room(db, session.id, 1)
    action = Action(
        group_id=session.group_id,
        session_id=session.id,
        status=ActionStatus.OPEN,
    )
    _describe(db, action, args)
    db.add(action)
    db.flush()
    return [updated(db, session.id)]


def edit_action(db: Session, actor: Actor, args: Any, now: datetime) -> list[Event]:
    """Change an action of this session (schemas.EditActionArgs: every field anew)."""
    session = _open_session(db, actor, PEOPLE)
    action = _own_action(db, session.id, args.action_id)
    _describe(db, action, args)
    return [updated(db, session.id)]


def delete_action(db: Session, actor: Actor, action_id: int, now: datetime) -> list[Event]:
    """Hosts delete an action of this session (a mistake, a duplicate)."""
    session = _open_session(db, actor, HOSTS)
    db.delete(_own_action(db, session.id, action_id))
    db.flush()
    return [updated(db, session.id)]


def actions_from_posts(
    db: Session,
    actor: Actor,
    post_ids: list[str] | None,
    level: str | None,
    now: datetime,
) -> tuple[int, list[Event]]:
    """Hosts turn shown posts of the current board (these, or all) into actions in one
    step. On the IGLO board a post's column is its level; elsewhere `level` says it.
    A post already turned into an action is skipped. Returns how many were added."""
    session = _open_session(db, actor, HOSTS)
    board = current_board(db, session.id)
    if board is None:
        raise DomainError("board_not_open")
    shown = db.scalars(
        select(Post)
        .where(Post.board_id == board.id, Post.position.is_not(None), Post.hidden.is_(False))
        .order_by(Post.position)
    ).all()
    if post_ids:
        by_id = {post.id: post for post in shown}
        if any(post_id not in by_id for post_id in post_ids):
            raise DomainError("post_not_found")
        shown = [by_id[post_id] for post_id in dict.fromkeys(post_ids)]
    done = set(db.scalars(select(Action.source_post).where(Action.session_id == session.id)).all())
    fresh = [post for post in shown if post.id not in done and post.shown_text]
    levels = [_level_of(board.prompts, post.prompt, level) for post in fresh]
    _require_room(db, session.id, len(fresh))
    for post, post_level in zip(fresh, levels, strict=True):
        db.add(
            Action(
                group_id=session.group_id,
                session_id=session.id,
                level=post_level,
                text=_one_line(post.shown_text or ""),
                status=ActionStatus.OPEN,
                source_post=post.id,
            )
        )
    db.flush()
    return len(fresh), ([updated(db, session.id)] if fresh else [])


def follow_up(
    db: Session, actor: Actor, action_id: int, outcome: str, now: datetime
) -> list[Event]:
    """Hosts say, in the follow-up phase, what became of a carried action: done and
    drop close it here; continue keeps it open (carried again next time). They may
    change their mind while the phase lasts."""
    session = _open_session(db, actor, HOSTS)
    clock = db.get(AgendaClock, session.id)
    phase = db.get(Phase, clock.phase_id) if clock and clock.phase_id else None
    if phase is None or phase.kind is not PhaseKind.FOLLOW_UP:
        raise DomainError("not_in_follow_up")
    row = db.get(FollowUp, (session.id, action_id))
    if row is None:
        raise DomainError("action_not_found")
    action = db.get_one(Action, action_id)
    row.outcome = Outcome(outcome)
    action.status = CLOSING.get(row.outcome, ActionStatus.OPEN)
    closed = action.status is not ActionStatus.OPEN
    action.closed_at = now if closed else None
    action.closed_session_id = session.id if closed else None
    return [updated(db, session.id)]


def carry_open_actions(db: Session, session_id: int) -> int:
    """The session starts: the group's actions still open from its sessions that have
    ended are carried into it, in the order they were recorded. Returns how many.

    Only ended sessions': an action is then changed only by follow-ups, never while its
    own session could still edit it."""
    session = db.get_one(PeerSession, session_id)
    already = select(FollowUp.action_id).where(FollowUp.session_id == session_id)
    ended = select(PeerSession.id).where(
        PeerSession.group_id == session.group_id, PeerSession.status == Status.ENDED
    )
    open_ones = db.scalars(
        select(Action)
        .where(
            Action.group_id == session.group_id,
            Action.session_id.in_(ended),
            Action.status == ActionStatus.OPEN,
            Action.id.not_in(already),
        )
        .order_by(Action.id)
    ).all()
    for position, action in enumerate(open_ones):
        db.add(FollowUp(session_id=session_id, action_id=action.id, position=position))
    db.flush()
    return len(open_ones)


def updated(db: Session, session_id: int) -> Event:
    return emit(db, "actions:updated", session_id, {"actions": actions_part(db, session_id)})


def _open_session(db: Session, actor: Actor, roles: frozenset[Role]) -> PeerSession:
    if actor.role not in roles:
        raise DomainError("forbidden")
    session = lock(db, actor.session_id)
    if session.status is Status.ENDED:
        raise DomainError("session_ended")
    return session


def _require_room(db: Session, session_id: int, more: int) -> None:
    count = db.scalar(
        select(func.count()).select_from(Action).where(Action.session_id == session_id)
    )
    if (count or 0) + more > MAX_ACTIONS:
        raise DomainError("action_limit_reached", max=MAX_ACTIONS)


def _own_action(db: Session, session_id: int, action_id: int) -> Action:
    """An action recorded in this session (carried ones change only by a follow-up)."""
    action = db.get(Action, action_id)
    if action is None or action.session_id != session_id:
        raise DomainError("action_not_found")
    return action


def _describe(db: Session, action: Action, args: Any) -> None:
    """Set what an action says from checked arguments (schemas.ActionArgs)."""
    action.text = _one_line(args.text)
    action.level = Level(args.level)
    action.due_on = args.due if isinstance(args.due, date) else None
    action.owner_kind = OwnerKind(args.owner) if args.owner else None
    action.owner_name = None
    action.owner_participant_id = None
    if action.owner_kind is OwnerKind.PERSON:
        person = _person(db, action.session_id, args.owner_id)
        action.owner_name = person.display_name
        action.owner_participant_id = person.id


def _person(db: Session, session_id: int, participant_id: int) -> Participant:
    """Someone let into this session (not a room display): an owner is a person present."""
    person = db.get(Participant, participant_id)
    if (
        person is None
        or person.session_id != session_id
        or person.removed_at is not None
        or person.admitted_at is None
        or person.first_seen_at is None
        or person.role not in PEOPLE
    ):
        raise DomainError("unknown_participant")
    return person


def _level_of(prompts: list[Any], prompt: int, chosen: str | None) -> Level:
    column = prompts[prompt] if 0 <= prompt < len(prompts) else {}
    level = IGLO_COLUMNS.get(column.get("key", "")) if isinstance(column, dict) else None
    if level is not None:
        return level
    if chosen is None:
        raise DomainError("action_level_needed")
    return Level(chosen)


def _one_line(text: str) -> str:
    """Plain text on one line, NFC, at most TEXT_LENGTH characters (a post may be longer)."""
    flat = " ".join(unicodedata.normalize("NFC", text).split())
    return flat if len(flat) <= TEXT_LENGTH else flat[: TEXT_LENGTH - 1] + "…"
