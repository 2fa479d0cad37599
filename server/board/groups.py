"""Group boards: while a breakout phase with `board_settings.groups` runs, each of its
groups writes on a board of its own (Board.group_number), the plenary's board aside.

Which board a command means, and who is told of a change: a group board's events reach
that group's members and the hosts; every other connection gets the same version with
nothing in it (core.change.emit_each), so nobody sees a gap and nothing of the group.
A group smaller than the board's threshold gets no board (a post there could point at
its writer): its members are told why (`board: null` in their GroupBoards).
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import Table, bindparam, func, literal, select
from sqlalchemy.orm import Session

from server.agenda.models import Phase
from server.board import rules
from server.board.models import Board
from server.board.state import (
    NEWEST_BOARD,
    BoardRow,
    board_fields,
    require_board,
    require_writable,
)
from server.breakouts.models import BreakoutGroup, BreakoutRound, BreakoutSeat
from server.breakouts.running import running_phase as running_breakout
from server.core.change import change_of
from server.core.connections import audience
from server.core.domain import HOSTS, Actor, Event, Role, declare_events
from server.core.errors import DomainError
from server.sessions.state import emit

declare_events("board:group_updated", "board:groups_updated")


def running_phase(db: Session, session_id: int) -> Phase | None:
    """The breakout phase running now, if it gives its groups boards."""
    phase = running_breakout(db, session_id)
    return phase if phase is not None and (phase.board_settings or {}).get("groups") else None


def threshold_of(phase: Phase) -> int:
    return int((phase.board_settings or {}).get("threshold") or rules.DEFAULT_THRESHOLD)


def group_sizes(db: Session, phase_id: int) -> dict[int, int]:
    """{group number: people seated in it}, every group of the phase."""
    rows = db.execute(
        select(BreakoutGroup.number, func.count(BreakoutSeat.participant_id))
        .outerjoin(BreakoutSeat, BreakoutSeat.group_id == BreakoutGroup.id)
        .where(BreakoutGroup.phase_id == phase_id)
        .group_by(BreakoutGroup.number)
        .order_by(BreakoutGroup.number)
    )
    return {number: int(size) for number, size in rows}


def seat_number(db: Session, phase_id: int, participant_id: int | None) -> int | None:
    """The number of the group this participant sits in, in that phase."""
    if participant_id is None:
        return None
    return db.scalar(
        select(BreakoutGroup.number)
        .join(BreakoutSeat, BreakoutSeat.group_id == BreakoutGroup.id)
        .where(BreakoutSeat.phase_id == phase_id, BreakoutSeat.participant_id == participant_id)
    )


def seats(db: Session, phase_id: int) -> dict[int, int]:
    """{participant id: number of their group} in that phase, in one read."""
    rows = db.execute(
        select(BreakoutSeat.participant_id, BreakoutGroup.number)
        .join(BreakoutGroup, BreakoutGroup.id == BreakoutSeat.group_id)
        .where(BreakoutSeat.phase_id == phase_id)
    )
    return {participant_id: number for participant_id, number in rows}


def group_board(db: Session, phase_id: int, number: int) -> Board | None:
    return db.scalars(
        select(Board).where(Board.phase_id == phase_id, Board.group_number == number)
    ).first()


def require_board_of(db: Session, actor: Actor, *, writable: bool = False) -> Board:
    """The board this person's board commands mean: their group's while a breakout phase
    with group boards runs and they sit in a group, else the session's current one."""
    phase = running_phase(db, actor.session_id)
    number = None if phase is None else seat_number(db, phase.id, actor.participant_id)
    if phase is None or number is None:
        return require_board(db, actor.session_id, writable=writable)
    board = group_board(db, phase.id, number)
    if board is None:
        raise DomainError("group_too_small", threshold=threshold_of(phase))
    if writable:
        require_writable(board)
    return board


_boards = cast(Table, Board.__table__)
_rounds = cast(Table, BreakoutRound.__table__)
# Built once, as every post and reaction reads it (bench/command_cpu.py): in one read, the
# plenary's newest board (state.current_board) as a plain row, and whether a breakout
# round runs (breakouts.running); a row even when there is no board.
_ROUND_RUNNING = (
    select(_rounds.c.phase_id)
    .where(_rounds.c.session_id == bindparam("session_id"), _rounds.c.running.is_(True))
    .limit(1)
    .scalar_subquery()
)
_ONE_ROW = select(literal(1).label("one")).subquery()
_BOARD_ROW = select(_ROUND_RUNNING.label("round_running"), *_boards.c).select_from(
    _ONE_ROW.outerjoin(_boards, _boards.c.id == NEWEST_BOARD)
)


def board_to_write(db: Session, actor: Actor, *, writable: bool = False) -> BoardRow:
    """`require_board_of` for a command that only reads the board (a post, a reaction): the
    plenary's board as a plain row, in one read; while a breakout round runs, the same way
    as `require_board_of`."""
    found = db.execute(_BOARD_ROW, {"session_id": actor.session_id}).one()
    if found.round_running is not None:
        return require_board_of(db, actor, writable=writable)
    if found.id is None:
        raise DomainError("board_not_open")
    if writable:
        require_writable(found)
    return found


def board_to_run(db: Session, actor: Actor, group: int | None) -> Board:
    """The board a reveal means: a host's plenary board, or the group named; a
    participant's own group's (members run their group's board themselves)."""
    phase = running_phase(db, actor.session_id)
    if actor.role in HOSTS:
        if group is None:
            return require_board(db, actor.session_id)
        board = None if phase is None else group_board(db, phase.id, group)
        if board is None:
            raise DomainError("board_not_open")
        return board
    if phase is None or seat_number(db, phase.id, actor.participant_id) is None:
        raise DomainError("not_in_group")  # only the plenary's hosts reveal its board
    return require_board_of(db, actor)


def tell(db: Session, board: BoardRow, name: str, payload: dict[str, Any]) -> Event:
    """A change of a board: to everyone for the plenary's; for a group's, the group's
    whole board to its members and the hosts, and the version alone to the others."""
    if board.group_number is None:
        return emit(db, name, board.session_id, payload)
    assert board.phase_id is not None, "a group board belongs to its breakout phase"
    seated = seats(db, board.phase_id)
    members = {pid for pid, number in seated.items() if number == board.group_number}
    common = {"group": board.group_number, "dropped": payload.get("dropped", [])}
    seen = {**common, "board": board_fields(db, board, host=False)}
    hosts = {**common, "board": board_fields(db, board, host=True)}
    nothing: dict[str, Any] = {}
    payloads = {}
    for sid, actor in audience(db, board.session_id):
        if actor.role in HOSTS:
            payloads[sid] = hosts
        elif actor.role is Role.PARTICIPANT and actor.participant_id in members:
            payloads[sid] = seen
        else:
            payloads[sid] = nothing
    return change_of(db).emit_each("board:group_updated", board.session_id, payloads)


def groups_view(db: Session, actor: Actor) -> dict[str, Any] | None:
    """GroupBoards, as this reader sees them: None unless a breakout phase with group
    boards runs; a participant's own group, every group for a host, none for others."""
    phase = running_phase(db, actor.session_id)
    if phase is None:
        return None
    return _view(db, phase, actor, group_sizes(db, phase.id), seats(db, phase.id))


def _own_group(actor: Actor, seated: dict[int, int]) -> int | None:
    if actor.role is not Role.PARTICIPANT or actor.participant_id is None:
        return None
    return seated.get(actor.participant_id)


def _view(
    db: Session, phase: Phase, actor: Actor, sizes: dict[int, int], seated: dict[int, int]
) -> dict[str, Any]:
    host = actor.role in HOSTS
    own = _own_group(actor, seated)
    numbers = list(sizes) if host else [] if own is None else [own]
    boards = []
    for number in numbers:
        board = group_board(db, phase.id, number)
        fields = None if board is None else board_fields(db, board, host=host)
        boards.append({"group": number, "board": fields})
    return {"phase_id": phase.id, "threshold": threshold_of(phase), "boards": boards}


def tell_groups(db: Session, session_id: int) -> Event:
    """Every connection's GroupBoards anew (the groups or their boards changed), under
    one version; readers who see the same share one payload."""
    phase = running_phase(db, session_id)
    sizes = {} if phase is None else group_sizes(db, phase.id)
    seated = {} if phase is None else seats(db, phase.id)
    views: dict[tuple[Any, ...], dict[str, Any]] = {}
    payloads = {}
    for sid, actor in audience(db, session_id):
        key = ("host",) if actor.role in HOSTS else ("group", _own_group(actor, seated))
        if key not in views:
            shown = None if phase is None else _view(db, phase, actor, sizes, seated)
            views[key] = {"group_boards": shown}
        payloads[sid] = views[key]
    return change_of(db).emit_each("board:groups_updated", session_id, payloads)
