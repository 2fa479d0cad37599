"""The board in headless Chromium: two participants write; neither sees the other's post
before the reveal; both see both after it, with HTML shown as text."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from server.board import rules
from tests.browser import create_session_in, new_page

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
ASA = "Jeg glemte <b>mødet</b> med Åse 😅"
BO = "I never ask for help <script>alert(1)</script>"


def join_as(browser, server, code, name, language, width=1100):
    page = new_page(browser, language, width)
    page.goto(f"{server.url}/j/{code}")
    page.fill("input[name=display_name]", name)
    page.locator("#join-details button[type=submit]").click()
    expect(page.locator("#session-title")).to_have_text("Ledergruppen")
    return page


def write(page, text, button):
    column = page.locator(".board-column").first
    column.locator("textarea").fill(text)
    column.get_by_role("button", name=button, exact=True).click()


def test_nobody_sees_anothers_post_before_the_reveal_and_everyone_after(browser, server):
    host = new_page(browser, "en-GB")
    code = create_session_in(host, server.url, "Ledergruppen")
    host.get_by_role("button", name="Open board").click()  # the default threshold: 3
    expect(host.locator("#board h2")).to_contain_text("Anonymous board")
    display_link = host.locator("dd code").nth(1).inner_text()

    asa = join_as(browser, server, code, "Åse", "da-DK", width=390)  # a phone
    # Two present, fewer than three: a warning, and a step before anyone can write.
    expect(asa.locator("#board-warning")).to_contain_text("Anonymiteten kan ikke garanteres")
    expect(asa.locator("#board-threshold")).to_contain_text("Anonymitetsgrænse: 3.")
    expect(asa.locator(".board-column textarea")).to_have_count(0)
    asa.get_by_role("button", name="Jeg forstår – lad mig skrive").first.click()
    expect(asa.locator(".board-column textarea")).to_have_count(3)
    bo = join_as(browser, server, code, "Bo", "en-GB")
    screen = new_page(browser, "en-GB", width=1600)
    screen.goto(display_link)
    for page in (asa, bo, host, screen):
        expect(page.locator("#board-warning")).to_have_count(0)  # three present now
    expect(screen.locator("#board textarea, #board button")).to_have_count(0)  # read only

    write(asa, ASA, "Sæt på tavlen")
    write(bo, BO, "Post")
    expect(asa.locator(".post.own")).to_have_count(1)
    expect(asa.locator(".post-text")).to_have_text([ASA])
    expect(asa.locator(".post")).to_contain_text("Kun du kan se det")
    expect(bo.locator(".post-text")).to_have_text([BO])
    # The count is told once per window of the server's clock, not as people write.
    counted = (rules.COUNT_SECONDS + 5) * 1000
    expect(host.locator("#board-count")).to_contain_text("2 posts written.", timeout=counted)
    for page in (host, asa, bo):
        expect(page.locator("#board-count")).to_contain_text("2", timeout=counted)
    # The room display (projector view) shows the board under the join code until the start.
    expect(screen.locator("#projector-board")).to_contain_text("2 posts written.")
    expect(host.locator(".post")).to_have_count(0)
    expect(screen.locator(".post")).to_have_count(0)
    expect(asa.get_by_text(BO)).to_have_count(0)
    expect(bo.get_by_text(ASA)).to_have_count(0)
    expect(host.get_by_role("button", name="Reveal the board")).to_be_disabled()  # 2 of 3
    write(host, "Mine", "Post")

    reveal = host.get_by_role("button", name="Reveal the board")
    expect(reveal).to_be_enabled(timeout=counted)  # with the next count told
    reveal.click()
    shown_as = [(host, ".post-text"), (asa, ".post-text"), (bo, ".post-text"), (screen, ".post")]
    for page, text in shown_as:
        expect(page.locator(text)).to_have_count(3)
        texts = page.locator(text).all_inner_texts()
        assert sorted(texts) == sorted([ASA, BO, "Mine"])
        assert page.locator(f"{text} b, {text} script").count() == 0
    expect(asa.locator(".post.own .post-text")).to_have_text(ASA)
    expect(bo.locator(".post.own .post-text")).to_have_text(BO)
    # Reactions: Bo thanks Åse's post; everyone sees the count, nobody sees who.
    bo.locator(".post", has_text="mødet").get_by_role("button", name="Thank you 0").click()
    expect(host.locator(".post", has_text="mødet")).to_contain_text("Thank you 1")
    ARTIFACTS.mkdir(exist_ok=True)
    asa.screenshot(path=str(ARTIFACTS / "board-phone.png"), full_page=True)
    host.screenshot(path=str(ARTIFACTS / "board-facilitator.png"), full_page=True)
    screen.screenshot(path=str(ARTIFACTS / "board-display.png"), full_page=True)

    # After the reveal a post waits for a batch of three people; Åse is told that the
    # end of the board would drop it, and, when it ends before a batch, that it did.
    write(asa, "Skrevet for sent", "Sæt på tavlen")
    waiting = asa.locator(".post.waiting")
    expect(waiting).to_contain_text("Slutter tavlen før, bliver det aldrig vist.")
    host.get_by_role("button", name="End the board").click()
    expect(asa.locator("#board-dropped")).to_have_text(
        "1 af dine opslag blev aldrig vist: Tavlen sluttede, før nok deltagere havde skrevet noget "
        "nyt til en pulje."
    )
    expect(waiting).to_contain_text("Aldrig vist")
    expect(waiting).to_contain_text("Skrevet for sent")
    for page in (bo, host):
        expect(page.locator("#board")).to_have_attribute("data-status", "closed")
        expect(page.locator("#board-dropped")).to_have_count(0)
    expect(screen.locator("#projector-board")).to_have_count(0)  # a closed board leaves it
    for page in (bo, host, screen):
        expect(page.get_by_text("Skrevet for sent")).to_have_count(0)

    # A board that ends before its reveal: the next board deletes its posts, and says so.
    host.get_by_role("button", name="Open board").click()
    expect(asa.locator("#board")).to_have_attribute("data-status", "open")
    write(asa, "Aldrig afsløret", "Sæt på tavlen")
    expect(asa.locator(".post.waiting")).to_have_count(1)
    host.get_by_role("button", name="End the board").click()
    expect(host.locator("#board")).to_have_attribute("data-status", "closed")
    host.get_by_role("button", name="Open board").click()
    expect(asa.locator("#board-dropped-earlier")).to_have_text(
        "1 af dine opslag på den forrige tavle blev aldrig vist: Tavlen sluttede, før "
        "opslagene blev vist for alle, og nu er de slettet."
    )
    expect(bo.locator("#board")).to_have_attribute("data-status", "open")
    expect(bo.locator("#board-dropped-earlier")).to_have_count(0)
