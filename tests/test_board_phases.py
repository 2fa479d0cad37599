"""The agenda's board phases open and close the board."""

from __future__ import annotations

import pytest

from server.agenda import editing
from server.agenda.models import PhaseKind
from server.agenda.schemas import PhaseChanges
from server.agenda.service import PhasePlan
from server.board import state as board_state
from server.core.errors import DomainError
from server.sessions import service as sessions
from tests.agenda_support import DISCUSS, Group

BOARD = PhasePlan(
    kind=PhaseKind.BOARD,
    planned_seconds=900,
    title="Mistakes",
    board_prompts=[{"key": "bank.board.mistake_learned"}, {"text": "What I would do again"}],
)


def board_of(group):
    return board_state.current_board(group.db, group.session_id)


def test_a_board_phase_opens_its_board_and_closes_it_when_it_ends(db, clock):
    group = Group(db, clock, [DISCUSS, BOARD, DISCUSS])
    group.start()
    assert board_of(group) is None
    events = group.next()
    assert [e.name for e in events] == ["board:opened", "agenda:updated"]
    assert [e.payload["version"] for e in events] == [
        events[0].payload["version"],
        events[0].payload["version"] + 1,
    ]
    board = board_of(group)
    assert board.prompts == BOARD.board_prompts
    assert board.status.value == "open" and board.named is False and board.threshold == 3
    events = group.next()
    assert [e.name for e in events] == ["board:closed", "agenda:updated"]
    assert board_of(group).status.value == "closed"


def test_going_back_into_a_board_phase_keeps_its_board(db, clock):
    from server.agenda import service

    group = Group(db, clock, [BOARD, DISCUSS])
    group.start()
    first = board_of(group).id
    group.next()
    events = service.previous_segment(db, group.host, group.segment, clock.now())
    assert [e.name for e in events] == ["agenda:updated"]
    assert board_of(group).id == first


def test_ending_the_session_closes_the_board(db, clock):
    group = Group(db, clock, [BOARD])
    group.start()
    events = sessions.end_session(db, group.host, clock.now())
    assert [e.name for e in events] == ["session:ended", "board:closed", "agenda:updated"]


def test_board_settings_are_chosen_before_the_phase_starts(db, clock):
    group = Group(db, clock, [DISCUSS, BOARD])
    board_phase = group.view()["phases"][1]["id"]
    editing.update_phase(
        db,
        group.host,
        PhaseChanges(phase_id=board_phase, board_named=True, board_mode="live", board_threshold=4),
        clock.now(),
    )
    group.start()
    group.next()
    board = board_of(group)
    assert (board.named, board.mode.value, board.threshold) == (True, "live", 4)
    with pytest.raises(DomainError) as err:
        editing.update_phase(
            db, group.host, PhaseChanges(phase_id=board_phase, board_named=False), clock.now()
        )
    assert err.value.code == "phase_not_pending"


def test_bank_questions_can_be_added_to_any_phase(db, clock):
    group = Group(db, clock, [DISCUSS])
    phase_id = group.view()["phases"][0]["id"]
    editing.update_phase(
        db,
        group.host,
        PhaseChanges(phase_id=phase_id, prompt_keys=["bank.board.mistake_learned"]),
        clock.now(),
    )
    assert group.view()["phases"][0]["prompts"] == [{"key": "bank.board.mistake_learned"}]
    with pytest.raises(DomainError) as err:
        editing.update_phase(
            db,
            group.host,
            PhaseChanges(phase_id=phase_id, prompt_keys=["bank.nothing.here"]),
            clock.now(),
        )
    assert err.value.code == "invalid_payload"
