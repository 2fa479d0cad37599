"""The pulse, without sockets: scoring with reverse items, k and differencing, the trend,
and what the database keeps once a pulse closes."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from server.accounts import service as accounts
from server.agenda import service as agenda
from server.agenda.models import Advance, PhaseKind
from server.agenda.service import PhasePlan
from server.agenda.view import agenda_view
from server.config import ConfigError, load_settings
from server.core import personal
from server.core.summary import Reader, sections
from server.pulse import service
from server.pulse.models import Pulse, PulseCount, PulseTag
from server.pulse.scoring import result
from server.pulse.service import Responder
from server.sessions import service as sessions
from server.sessions.models import PeerSession
from tests.agenda_support import DISCUSS
from tests.board_support import code_of
from tests.factories import (
    PASSWORD,
    PASSWORDS,
    SECRET,
    actor_of,
    create_session,
    join,
    pass_for,
    set_agenda,
    sign_up,
)

PULSE = PhasePlan(kind=PhaseKind.PULSE, planned_seconds=300, advance=Advance.MANUAL)
ALL_FOURS = [4] * 7


class Pulsed:
    """A session whose agenda opens with a pulse phase, and people who can answer it."""

    def __init__(self, db, clock, people: int, **overrides):  # type: ignore[no-untyped-def]
        self.db, self.clock = db, clock
        created = create_session(db, clock, **overrides)
        self.session_id, self.group_id = created.session.id, created.session.group_id
        set_agenda(db, self.session_id, [PULSE, DISCUSS])
        self.host = actor_of(sessions.authenticate(db, created.facilitator_token))
        self.people = []
        for index in range(people):
            joined = join(db, clock, created.session.join_code, display_name=f"Person {index}")
            actor = actor_of(sessions.authenticate(db, joined.token))
            self.people.append(Responder(actor, personal.derive(joined.token)))
        sessions.start_session(db, self.host, clock.now())

    def answer(self, who: Responder, answers: list[int]):  # type: ignore[no-untyped-def]
        return service.answer(self.db, who, answers, self.clock.now())

    def snapshot(self, actor=None):  # type: ignore[no-untyped-def]
        return sessions.snapshot(self.db, actor or self.host, self.clock.now())["pulse"]

    def segment(self) -> int:
        return int(agenda_view(self.db, self.session_id, self.clock.now())["segment"])

    def close(self) -> None:
        agenda.next_segment(self.db, self.host, self.segment(), self.clock.now())

    def end(self) -> None:
        sessions.end_session(self.db, self.host, self.clock.now())


def test_the_score_turns_reverse_statements_and_averages_over_people():
    statements = [{"key": f"s{i}", "reverse": i in (1, 3, 5)} for i in range(7)]
    people = [[7, 1, 7, 1, 7, 1, 7], [4, 4, 4, 4, 4, 4, 4], [1, 7, 1, 7, 1, 7, 1]]
    counts: dict[tuple[int, int], int] = {}
    for answers in people:
        for index, value in enumerate(answers):
            counts[index, value] = counts.get((index, value), 0) + 1
    found = result(statements, counts)
    # Person 1 scores 7 everywhere (reverse 1 -> 7), person 2 four, person 3 one: mean 4.
    assert found["score"] == 4.0 and found["answered"] == 3
    assert found["statements"][0]["counts"] == [1, 0, 0, 1, 0, 0, 1]
    assert found["statements"][1]["mean"] == 4.0 and found["statements"][1]["reverse"]
    one = result(statements, {(i, v): 1 for i, v in enumerate([7, 1, 7, 1, 7, 1, 6])})
    assert one["score"] == round((7 * 6 + 6) / 7, 2)


def test_the_content_marks_three_of_seven_statements_reverse():
    found = service.statements()
    assert len(found) == 7
    assert sum(s["reverse"] for s in found) == 3


def test_a_pulse_phase_opens_takes_answers_once_and_shows_only_how_many(db, clock):
    room = Pulsed(db, clock, people=4)
    opened = room.snapshot()
    assert opened["status"] == "open" and opened["answered"] == 0 and opened["result"] is None
    room.answer(room.people[0], [1, 2, 3, 4, 5, 6, 7])
    assert service.has_answered(db, room.people[0])
    assert not service.has_answered(db, room.people[1])
    assert code_of(room.answer, room.people[0], ALL_FOURS) == "pulse_already_answered"
    assert code_of(room.answer, room.people[1], [4] * 6) == "invalid_payload"
    assert code_of(room.answer, room.people[1], [0, 4, 4, 4, 4, 4, 4]) == "invalid_payload"
    seen = room.snapshot(room.people[1].actor)
    assert seen == room.snapshot() and seen["answered"] == 1 and seen["result"] is None


def test_a_host_answers_once_however_many_devices_they_sign_in_on(db, clock):
    """Each login has its own pass, so its own connection key: were the tag keyed by it,
    a facilitator signed in three times could give three of the k answers."""
    anne = sign_up(db, clock)
    room = Pulsed(db, clock, people=0, host=anne)
    created_pass = pass_for(db, clock, anne, _session(db, room.session_id))[0]
    other_login = accounts.sign_in(
        db, PASSWORDS, email=anne.account.email, password=PASSWORD, now=clock.now(), login_days=30
    )
    other_pass, _ = pass_for(db, clock, other_login, _session(db, room.session_id))
    assert other_pass != created_pass
    on_laptop, on_phone = (
        service.responder(
            db, actor_of(sessions.authenticate(db, token)), personal.derive(token), SECRET
        )
        for token in (created_pass, other_pass)
    )
    room.answer(on_laptop, ALL_FOURS)
    assert service.has_answered(db, on_phone)
    assert code_of(room.answer, on_phone, ALL_FOURS) == "pulse_already_answered"
    assert room.snapshot()["answered"] == 1


def _session(db, session_id):  # type: ignore[no-untyped-def]
    return db.get_one(PeerSession, session_id)


def test_no_result_below_k_and_no_view_at_k_minus_one_to_subtract(db, clock):
    """k-1 answers: nothing, ever. Every view of that pulse, open or closed, says only how
    many answered, so a later pulse's result at k has nothing to be subtracted from."""
    below = Pulsed(db, clock, people=4)
    assert service.current_pulse(db, below.session_id).k == 4
    views = [below.snapshot()]
    for person in below.people[:3]:
        events = below.answer(person, [7, 7, 7, 7, 7, 7, 7])
        views += [event.payload["pulse"] for event in events]
        views.append(below.snapshot())
    closing = service.close_pulse(db, below.session_id, clock.now())
    views += [event.payload["pulse"] for event in closing] + [below.snapshot()]
    assert all(view["result"] is None for view in views)
    assert {key for view in views for key in view} == {
        "id", "status", "k", "answered", "statements", "result"
    }  # fmt: skip
    # The counts went with the close: nothing below k is kept to be shown later.
    pulse_id = views[0]["id"]
    assert db.scalars(select(PulseCount).where(PulseCount.pulse_id == pulse_id)).all() == []
    # Closed for good: the k-th answer comes too late, and no summary shows a result.
    assert code_of(below.answer, below.people[3], ALL_FOURS) == "pulse_not_open"
    below.end()
    [section] = [s for s in sections(db, Reader(below.session_id, None, "en")) if s.key == "pulse"]
    assert section.data["pulses"] == [{"k": 4, "answered": 3, "result": None}]
    assert section.markdown == ["Fewer than 4 answered: no result."]

    at_k = Pulsed(db, clock, people=4)
    for person in at_k.people:
        at_k.answer(person, ALL_FOURS)
        assert at_k.snapshot()["result"] is None  # not while open, at any count
    at_k.close()
    shown = at_k.snapshot()
    assert shown["status"] == "closed" and shown["result"]["score"] == 4.0
    assert shown["result"]["statements"][0]["counts"] == [0, 0, 0, 4, 0, 0, 0]


def test_going_back_to_a_closed_pulse_phase_does_not_reopen_it(db, clock):
    room = Pulsed(db, clock, people=4)
    for person in room.people[:3]:
        room.answer(person, ALL_FOURS)
    room.close()
    agenda.previous_segment(db, room.host, room.segment(), clock.now())
    assert room.snapshot()["status"] == "closed"
    assert db.scalar(select(Pulse.salt).where(Pulse.session_id == room.session_id)) is None
    assert code_of(room.answer, room.people[3], ALL_FOURS) == "pulse_not_open"


def test_after_close_the_database_ties_no_answer_to_anyone(db, clock):
    room = Pulsed(db, clock, people=5)
    for index, person in enumerate(room.people):
        room.answer(person, [index % 7 + 1] * 7)
    assert len(db.scalars(select(PulseTag)).all()) == 5
    room.end()
    pulse = db.scalars(select(Pulse).where(Pulse.session_id == room.session_id)).one()
    assert pulse.salt is None and pulse.visible
    assert db.scalars(select(PulseTag).where(PulseTag.pulse_id == pulse.id)).all() == []
    # Every column is one reviewed here: none names a person, connection or time of answer
    # (a new column fails this until it is reviewed, and docs/anonymity.md says what it holds).
    assert {c.name for c in Pulse.__table__.columns} == {
        "id", "session_id", "phase_id", "statements", "status", "k", "answered", "visible",
        "salt", "opened_at", "closed_at",
    }  # fmt: skip
    assert {c.name for c in PulseCount.__table__.columns} == {
        "pulse_id", "statement", "value", "count"
    }  # fmt: skip
    # The 49 counters were all made when the pulse opened: none was born with an answer.
    counts = db.scalars(select(PulseCount).where(PulseCount.pulse_id == pulse.id)).all()
    assert len(counts) == 49 and sum(c.count for c in counts) == 5 * 7
    # Even their own key no longer finds them: the salt is gone.
    assert not service.has_answered(db, room.people[0])


def test_the_trend_follows_the_groups_closed_pulses_with_a_result(db, clock):
    first = Pulsed(db, clock, people=4)
    for person in first.people:
        first.answer(person, [3, 5, 3, 5, 3, 5, 3])  # reverse at 1, 3, 5: all score 3
    first.end()
    clock.advance(7 * 86400)
    second = Pulsed(db, clock, people=4, group_id=first.group_id)
    for person in second.people[:3]:
        second.answer(person, ALL_FOURS)
    second.end()  # below k: no point
    clock.advance(7 * 86400)
    third = Pulsed(db, clock, people=4, group_id=first.group_id)
    for person in third.people:
        third.answer(person, [6, 2, 6, 2, 6, 2, 6])
    third.close()
    other = Pulsed(db, clock, people=4)  # another group's
    for person in other.people:
        other.answer(person, [1] * 7)
    other.end()

    points = service.trend(db, third.session_id)
    assert [(p.session_id, p.score, p.answered) for p in points] == [
        (first.session_id, 3.0, 4),
        (third.session_id, 6.0, 4),
    ]
    assert points[0].date < points[1].date
    assert [p.session_id for p in service.trend(db, other.session_id)] == [other.session_id]

    from server.pulse.chart import trend_svg

    svg = trend_svg(points, "da")
    assert svg.startswith("<svg") and "<script" not in svg and "<style" not in svg
    assert "style=" not in svg and svg.count("<circle") == 2
    assert "Psykologisk tryghed" in svg


@pytest.mark.parametrize(("value", "ok"), [("3", True), ("4", True), ("2", False), ("x", False)])
def test_k_is_a_validated_setting_never_below_three(value, ok):
    environ = {"HOLDSPORT_ENV": "test", "HOLDSPORT_PULSE_MIN_ANSWERS": value}
    if ok:
        assert load_settings(environ).pulse_min_answers == int(value)
    else:
        with pytest.raises(ConfigError):
            load_settings(environ)
    assert load_settings({"HOLDSPORT_ENV": "test"}).pulse_min_answers == 4


def test_the_summary_shows_the_score_and_every_statements_distribution(db, clock):
    room = Pulsed(db, clock, people=4)
    for person in room.people:
        room.answer(person, [7, 1, 7, 1, 7, 1, 7])
    room.end()
    for language, words in (("en", "Group score 7.0 of 7"), ("da", "7,0")):
        [section] = [
            s for s in sections(db, Reader(room.session_id, None, language)) if s.key == "pulse"
        ]
        assert words in section.markdown[0]
        assert len([row for row in section.rows if row[0] == "statement"]) == 7
        assert section.data["pulses"][0]["result"]["score"] == 7.0


def test_a_format_may_hold_a_pulse_phase_and_only_statements_are_reversed():
    from marshmallow import ValidationError

    from server.content.schemas import FormatFile, ItemFile

    phase = {"key": "pulse", "kind": "pulse", "title": "Pulse", "advance": "manual", "minutes": 5}
    loaded = FormatFile().load(
        {"key": "x", "title": "X", "summary": "S", "audience": "A", "phases": [phase]}
    )
    assert loaded["phases"][0]["kind"] == "pulse"
    with pytest.raises(ValidationError):
        ItemFile().load({"key": "q", "kind": "question", "text": "Why?", "reverse": True})
