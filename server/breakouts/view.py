"""The breakouts as each reader sees them.

Everyone sees the plan (group numbers and first names: where to sit), the common
warning and the facilitator's broadcast, and every group's synthesis once the phase has
ended. A participant sees their own group's presenter, step and countdown, and its
synthesis as it is written; hosts see every group's progress (not the synthesis text
before the end) and the colleague conflicts; a room display sees no group's inside, and
its plan has no names: a plan keeps who it seated even after they left, and the wall
shows only people present (it names them from its own `participants`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Row, Table, bindparam, select
from sqlalchemy.orm import Session

from server.agenda import timer
from server.agenda.clock import SeenClock, clock_seen
from server.agenda.models import Phase, TimerStatus
from server.breakouts import planning
from server.breakouts.models import BreakoutGroup, BreakoutRound, BreakoutSeat
from server.core.db import rows
from server.core.domain import HOSTS, Actor, Role
from server.sessions.models import Participant
from server.sessions.state import iso


@dataclass(frozen=True)
class GroupData:
    row: BreakoutGroup
    members: list[int]


@dataclass(frozen=True)
class RoundData:
    phase: Phase
    breakout: Row[Any]  # the breakout_rounds row
    groups: list[GroupData]
    status: str  # planned, running, ended
    warning: bool
    first_names: dict[int, str]
    conflicts: tuple[planning.Conflict, ...]


_rounds = cast(Table, BreakoutRound.__table__)
_phases = cast(Table, Phase.__table__)
# Built once, as every join reads it (bench/join_cpu.py): only the session changes. Plain
# rows: a session without breakouts costs one cheap read.
_PLANNED = (
    select(_rounds)
    .join_from(_rounds, _phases, _phases.c.id == _rounds.c.phase_id)
    .where(_rounds.c.session_id == bindparam("session_id"))
    .order_by(_phases.c.position)
)


def load(db: Session, session_id: int, now: datetime) -> list[RoundData]:
    """Every breakout phase of the session that has a plan, read once for all readers."""
    breakouts = rows(db, _PLANNED, {"session_id": session_id})
    if not breakouts:
        return []
    clock = clock_seen(db, session_id)
    people = db.execute(
        select(Participant.id, Participant.display_name, Participant.organisation).where(
            Participant.session_id == session_id
        )
    ).all()
    first_names = {pid: name.split()[0] if name.split() else name for pid, name, _ in people}
    organisations = {pid: organisation for pid, _, organisation in people}
    return [_round(db, breakout, clock, first_names, organisations) for breakout in breakouts]


def _round(
    db: Session,
    breakout: Row[Any],
    clock: SeenClock | None,
    first_names: dict[int, str],
    organisations: dict[int, str | None],
) -> RoundData:
    phase = db.get_one(Phase, breakout.phase_id)
    groups = db.scalars(
        select(BreakoutGroup)
        .where(BreakoutGroup.phase_id == phase.id)
        .order_by(BreakoutGroup.number)
    ).all()
    # Plain rows, not entities: read on every change of every group.
    seats = db.execute(
        select(BreakoutSeat.group_id, BreakoutSeat.participant_id)
        .where(BreakoutSeat.phase_id == phase.id)
        .order_by(BreakoutSeat.position, BreakoutSeat.participant_id)
    ).all()
    members: dict[int, list[int]] = {group.id: [] for group in groups}
    for group_id, participant_id in seats:
        members[group_id].append(participant_id)
    running = breakout.running
    status = "running" if running else ("ended" if phase.started_at else "planned")
    warning = bool(
        running
        and clock is not None
        and clock.timer_status is TimerStatus.RUNNING
        and breakout.warned_for is not None
        and breakout.warned_for == clock.ends_at
    )
    plan = planning.Plan(
        breakout.size,
        tuple(
            planning.Group(
                g.number,
                tuple(planning.Person(pid, organisations.get(pid)) for pid in members[g.id]),
            )
            for g in groups
        ),
    )
    return RoundData(
        phase,
        breakout,
        [GroupData(g, members[g.id]) for g in groups],
        status,
        warning,
        first_names,
        plan.conflicts,
    )


def view_for(rounds: list[RoundData], actor: Actor, now: datetime) -> dict[str, Any]:
    return Readers(rounds, now).view(actor)


class Readers:
    """Every reader's view of one moment. The parts several readers share (the plan,
    a group's inside, the hosts' overview) are built once, and readers who see the same
    (the members of one group, the hosts) get the very same view: a change in a session
    of 60 builds about one view per group, not one per person."""

    def __init__(self, rounds: list[RoundData], now: datetime) -> None:
        self.rounds = rounds
        self.common = [_common(data) for data in rounds]
        self.own = [
            {g.row.number: _group(g, now, own=True) for g in data.groups} for data in rounds
        ]
        self.overview = [[_group(g, now, own=False) for g in data.groups] for data in rounds]
        self.conflicts = [
            [
                {
                    "group": c.group,
                    "organisation": c.organisation,
                    "participant_ids": list(c.people),
                }
                for c in data.conflicts
            ]
            for data in rounds
        ]
        self.seats = [
            {pid: g.row.number for g in data.groups for pid in g.members} for data in rounds
        ]
        self._views: dict[tuple[Any, ...], dict[str, Any]] = {}

    def key(self, actor: Actor) -> tuple[Any, ...]:
        """What a view depends on: two readers with one key see the same."""
        if actor.role in HOSTS:
            return ("host",)
        if actor.role is Role.DISPLAY:
            return ("display",)
        if actor.role is Role.PARTICIPANT and actor.participant_id is not None:
            return ("participant", *(seats.get(actor.participant_id) for seats in self.seats))
        return ("nobody's group",)

    def view(self, actor: Actor) -> dict[str, Any]:
        key = self.key(actor)
        if key not in self._views:
            self._views[key] = {
                "rounds": [self._round(index, key) for index in range(len(self.rounds))]
            }
        return self._views[key]

    def _round(self, index: int, key: tuple[Any, ...]) -> dict[str, Any]:
        host = key[0] == "host"
        number = key[1 + index] if key[0] == "participant" else None
        common = self.common[index]
        return {
            **(_unnamed(common) if key[0] == "display" else common),
            "my_group": None if number is None else self.own[index][number],
            "groups": self.overview[index] if host else [],
            "conflicts": self.conflicts[index] if host else [],
        }


def _common(data: RoundData) -> dict[str, Any]:
    """What every reader of a round sees."""
    breakout = data.breakout
    ended = data.status == "ended"
    return {
        "phase_id": data.phase.id,
        "size": breakout.size,
        "status": data.status,
        "plan": [
            {
                "number": g.row.number,
                "members": [
                    {"participant_id": pid, "first_name": data.first_names.get(pid, "")}
                    for pid in g.members
                ],
            }
            for g in data.groups
        ],
        "warning": data.warning,
        "broadcast": None
        if breakout.broadcast is None
        else {"text": breakout.broadcast, "at": iso(breakout.broadcast_at)},
        "syntheses": [
            {"number": g.row.number, "text": g.row.synthesis}
            for g in data.groups
            if g.row.synthesis
        ]
        if ended
        else [],
    }


def _unnamed(common: dict[str, Any]) -> dict[str, Any]:
    """A round's common part without the plan's names, for the room display."""
    plan = [
        {**group, "members": [{"participant_id": m["participant_id"]} for m in group["members"]]}
        for group in common["plan"]
    ]
    return {**common, "plan": plan}


def _group(data: GroupData, now: datetime, own: bool) -> dict[str, Any]:
    group = data.row
    fields: dict[str, Any] = {
        "number": group.number,
        "members": data.members,
        "segment": group.segment,
        "presenter_id": group.presenter_id,
        "step_index": group.step_index,
        "finished": group.finished,
        "timer": {
            "status": group.timer_status.value,
            "duration_seconds": group.duration_seconds,
            "ends_at": iso(group.ends_at),
            "remaining_seconds": round(timer.remaining(group, now), 3),
        },
    }
    if own:
        fields["synthesis"] = group.synthesis
    else:
        fields["synthesis_sent"] = group.synthesis is not None
    return fields
