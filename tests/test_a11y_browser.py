"""Accessibility (WCAG 2.1 AA) in headless Chromium: axe-core finds no serious or critical
violation on any page, for any role; focus stays on the control a person used when the page
re-renders; the countdown is a timer, and only its warnings and turn changes are announced."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from server.board import rules
from tests.axe import severe_violations
from tests.browser import add_phase_in, create_session_in, join_in, new_page, sign_up_in

pytestmark = pytest.mark.browser


def test_every_page_and_role_has_no_serious_accessibility_violation(browser, server):
    found: list[str] = []

    def assert_accessible(page, where: str) -> None:  # type: ignore[no-untyped-def]
        # Gathered, so one run lists every page's violations, not just the first page's.
        found.extend(f"{where}: {line}" for line in severe_violations(page))

    host = new_page(browser, "en-GB")
    host.goto(server.url)
    host.wait_for_selector("body[data-ready=true]")
    assert_accessible(host, "home")
    # The language switch rebuilds its buttons: the keyboard stays on the one pressed.
    headings = {"da": "Ledelse er en holdsport", "en": "Leadership is a team sport"}
    for language, heading in headings.items():
        host.locator(f"#language-switch [data-language={language}]").focus()
        host.keyboard.press("Enter")
        expect(host.get_by_role("heading", name=heading)).to_be_visible()
        expect(host.locator(f"#language-switch [data-language={language}]")).to_be_focused()
    host.goto(f"{server.url}/library")
    host.locator("#library").wait_for()
    assert_accessible(host, "library")
    host.goto(f"{server.url}/account")
    host.locator("#sign-up-form").wait_for()
    assert_accessible(host, "sign in / sign up")
    sign_up_in(host, server.url)
    assert_accessible(host, "account")

    code = create_session_in(host, server.url, "Leaders", admission="host")
    add_phase_in(host, "breakout", "Troika", 1)
    screen = new_page(browser, "en-GB", width=1600)
    screen.goto(host.locator("#display-link").inner_text())
    screen.locator("#session-title").wait_for()
    assert_accessible(screen, "room display")

    guest = new_page(browser, "da-DK")
    guest.goto(f"{server.url}/j/{code}")
    guest.fill("input[name=display_name]", "Bo")
    guest.locator("#join-details button[type=submit]").click()
    guest.locator("#waiting-room").wait_for()
    assert_accessible(guest, "at the door")
    host.locator("#door").wait_for()
    assert_accessible(host, "facilitator with someone at the door")
    host.locator("#door li", has_text="Bo").get_by_role("button", name="Let in").click()
    guest.locator("#session-title").wait_for()
    host.select_option("#admission", "code")
    expect(host.locator("#admission")).to_have_value("code")
    cecilie = join_in(browser, server.url, code, "Cecilie", "en-GB")
    host.locator("#participants li", has_text="Cecilie").get_by_role(
        "button", name="Make co-facilitator"
    ).click()
    cecilie.locator("#start-session").wait_for()

    host.get_by_role("button", name="Start session").click()
    guest.locator("#breakout-card").wait_for()
    assert_accessible(guest, "participant in a breakout")
    assert_accessible(cecilie, "co-facilitator in a breakout")
    assert_accessible(host, "facilitator in a breakout")
    assert_accessible(screen, "room display in a breakout")
    guest.get_by_role("button", name="Min notesbog").click()
    guest.locator("#notebook-now").wait_for()
    assert_accessible(guest, "notebook")

    host.locator("#end-session").click()
    host.locator("#end-confirm").click()
    guest.locator("#open-summary").click()
    guest.locator("#summary-title").wait_for()
    assert_accessible(guest, "summary")
    host.goto(server.url)
    host.locator("a[href^='/g/']").first.click()
    host.locator("h1").first.wait_for()
    assert_accessible(host, "group page")
    # Asked to confirm a deletion and cancelled: the focus is back on the button.
    host.get_by_role("button", name="Delete group").click()
    host.locator(".confirm").get_by_role("button", name="Cancel").press("Enter")
    expect(host.get_by_role("button", name="Delete group")).to_be_focused()
    assert not found, "\n".join(found)


def focused(page) -> str:  # type: ignore[no-untyped-def]
    """The focused element as `tag#id: text`; `body` when the focus fell off the page."""
    return str(
        page.evaluate(
            "() => { const e = document.activeElement; return e === document.body ? 'body'"
            " : `${e.tagName.toLowerCase()}#${e.id}: ${e.textContent.trim()}`; }"
        )
    )


def test_focus_stays_put_and_only_the_timer_and_turns_are_announced(browser, server):
    host = new_page(browser, "en-GB")
    code = create_session_in(host, server.url, "Leaders")
    bo = join_in(browser, server.url, code, "Bo", "da-DK")
    # A round first: two speakers, two minutes each.
    add_phase_in(host, "round", "Check-in", 4)
    host.fill("#board-open-form input[name=threshold]", "2")
    host.locator("#open-board").click()
    host.get_by_role("button", name="Start session").click()
    expect(bo.locator("#turns li.speaking")).to_contain_text("Anne")
    expect(host.locator("#announce-turn")).to_have_text("It is your turn to speak")

    # The page is no live region; the countdown is a timer, which screen readers keep quiet.
    assert bo.evaluate("() => document.querySelector('[aria-live] main, main[aria-live]')") is None
    expect(bo.get_by_role("timer", name="Tid tilbage")).to_have_id("countdown")
    expect(bo.locator("#announce-timer")).to_be_empty()

    # The facilitator takes time away: the one-minute warning, then time up, are announced.
    host.fill("#extend-custom", "-1")
    add = host.get_by_role("button", name="Add minutes")
    add.click()
    warned = {"timeout": 15_000}
    expect(bo.locator("#announce-timer")).to_have_text("Mindre end et minut tilbage", **warned)
    expect(host.locator("#announce-timer")).to_have_text("Less than a minute left", **warned)
    assert focused(host) == "button#: Add minutes"
    add.click()
    expect(bo.locator("#announce-timer")).to_have_text("Tiden er gået", **warned)
    expect(bo.locator("#announce-timer")).to_have_attribute("aria-live", "assertive")

    # Raising and lowering a hand by keyboard: the focus moves to the button that replaced it.
    bo.locator("#raise-hand").focus()
    bo.keyboard.press("Enter")
    expect(bo.locator("#lower-hand")).to_be_focused()
    bo.keyboard.press("Enter")
    expect(bo.locator("#raise-hand")).to_be_focused()

    # Who speaks changes: said politely, to the speaker in their own words.
    expect(bo.locator("#announce-turn")).to_have_attribute("aria-live", "polite")
    bo.keyboard.press("Enter")
    host.locator("#hands li", has_text="Bo").get_by_role("button", name="Give the floor").click()
    expect(bo.locator("#announce-turn")).to_have_text("Det er din tur til at tale")
    expect(host.locator("#announce-turn")).to_have_text("Bo is speaking now")
    host.locator("#hands li", has_text="Bo").get_by_role("button", name="Lower", exact=True).click()
    expect(host.locator("#announce-turn")).to_have_text("It is your turn to speak")
    expect(bo.locator("#announce-turn")).to_have_text("Anne har ordet nu")
    host.locator("#agenda-next").click()
    expect(bo.locator("#announce-turn")).to_have_text("Det er din tur til at tale")
    expect(host.locator("#announce-turn")).to_have_text("Bo is speaking now")
    assert focused(host).startswith("button#agenda-next")

    # Posting keeps the focus in the form; reacting keeps it on the reaction.
    for page, text in ((host, "Asking late"), (bo, "Saying yes to everything")):
        page.locator("#board textarea[name=post-0]").fill(text)
        send = page.locator("#board form.write").first.locator("button[type=submit]")
        send.focus()
        page.keyboard.press("Enter")
        expect(page.locator("#board li.post.own")).to_have_count(1)
        expect(send).to_be_focused()
    # The count that enables the reveal is told on the board's clock (rules.COUNT_SECONDS).
    counted = {"timeout": (rules.COUNT_SECONDS + 5) * 1000}
    expect(host.locator("#board-reveal")).to_be_enabled(**counted)
    host.locator("#board-reveal").click()
    reaction = host.locator("#board li.post:not(.own) button.reaction[data-kind=me_too]")
    reaction.focus()
    host.keyboard.press("Enter")
    expect(reaction).to_have_attribute("aria-pressed", "true")
    expect(reaction).to_be_focused()

    found = [f"facilitator: {line}" for line in severe_violations(host)]
    found += [f"participant: {line}" for line in severe_violations(bo)]
    assert not found, "\n".join(found)
