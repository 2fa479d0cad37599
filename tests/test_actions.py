"""Actions tagged by IGLO level (server/actions): recorded in a session, carried into the
group's next session (and no other group's), followed up there, in the summary, and
forgotten as docs/privacy.md says. Domain tests: no sockets."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from server.actions import service
from server.actions.models import Action, ActionStatus, FollowUp
from server.actions.schemas import ActionArgs, EditActionArgs, FollowUpArgs, FromPostsArgs
from server.actions.state import open_actions_of_group
from server.actions.summary import actions_section, follow_up_section
from server.agenda import service as agenda
from server.agenda.formats import plans_copied_from, plans_for
from server.agenda.models import PhaseKind
from server.agenda.view import agenda_view
from server.board import curation
from server.board import service as boards
from server.core.domain import Actor, Role
from server.core.errors import DomainError
from server.core.summary import Reader
from server.core.validation import load_args
from server.sessions import service as sessions
from server.sessions.retention import delete_session, expire_due_content
from server.summary.service import build_summary, export_summary
from tests.agenda_support import DISCUSS, Group
from tests.board_support import code_of, make_room, replay
from tests.factories import create_session, join, set_agenda

# The IGLO format's board phase, as its agenda has it: one column per level, in order.
IGLO_COLUMNS = next(p.board_prompts for p in plans_for("iglo") if p.kind is PhaseKind.BOARD)


def invalid(schema, payload) -> bool:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError) as err:
        load_args(schema, payload)
    return err.value.code == "invalid_payload"


class Meeting(Group):
    """A session of a group (a new group unless `group_id`), with Bo and Cecilie."""

    def __init__(self, db, clock, group_id=None):  # type: ignore[no-untyped-def]
        self.db, self.clock = db, clock
        created = create_session(db, clock, group_id=group_id)
        self.session_id = created.session.id
        self.group_id = created.session.group_id
        self.code = created.session.join_code
        set_agenda(db, self.session_id, [DISCUSS])
        self.host = self.connect(created.facilitator_token, f"sid-host-{self.session_id}")
        self.people = {}
        for name in ("Bo", "Cecilie"):
            joined = join(db, clock, self.code, display_name=name)
            self.people[name] = self.connect(joined.token, f"sid-{name}-{self.session_id}")
        self.events: list = []

    def add(self, text, level="individual", who=None, **more):  # type: ignore[no-untyped-def]
        args = load_args(ActionArgs(), {"text": text, "level": level, **more})
        self.events += service.add_action(self.db, who or self.host, args, self.clock.now())
        return self.db.scalars(select(Action).order_by(Action.id.desc())).first()

    def follow(self, action_id, outcome, who=None):  # type: ignore[no-untyped-def]
        args = load_args(FollowUpArgs(), {"action_id": action_id, "outcome": outcome})
        return service.follow_up(
            self.db, who or self.host, args.action_id, args.outcome, self.clock.now()
        )

    def part(self):  # type: ignore[no-untyped-def]
        return sessions.snapshot(self.db, self.host, self.clock.now())["actions"]

    def end(self):  # type: ignore[no-untyped-def]
        return sessions.end_session(self.db, self.host, self.clock.now())

    def kinds(self):  # type: ignore[no-untyped-def]
        return [
            p["kind"] for p in agenda_view(self.db, self.session_id, self.clock.now())["phases"]
        ]

    def reader(self, language="en"):  # type: ignore[no-untyped-def]
        return Reader(self.session_id, self.host.participant_id, language)


def test_actions_are_recorded_with_level_owner_and_date_and_no_author(db, clock):
    meeting = Meeting(db, clock)
    bo = meeting.people["Bo"]
    meeting.add(
        "Ask HR for the APV results", "organisation", who=bo, owner="group", due="2026-12-14"
    )
    meeting.add(
        "Talk to each of my people", "leader", who=bo, owner="person", owner_id=bo.participant_id
    )
    meeting.add("Say no more often", "individual")
    recorded = meeting.part()["recorded"]
    assert [(a["level"], a["text"], a["owner"], a["due"], a["status"]) for a in recorded] == [
        ("organisation", "Ask HR for the APV results", {"kind": "group"}, "2026-12-14", "open"),
        (
            "leader",
            "Talk to each of my people",
            {"kind": "person", "name": "Bo", "participant_id": bo.participant_id},
            None,
            "open",
        ),
        ("individual", "Say no more often", None, None, "open"),
    ]
    # Nothing says who wrote them: Bo wrote the first, owned by the group.
    first = db.scalars(select(Action).order_by(Action.id)).first()
    assert first.owner_participant_id is None and first.owner_name is None
    assert "creator" not in " ".join(Action.__table__.columns.keys())
    assert meeting.events and all(e.name == "actions:updated" for e in meeting.events)


def test_carried_into_the_groups_next_session_and_no_other_group(db, clock):
    first = Meeting(db, clock)
    first.start()
    kept = first.add("Weekly check-ins", "group", owner="group")
    first.add("One-to-ones", "leader", due="2027-01-10")
    first.end()
    clock.advance(3600)
    planned = Meeting(db, clock, group_id=first.group_id)  # planned before a late action
    other = Meeting(db, clock)
    late = Meeting(db, clock, group_id=first.group_id)
    late.start()
    late.add("Recorded after the next session was planned", "individual")
    late.end()

    running = Meeting(db, clock, group_id=first.group_id)
    running.start()
    running.add("Still being written in a session that runs", "group")
    assert planned.part()["carried"] == []  # not before it starts
    events = planned.start()
    assert [p["kind"] for p in agenda_view(db, planned.session_id, clock.now())["phases"]] == [
        "follow_up",
        "discussion",
    ]
    view = agenda_view(db, planned.session_id, clock.now())
    assert view["current"]["phase_id"] == view["phases"][0]["id"]
    carried = planned.part()["carried"]
    assert [(a["text"], a["outcome"]) for a in carried] == [
        ("Weekly check-ins", None),
        ("One-to-ones", None),
        ("Recorded after the next session was planned", None),
    ]
    assert carried[0]["id"] == kept.id
    assert "actions:updated" in [e.name for e in events]

    other.start()
    assert other.kinds() == ["discussion"]
    assert other.part()["carried"] == []
    # The group's page lists them; the other group's lists none.
    listed = open_actions_of_group(db, first.group_id)
    assert [(a["text"], a["session_title"]) for a in listed][:2] == [
        ("Weekly check-ins", "Ledergruppen i Nordhavn"),
        ("One-to-ones", "Ledergruppen i Nordhavn"),
    ]
    assert len(listed) == 4 and open_actions_of_group(db, other.group_id) == []


def test_the_follow_up_closes_or_keeps_actions_and_lands_in_the_summary(db, clock):
    first = Meeting(db, clock)
    first.start()
    done = first.add("Weekly check-ins", "group", owner="group")
    kept = first.add("One-to-ones", "leader", due="2027-01-10")
    dropped = first.add("A new survey", "organisation")
    silent = first.add("Nobody mentions this one", "individual")
    first.end()
    second = Meeting(db, clock, group_id=first.group_id)
    second.start()
    second.follow(done.id, "continue")
    second.follow(done.id, "done")  # a change of mind while the phase lasts
    second.follow(kept.id, "continue")
    second.follow(dropped.id, "drop")
    assert [a["outcome"] for a in second.part()["carried"]] == ["done", "continue", "drop", None]
    assert (done.status, done.closed_session_id) == (ActionStatus.DONE, second.session_id)
    assert (dropped.status, kept.status) == (ActionStatus.DROPPED, ActionStatus.OPEN)
    second.end()

    section = follow_up_section(db, second.reader("en"))
    assert section is not None and section.heading == "Follow-up on actions"
    assert [(a["text"], a["outcome"]) for a in section.data["actions"]] == [
        ("Weekly check-ins", "done"),
        ("One-to-ones", "continue"),
        ("A new survey", "drop"),
        ("Nobody mentions this one", None),
    ]
    assert section.markdown[0] == "- Group: Weekly check\\-ins (The group): **Done**"
    assert section.rows[1] == ["Leader", "One-to-ones", "", "2027-01-10", "Open", "Continue"]
    danish = follow_up_section(db, second.reader("da"))
    assert danish is not None and danish.heading != section.heading
    assert danish.rows[0][0] != "Group" and danish.rows[0][-1] != "Done"
    assert follow_up_section(db, first.reader()) is None
    # The whole summary: the agenda names the follow-up phase, the exports carry outcomes.
    whole = build_summary(db, second.host)
    agenda_rows = next(s for s in whole["sections"] if s["key"] == "agenda")["data"]
    assert "follow_up" in [s["key"] for s in whole["sections"]]
    first_phase = agenda_rows["phases"][0]  # the host reads Danish
    assert (first_phase["kind"], first_phase["kind_name"]) == (
        "follow_up",
        "Opfølgning på handlinger",
    )
    markdown = export_summary(db, second.host, "markdown")["content"]
    assert "Weekly check\\-ins" in markdown and "A new survey" in markdown

    third = Meeting(db, clock, group_id=first.group_id)
    third.start()
    # Continued and unanswered ones are carried again; done and dropped ones are not.
    assert [a["id"] for a in third.part()["carried"]] == [kept.id, silent.id]


def test_the_actions_summary_groups_by_level_in_the_readers_language(db, clock):
    meeting = Meeting(db, clock)
    bo = meeting.people["Bo"]
    meeting.add("Ask the top for support", "organisation", due="2026-12-14")
    meeting.add("Say no more often", "individual", owner="person", owner_id=bo.participant_id)
    meeting.add("Help each other", "group", owner="group")
    section = actions_section(db, meeting.reader("en"))
    assert section is not None and section.key == "actions"
    assert [level["level"] for level in section.data["levels"]] == [
        "individual",
        "group",
        "organisation",
    ]
    assert section.markdown == [
        "### Individual",
        "",
        "- Say no more often (Bo)",
        "",
        "### Group",
        "",
        "- Help each other (The group)",
        "",
        "### Organisation",
        "",
        "- Ask the top for support (14 Dec 2026)",
    ]
    assert section.rows[2] == ["Organisation", "Ask the top for support", "", "2026-12-14", "Open"]
    danish = actions_section(db, meeting.reader("da"))
    assert danish is not None
    assert [level["name"] for level in danish.data["levels"]] == [
        "Individ",
        "Gruppe",
        "Organisation",
    ]
    assert danish.markdown[6] == "- Help each other (Gruppen)"
    assert "dec." in danish.markdown[-1]


def test_the_follow_up_only_in_its_phase_and_only_by_hosts(db, clock):
    first = Meeting(db, clock)
    action = first.add("Weekly check-ins", "group")
    first.end()
    second = Meeting(db, clock, group_id=first.group_id)
    assert code_of(second.follow, action.id, "done") == "not_in_follow_up"  # not started
    second.start()
    assert code_of(second.follow, action.id, "done", who=second.people["Bo"]) == "forbidden"
    assert code_of(second.follow, action.id + 999, "done") == "action_not_found"
    own = second.add("Recorded here", "individual")
    assert code_of(second.follow, own.id, "done") == "action_not_found"  # not carried in
    second.next()  # on to the discussion
    assert code_of(second.follow, action.id, "done") == "not_in_follow_up"
    assert action.status is ActionStatus.OPEN  # unanswered at the end: still open


def test_who_may_add_edit_and_delete(db, clock):
    meeting = Meeting(db, clock)
    bo, cecilie = meeting.people["Bo"], meeting.people["Cecilie"]
    action = meeting.add("Say no more often", "individual", who=bo)
    edit = {"action_id": action.id, "text": "Say no", "level": "leader", "owner": "group"}
    service.edit_action(db, cecilie, load_args(EditActionArgs(), edit), clock.now())
    assert (action.text, action.level.value, action.owner_kind.value) == (
        "Say no",
        "leader",
        "group",
    )
    assert code_of(service.delete_action, db, bo, action.id, clock.now()) == "forbidden"
    display = Actor(meeting.session_id, Role.DISPLAY, None, "da")
    args = load_args(ActionArgs(), {"text": "x", "level": "group"})
    assert code_of(service.add_action, db, display, args, clock.now()) == "forbidden"
    # An owner is a person of this session, never someone of another.
    other = Meeting(db, clock)
    stranger = {
        "text": "x",
        "level": "group",
        "owner": "person",
        "owner_id": other.host.participant_id,
    }
    assert code_of(service.add_action, db, bo, load_args(ActionArgs(), stranger), clock.now()) == (
        "unknown_participant"
    )
    # A carried action is not this session's to edit or delete.
    meeting.end()
    assert code_of(service.add_action, db, bo, args, clock.now()) == "session_ended"
    later = Meeting(db, clock, group_id=meeting.group_id)
    later.start()
    foreign = load_args(EditActionArgs(), {**edit, "text": "Changed"})
    assert code_of(service.edit_action, db, later.people["Bo"], foreign, clock.now()) == (
        "action_not_found"
    )
    assert code_of(service.delete_action, db, later.host, action.id, clock.now()) == (
        "action_not_found"
    )
    own = later.add("Mine", "group")
    service.delete_action(db, later.host, own.id, clock.now())
    assert db.get(Action, own.id) is None


@pytest.mark.parametrize(
    "payload",
    [
        {"text": "", "level": "group"},
        {"text": "   ", "level": "group"},
        {"text": "x" * 281, "level": "group"},
        {"text": "a\nb", "level": "group"},
        {"text": "x", "level": "team"},
        {"text": "x"},
        {"text": "x", "level": "group", "owner": "person"},
        {"text": "x", "level": "group", "owner": "someone"},
        {"text": "x", "level": "group", "due": "next week"},
        {"text": "x", "level": "group", "due": "1900-01-01"},
        {"text": "x", "level": "group", "creator": 3},
        {"text": 5, "level": "group"},
    ],
)
def test_invalid_input_is_refused_and_changes_nothing(db, clock, payload):
    meeting = Meeting(db, clock)
    before = meeting.part()
    assert invalid(ActionArgs(), payload)
    assert meeting.part() == before and db.scalar(select(Action.id)) is None


def test_invalid_follow_ups_and_limits(db, clock):
    for payload in ({"action_id": 1, "outcome": "maybe"}, {"action_id": "1", "outcome": "done"}):
        assert invalid(FollowUpArgs(), payload)
    assert invalid(FromPostsArgs(), {"post_ids": ["x"] * 51})
    assert invalid(FromPostsArgs(), {"post_ids": ["not an id!"]})
    meeting = Meeting(db, clock)
    for index in range(service.MAX_ACTIONS):
        meeting.add(f"Action {index}", "group")
    assert code_of(meeting.add, "One too many", "group") == "action_limit_reached"


def test_posts_of_the_iglo_board_become_actions_of_their_columns_level(db, clock):
    room = make_room(db, clock, people=3)
    room.open(prompts=IGLO_COLUMNS, threshold=2)
    for index, person in enumerate(room.people):
        room.post(person, f"Post in column {index}", prompt=index)
    room.post(room.people[0], "For the organisation", prompt=3)
    room.record(boards.reveal_board(db, room.host, room.now))
    posts = room.snapshot(room.host)["board"]["posts"]
    hidden = next(p for p in posts if p["text"] == "Post in column 0")
    curation.hide_post(db, room.host, post_id=hidden["id"], now=room.now)
    before = room.snapshot(room.host)

    bo = room.people[0].actor
    assert code_of(service.actions_from_posts, db, bo, None, None, room.now) == "forbidden"
    added, events = service.actions_from_posts(db, room.host, None, None, room.now)
    room.record(events)
    recorded = room.snapshot(room.host)["actions"]["recorded"]
    assert added == 3 and sorted((a["level"], a["text"]) for a in recorded) == [
        ("group", "Post in column 1"),
        ("leader", "Post in column 2"),
        ("organisation", "For the organisation"),
    ]
    assert all(a["from_post"] and a["owner"] is None for a in recorded)
    assert service.actions_from_posts(db, room.host, None, None, room.now) == (0, [])  # once
    assert code_of(service.actions_from_posts, db, room.host, [hidden["id"]], None, room.now) == (
        "post_not_found"
    )
    # Snapshot + events = a fresh snapshot.
    state = replay(before, events)
    fresh = room.snapshot(room.host)
    assert state["actions"] == fresh["actions"] and state["version"] == fresh["version"]


def test_posts_of_another_board_need_a_level(db, clock):
    room = make_room(db, clock, people=3)
    room.open(threshold=2)
    for person in room.people[:2]:
        room.post(person, "Do the thing")
    room.record(boards.reveal_board(db, room.host, room.now))
    post_id = room.snapshot(room.host)["board"]["posts"][0]["id"]
    assert code_of(service.actions_from_posts, db, room.host, [post_id], None, room.now) == (
        "action_level_needed"
    )
    added, _ = service.actions_from_posts(db, room.host, [post_id], "leader", room.now)
    assert added == 1
    assert room.snapshot(room.host)["actions"]["recorded"][0]["level"] == "leader"


def test_replaying_action_events_gives_the_fresh_snapshot(db, clock):
    first = Meeting(db, clock)
    carried = first.add("Weekly check-ins", "group")
    first.end()
    second = Meeting(db, clock, group_id=first.group_id)
    bo = second.people["Bo"]
    state = sessions.snapshot(db, bo, clock.now())
    events = list(second.start())
    events += second.follow(carried.id, "done")
    second.add("Say no", "individual", owner="person", owner_id=bo.participant_id)
    events += second.events
    edit = {"action_id": second.events[-1].payload["actions"]["recorded"][0]["id"]}
    edit.update(text="Say no twice", level="individual", owner="group", due="2027-02-01")
    events += service.edit_action(db, bo, load_args(EditActionArgs(), edit), clock.now())
    state = replay(state, sorted(events, key=lambda e: e.payload["version"]))
    fresh = sessions.snapshot(db, bo, clock.now())
    assert state["actions"] == fresh["actions"] and state["version"] == fresh["version"]
    assert fresh["actions"]["carried"][0]["status"] == "done"


def test_a_copied_agenda_leaves_the_follow_up_behind(db, clock):
    first = Meeting(db, clock)
    first.add("Weekly check-ins", "group")
    first.end()
    second = Meeting(db, clock, group_id=first.group_id)
    second.start()
    assert second.kinds() == ["follow_up", "discussion"]
    assert [p.kind for p in plans_copied_from(db, second.session_id)] == [PhaseKind.DISCUSSION]
    agenda.add_follow_up(db, second.session_id, 3)  # at most one
    assert second.kinds() == ["follow_up", "discussion"]


def test_retention_open_actions_stay_with_the_group_closed_ones_go_with_their_session(db, clock):
    first = Meeting(db, clock)
    kept = first.add(
        "Still open", "group", owner="person", owner_id=first.people["Bo"].participant_id
    )
    closed = first.add("Closed next time", "leader")
    first.end()
    clock.advance(3600)
    second = Meeting(db, clock, group_id=first.group_id)
    second.start()
    second.follow(closed.id, "done")
    second.follow(kept.id, "continue")
    second.end()
    kept_id, closed_id = kept.id, closed.id

    clock.advance(timedelta(days=30).total_seconds() - 1800)
    assert expire_due_content(db, clock.now(), 30) == [first.session_id]
    assert {a.id for a in db.scalars(select(Action))} == {kept_id, closed_id}
    clock.advance(3600)
    assert expire_due_content(db, clock.now(), 30) == [second.session_id]
    # What was said in the second session goes: its follow-ups, the action it closed.
    assert [a.id for a in db.scalars(select(Action))] == [kept_id]
    assert db.scalar(select(FollowUp.action_id)) is None
    third = Meeting(db, clock, group_id=first.group_id)
    third.start()
    assert [a["text"] for a in third.part()["carried"]] == ["Still open"]

    delete_session(db, first.session_id, clock.now())  # every action recorded in it goes
    assert db.scalar(select(Action.id)) is None and db.scalar(select(FollowUp.action_id)) is None
    assert third.part()["carried"] == []


def test_deleting_the_session_that_closed_an_action_deletes_it(db, clock):
    first = Meeting(db, clock)
    closed = first.add("Closed next time", "leader")
    open_one = first.add("Still open", "leader")
    first.end()
    second = Meeting(db, clock, group_id=first.group_id)
    second.start()
    second.follow(closed.id, "drop")
    second.add("Recorded in the second", "group")
    open_id = open_one.id
    delete_session(db, second.session_id, clock.now())
    assert [a.id for a in db.scalars(select(Action))] == [open_id]
