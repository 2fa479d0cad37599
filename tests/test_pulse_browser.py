"""The pulse in headless Chromium: a pulse phase added first, four people answer on the
radio scales, and after the close every screen shows the result and the trend chart."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser import create_session_in, join_in, new_page

pytestmark = pytest.mark.browser


def answer_all(page, value: int) -> None:  # type: ignore[no-untyped-def]
    form = page.locator("#pulse-form")
    for index in range(7):
        form.locator(f"input[name=pulse-{index}][value='{value}']").check()
    form.locator("button[type=submit]").click()
    expect(page.locator("#pulse-done")).to_be_visible()


def test_people_answer_the_pulse_and_see_only_the_groups_result(browser, server):
    host = new_page(browser, "en-GB")
    code = create_session_in(host, server.url, "Leader group")
    guests = []
    for name in ("Bo", "Cecilie", "Dan"):
        guests.append(join_in(browser, server.url, code, name))
    expect(host.locator("#participants li")).to_have_count(4)

    host.select_option("#new-phase-kind", "pulse")
    host.fill("#new-phase-title", "Pulse")
    host.select_option("#new-phase-where", "first")
    host.get_by_role("button", name="Add phase").click()
    expect(host.locator("#phases li").first).to_contain_text("Pulse")
    host.get_by_role("button", name="Start session").click()

    # Each statement is a fieldset with its legend; each point a labelled radio button.
    first = guests[0].locator("#pulse-form fieldset").first
    expect(first.locator("legend")).to_contain_text("I denne gruppe kan jeg")
    expect(first.get_by_label("Helt enig")).to_have_count(1)
    for page, value in ((host, 4), (guests[0], 5), (guests[1], 6), (guests[2], 7)):
        answer_all(page, value)
    expect(host.locator("#pulse-count")).to_have_text("4 answered")
    expect(host.locator("#pulse-score")).to_have_count(0)  # nothing while it is open

    host.get_by_role("button", name="Next").click()
    # Reverse statements turn: answers 4, 5, 6, 7 everywhere score (28 + 29 + 30 + 31) / 28.
    expect(host.locator("#pulse-score")).to_contain_text("4.21")
    expect(guests[0].locator("#pulse-score")).to_contain_text("4,21")
    for page in (host, guests[0]):
        chart = page.locator("#pulse-trend svg")
        expect(chart).to_have_count(1)
        expect(chart.locator("circle")).to_have_count(1)
    expect(guests[0].locator("#pulse-trend svg title")).to_contain_text("Psykologisk tryghed")
    host.screenshot(path=str(server.log_path.parent / "pulse.png"), full_page=True)
