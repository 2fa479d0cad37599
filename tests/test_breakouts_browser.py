"""Breakout groups in headless Chromium: a facilitator adds a breakout phase, makes the plan
before the start (colleagues together are flagged, and a move mends it), starts; each of
three phones shows its own group and presenter, one moves its group on and writes the
synthesis; the room display shows the seating in large type and the one-minute warning;
the host's overview shows every group; back in the plenary everyone reads the synthesis."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser import create_session_in, join_phone, new_page

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
SYNTHESIS = "Ask for help <b>before</b> the deadline,\nnot after 🙂"


def test_groups_are_planned_run_on_phones_and_their_synthesis_reaches_the_plenary(browser, server):
    host = new_page(browser, "en-GB")
    code = create_session_in(host, server.url, "Leaders across")
    # One minute: the one-minute warning is due at once.
    host.select_option("#new-phase-kind", "breakout")
    host.fill("#new-phase-title", "Troika")
    host.fill("#new-phase-minutes", "1")
    host.select_option("#new-phase-where", "first")
    host.get_by_role("button", name="Add phase").click()
    expect(host.locator("#phases li").first).to_contain_text("Breakout groups")
    bo = join_phone(browser, server.url, code, "Bo Berg", "Aarhus Kommune", "da-DK")
    cecilie = join_phone(browser, server.url, code, "Cecilie Ahl", "Region Midt", "en-GB")
    dan = join_phone(browser, server.url, code, "Dan Due", " aarhus  kommune", "en-GB")
    screen = new_page(browser, "en-GB", width=1600)
    screen.goto(host.locator("#display-link").inner_text())
    expect(host.locator("#participants li")).to_have_count(4)

    # The plan before the start: three in one group, two of them colleagues.
    planner = host.locator("#breakout-host")
    expect(planner.locator(".breakout-size")).to_have_value("3")
    planner.get_by_role("button", name="Make groups").click()
    expect(planner.locator("#breakout-conflicts")).to_contain_text(
        "Colleagues from Aarhus Kommune sit together in group 1: Bo, Dan"
    )
    expect(planner.locator(".breakout-group")).to_have_count(1)
    expect(planner.locator("li.conflict")).to_have_count(2)
    planner.get_by_label("Seat Dan in").select_option(label="A new group")
    expect(planner.locator(".breakout-group")).to_have_count(2)
    expect(planner.locator("#breakout-conflicts")).to_have_count(0)
    expect(planner.locator(".breakout-group[data-group='2']")).to_contain_text("Dan")
    expect(bo.locator("#breakout-card")).to_have_count(0)  # nothing before the start
    ARTIFACTS.mkdir(exist_ok=True)
    planner.screenshot(path=str(ARTIFACTS / "breakout-plan.png"))

    host.get_by_role("button", name="Start session").click()
    expect(bo.locator("#breakout-group")).to_have_text("Du er i gruppe 1")
    expect(bo.locator("#breakout-seat")).to_have_text("Sæt dig ved bord 1 med Cecilie.")
    expect(bo.locator("#breakout-presenter")).to_have_text("Du fremlægger: Fremlæggeren fortæller")
    expect(cecilie.locator("#breakout-group")).to_have_text("You are in group 1")
    expect(cecilie.locator("#breakout-presenter")).to_have_text(
        "Bo presents: The presenter explains"
    )
    expect(dan.locator("#breakout-group")).to_have_text("You are in group 2")
    expect(dan.locator("#breakout-presenter")).to_have_text("You present: The presenter explains")
    # The group's own three minutes for the step, counting down.
    expect(cecilie.locator("#breakout-countdown")).to_have_text(re.compile(r"^2:5\d$"))
    # Nobody sees another group: Dan's phone holds no name from group 1.
    expect(dan.locator("#breakout-card")).not_to_contain_text("Bo")

    cecilie.get_by_role("button", name="Next step").click()
    presenter = "#breakout-presenter"
    expect(cecilie.locator(presenter)).to_have_text("Bo presents: Clarifying questions")
    expect(bo.locator(presenter)).to_have_text("Du fremlægger: Opklarende spørgsmål")
    expect(dan.locator("#breakout-presenter")).to_have_text("You present: The presenter explains")

    cecilie.fill("#breakout-synthesis", SYNTHESIS)
    expect(cecilie.locator("#breakout-synthesis-status")).to_have_text("Not saved yet")
    cecilie.get_by_role("button", name="Save synthesis").click()
    expect(cecilie.locator("#breakout-synthesis-status")).to_have_text("Saved")
    expect(bo.locator("#breakout-synthesis")).to_have_value(SYNTHESIS)  # one text a group

    plan = screen.locator("#breakout-plan")
    # Bo joined in Danish: the display shows the seating in both languages (projector.js).
    expect(plan.locator("li")).to_contain_text(["Group 1: Bo, Cecilie", "Group 2: Dan"])
    expect(plan.locator("li [lang=da]").first).to_have_text("Gruppe 1: Bo, Cecilie")
    size = plan.locator("li").first.evaluate("li => parseFloat(getComputedStyle(li).fontSize)")
    assert size >= 32  # large type, readable across the room
    for page in (screen, cecilie):
        expect(page.locator("#breakout-warning")).to_have_text(
            "One minute left: wrap up, the plenary starts soon."
        )
    expect(bo.locator("#breakout-warning")).to_contain_text("Et minut tilbage")

    overview = host.locator("#breakout-overview tbody tr")
    expect(overview).to_have_count(2)
    expect(overview.nth(0)).to_contain_text("Bo")
    expect(overview.nth(0)).to_contain_text("Clarifying questions")
    expect(overview.nth(0).locator(".synthesis-sent")).to_have_text("Sent")
    expect(overview.nth(1).locator(".synthesis-sent")).to_have_text("Not yet")
    host.fill("#breakout-broadcast-text", "Five more minutes after this")
    host.get_by_role("button", name="Send to every group").click()
    expect(dan.locator("#breakout-broadcast")).to_have_text(
        "From the facilitator: Five more minutes after this"
    )
    bo.screenshot(path=str(ARTIFACTS / "breakout-phone.png"), full_page=True)
    screen.screenshot(path=str(ARTIFACTS / "breakout-display.png"), full_page=True)
    host.screenshot(path=str(ARTIFACTS / "breakout-facilitator.png"), full_page=True)

    host.locator("#agenda-next").click()
    for page in (host, bo, cecilie, dan, screen):
        synthesis = page.locator("#breakout-syntheses li[data-group='1'] .synthesis-text")
        expect(synthesis).to_have_text(SYNTHESIS)  # as text, never as HTML
        expect(page.locator("#breakout-card")).to_have_count(0)
    heading = screen.locator("#breakout-syntheses li[data-group='1'] h4")
    expect(heading).to_contain_text("Bo, Cecilie")
    screen.screenshot(path=str(ARTIFACTS / "breakout-syntheses.png"), full_page=True)

    # The summary keeps the synthesis's lines: one item, a line break, no HTML.
    host.locator("#end-session").click()
    host.locator("#end-confirm").click()
    expect(bo.locator("#session-status")).to_have_attribute("data-status", "ended")
    bo.get_by_role("button", name="Åbn opsummeringen").click()
    item = bo.locator(".summary-section[data-key=breakouts] li")
    expect(item).to_have_count(1)
    expect(item).to_have_text("Gruppe 1: " + SYNTHESIS.replace("\n", ""))
    expect(item.locator("br")).to_have_count(1)
