"""A session's agenda clock, its current phase and its phases (plain rows), read once
per transaction while they stay current.

A join or a command needs the clock in several places (the arrival's reaction, the
snapshot's agenda, breakouts and "my agenda"; the change, then the view it sends). Each
reads it here: the first read is kept on the transaction's change (core.change), and
later reads take it from there unless the session's lock was taken in between, when
another transaction may have moved it first. Never beyond the transaction: a restart or
a second process sees the database, not a copy.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import Row, Table, bindparam, select
from sqlalchemy.orm import Session

from server.agenda.models import AgendaClock, Phase, PhaseKind
from server.core.change import KeptRows, change_of, kept_rows, reads


def clock_of(db: Session, session_id: int) -> AgendaClock:
    clock = find_clock(db, session_id)
    if clock is None:
        raise LookupError(f"no agenda clock for session {session_id}")
    return clock


# Built once, as every agenda change reads it: Session.get builds its query anew each
# time (a third of the read's cost, issue 14). Afresh: the row as the database has it.
_CLOCK_ENTITY = select(AgendaClock).where(AgendaClock.session_id == bindparam("session_id"))
_AFRESH = {"populate_existing": True}


def find_clock(db: Session, session_id: int) -> AgendaClock | None:
    """The clock, or None for a session whose agenda is gone (being deleted)."""
    change = change_of(db)
    clock = change.kept(AgendaClock, session_id, session_id)
    if clock is None:
        found = db.scalars(_CLOCK_ENTITY, {"session_id": session_id}, execution_options=_AFRESH)
        clock = found.one_or_none()
        if clock is not None:
            change.keep(clock, session_id, session_id)
    return clock  # type: ignore[no-any-return]


_clocks = cast(Table, AgendaClock.__table__)
# Built once, as every join reads it (bench/join_cpu.py): only the session changes.
_CLOCK = select(_clocks).where(_clocks.c.session_id == bindparam("session_id"))


class _Clock(KeptRows):
    """The clock as a plain row, for reading only (`clock_seen`)."""


reads(_Clock, {"agenda_clocks": None})


# What clock_seen gives: the entity, or a plain row of its columns.
SeenClock = AgendaClock | Row[Any]


def clock_seen(db: Session, session_id: int) -> SeenClock | None:
    """The clock to read, not to change (an AgendaClock or a row of its columns, None for
    a session without one): the entity this transaction holds, with any change it made,
    else a plain row, kept like the entity and far cheaper to read (a join only reads)."""
    clock = change_of(db).kept(AgendaClock, session_id, session_id)
    if clock is not None:
        return clock
    params = {"session_id": session_id}
    found = kept_rows(db, _Clock, session_id, session_id, _CLOCK, params)
    return found[0] if found else None


def clock_kept(db: Session, session_id: int) -> bool:
    """Whether the clock is kept already (`clock_seen`): reading it again costs no round
    trip."""
    change = change_of(db)
    kinds = (AgendaClock, _Clock)
    return any(change.kept(kind, session_id, session_id) is not None for kind in kinds)


def current_phase(db: Session, session_id: int) -> Phase | None:
    """The phase the clock is in (None between or after them), kept like the clock: the
    arrival's reactions and the snapshot's parts each ask for it."""
    clock = clock_seen(db, session_id)
    if clock is None or clock.phase_id is None:
        return None
    change = change_of(db)
    phase = change.kept(Phase, clock.phase_id, session_id)
    if phase is None:
        phase = db.get(Phase, clock.phase_id)
        if phase is not None:
            change.keep(phase, clock.phase_id, session_id)
    return phase  # type: ignore[no-any-return]


_phases = cast(Table, Phase.__table__)
# Built once, as every join reads it (bench/join_cpu.py): only the session changes.
_PHASES = (
    select(_phases)
    .where(_phases.c.session_id == bindparam("session_id"))
    .order_by(_phases.c.position)
)


class _Phases(KeptRows):
    """The session's phases as plain rows, in agenda order: read once per transaction, as
    a join's arrival asks what the current phase is and its snapshot sends them all."""


reads(_Phases, {"phases": None})


def phase_rows(db: Session, session_id: int) -> Sequence[Row[Any]]:
    """Every phase of the session as a plain row (no entity to keep in step), in order."""
    params = {"session_id": session_id}
    return kept_rows(db, _Phases, session_id, session_id, _PHASES, params)


def has_no_phase_of(db: Session, session_id: int, kind: PhaseKind) -> bool:
    """Whether the session surely has no phase of this kind, from its phases as kept by
    this transaction (a phase's kind never changes): no round trip, and False when they
    are not kept, or a phase was added since."""
    found = change_of(db).kept(_Phases, session_id, session_id)
    return found is not None and all(p.kind is not kind for p in found.rows)


def current_phase_row(db: Session, session_id: int) -> Row[Any] | None:
    """The current phase as a plain row, to ask what it is without loading its entity."""
    clock = clock_seen(db, session_id)
    if clock is None or clock.phase_id is None:
        return None
    return next((p for p in phase_rows(db, session_id) if p.id == clock.phase_id), None)


def forget_clock(db: Session, session_id: int) -> None:
    """The clock changed behind the ORM (a bulk UPDATE): the next read goes to the database."""
    change_of(db).forget_kept(AgendaClock, session_id)
