"""Who presented a dilemma, in which of a group's sessions, and when: what the group's
page shows, and what the default order of a dilemma round rotates by."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from server.agenda.models import Phase, PhaseKind, Turn
from server.sessions.models import Participant, PeerSession, Status


@dataclass(frozen=True)
class Presentation:
    session_id: int
    session_title: str
    participant_id: int
    member_id: int | None  # None: their browser sent no member key
    display_name: str
    presented_at: datetime


def _presented_turns(group_id: int) -> Select:  # type: ignore[type-arg]
    """Turns of the group's dilemma rounds that started and were not passed or skipped,
    in sessions that run or ran (a planned session has presented nothing)."""
    return (
        select()
        .select_from(Turn)
        .join(Phase, Phase.id == Turn.phase_id)
        .join(PeerSession, PeerSession.id == Phase.session_id)
        .join(Participant, Participant.id == Turn.participant_id)
        .where(
            PeerSession.group_id == group_id,
            PeerSession.status.in_([Status.RUNNING, Status.ENDED]),
            Phase.kind == PhaseKind.DILEMMA_ROUND,
            Turn.started_at.is_not(None),
            Turn.left_out.is_(None),
        )
    )


def presenter_history(db: Session, group_id: int) -> list[Presentation]:
    """Every dilemma presented in the group's sessions, oldest first."""
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


def last_presented(db: Session, group_id: int) -> dict[int, datetime]:
    """For each member who has presented in the group: when they last began to."""
    rows = db.execute(
        _presented_turns(group_id)
        .add_columns(Participant.member_id, func.max(Turn.started_at))
        .where(Participant.member_id.is_not(None))
        .group_by(Participant.member_id)
    )
    return {member_id: at for member_id, at in rows}
