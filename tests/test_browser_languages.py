"""Two languages in one session, in headless Chromium: each participant reads the same
prompt in their own language, and switching language live loses nothing."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from server.content import content_text, get_format
from tests.browser import new_page, sign_up_in

pytestmark = pytest.mark.browser
FIRST_PROMPT = get_format("peer_sparring").phases[0].prompt_keys[0]


@pytest.fixture
def live(server):
    return server


def prompt(page):
    return page.locator(f"#format [data-key='{FIRST_PROMPT}']").first


def test_a_danish_and_an_english_participant_each_read_the_prompt_in_their_language(
    browser,
    live,
):
    danish, english = content_text(FIRST_PROMPT, "da"), content_text(FIRST_PROMPT, "en")
    host = new_page(browser, "da-DK")
    sign_up_in(host, live.url)
    host.goto(live.url)
    host.fill("input[name=title]", "Ledergruppen i Nordhavn")
    host.select_option("select[name=admission]", "code")
    host.select_option("#format-key", "peer_sparring")
    expect(host.locator("#format-details")).to_contain_text(
        content_text("format.peer_sparring.summary", "da")
    )
    host.get_by_role("button", name="Opret session").click()
    code = host.locator("#join-code").inner_text()
    expect(host.locator("#format-title")).to_have_text("Kollegial sparring i ledergruppen")

    guest = new_page(browser, "en-GB")
    guest.goto(f"{live.url}/j/{code}")
    guest.fill("input[name=display_name]", "Bo")
    guest.get_by_role("button", name="Join", exact=True).click()
    expect(prompt(guest)).to_have_text(english)
    expect(prompt(host)).to_have_text(danish)

    host.get_by_role("button", name="Start sessionen").click()
    expect(host.locator("#format-times")).to_have_text(re.compile(r"kl\. \d\d\.\d\d"))
    expect(guest.locator("#format-times")).to_have_text(re.compile(r"at \d\d:\d\d,"))

    # Bo switches to Danish: no reload, same connection, and the host is not affected.
    guest.evaluate("window.stillThisPage = true")
    guest.get_by_role("button", name="dansk").click()
    expect(prompt(guest)).to_have_text(danish)
    expect(guest.locator("#session-status")).to_have_text("I gang")
    assert guest.evaluate("window.stillThisPage") is True
    expect(host.locator("#participants li", has_text="Bo")).to_have_class("present")
    expect(prompt(host)).to_have_text(danish)

    # Side by side: the prompt in both languages, the other one marked with its lang.
    guest.locator("#bilingual-toggle").check()
    expect(prompt(guest).locator(".in-language")).to_have_text([danish, english])
    expect(prompt(guest).locator("[lang=en]")).to_have_text(english)
    guest.get_by_role("button", name="English").click()
    expect(prompt(guest).locator(".in-language")).to_have_text([english, danish])
    expect(prompt(host).locator(".in-language")).to_have_count(0)


def test_a_language_switch_keeps_what_was_typed_and_says_errors_again(
    browser,
    live,
):
    page = new_page(browser, "en-GB")
    sign_up_in(page, live.url)
    page.goto(live.url)
    page.fill("input[name=title]", "Leaders across Zealand")
    page.select_option("#format-key", "iglo")
    page.fill("input[name=join_code]", "   ")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("#join-error")).to_have_text("Type the join code you were given.")
    page.get_by_role("button", name="dansk").click()
    expect(page.get_by_role("heading", name="Ledelse er en holdsport")).to_be_visible()
    expect(page.locator("input[name=title]")).to_have_value("Leaders across Zealand")
    expect(page.locator("#format-key")).to_have_value("iglo")
    expect(page.locator("#format-details")).to_contain_text(
        content_text("format.iglo.summary", "da")
    )
    expect(page.locator("#join-error")).to_have_text("Skriv den deltagerkode, du har fået.")
