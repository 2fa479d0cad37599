"""Agenda service tests: a frozen, steppable clock and a real database; no sockets."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from server.agenda import editing, floor, service, turns
from server.agenda.models import HistoryEntry, OrderMode, PhaseKind
from server.agenda.schemas import NewPhase, PhaseChanges
from server.agenda.service import PhasePlan
from server.core import connections
from server.core.domain import Role
from server.core.errors import DomainError
from server.sessions import service as sessions
from tests.agenda_support import CLOSING, DILEMMA, DISCUSS, ROUND, Group


def test_starting_the_session_starts_the_first_phase_and_its_countdown(db, clock):
    group = Group(db, clock, [DISCUSS, CLOSING])
    assert group.view()["timer"]["status"] == "idle"
    events = group.start()
    assert [e.name for e in events] == ["session:started", "agenda:updated"]
    assert events[1].payload["version"] == events[0].payload["version"] + 1
    view = group.view()
    assert [p["status"] for p in view["phases"]] == ["active", "pending"]
    assert view["timer"]["status"] == "running"
    assert view["timer"]["remaining_seconds"] == 600
    clock.advance(90.5)
    assert group.view()["timer"]["remaining_seconds"] == 509.5


def test_pause_resume_and_extend_keep_the_time_exact(db, clock):
    group = Group(db, clock, [DISCUSS])
    group.start()
    clock.advance(100)
    service.pause(db, group.host, group.segment, clock.now())
    clock.advance(1000)  # a long pause costs nothing
    timer = group.view()["timer"]
    assert (timer["status"], timer["remaining_seconds"], timer["ends_at"]) == ("paused", 500, None)
    service.extend(db, group.host, group.segment, 300, clock.now())
    assert group.view()["timer"]["remaining_seconds"] == 800
    service.resume(db, group.host, group.segment, clock.now())
    clock.advance(60)
    service.extend(db, group.host, group.segment, 60, clock.now())
    timer = group.view()["timer"]
    assert timer["status"] == "running"
    assert timer["remaining_seconds"] == 800
    assert timer["duration_seconds"] == 600 + 300 + 60
    with pytest.raises(DomainError) as err:
        service.resume(db, group.host, group.segment, clock.now())
    assert err.value.code == "timer_not_paused"


def test_a_manual_phase_waits_at_zero_for_the_facilitator(db, clock):
    group = Group(db, clock, [DISCUSS, CLOSING])
    group.start()
    clock.advance(599)
    assert group.sweep() == []
    clock.advance(2)
    [event] = group.sweep()
    assert event.payload["agenda"]["timer"]["status"] == "expired"
    assert event.payload["agenda"]["timer"]["remaining_seconds"] == 0
    assert group.sweep() == []  # handled once
    clock.advance(30)
    service.extend(db, group.host, group.segment, 120, clock.now())
    assert group.view()["timer"]["remaining_seconds"] == 120  # time-up, then more time
    group.next()
    assert [p["status"] for p in group.view()["phases"]] == ["done", "active"]


def test_an_automatic_round_moves_through_every_speaker_on_the_minute(db, clock):
    group = Group(db, clock, [ROUND, DISCUSS])
    group.start()
    assert group.order() == ["Anne", "Bo", "Cecilie", "Dan"]
    assert group.view()["phases"][0]["turn_seconds"] == 90
    spoken = []
    for _ in range(4):
        spoken.append(group.speaker())
        clock.advance(90.2)
        group.sweep()
    assert spoken == ["Anne", "Bo", "Cecilie", "Dan"]
    assert group.view()["phases"][1]["status"] == "active"
    # Each start was chained to the previous end: no drift from the sweeper's lateness.
    starts = db.scalars(select(HistoryEntry.at).where(HistoryEntry.action == "turn_started"))
    gaps = [(b - a).total_seconds() for a, b in zip(list(starts), list(starts)[1:], strict=False)]
    assert all(gap == 90 for gap in gaps)


def test_a_late_sweep_after_an_outage_starts_the_next_speaker_in_full(db, clock):
    group = Group(db, clock, [ROUND])
    group.start()
    clock.advance(90 + 40)  # the server was down for 40 s past Anne's end
    group.sweep()
    assert group.speaker() == "Bo"
    assert group.view()["timer"]["remaining_seconds"] == 90


def test_turn_order_modes_and_alternating_locations(db, clock):
    group = Group(db, clock, [ROUND], names=())
    for name, where in (("Bo", "room"), ("Cecilie", "room"), ("Dan", "remote"), ("Eva", "remote")):
        clock.advance(1)
        actor = group.arrive(name)
        group.people[name] = actor
        sessions.set_location(db, actor, where, clock.now())
    turns.set_alternate(db, group.host, True, clock.now())
    group.start()
    assert group.order() == ["Dan", "Anne", "Eva", "Bo", "Cecilie"]


def test_random_order_uses_everyone_once(db, clock):
    plan = PhasePlan(kind=PhaseKind.ROUND, planned_seconds=300, order_mode=OrderMode.RANDOM)
    group = Group(db, clock, [plan])
    group.start()
    assert sorted(group.order()) == ["Anne", "Bo", "Cecilie", "Dan"]


def test_pass_skip_move_to_end_and_reorder(db, clock):
    group = Group(db, clock, [ROUND, DISCUSS], names=("Bo", "Cecilie", "Dan", "Eva"))
    group.start()
    assert group.speaker() == "Anne"
    turns.pass_turn(db, group.host, clock.now())  # Anne passes her own turn
    assert group.speaker() == "Bo"
    turns.pass_turn(db, group.people["Dan"], clock.now())  # Dan passes before his turn
    assert group.order() == ["Bo", "Cecilie", "Eva"]
    waiting = [t for t in group.view()["turns"] if not t["left_out"]]
    turn_of = {name: t["id"] for name, t in zip(group.order(), waiting, strict=True)}
    turns.move_to_end(db, group.host, turn_of["Bo"], clock.now())
    assert group.speaker() == "Cecilie"
    assert group.order() == ["Cecilie", "Eva", "Bo"]
    turns.reorder(db, group.host, [turn_of["Bo"], turn_of["Eva"]], clock.now())
    assert group.order() == ["Cecilie", "Bo", "Eva"]
    with pytest.raises(DomainError) as bad:
        turns.reorder(db, group.host, [turn_of["Bo"]], clock.now())
    assert bad.value.code == "invalid_order"
    turns.skip_turn(db, group.host, turn_of["Cecilie"], clock.now())
    assert group.speaker() == "Bo"
    with pytest.raises(DomainError) as over:
        turns.skip_turn(db, group.host, turn_of["Cecilie"], clock.now())
    assert over.value.code == "turn_over"


def test_a_latecomer_is_appended_and_a_dropped_speaker_keeps_their_place(db, clock):
    group = Group(db, clock, [ROUND])
    group.start()
    clock.advance(5)
    group.people["Eva"] = group.arrive("Eva")
    assert group.order() == ["Anne", "Bo", "Cecilie", "Dan", "Eva"]
    group.next()
    assert group.speaker() == "Bo"
    events = connections.disconnect(db, "sid-Bo", clock.now())
    assert [e.name for e in events] == ["participant:left", "agenda:updated"]
    timer = group.view()["timer"]
    assert timer["status"] == "paused" and timer["speaker_away"] is True
    clock.advance(300)
    assert group.order() == ["Anne", "Bo", "Cecilie", "Dan", "Eva"]
    service.resume(db, group.host, group.segment, clock.now())
    assert group.view()["timer"]["speaker_away"] is False
    assert group.speaker() == "Bo"


def test_a_dilemma_round_walks_each_presenter_through_the_steps(db, clock):
    group = Group(db, clock, [DILEMMA, CLOSING])
    group.start()
    seen = []
    while group.view()["phases"][0]["status"] == "active":
        view = group.view()
        step = view["phases"][0]["steps"][view["current"]["step_index"]]["key"]
        seen.append((group.speaker(), step))
        clock.advance(view["timer"]["remaining_seconds"])
        group.sweep()
    assert seen == [
        ("Bo", "present"),
        ("Bo", "clarify"),
        ("Bo", "reflect"),
        ("Bo", "respond"),
        ("Cecilie", "present"),
        ("Cecilie", "clarify"),
        ("Cecilie", "reflect"),
        ("Cecilie", "respond"),
    ]  # two presenters, as planned; the facilitator, who runs the round, goes last
    assert group.view()["phases"][1]["status"] == "active"


def test_going_back_restarts_the_segment_before(db, clock):
    group = Group(db, clock, [DISCUSS, DILEMMA])
    group.start()
    with pytest.raises(DomainError) as at_start:
        service.previous_segment(db, group.host, group.segment, clock.now())
    assert at_start.value.code == "no_previous_segment"
    group.next()
    group.next()  # Bo: clarify
    service.previous_segment(db, group.host, group.segment, clock.now())
    view = group.view()
    assert (group.speaker(), view["current"]["step_index"]) == ("Bo", 0)
    assert view["timer"]["remaining_seconds"] == 300
    service.previous_segment(db, group.host, group.segment, clock.now())
    assert group.view()["phases"][0]["status"] == "active"


def test_a_command_for_a_segment_that_has_passed_changes_nothing(db, clock):
    group = Group(db, clock, [ROUND])
    group.start()
    old = group.segment
    clock.advance(91)  # Anne's time ran out; nobody swept yet
    with pytest.raises(DomainError) as err:
        service.next_segment(db, group.host, old, clock.now())
    assert err.value.code == "stale_segment"
    assert err.value.params == {"current": old + 1}


def test_hands_are_ordered_by_server_time(db, clock):
    group = Group(db, clock, [DISCUSS])
    group.start()
    for name in ("Dan", "Bo", "Cecilie"):
        clock.advance(0.3)
        floor.raise_hand(db, group.people[name], clock.now())
    with pytest.raises(DomainError) as twice:
        floor.raise_hand(db, group.people["Bo"], clock.now())
    assert twice.value.code == "hand_already_raised"
    hands = group.view()["hands"]
    names = {a.participant_id: n for n, a in group.people.items()}
    assert [names[h["participant_id"]] for h in hands] == ["Dan", "Bo", "Cecilie"]
    floor.give_word(db, group.host, hands[0]["id"], clock.now())
    floor.give_word(db, group.host, hands[1]["id"], clock.now())
    assert [(names[h["participant_id"]], h["status"]) for h in group.view()["hands"]] == [
        ("Bo", "speaking"),
        ("Cecilie", "raised"),
    ]
    floor.lower_own_hand(db, group.people["Cecilie"], clock.now())
    floor.lower_all_hands(db, group.host, clock.now())
    assert group.view()["hands"] == []


def test_the_hands_a_raise_sends_are_the_hands_as_read_afresh(db, clock):
    """A raise builds the hands from those it read under the lock, with the new one:
    in server-time order like a fresh read, a tie (same instant) by arrival, and a hand
    whose time is earlier than the others (the server's clock stepped back) first."""
    group = Group(db, clock, [DISCUSS])
    group.start()
    sent = []
    for name, step in (("Dan", 1.0), ("Bo", 0.0), ("Cecilie", -5.0)):
        clock.advance(step)
        sent.append(floor.raise_hand(db, group.people[name], clock.now())[-1].payload["hands"])
        assert sent[-1] == group.view()["hands"]
    names = {a.participant_id: n for n, a in group.people.items()}
    assert [names[h["participant_id"]] for h in sent[-1]] == ["Cecilie", "Dan", "Bo"]


def test_a_hand_sends_only_the_hands_not_the_whole_agenda(db, clock):
    group = Group(db, clock, [DISCUSS, CLOSING])
    group.start()
    events = floor.raise_hand(db, group.people["Bo"], clock.now())
    assert [e.name for e in events] == ["hands:updated"]
    assert set(events[0].payload) == {"version", "phase_id", "hands"}
    assert events[0].payload["hands"] == group.view()["hands"]
    assert events[0].payload["phase_id"] == group.view()["current"]["phase_id"]
    hand = group.view()["hands"][0]["id"]
    for change in (
        lambda: floor.give_word(db, group.host, hand, clock.now()),
        lambda: floor.lower_hand(db, group.host, hand, clock.now()),
        lambda: floor.lower_own_hand(db, group.people["Bo"], clock.now()),
        lambda: floor.lower_all_hands(db, group.host, clock.now()),
    ):
        assert [e.name for e in change()] == ["hands:updated"]


def test_a_hand_raised_after_a_time_up_sends_the_whole_agenda(db, clock):
    group = Group(db, clock, [DISCUSS, CLOSING])
    group.start()
    clock.advance(601)  # the discussion's time ran out; nobody swept yet
    events = floor.raise_hand(db, group.people["Bo"], clock.now())
    assert [e.name for e in events] == ["agenda:updated"]
    assert events[0].payload["agenda"] == group.view()


def test_ready_signals_show_only_a_count(db, clock):
    group = Group(db, clock, [DISCUSS])
    group.start()
    floor.set_ready(db, group.people["Bo"], True, clock.now())
    floor.set_ready(db, group.people["Dan"], True, clock.now())
    floor.set_ready(db, group.people["Dan"], True, clock.now())
    view = group.view()
    assert view["ready_count"] == 2

    # The count is all there is to see: no key anywhere names who is ready.
    def keys(value):
        if isinstance(value, dict):
            return [k for key, item in value.items() for k in (key, *keys(item))]
        return [k for item in value for k in keys(item)] if isinstance(value, list) else []

    assert [key for key in keys(view) if "ready" in key] == ["ready_count"]
    assert floor.my_ready(db, group.people["Bo"]) is True
    floor.set_ready(db, group.people["Bo"], False, clock.now())
    assert group.view()["ready_count"] == 1


def test_editing_the_agenda_before_and_during(db, clock):
    group = Group(db, clock, [DISCUSS, CLOSING])
    editing.add_phase(
        db,
        group.host,
        NewPhase(
            kind="break", title="Coffee", minutes=10, advance="auto", order_mode="join", position=1
        ),
        clock.now(),
    )
    titles = [p["title"] for p in group.view()["phases"]]
    assert titles == ["Open floor", "Coffee", "Closing round"]
    ids = [p["id"] for p in group.view()["phases"]]
    editing.move_phase(db, group.host, ids[2], 0, clock.now())
    assert [p["title"] for p in group.view()["phases"]] == ["Closing round", "Open floor", "Coffee"]
    editing.update_phase(
        db,
        group.host,
        PhaseChanges(phase_id=ids[0], minutes=25, prompts=["What is on your plate?"]),
        clock.now(),
    )
    phase = next(p for p in group.view()["phases"] if p["id"] == ids[0])
    assert phase["planned_seconds"] == 1500
    assert phase["prompts"] == [{"text": "What is on your plate?"}]
    group.start()
    with pytest.raises(DomainError) as err:
        editing.remove_phase(db, group.host, ids[2], clock.now())  # the one running now
    assert err.value.code == "phase_not_pending"
    editing.remove_phase(db, group.host, ids[1], clock.now())
    assert [p["title"] for p in group.view()["phases"]] == ["Closing round", "Open floor"]


def test_the_schedule_tells_how_much_is_still_planned(db, clock):
    group = Group(db, clock, [ROUND, DISCUSS])  # 4 speakers x 90 s, then 600 s
    group.start()
    schedule = group.view()["schedule"]
    assert schedule == {"planned_seconds": 960, "after_current_seconds": 3 * 90 + 600}
    service.extend(db, group.host, group.segment, 120, clock.now())
    clock.advance(100)
    # projected end = now + remaining + after_current; 120 s behind plan
    view = group.view()
    projected = 100 + view["timer"]["remaining_seconds"] + view["schedule"]["after_current_seconds"]
    assert projected - schedule["planned_seconds"] == 120


def test_a_cofacilitator_can_run_the_session(db, clock):
    group = Group(db, clock, [DISCUSS, CLOSING])
    group.start()
    bo = group.people["Bo"]
    sessions.set_role(db, group.host, bo.participant_id, Role.COFACILITATOR, clock.now())
    assert connections.actor_for_sid(db, "sid-Bo").role is Role.COFACILITATOR
    with pytest.raises(DomainError):
        sessions.set_role(
            db,
            connections.actor_for_sid(db, "sid-Bo"),
            group.host.participant_id,
            Role.PARTICIPANT,
            clock.now(),
        )
    # The facilitator drops; the timers run on, and the co-facilitator moves on.
    connections.disconnect(db, "sid-host", clock.now())
    service.next_segment(db, connections.actor_for_sid(db, "sid-Bo"), group.segment, clock.now())
    assert group.view()["phases"][1]["status"] == "active"


def test_ending_the_session_stops_the_countdown(db, clock):
    group = Group(db, clock, [DISCUSS])
    group.start()
    events = sessions.end_session(db, group.host, clock.now())
    assert [e.name for e in events] == ["session:ended", "agenda:updated"]
    view = group.view()
    assert view["timer"]["status"] == "idle" and view["finished"] is True
    with pytest.raises(DomainError) as err:
        group.next()
    assert err.value.code == "session_ended"


def test_a_shortened_countdown_can_end_at_once(db, clock):
    group = Group(db, clock, [ROUND])
    group.start()
    clock.advance(10)
    service.extend(db, group.host, group.segment, -30, clock.now())
    assert group.view()["timer"]["remaining_seconds"] == 50
    service.extend(db, group.host, group.segment, -3600, clock.now())
    assert group.speaker() == "Bo"  # Anne's time was taken to zero: auto-advance
    assert group.view()["timer"]["remaining_seconds"] == 90


def test_phase_facts_are_told_as_phases_start_and_end_and_every_event_has_its_own_version(
    db, clock
):
    from server.agenda.models import Phase
    from server.core.bus import PhaseEnded, PhaseStarted, bus
    from server.core.domain import EVENTS, declare_events
    from server.sessions.state import emit

    declare_events("test:phase")
    calls = []

    def subscriber(kind):
        def record(db, fact, now):
            calls.append((kind, db.get(Phase, fact.phase_id).title))
            emit(db, "test:phase", fact.session_id, {})

        return record

    started, ended = subscriber("started"), subscriber("ended")
    bus.subscribe(PhaseStarted, started)
    bus.subscribe(PhaseEnded, ended)
    try:
        group = Group(db, clock, [DISCUSS, ROUND, CLOSING])
        events = group.start()
        events += group.next()  # into the round
        events += group.next()  # Bo's turn: the same phase, no facts
        events += sessions.end_session(db, group.host, clock.now())
    finally:
        bus._subscribers[PhaseStarted].remove(started)
        bus._subscribers[PhaseEnded].remove(ended)
        EVENTS.discard("test:phase")
    assert calls == [
        ("started", "Open floor"),
        ("ended", "Open floor"),
        ("started", "Check-in"),
        ("ended", "Check-in"),
    ]
    versions = [e.payload["version"] for e in events]
    assert versions == list(range(versions[0], versions[0] + len(versions)))
    assert [e.name for e in events][:3] == ["session:started", "test:phase", "agenda:updated"]


def _presenting(group):
    """The round's steps as they run, with the presenter, until the next phase starts."""
    seen = []
    while group.view()["phases"][0]["status"] == "active":
        view = group.view()
        seen.append((group.speaker(), view["phases"][0]["steps"][view["current"]["step_index"]]))
        group.next()
    return [(name, step["key"]) for name, step in seen if step["key"] == "present"]


@pytest.mark.parametrize("how", ["skip", "pass"])
def test_a_presenter_left_out_hands_over_to_the_next_presenters_first_step(db, clock, how):
    group = Group(db, clock, [DILEMMA, CLOSING], names=("Bo", "Cecilie", "Dan", "Eva"))
    group.start()
    assert group.order() == ["Bo", "Cecilie", "Dan", "Eva", "Anne"]  # the facilitator last
    assert group.speaker() == "Bo"
    if how == "skip":
        turns.skip_turn(db, group.host, group.view()["current"]["turn_id"], clock.now())
    else:
        turns.pass_turn(db, group.people["Bo"], clock.now())
    view = group.view()
    assert (group.speaker(), view["current"]["step_index"]) == ("Cecilie", 0)
    marked = {t["participant_id"]: t["presenting"] for t in view["turns"]}
    names = dict(group.people_and_host())
    assert [n for n, a in names.items() if marked[a.participant_id]] == ["Cecilie", "Dan"]
    assert _presenting(group) == [("Cecilie", "present"), ("Dan", "present")]
    assert group.view()["phases"][1]["status"] == "active"


def test_the_facilitator_chooses_the_presenters_and_a_random_order(db, clock):
    group = Group(db, clock, [DILEMMA, CLOSING], names=("Bo", "Cecilie", "Dan", "Eva"))
    group.start()
    turn_of = {n: t["id"] for n, t in zip(group.order(), group.view()["turns"], strict=True)}
    for bad in ([], [turn_of["Eva"], turn_of["Eva"]], [999]):
        with pytest.raises(DomainError) as err:
            turns.choose_presenters(db, group.host, bad, clock.now())
        assert err.value.code == "invalid_presenters"
    # Bo was presenting and is not chosen: Eva starts at once, then Anne; three in all.
    turns.choose_presenters(
        db, group.host, [turn_of["Eva"], turn_of["Anne"], turn_of["Dan"]], clock.now()
    )
    assert (group.speaker(), group.view()["current"]["step_index"]) == ("Eva", 0)
    assert group.order() == ["Eva", "Anne", "Dan", "Bo", "Cecilie"]
    assert [t["presenting"] for t in group.view()["turns"]] == [True] * 3 + [False] * 2
    turns.shuffle(db, group.host, clock.now())
    assert group.order()[0] == "Eva" and sorted(group.order()[1:]) == [
        "Anne",
        "Bo",
        "Cecilie",
        "Dan",
    ]
    order = zip(group.order(), group.view()["turns"], strict=True)
    presenters = [name for name, turn in order if turn["presenting"]]
    assert _presenting(group) == [(name, "present") for name in presenters]


def test_presenters_are_chosen_only_in_a_dilemma_round(db, clock):
    group = Group(db, clock, [ROUND])
    group.start()
    with pytest.raises(DomainError) as err:
        turns.choose_presenters(db, group.host, [group.view()["turns"][0]["id"]], clock.now())
    assert err.value.code == "not_a_dilemma_round"
