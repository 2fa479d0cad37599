"""The host console in headless Chromium: a co-facilitator's controls come and go live,
both hosts see the links to share, a host puts the join code up in full on the room
display, and ending a session asks first and leaves no control behind that could no
longer work."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser import create_session_in, new_page

pytestmark = pytest.mark.browser


def _join(browser, url: str, code: str, name: str):  # type: ignore[no-untyped-def]
    guest = new_page(browser, "en-GB")
    guest.goto(f"{url}/j/{code}")
    guest.fill("input[name=display_name]", name)
    guest.get_by_role("button", name="Join", exact=True).click()
    expect(guest.locator("#session-title")).to_be_visible()
    return guest


def test_a_cofacilitator_gets_and_loses_the_controls_without_a_reload(browser, server):
    host = new_page(browser, "en-GB")
    code = create_session_in(host, server.url, "Leader group")
    guest = _join(browser, server.url, code, "Bo")
    for control in ("#start-session", "#admission", "#join-link", "#board-open-form"):
        expect(guest.locator(control)).to_have_count(0)

    bo = host.locator("#participants li", has_text="Bo")
    bo.get_by_role("button", name="Make co-facilitator").click()
    expect(guest.locator("#start-session")).to_be_visible()
    expect(guest.locator("#admission")).to_be_visible()
    expect(guest.locator("#board-open-form")).to_be_visible()
    expect(guest.locator("#end-session")).to_be_visible()
    expect(guest.locator("#join-link")).to_have_text(f"{server.url}/j/{code}")
    display = host.locator("#display-link").inner_text()
    assert display.startswith(f"{server.url}/s/{code}#display=")
    expect(guest.locator("#display-link")).to_have_text(display)

    # The co-facilitator starts the session and runs the agenda from their own page.
    guest.locator("#start-session").click()
    expect(host.locator("#session-status")).to_have_text("In progress")
    guest.locator("#timer-pause").click()
    expect(host.locator("#timer-resume")).to_be_visible()

    bo.get_by_role("button", name="Remove co-facilitator").click()
    for control in ("#agenda-next", "#add-phase", "#admission", "#display-link", "#end-session"):
        expect(guest.locator(control)).to_have_count(0)
    expect(guest.locator("#raise-hand")).to_be_visible()

    # The room display's link opens the room display in another browser.
    screen = new_page(browser, "en-GB")
    screen.goto(display)
    expect(screen.locator("#projector-join-code")).to_have_text(code)
    expect(screen.locator("#projector-join.large")).to_have_count(0)  # running: in a corner
    host.locator("#show-join").check()  # a second wave of people: the code in full
    expect(screen.locator("#projector-join.large")).to_be_visible()
    expect(guest.locator("#show-join")).to_have_count(0)


# What can no longer work once a session has ended, on anyone's page.
GONE_AFTER_THE_END = (
    "#start-session", "#agenda-next", "#agenda-previous", "#timer-pause", "#add-phase",
    "#phases .row-tools", "#raise-hand", "#ready", "#pass-turn", "#location", "#admission",
    "#door", "#end-session", "#board-open-form", "#board-reveal", "#board-lock",
    "#board-close", ".board-columns textarea", "#participants button:not(.remove)",
)  # fmt: skip


def test_ending_asks_first_and_leaves_no_control_that_cannot_work(browser, server):
    host = new_page(browser, "en-GB")
    code = create_session_in(host, server.url, "Leader group")
    guest = _join(browser, server.url, code, "Bo")
    host.get_by_role("button", name="Start session").click()
    host.get_by_role("button", name="Open board").click()
    guest.get_by_role("button", name="I understand, let me write").first.click()
    expect(guest.locator(".board-columns textarea").first).to_be_visible()

    # Before the start, Start and End are far apart; the end asks what it will do.
    end = host.locator("#end-session")
    end.click()
    dialog = host.get_by_role("dialog", name="End the session?")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("This cannot be undone.")
    host.screenshot(path=str(server.log_path.parent / "end-dialog.png"), full_page=True)
    expect(host.locator("#end-cancel")).to_be_focused()
    host.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(end).to_be_focused()
    end.click()
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
    expect(guest.locator("#session-status")).to_have_text("In progress")

    end.click()
    dialog.get_by_role("button", name="End the session for everyone").click()
    expect(dialog).to_be_hidden()
    for page in (host, guest):
        expect(page.locator("#session-status")).to_have_text("Ended")
        for control in GONE_AFTER_THE_END:
            expect(page.locator(control)).to_have_count(0)
    expect(host.locator("#session-title")).to_be_focused()
