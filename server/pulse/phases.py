"""The agenda's pulse phases open and close the pulse (reactions to phases starting and
ending); a pulse still open when its session ends is closed with it."""

from __future__ import annotations

from datetime import datetime

from flask import has_app_context
from sqlalchemy import select
from sqlalchemy.orm import Session

from server.agenda.models import Phase, PhaseKind
from server.core.bus import PhaseEnded, PhaseStarted, SessionEnded
from server.core.runtime import current_runtime
from server.pulse.models import Pulse
from server.pulse.service import close_pulse, open_pulse

DEFAULT_K = 4  # as config's HOLDSPORT_PULSE_MIN_ANSWERS, for domain tests without an app


def min_answers() -> int:
    return current_runtime().settings.pulse_min_answers if has_app_context() else DEFAULT_K


def on_phase_started(db: Session, fact: PhaseStarted, now: datetime) -> None:
    phase = db.get_one(Phase, fact.phase_id)
    if phase.kind is not PhaseKind.PULSE:
        return
    if db.scalar(select(Pulse.id).where(Pulse.phase_id == phase.id)) is not None:
        return  # back in a phase whose pulse closed: it never opens again
    open_pulse(db, phase.session_id, phase_id=phase.id, k=min_answers(), now=now)


def on_phase_ended(db: Session, fact: PhaseEnded, now: datetime) -> None:
    if db.get_one(Phase, fact.phase_id).kind is PhaseKind.PULSE:
        close_pulse(db, fact.session_id, now)


def on_session_ended(db: Session, fact: SessionEnded, now: datetime) -> None:
    close_pulse(db, fact.session_id, now)
