"""A breakout group's own board in headless Chromium: the facilitator gives the groups
boards with a threshold of two; the pair writes and reveals its board on phones, the
one sitting alone is told why there is none and sees nothing of the pair's, and the
host's overview shows the pair's posts."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser import create_session_in, join_phone, new_page

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
POST = "I said yes <b>too fast</b> 🙈"
SYNTHESIS = "Say no sooner\nAsk <i>before</i> the deadline"


def test_a_pair_writes_and_reveals_its_board_and_one_alone_is_told_why_none(browser, server):
    host = new_page(browser, "en-GB")
    code = create_session_in(host, server.url, "Leaders across")
    host.select_option("#new-phase-kind", "breakout")
    host.fill("#new-phase-title", "Troika")
    host.select_option("#new-phase-where", "first")
    host.get_by_role("button", name="Add phase").click()
    host.get_by_label("Each group gets its own anonymous board").check()
    threshold = host.locator("#phases li").first.get_by_label("Anonymity threshold")
    threshold.fill("2")
    threshold.press("Tab")
    expect(threshold).to_have_value("2")
    bo = join_phone(browser, server.url, code, "Bo Berg", "Aarhus Kommune", "da-DK")
    cecilie = join_phone(browser, server.url, code, "Cecilie Ahl", "Region Midt", "en-GB")
    dan = join_phone(browser, server.url, code, "Dan Due", "Vestas", "en-GB")
    expect(host.locator("#participants li")).to_have_count(4)
    planner = host.locator("#breakout-host")
    planner.get_by_role("button", name="Make groups").click()
    planner.get_by_label("Seat Dan in").select_option(label="A new group")
    expect(planner.locator(".breakout-group")).to_have_count(2)
    host.get_by_role("button", name="Start session").click()

    expect(dan.locator("#group-board-none")).to_have_text(
        "Your group has no anonymous board: it has fewer than 2 people, and with so few it is "
        "too easy to tell who wrote what."
    )
    expect(bo.locator("#group-board-none")).to_have_count(0)
    for page in (cecilie, host):  # the plenary's floor makes no sense in a breakout
        expect(page.locator("#agenda")).to_be_visible()
        expect(page.locator("#raise-hand")).to_have_count(0)
        expect(page.locator("#ready")).to_have_count(0)
    board = cecilie.locator("#group-board")
    board.locator("textarea").first.fill(POST)
    board.get_by_role("button", name="Post").first.click()
    expect(board.locator(".post.own")).to_contain_text(POST)
    bo.locator("#group-board textarea").first.fill("Jeg turde ikke spørge")
    bo.locator("#group-board form.write button[type=submit]").first.click()
    expect(bo.locator("#group-board .post.own")).to_have_count(1)
    board.get_by_role("button", name="Reveal our board").click()
    expect(bo.locator("#group-board .post")).to_have_count(2)
    expect(bo.locator("#group-board")).to_contain_text(POST)  # as text, never as HTML
    expect(board.locator(".post")).to_have_count(2)
    ARTIFACTS.mkdir(exist_ok=True)
    bo.screenshot(path=str(ARTIFACTS / "group-board-phone.png"), full_page=True)
    dan.screenshot(path=str(ARTIFACTS / "group-board-none.png"), full_page=True)

    boards = host.locator("#breakout-boards")
    boards.locator("summary").click()
    expect(boards.locator("li[data-group='1'] .post")).to_have_count(2)
    expect(boards.locator("li[data-group='2']")).to_contain_text("No board: fewer than 2 people.")
    expect(dan.locator("body")).not_to_contain_text("too fast")
    expect(dan.locator("body")).not_to_contain_text("turde ikke")

    # The pair's synthesis keeps its lines in the plenary, as text.
    cecilie.fill("#breakout-synthesis", SYNTHESIS)
    cecilie.get_by_role("button", name="Save synthesis").click()
    expect(cecilie.locator("#breakout-synthesis-status")).to_have_text("Saved")
    host.locator("#agenda-next").click()
    shown = dan.locator("#breakout-syntheses li[data-group='1'] .synthesis-text")
    expect(shown).to_have_text(SYNTHESIS.replace("\n", " "))
    assert shown.inner_text() == SYNTHESIS  # two lines on the screen
    expect(dan.locator("#raise-hand")).to_have_count(1)  # the plenary's floor is back
