"""A session's agenda clock and its current phase, read once per transaction while they
stay current.

A join or a command needs the clock in several places (the arrival's reaction, the
snapshot's agenda, breakouts and "my agenda"; the change, then the view it sends). Each
reads it here: the first read is kept on the transaction's change (core.change), and
later reads take it from there unless the session's lock was taken in between, when
another transaction may have moved it first. Never beyond the transaction: a restart or
a second process sees the database, not a copy.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from server.agenda.models import AgendaClock, Phase
from server.core.change import change_of


def clock_of(db: Session, session_id: int) -> AgendaClock:
    clock = find_clock(db, session_id)
    if clock is None:
        raise LookupError(f"no agenda clock for session {session_id}")
    return clock


def find_clock(db: Session, session_id: int) -> AgendaClock | None:
    """The clock, or None for a session whose agenda is gone (being deleted)."""
    change = change_of(db)
    clock = change.kept(AgendaClock, session_id, session_id)
    if clock is None:
        clock = db.get(AgendaClock, session_id, populate_existing=True)
        if clock is not None:
            change.keep(clock, session_id, session_id)
    return clock  # type: ignore[no-any-return]


def clock_kept(db: Session, session_id: int) -> bool:
    """Whether the clock is kept already: reading it again costs no round trip."""
    return change_of(db).kept(AgendaClock, session_id, session_id) is not None


def current_phase(db: Session, session_id: int) -> Phase | None:
    """The phase the clock is in (None between or after them), kept like the clock: the
    arrival's reactions and the snapshot's parts each ask for it."""
    clock = find_clock(db, session_id)
    if clock is None or clock.phase_id is None:
        return None
    change = change_of(db)
    phase = change.kept(Phase, clock.phase_id, session_id)
    if phase is None:
        phase = db.get(Phase, clock.phase_id)
        if phase is not None:
            change.keep(phase, clock.phase_id, session_id)
    return phase  # type: ignore[no-any-return]


def forget_clock(db: Session, session_id: int) -> None:
    """The clock changed behind the ORM (a bulk UPDATE): the next read goes to the database."""
    change_of(db).forget_kept(AgendaClock, session_id)
