"""Actions in headless Chromium: a participant records one in Danish, the facilitator
sees it in English, and deletes it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser import create_session_in, join_in, new_page

pytestmark = pytest.mark.browser


def test_an_action_recorded_on_one_screen_shows_on_the_other(browser, server):
    host = new_page(browser, "en-GB")
    code = create_session_in(host, server.url, "Leader group")
    guest = join_in(browser, server.url, code, "Bo")
    expect(host.locator("#participants li.present")).to_have_count(2)

    expect(guest.locator("#actions h2")).to_contain_text("Handlinger")
    guest.fill("#action-text", "Tal med HR om APV'en")
    guest.select_option("#action-level", "leader")
    guest.select_option("#action-owner", label="Bo")
    guest.fill("#action-due", "2027-01-15")
    guest.get_by_role("button", name="Tilføj handling").click()

    mine = guest.locator("#actions-by-level .level[data-level=leader] li")
    expect(mine).to_contain_text("Tal med HR om APV'en")
    expect(mine).to_contain_text("Bo (dig)")
    expect(guest.locator("#action-text")).to_have_value("")
    theirs = host.locator("#actions-by-level .level[data-level=leader]")
    expect(theirs.locator("h3")).to_have_text("Leader")
    expect(theirs.locator("li")).to_contain_text("Bo")
    expect(theirs.locator("li")).to_contain_text("Due 2027-01-15")

    guest.get_by_role("button", name="Ret").click()
    expect(guest.locator("#action-text")).to_have_value("Tal med HR om APV'en")
    guest.select_option("#action-owner", "group")
    guest.get_by_role("button", name="Gem").click()
    expect(theirs.locator("li")).to_contain_text("The group")

    assert not guest.get_by_role("button", name="Slet").count()  # hosts delete
    host.fill("#action-text", "A duplicate")
    host.get_by_role("button", name="Add action").click()
    duplicate = host.locator("#actions-by-level li", has_text="A duplicate")
    duplicate.get_by_role("button", name="Delete").click()
    expect(guest.locator("#actions-by-level li")).to_have_count(1)

    # The session ends; the group's page lists the open action; the next session,
    # planned there, opens with its follow-up.
    host.locator("#end-session").click()
    host.locator("#end-confirm").click()
    expect(host.locator("#session-status")).to_have_attribute("data-status", "ended")
    host.goto(server.url)
    host.locator("#my-groups a", has_text="Leader group").click()
    expect(host.locator("#open-actions li")).to_contain_text("Tal med HR om APV'en")
    form = host.locator("#plan-form")
    form.locator("input[name=title]").fill("Next time")
    form.get_by_role("button", name="Plan session").click()
    host.locator("#group-sessions li", has_text="Next time").get_by_role(
        "link", name="Next time"
    ).click()
    host.get_by_role("button", name="Start session").click()
    expect(host.locator("#phase-title")).to_have_text("Follow-up on actions")
    carried = host.locator("#follow-up li", has_text="Tal med HR om APV'en")
    expect(carried.locator(".outcome")).to_have_text("Not decided yet")
    carried.get_by_role("button", name="Done").click()
    expect(carried.locator(".outcome")).to_have_text("Done")
