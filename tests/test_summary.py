"""The summary of an ended session and its exports, in English and Danish, without sockets."""

from __future__ import annotations

import csv
import io
import json

import pytest

from server.agenda import titles
from server.agenda.models import PhaseKind
from server.agenda.summary import KIND_NAMES
from server.core.domain import Actor, Role
from server.summary import service
from server.summary.exports import safe_cell
from tests.agenda_support import DILEMMA, DISCUSS, Group
from tests.board_support import code_of
from tests.factories import create_session, join
from tests.summary_support import (
    ANONYMOUS_POSTS,
    HIDDEN_POST,
    NAMED_POST,
    PRIVATE_TITLE,
    SHARED_TITLE,
    run_full_session,
)

PEOPLE = ("Anne", "Bodil", "Cecilie", "Dorte", "Region Øst")  # names and organisation


@pytest.fixture
def ended(db, clock):
    return run_full_session(db, clock)


def sections_of(summary):
    return {section["key"]: section for section in summary["sections"]}


def as_language(actor: Actor, language: str) -> Actor:
    return Actor(actor.session_id, actor.role, actor.participant_id, language)


def check_the_agenda_as_run_with_planned_and_actual_minutes(db, ended):
    summary = service.build_summary(db, ended.people["Bodil"])
    assert summary["title"] == "Nordhavn = leaders" and summary["language"] == "en"
    assert summary["started_at"] and summary["ended_at"]
    assert [s["key"] for s in summary["sections"]] == ["agenda", "board", "dilemmas"]
    agenda = sections_of(summary)["agenda"]
    assert agenda["heading"] == "The agenda as run"
    phases = agenda["data"]["phases"]
    assert [p["kind"] for p in phases] == [
        "round", "dilemma_round", "discussion", "board", "board", "break"
    ]  # fmt: skip
    assert [p["planned_minutes"] for p in phases] == [5, 10, 10, 10, 10, 5]
    # 4 people each spoke 200 s in the round; two presenters with two steps each.
    assert [p["actual_minutes"] for p in phases] == [13, 13, 3, 3, 4, None]
    assert [p["skipped"] for p in phases] == [False] * 5 + [True]
    assert agenda["data"]["planned_minutes"] == 50
    assert agenda["data"]["actual_minutes"] == 36
    assert any("Skipped" in line and "Coffee" in line for line in agenda["markdown"])


def check_danish_reader_gets_everything_in_danish(db, ended):
    summary = service.build_summary(db, ended.people["Cecilie"])
    assert summary["language"] == "da"
    headings = [s["heading"] for s in summary["sections"]]
    assert headings == ["Dagsordenen, som den gik", "Tavlen", "Dilemmaer"]
    agenda = sections_of(summary)["agenda"]
    assert agenda["data"]["phases"][1]["kind_name"] == "Dilemmarunde"
    assert any("Sprunget over" in line for line in agenda["markdown"])
    board = sections_of(summary)["board"]["data"]["boards"][0]
    assert board["hidden_text"] == "Facilitatoren har skjult 1 opslag."
    markdown = service.export_summary(db, ended.people["Cecilie"], "markdown")["content"]
    assert "## Dagsordenen, som den gik" in markdown and "Startet:" in markdown
    assert "(Europe/Copenhagen)" in markdown  # local clocks, not UTC
    rows = list(
        csv.reader(
            io.StringIO(service.export_summary(db, ended.people["Cecilie"], "csv")["content"])
        )
    )
    assert rows[0][:4] == ["Afsnit", "Punkt", "Tekst", "Detaljer"]


def check_the_board_shows_shown_posts_only_and_counts_the_hidden(db, ended):
    summary = service.build_summary(db, ended.people["Bodil"])
    boards = sections_of(summary)["board"]["data"]["boards"]
    quiet, open_ = boards
    assert quiet["named"] is False and open_["named"] is True
    texts = [p["text"] for p in quiet["columns"][0]["posts"]]
    assert sorted(texts) == sorted(ANONYMOUS_POSTS)
    assert quiet["columns"][1]["posts"] == []  # the only post there was hidden
    assert quiet["hidden"] == 1
    assert quiet["hidden_text"] == "1 post was hidden by the facilitator."
    assert all("author" not in p for c in quiet["columns"] for p in c["posts"])
    assert [p["cluster"] for p in quiet["columns"][0]["posts"]].count("Tid") == 1
    assert quiet["clusters"] == [{"name": "Tid", "votes": 0}]
    named_posts = {p["text"]: p["author"] for c in open_["columns"] for p in c["posts"]}
    assert named_posts == {NAMED_POST: "Bodil", "Dette var godt": "Cecilie"}
    blob = json.dumps(boards) + str(service.export_summary(db, ended.host, "markdown"))
    assert HIDDEN_POST not in blob and "Never seen by anyone" not in blob


def check_dilemma_titles_only_where_the_presenter_agreed(db, ended):
    for reader in [ended.host, *ended.people.values()]:
        summary = service.build_summary(db, reader)
        assert sections_of(summary)["dilemmas"]["data"] == {"titles": [SHARED_TITLE]}
        for file_format in ("markdown", "csv"):
            content = service.export_summary(db, reader, file_format)["content"]
            assert PRIVATE_TITLE not in content
        assert PRIVATE_TITLE not in json.dumps(summary)


def check_no_name_from_an_anonymous_board_in_any_export(db, ended):
    """Names appear only beside the named board's posts, in every form of the summary."""
    for reader in [ended.host, *ended.people.values()]:
        for language in ("en", "da"):
            actor = as_language(reader, language)
            summary = service.build_summary(db, actor)
            named_board = summary["sections"][1]["data"]["boards"].pop()
            assert named_board["named"] is True
            summary["sections"][1]["markdown"] = []
            assert not any(name in json.dumps(summary) for name in PEOPLE), summary
            for file_format in ("markdown", "csv"):
                content = service.export_summary(db, actor, file_format)["content"]
                for line in content.splitlines():
                    if any(name in line for name in PEOPLE):
                        assert NAMED_POST in line or "Dette var godt" in line, line
                assert content.count("Bodil") == 1 and content.count("Cecilie") == 1


def check_csv_parses_and_guards_against_formulas(db, ended):
    export = service.export_summary(db, ended.people["Bodil"], "csv")
    assert export["filename"].endswith("-summary.csv")
    assert export["mime"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(export["content"])))
    assert rows[0][:4] == ["Section", "Item", "Text", "Details"]
    assert len({len(row) for row in rows}) == 1
    keys = [row[0] for row in rows[1:]]
    assert keys.count("agenda") == 7  # six phases and the total
    assert keys.count("dilemmas") == 1
    cells = [cell for row in rows for cell in row]
    assert "'+cmd|' /C calc'!A0" in cells and "'=What to try" in cells
    assert "'" + SHARED_TITLE not in cells and SHARED_TITLE in cells
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)
    assert [safe_cell(v) for v in ("=1+1", "-2", "@A", "\tx", "\rx", "ok")] == [
        "'=1+1", "'-2", "'@A", "'\tx", "'\rx", "ok"
    ]  # fmt: skip


def check_markdown_export_keeps_what_people_wrote_as_text(db, ended):
    export = service.export_summary(db, ended.people["Dorte"], "markdown")
    assert export["filename"].endswith("-summary.md")
    assert export["mime"] == "text/markdown; charset=utf-8"
    content = export["content"]
    assert content.startswith("# Nordhavn = leaders\n")
    assert "## The agenda as run" in content and "## The board" in content
    assert "<b>" not in content and "We listen \\<b\\>well\\</b\\>" in content
    assert "Bodil\\]" in content  # the named board's author, as text


def check_only_once_ended_and_not_for_a_room_display(db, clock, ended):
    assert code_of(service.build_summary, db, ended.display) == "forbidden"
    assert code_of(service.export_summary, db, ended.display, "csv") == "forbidden"
    running = create_session(db, clock)
    joined = join(db, clock, running.session.join_code, display_name="Eva")
    actor = Actor(running.session.id, Role.PARTICIPANT, joined.participant.id, "en")
    assert code_of(service.build_summary, db, actor) == "session_not_ended"
    assert code_of(service.export_summary, db, actor, "markdown") == "session_not_ended"


def check_a_title_is_the_presenters_own_and_only_in_their_turn(db, ended):
    bo = ended.people["Bodil"]
    assert code_of(titles.set_title, db, bo, "Late", True) == "session_ended"
    mine = [titles.my_titles(db, a) for a in [ended.host, *ended.people.values()]]
    assert sorted(t["title"] for ts in mine for t in ts) == sorted([SHARED_TITLE, PRIVATE_TITLE])
    assert all(len(ts) <= 1 for ts in mine)
    assert titles.my_titles(db, ended.display) == []


# One whole session takes a couple of seconds: each test below checks several things of one.


def test_the_summary_in_english_and_danish(db, ended):
    check_the_agenda_as_run_with_planned_and_actual_minutes(db, ended)
    check_danish_reader_gets_everything_in_danish(db, ended)
    check_markdown_export_keeps_what_people_wrote_as_text(db, ended)


def test_the_board_rules_and_the_dilemma_consent_rule(db, ended):
    check_the_board_shows_shown_posts_only_and_counts_the_hidden(db, ended)
    check_no_name_from_an_anonymous_board_in_any_export(db, ended)
    check_dilemma_titles_only_where_the_presenter_agreed(db, ended)
    check_a_title_is_the_presenters_own_and_only_in_their_turn(db, ended)


def test_the_csv_and_who_may_read_it(db, clock, ended):
    check_csv_parses_and_guards_against_formulas(db, ended)
    check_only_once_ended_and_not_for_a_room_display(db, clock, ended)


def test_only_the_presenter_titles_their_dilemma_during_their_turn(db, clock):
    group = Group(db, clock, [DISCUSS, DILEMMA])
    group.start()
    bo = group.people["Bo"]
    assert code_of(titles.set_title, db, bo, "Too early", True) == "not_your_turn"
    group.next()
    presenter = group.people.get(group.speaker() or "") or group.host
    others = [a for _, a in group.people_and_host() if a != presenter]
    for other in others:
        assert code_of(titles.set_title, db, other, "Not mine", True) == "not_your_turn"
    assert titles.set_title(db, presenter, "Mine", False)["share"] is False
    assert titles.set_title(db, presenter, "Mine", True)["title"] == "Mine"
    [mine] = titles.my_titles(db, presenter)
    assert mine == {"turn_id": mine["turn_id"], "title": "Mine", "share": True}
    cleared = titles.set_title(db, presenter, "", True)  # clears it, and shares nothing
    assert cleared == {"turn_id": mine["turn_id"], "title": "", "share": False}
    assert titles.my_titles(db, presenter) == []
    for other in others:
        assert titles.my_titles(db, other) == []


def test_every_phase_kind_has_a_name_in_the_summary():
    assert set(KIND_NAMES) == set(PhaseKind)
