"""The Content-Security-Policy in headless Chromium: the pages work under it, and nothing
on them (scripts, styles, Socket.IO over WebSocket and polling) runs into it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser import new_page, sign_up_in

pytestmark = pytest.mark.browser

# Before any page script: every violation the browser reports is kept for the test.
WATCH = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


def watched_page(browser, language, width=1400):
    page = new_page(browser, language, width)
    page.add_init_script(WATCH)
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    return page, console


def test_a_session_with_a_board_runs_under_the_policy(browser, server):
    host, host_console = watched_page(browser, "en-GB")
    response = host.goto(server.url)
    assert "script-src 'self'" in response.headers["content-security-policy"]
    sign_up_in(host, server.url)
    host.goto(server.url)
    host.fill("input[name=title]", "Ledergruppen")
    host.select_option("select[name=admission]", "code")
    host.get_by_role("button", name="Create session").click()
    code = host.locator("#join-code").inner_text()
    host.get_by_role("button", name="Open board").click()
    expect(host.locator("#board h2")).to_contain_text("Anonymous board")

    guest, guest_console = watched_page(browser, "da-DK")
    guest.goto(f"{server.url}/j/{code}")
    expect(guest.locator("h1")).to_have_text("Ledergruppen")  # the preview came through
    guest.fill("input[name=display_name]", "Bo")
    guest.locator("#join-details button[type=submit]").click()
    expect(guest.locator("#session-title")).to_have_text("Ledergruppen")
    expect(host.locator("#participants")).to_contain_text("Bo")  # live over Socket.IO

    # The board's columns come from a CSS variable set through the CSSOM, not style="…".
    columns = host.locator(".board-columns")
    assert columns.evaluate("e => e.style.getPropertyValue('--columns')") == "3"
    template = columns.evaluate("e => getComputedStyle(e).gridTemplateColumns")
    assert len(template.split()) == 3
    assert columns.get_attribute("style") is not None  # the CSSOM writes it, CSP allows it

    for page, console in ((host, host_console), (guest, guest_console)):
        assert page.evaluate("window.cspViolations") == []
        assert not [line for line in console if "Content Security Policy" in line]
