"""A presenter's own title for their dilemma, and their consent to show it in the summary.

The title is the presenter's alone: it travels only in their own acks, their own
snapshot part (`my_agenda.titles`) and `agenda:my_agenda` to their own other connections,
never in an event to the session, and the summary shows it only where `title_shared`
says the presenter agreed (docs/anonymity.md).
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import Row, Table, bindparam, select
from sqlalchemy.orm import Session

from server.agenda.clock import clock_of, has_no_phase_of
from server.agenda.models import Phase, PhaseKind, Turn
from server.core.db import rows
from server.core.domain import Actor
from server.core.errors import DomainError
from server.sessions.models import Status
from server.sessions.state import lock


def set_title(db: Session, actor: Actor, title: str, share: bool) -> dict[str, Any]:
    """The presenter titles the dilemma they present now; an empty title clears it.

    Only during their own turn of a dilemma round, not of a phase with presenters that
    has its own words (`not_your_turn` otherwise). Nothing
    anyone else sees changes, so no event goes out: the ack carries the result.
    """
    session = lock(db, actor.session_id)
    if session.status is Status.ENDED:
        raise DomainError("session_ended")
    clock = clock_of(db, actor.session_id)
    turn = db.get(Turn, clock.turn_id) if clock.turn_id is not None else None
    phase = db.get(Phase, clock.phase_id) if clock.phase_id is not None else None
    if (
        turn is None
        or phase is None
        or phase.kind is not PhaseKind.DILEMMA_ROUND
        or phase.words  # presenters of another kind (peer feedback) bring no dilemma
        or turn.participant_id != actor.participant_id
    ):
        raise DomainError("not_your_turn")
    turn.title = title or None
    turn.title_shared = bool(share and title)
    return title_fields(turn)


_turns = cast(Table, Turn.__table__).c
_phases = cast(Table, Phase.__table__).c
# Built once, as every join reads it (bench/join_cpu.py): only the person changes. Plain
# rows of what title_fields reads.
_TITLED = (
    select(_turns.id, _turns.title, _turns.title_shared)
    .join_from(Turn.__table__, Phase.__table__, _phases.id == _turns.phase_id)
    .where(
        _phases.session_id == bindparam("session_id"),
        _turns.participant_id == bindparam("participant_id"),
        _turns.title.is_not(None),
    )
    .order_by(_phases.position)
)


def my_titles(db: Session, actor: Actor) -> list[dict[str, Any]]:
    """The titles this person gave their own dilemmas in the session (their snapshot)."""
    if actor.participant_id is None:
        return []
    if has_no_phase_of(db, actor.session_id, PhaseKind.DILEMMA_ROUND):
        return []  # titles are given in dilemma rounds only
    mine = {"session_id": actor.session_id, "participant_id": actor.participant_id}
    return [title_fields(turn) for turn in rows(db, _TITLED, mine)]


def title_fields(turn: Turn | Row[Any]) -> dict[str, Any]:
    return {"turn_id": turn.id, "title": turn.title or "", "share": turn.title_shared}
