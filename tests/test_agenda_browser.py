"""The agenda in headless Chromium: the countdown moves, the speaker highlight moves on."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from server.board import rules
from tests.browser import create_session_in, new_page

pytestmark = pytest.mark.browser


def test_countdown_runs_and_the_speaker_highlight_moves_on(browser, server):
    host = new_page(browser, "en-GB")
    code = create_session_in(host, server.url, "Leader group")

    guest = new_page(browser, "da-DK")
    guest.goto(f"{server.url}/j/{code}")
    guest.fill("input[name=display_name]", "Bo")
    guest.get_by_role("button", name="Deltag", exact=True).click()
    expect(host.locator("#participants li")).to_have_count(2)

    # The facilitator puts a check-in round first: two speakers, 30 s each.
    host.select_option("#new-phase-kind", "round")
    host.fill("#new-phase-title", "Check-in")
    host.fill("#new-phase-minutes", "1")
    host.get_by_role("button", name="Add phase").click()
    expect(host.locator("#phases li").nth(1)).to_contain_text("Check-in")
    host.locator("#phases li").nth(1).get_by_role("button", name="Earlier").click()
    expect(host.locator("#phases li").first).to_contain_text("Check-in")
    host.get_by_role("button", name="Start session").click()

    for page in (host, guest):
        expect(page.locator("#phase-title")).to_have_text("Check-in")
        expect(page.locator("#turns li.speaking")).to_contain_text("Anne")
    clock = guest.locator("#countdown")
    expect(clock).to_have_text(re.compile(r"^0:(2\d|30)$"))
    first = clock.inner_text()
    guest.wait_for_timeout(1500)
    assert clock.inner_text() != first  # it counts down, with no page reload
    expect(guest.locator("#current-speaker")).to_have_text("Har ordet: Anne")
    expect(guest.locator("#countdown-label")).to_have_text("Mindre end et minut tilbage")

    host.get_by_role("button", name="Next").click()
    for page in (host, guest):
        expect(page.locator("#turns li.speaking")).to_contain_text("Bo")
    expect(guest.locator("#pass-turn")).to_be_visible()
    expect(host.locator("#schedule")).to_have_text(re.compile("schedule"))

    host.get_by_role("button", name="Pause").click()
    expect(guest.locator("#countdown-label")).to_have_text("På pause")
    paused = guest.locator("#countdown").inner_text()
    guest.wait_for_timeout(1200)
    assert guest.locator("#countdown").inner_text() == paused
    host.screenshot(path=str(server.log_path.parent / "agenda.png"), full_page=True)


def test_a_board_phase_opens_the_board_on_every_screen(browser, server):
    host = new_page(browser, "en-GB")
    code = create_session_in(host, server.url, "Leader group")
    guests = []
    for name in ("Bo", "Cecilie"):
        guest = new_page(browser, "da-DK")
        guest.goto(f"{server.url}/j/{code}")
        guest.fill("input[name=display_name]", name)
        guest.get_by_role("button", name="Deltag", exact=True).click()
        guests.append(guest)
    expect(host.locator("#participants li.present")).to_have_count(3)

    host.select_option("#new-phase-kind", "board")
    host.fill("#new-phase-title", "Mistakes I learned from")
    host.get_by_role("button", name="Add phase").click()
    host.locator("#phases li").nth(1).get_by_role("button", name="Earlier").click()
    expect(host.locator("#phases li").first).to_contain_text("Mistakes I learned from")
    host.get_by_role("button", name="Start session").click()

    bo = guests[0]
    expect(bo.locator(".board-column h3")).to_have_text("Mistakes I learned from")
    draft = bo.locator(".board-column textarea")
    draft.click()
    draft.type("Jeg sagde ja")
    # Someone else's change re-renders Bo's page: the half-written post keeps its text,
    # its focus and its caret.
    host.get_by_role("button", name="Raise my hand").click()
    expect(bo.locator("#hands li")).to_have_count(1)
    expect(draft).to_be_focused()
    bo.keyboard.type(" til for meget")
    expect(draft).to_have_value("Jeg sagde ja til for meget")
    bo.get_by_role("button", name="Sæt på tavlen", exact=True).click()
    # The count, not the post; it is told on the board's clock (rules.COUNT_SECONDS).
    counted = (rules.COUNT_SECONDS + 5) * 1000
    expect(host.locator("#board-count")).to_contain_text("1", timeout=counted)
    expect(host.locator("#board")).not_to_contain_text("Jeg sagde ja til for meget")

    host.get_by_role("button", name="Next").click()  # the phase ends: the board closes
    expect(bo.locator(".board-column textarea")).to_have_count(0)
