"""A network session's confidentiality agreement in headless Chromium: a facilitator makes
a network session; a Danish guest reads the agreement in both languages, cannot join
without ticking "I agree", joins once they do, and the host's console counts them."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser import new_page, sign_up_in

pytestmark = pytest.mark.browser


def test_a_guest_joins_a_network_session_only_after_agreeing(browser, server):
    host = new_page(browser, "en-GB")
    sign_up_in(host, server.url)
    host.goto(server.url)
    host.fill("input[name=title]", "Lederne på tværs")
    host.select_option("select[name=admission]", "code")
    host.get_by_label("A network across organisations").check()
    host.locator("#create-form button[type=submit]").click()
    code = str(host.locator("#join-code").inner_text())
    expect(host.locator("#agreements")).to_have_text(
        "The confidentiality agreement has been accepted 1 time."  # the lead, by making it
    )

    guest = new_page(browser, "da-DK")
    guest.goto(f"{server.url}/j/{code}")
    agreement = guest.locator("#agreement")
    expect(agreement.locator("h2")).to_have_text("Det, der bliver sagt her, bliver her")
    # The session's language (English) first, then the other.
    expect(agreement.locator("blockquote")).to_have_count(2)
    expect(agreement.locator("blockquote").first).to_have_attribute("lang", "en")
    expect(agreement.locator("blockquote[lang=en]")).to_contain_text("stays in this room")
    expect(agreement.locator("blockquote[lang=da]")).to_contain_text("bliver i rummet")

    guest.fill("input[name=display_name]", "Åse")
    join = guest.locator("#join-details button[type=submit]")
    join.click()  # the browser asks for the tick first
    assert guest.locator("#agree").evaluate("box => !box.checkValidity()")
    guest.locator("#agree").evaluate("box => { box.required = false; }")
    join.click()  # and past the browser, the server refuses too
    expect(guest.locator("#join-page-error")).to_contain_text("I denne netværkssession")
    expect(host.locator("#agreements")).to_contain_text("accepted 1 time")

    guest.get_by_label("Jeg accepterer").check()
    join.click()
    expect(guest.locator("#session-title")).to_have_text("Lederne på tværs")
    expect(host.locator("#agreements")).to_have_text(
        "The confidentiality agreement has been accepted 2 times."
    )
