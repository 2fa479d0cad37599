"""The browser client in headless Chromium against a real server."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser import create_session_in, new_page, sign_up_in

pytestmark = pytest.mark.browser
SCREENSHOT = Path(__file__).resolve().parents[1] / "test-artifacts" / "facilitator.png"


def test_a_participant_appears_on_the_facilitator_screen_without_a_reload(browser, server):
    host = new_page(browser, "da-DK")
    host.goto(server.url)
    expect(host.get_by_role("heading", name="Ledelse er en holdsport")).to_be_visible()
    sign_up_in(host, server.url)
    host.goto(server.url)
    host.fill("input[name=title]", "Ledergruppen i Nordhavn")
    host.get_by_role("button", name="Opret session").click()
    code = host.locator("#join-code").inner_text()
    assert len(code) == 6
    expect(host.locator("#participants li")).to_have_count(1)
    host_url = host.url

    guest = new_page(browser, "en-GB")
    guest.goto(f"{server.url}/j/{code.lower()}")
    expect(guest.get_by_role("heading", name="Ledergruppen i Nordhavn")).to_be_visible()
    guest.fill("input[name=display_name]", "Bo")
    guest.fill("input[name=organisation]", "Aarhus Kommune")
    guest.get_by_role("button", name="Join", exact=True).click()
    # At the door: nothing of the session until the facilitator lets Bo in.
    expect(guest.locator("#waiting-room")).to_contain_text("The facilitator will let you in")
    expect(guest.locator("#participants")).to_have_count(0)
    door = host.locator("#door li", has_text="Bo")
    expect(door).to_contain_text("Aarhus Kommune")
    expect(host.locator("#participants li")).to_have_count(1)
    door.get_by_role("button", name="Luk ind").click()
    expect(host.locator("#door")).to_have_count(0)
    expect(guest.locator("#session-title")).to_have_text("Ledergruppen i Nordhavn")
    expect(guest.locator("#session-status")).to_have_text("Waiting to start")

    # The facilitator's page was never reloaded: Bo arrives live.
    assert host.url == host_url
    bo = host.locator("#participants li", has_text="Bo")
    expect(bo).to_have_class("present")
    expect(bo).to_contain_text("Aarhus Kommune")
    expect(host.locator("#present-count")).to_have_text("2 til stede")

    host.get_by_role("button", name="Start sessionen").click()
    expect(guest.locator("#session-status")).to_have_text("In progress")

    # Closing the tab and coming back in the same browser: the same participant.
    guest_context = guest.context
    guest.close()
    expect(bo).to_have_class("away")
    again = guest_context.new_page()
    again.goto(f"{server.url}/j/{code}")
    expect(again.locator("#session-title")).to_have_text("Ledergruppen i Nordhavn")
    expect(bo).to_have_class("present")
    expect(host.locator("#participants li")).to_have_count(2)
    assert "null" not in host.locator("main").inner_text()
    SCREENSHOT.parent.mkdir(exist_ok=True)
    host.screenshot(path=str(SCREENSHOT), full_page=True)


def test_a_removed_participant_is_shown_out_and_told_why(browser, server):
    host = new_page(browser, "en-GB")
    code = create_session_in(host, server.url, "Leader group")
    guest = new_page(browser, "en-GB")
    guest.goto(f"{server.url}/j/{code}")
    guest.fill("input[name=display_name]", "Bo")
    guest.get_by_role("button", name="Join", exact=True).click()
    expect(guest.locator("#session-title")).to_have_text("Leader group")
    host.once("dialog", lambda dialog: dialog.accept())
    host.locator("#participants li", has_text="Bo").get_by_role("button", name="Remove").click()
    expect(guest.get_by_role("alert")).to_contain_text("The facilitator has removed you")
    expect(host.locator("#participants li")).to_have_count(1)


def test_a_wrong_code_shows_a_clear_error(browser, server):
    page = new_page(browser, "en-GB")
    page.goto(f"{server.url}/j/ZZZZZZ")
    expect(page.get_by_role("alert")).to_have_text(
        "No session has that join code. Check the code and try again."
    )
    expect(page.get_by_role("button", name="Join", exact=True)).to_be_disabled()
