"""Which breakout phase runs now: asked by breakouts and by group boards, at every join.

A round runs only while the agenda is in its phase (service.on_phase_started and
on_phase_ended). So once the transaction holds the agenda's clock and its phase (kept
by agenda.clock; a join's arrival reads them), those answer it with no query of its own;
otherwise one query asks, as cheap as reading the clock would be.
"""

from __future__ import annotations

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from server.agenda.clock import clock_kept, current_phase, current_phase_row
from server.agenda.models import Phase, PhaseKind
from server.breakouts.models import BreakoutRound

# Built once, as every join may ask (bench/join_cpu.py): only the session changes.
_RUNNING = select(BreakoutRound.phase_id).where(
    BreakoutRound.session_id == bindparam("session_id"), BreakoutRound.running.is_(True)
)


def running_phase(db: Session, session_id: int) -> Phase | None:
    """The breakout phase running now, if the agenda's current phase is one."""
    if clock_kept(db, session_id):
        return from_clock(db, session_id)
    phase_id = db.scalar(_RUNNING, {"session_id": session_id})
    return None if phase_id is None else db.get_one(Phase, phase_id)


def from_clock(db: Session, session_id: int) -> Phase | None:
    """The same, from the agenda's clock and its phases (read now if not kept yet); the
    phase's entity only if it is a breakout phase."""
    row = current_phase_row(db, session_id)
    if row is None or row.kind is not PhaseKind.BREAKOUT:
        return None
    phase = current_phase(db, session_id)
    breakout = db.get(BreakoutRound, row.id)
    return phase if breakout is not None and breakout.running else None
