"""Who presented a dilemma, in which of a group's sessions, and when: what the group's
page shows, and what the default order of a dilemma round rotates by.

Read from the turns of sessions whose content is still there, and from the
`presentations` kept when a session's content expired (`keep_presentations`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, delete, func, select
from sqlalchemy.orm import Session

from server.agenda.models import Phase, PhaseKind, Turn
from server.agenda.models import Presentation as Kept
from server.sessions.models import Participant, PeerSession, Status


@dataclass(frozen=True)
class Presentation:
    session_id: int
    session_title: str
    participant_id: int | None  # None once the session's content expired
    member_id: int | None  # None: their browser sent no member key
    display_name: str
    presented_at: datetime


def _presented_turns(group_id: int) -> Select:  # type: ignore[type-arg]
    """Turns of the group's dilemma rounds that started and were not passed or skipped,
    in sessions that run or ran (a planned session has presented nothing)."""
    return _presented().where(PeerSession.group_id == group_id)


def _presented_turns_of_session(session_id: int) -> Select:  # type: ignore[type-arg]
    return _presented().where(PeerSession.id == session_id)


def _presented() -> Select:  # type: ignore[type-arg]
    return (
        select()
        .select_from(Turn)
        .join(Phase, Phase.id == Turn.phase_id)
        .join(PeerSession, PeerSession.id == Phase.session_id)
        .join(Participant, Participant.id == Turn.participant_id)
        .where(
            PeerSession.status.in_([Status.RUNNING, Status.ENDED]),
            Phase.kind == PhaseKind.DILEMMA_ROUND,
            Turn.started_at.is_not(None),
            Turn.left_out.is_(None),
        )
    )


def presenter_history(db: Session, group_id: int) -> list[Presentation]:
    """Every dilemma presented in the group's sessions, oldest first."""
    return sorted(
        _live_history(db, group_id) + _kept_history(db, group_id),
        key=lambda p: (p.presented_at, p.session_id),
    )


def _live_history(db: Session, group_id: int) -> list[Presentation]:
    rows = db.execute(
        _presented_turns(group_id)
        .add_columns(
            PeerSession.id,
            PeerSession.title,
            Participant.id,
            Participant.member_id,
            Participant.display_name,
            Turn.started_at,
        )
        .order_by(Turn.started_at, Turn.id)
    )
    return [Presentation(*row) for row in rows]


def _kept_history(db: Session, group_id: int) -> list[Presentation]:
    kept = db.scalars(select(Kept).where(Kept.group_id == group_id))
    return [
        Presentation(
            k.session_id, k.session_title, None, k.member_id, k.display_name, k.presented_at
        )
        for k in kept
    ]


def last_presented(db: Session, group_id: int) -> dict[int, datetime]:
    """For each member who has presented in the group: when they last began to."""
    rows = db.execute(
        _presented_turns(group_id)
        .add_columns(Participant.member_id, func.max(Turn.started_at))
        .where(Participant.member_id.is_not(None))
        .group_by(Participant.member_id)
    )
    last = {member_id: at for member_id, at in rows}
    kept = db.execute(
        select(Kept.member_id, func.max(Kept.presented_at))
        .where(Kept.group_id == group_id, Kept.member_id.is_not(None))
        .group_by(Kept.member_id)
    )
    for member_id, at in kept:
        last[member_id] = max(at, last.get(member_id, at))
    return last


def keep_presentations(db: Session, session_id: int) -> None:
    """Before a session's turns go (its content expired): who presented, for the group."""
    rows = db.execute(
        _presented_turns_of_session(session_id).add_columns(
            PeerSession.group_id,
            PeerSession.title,
            Participant.member_id,
            Participant.display_name,
            Turn.started_at,
        )
    )
    for group_id, title, member_id, name, at in rows:
        db.add(
            Kept(
                group_id=group_id,
                session_id=session_id,
                session_title=title,
                member_id=member_id,
                display_name=name,
                presented_at=at,
            )
        )
    db.flush()


def forget_presentations(db: Session, session_id: int) -> None:
    """A deleted session takes its kept presentations with it."""
    db.execute(delete(Kept).where(Kept.session_id == session_id))
