"""What people read and where it sits, in headless Chromium: the library's way into a
session, what "session language" means, a board's title as it is set up, a round's
order and share from the agenda, saying where one is before the start, and a phone that
shows the board before the format's overview."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser import join_in, new_page, sign_up_in

pytestmark = pytest.mark.browser


def test_labels_and_layout_follow_the_session(browser, server):
    # Not signed in, "use this format" goes through signing up and back to the form.
    host = new_page(browser, "en-GB")
    host.goto(f"{server.url}/library")
    card = host.locator(".format-card[data-format=peer_sparring]")
    card.get_by_role("button", name="Sign in to use this format").click()
    expect(host).to_have_url(re.compile("/account$"))
    sign_up_in(host, server.url)
    expect(host.locator("#format-key")).to_have_value("peer_sparring")
    host.goto(f"{server.url}/library/iglo")  # signed in: straight to the form
    host.get_by_role("button", name="Use this format").click()
    expect(host.locator("#format-key")).to_have_value("iglo")
    expect(host.get_by_label("Session language")).to_have_attribute(
        "aria-describedby", "language-hint"
    )
    expect(host.locator("#language-hint")).to_contain_text("the room display")

    host.select_option("#format-key", "peer_sparring")
    host.fill("input[name=title]", "Leader group")
    host.select_option("select[name=admission]", "code")
    host.locator("#create-form button[type=submit]").click()
    code = host.locator("#join-code").inner_text()

    # The board's title follows its set-up; the check-in's order is the facilitator's choice.
    board = host.locator("#phases li", has_text="Board: mistakes and uncertainties")
    expect(board).to_contain_text("Anonymous board")
    board.get_by_label("Named: everyone sees who wrote what").check()
    expect(board).to_contain_text("Named board")
    expect(board).not_to_contain_text("Anonymous")
    order = host.locator("#phases li").first.locator("select.order-mode")
    order.select_option("random")
    expect(order).to_have_value("random")
    expect(host.locator("#phases li").nth(1).locator("select.order-mode")).to_contain_text(
        "by rotation, facilitator last"
    )

    # A participant on a phone says where they are before the session starts.
    phone = join_in(browser, server.url, code, "Bo", "en-GB")
    phone.set_viewport_size({"width": 390, "height": 844})
    phone.select_option("#location", "room")
    expect(host.locator("#participants li", has_text="Bo")).to_contain_text("in the room")

    host.get_by_role("button", name="Start session").click()
    # Two people share the check-in's 15 minutes: the agenda says so, no format text does.
    expect(phone.locator("#turn-length")).to_have_text("Each speaker: about 8 minutes")
    expect(phone.locator("#agenda")).not_to_contain_text("Two minutes")

    host.get_by_role("button", name="Open board").click()
    expect(phone.locator("#board")).to_be_visible()
    # Measured in the page, as one read: the page re-renders at every event.
    phone.wait_for_function(
        """() => {
          const board = document.getElementById("board");
          const format = document.getElementById("format");  // once the library has loaded
          return board && format
            && board.getBoundingClientRect().top < format.getBoundingClientRect().top;
        }"""
    )
    phone.screenshot(path=str(server.log_path.parent / "phone-board.png"), full_page=True)
