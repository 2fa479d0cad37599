"""A pulse's life: open when its phase starts, take each person's answers once, close
for good when the phase (or the session) ends; its snapshot part and the group's trend.

Like every service, these check the rules, change rows and return events; they never
commit. Nothing here ever holds one person's answers after `answer` returns.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Row, Table, bindparam, delete, func, select, update
from sqlalchemy.orm import Session

from server.board import tags
from server.content import library
from server.core.db import rows
from server.core.domain import Actor, Event, declare_events
from server.core.errors import DomainError
from server.pulse.models import SCALE, Pulse, PulseCount, PulseStatus, PulseTag
from server.pulse.scoring import result
from server.sessions.models import PeerSession, Status
from server.sessions.state import emit, iso, lock, person_key

declare_events("pulse:updated")
BANK = "pulse"
_PURPOSE = "pulse-answered"


@dataclass(frozen=True)
class Responder:
    """Who answers: the actor, and the personal key only their live connection holds."""

    actor: Actor
    key: bytes


def responder(
    db: Session, actor: Actor, connection_key: bytes | None, secret_key: str
) -> Responder:
    """Who answers, with the key their "answered" tag comes from: the same on all their
    devices (state.person_key), else a host signed in several times could fill k alone."""
    return Responder(actor, person_key(db, actor, connection_key, secret_key))


def statements() -> list[dict[str, Any]]:
    """The pulse's statements from content/banks/pulse.toml, in order."""
    items = library().banks[BANK].items
    return [{"key": i.content_key, "reverse": i.reverse} for i in items if i.kind == "statement"]


# Built once, as every join reads it (bench/join_cpu.py): only the session changes.
_NEWEST = (
    select(Pulse).where(Pulse.session_id == bindparam("session_id")).order_by(Pulse.id.desc())
).limit(1)


def current_pulse(db: Session, session_id: int) -> Pulse | None:
    """The newest pulse of the session: the open one, or the last one closed."""
    return db.scalars(_NEWEST, {"session_id": session_id}).first()


def open_pulse(
    db: Session, session_id: int, *, phase_id: int | None, k: int, now: datetime
) -> list[Event]:
    """Open a pulse, with a zero count for every (statement, value) made now: a row
    born later would tell when someone first gave that answer."""
    lock(db, session_id)
    earlier = current_pulse(db, session_id)
    closed = close_pulse(db, session_id, now) if earlier and earlier.salt else []
    pulse = Pulse(
        session_id=session_id,
        phase_id=phase_id,
        statements=statements(),
        status=PulseStatus.OPEN,
        k=k,
        answered=0,
        visible=False,
        salt=tags.new_salt(),
        opened_at=now,
    )
    db.add(pulse)
    db.flush()
    db.add_all(
        PulseCount(pulse_id=pulse.id, statement=index, value=value, count=0)
        for index in range(len(pulse.statements))
        for value in SCALE
    )
    return [*closed, _updated(db, pulse)]


def _tag(responder: Responder, pulse: Pulse) -> str:
    assert pulse.salt is not None
    return tags.tag(responder.key, _PURPOSE, pulse.salt, str(pulse.id))


def answer(db: Session, responder: Responder, answers: list[int], now: datetime) -> list[Event]:
    """Count one person's answers, once: they cannot be changed, since taking an answer
    back would need to know what it was, and nothing keeps that."""
    session = lock(db, responder.actor.session_id)
    if session.status is Status.ENDED:
        raise DomainError("session_ended")
    pulse = current_pulse(db, session.id)
    if pulse is None or pulse.status is not PulseStatus.OPEN:
        raise DomainError("pulse_not_open")
    if len(answers) != len(pulse.statements) or any(a not in SCALE for a in answers):
        raise DomainError("invalid_payload", fields=["answers"])
    tag = _tag(responder, pulse)
    if db.get(PulseTag, (pulse.id, tag)) is not None:
        raise DomainError("pulse_already_answered")
    db.add(PulseTag(pulse_id=pulse.id, tag=tag))
    for index, value in enumerate(answers):
        db.execute(
            update(PulseCount)
            .where(
                PulseCount.pulse_id == pulse.id,
                PulseCount.statement == index,
                PulseCount.value == value,
            )
            .values(count=PulseCount.count + 1)
        )
    pulse.answered += 1
    return [_updated(db, pulse)]


def has_answered(db: Session, responder: Responder) -> bool:
    """Whether this person answered the session's open pulse (recomputed from their key)."""
    pulse = current_pulse(db, responder.actor.session_id)
    if pulse is None or pulse.salt is None:
        return False
    return db.get(PulseTag, (pulse.id, _tag(responder, pulse))) is not None


def close_pulse(db: Session, session_id: int, now: datetime) -> list[Event]:
    """Freeze the open pulse for good: its salt and tags go, and a result is kept only
    if at least k answered. Below k its counts go too: they can never be shown, and a
    later answer can never make them so (a closed pulse never opens again)."""
    pulse = current_pulse(db, session_id)
    if pulse is None or pulse.status is PulseStatus.CLOSED:
        return []
    lock(db, session_id)
    pulse.status = PulseStatus.CLOSED
    pulse.salt = None
    pulse.closed_at = now
    pulse.visible = pulse.answered >= pulse.k
    db.execute(delete(PulseTag).where(PulseTag.pulse_id == pulse.id))
    if not pulse.visible:
        db.execute(delete(PulseCount).where(PulseCount.pulse_id == pulse.id))
    return [_updated(db, pulse)]


def pulse_result(db: Session, pulse: Pulse | Row[Any]) -> dict[str, Any] | None:
    """The result, or None: always None while open or below k."""
    if not pulse.visible or pulse.status is not PulseStatus.CLOSED:
        return None
    counts = db.execute(
        select(PulseCount.statement, PulseCount.value, PulseCount.count).where(
            PulseCount.pulse_id == pulse.id
        )
    )
    return result(pulse.statements, {(s, v): c for s, v, c in counts})


def pulse_fields(db: Session, pulse: Pulse | Row[Any]) -> dict[str, Any]:
    """A pulse as everyone sees it: the same for every reader, facilitator included."""
    return {
        "id": pulse.id,
        "status": pulse.status.value,
        "k": pulse.k,
        "answered": pulse.answered,
        "statements": list(pulse.statements),
        "result": pulse_result(db, pulse),
    }


def _updated(db: Session, pulse: Pulse) -> Event:
    return emit(db, "pulse:updated", pulse.session_id, {"pulse": pulse_fields(db, pulse)})


_p = cast(Table, Pulse.__table__).c
# The same as a plain row of what pulse_fields reads: built once, as every join reads it.
_NEWEST_ROW = _NEWEST.with_only_columns(
    _p.id, _p.status, _p.k, _p.answered, _p.statements, _p.visible
)


def pulse_snapshot(db: Session, actor: Actor, now: datetime) -> dict[str, Any] | None:
    found = rows(db, _NEWEST_ROW, {"session_id": actor.session_id})
    return pulse_fields(db, found[0]) if found else None


@dataclass(frozen=True)
class TrendPoint:
    session_id: int
    date: datetime
    score: float
    answered: int


def trend(db: Session, session_id: int) -> list[TrendPoint]:
    """The group's pulses that showed a result, over its sessions by date; a pulse that
    closed below k is not a point (it has no result), nor is another group's."""
    group_id = select(PeerSession.group_id).where(PeerSession.id == session_id).scalar_subquery()
    when = func.coalesce(PeerSession.started_at, PeerSession.created_at)
    shown = db.execute(
        select(Pulse, when)
        .join(PeerSession, PeerSession.id == Pulse.session_id)
        .where(PeerSession.group_id == group_id, Pulse.visible.is_(True))
        .order_by(when, Pulse.id)
    ).all()
    points = []
    for pulse, date in shown:
        found = pulse_result(db, pulse)
        if found is not None and found["score"] is not None:
            points.append(TrendPoint(pulse.session_id, date, found["score"], pulse.answered))
    return points


def trend_fields(points: list[TrendPoint]) -> list[dict[str, Any]]:
    return [
        {"session_id": p.session_id, "date": iso(p.date), "score": p.score, "answered": p.answered}
        for p in points
    ]
