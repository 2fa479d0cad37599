"""One person, several devices, in headless Chromium: a participant moves to a second
browser mid-session with the link their own screen shows, and continues there as the same
person; and what someone types survives a closed tab."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser import create_session_in, join_in, new_page

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"


def let_me_write(page):
    page.locator(".write-gate button").first.click()
    return page.locator(".board-column textarea").first


def test_a_participant_moves_to_another_device_and_stays_the_same_person(browser, server):
    host = new_page(browser, "en-GB")
    code = create_session_in(host, server.url, "Ledergruppen")
    host.get_by_role("button", name="Open board").click()
    laptop = join_in(browser, server.url, code, "Åse", "en-GB")
    let_me_write(laptop).fill("Written on the laptop")
    laptop.locator(".board-column").first.get_by_role("button", name="Post").click()
    expect(laptop.locator(".post.own")).to_have_count(1)

    laptop.get_by_role("button", name="Use on another device").click()
    dialog = laptop.locator("#device-dialog")
    expect(dialog.locator("#device-qr svg.qr")).to_have_count(1)  # the server's QR code
    link = dialog.locator("#device-link").inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    laptop.screenshot(path=str(ARTIFACTS / "device-move-dialog.png"))
    assert link.startswith(f"{server.url}/s/{code}#move=")
    dialog.get_by_role("button", name="Close").click()
    expect(laptop.locator("#use-elsewhere")).to_be_focused()

    phone = new_page(browser, "en-GB", width=390)
    phone.goto(link)
    expect(phone.locator("#session-title")).to_have_text("Ledergruppen")
    assert "#" not in phone.url  # the code does not stay in the address bar
    # One person, present once, on every screen; the new device is "You".
    for page in (host, phone, laptop):
        expect(page.locator("#participants li")).to_have_count(2)
        expect(page.locator("#present-count")).to_have_text("2 present")
    expect(phone.locator("#participants li", has_text="Åse")).to_contain_text("You")
    # Her own post is hers on the phone too, and she writes from it.
    expect(phone.locator(".post.own .post-text")).to_have_text(["Written on the laptop"])
    let_me_write(phone).fill("Written on the phone")
    phone.locator(".board-column").first.get_by_role("button", name="Post").click()
    expect(phone.locator(".post.own")).to_have_count(2)
    expect(laptop.locator("#connection")).to_have_attribute("data-state", "online")
    # The laptop shows the phone's post at once, without a reload ...
    expect(laptop.locator(".post.own .post-text")).to_have_text(
        ["Written on the laptop", "Written on the phone"]
    )
    # ... and the phone edits the laptop's post, which changes on the laptop too.
    post_id = phone.locator(".post.own", has_text="Written on the laptop").get_attribute(
        "data-post-id"
    )
    written_there = phone.locator(f'.post.own[data-post-id="{post_id}"]')
    written_there.get_by_role("button", name="Edit").click()
    written_there.locator("textarea").fill("Edited on the phone")
    written_there.get_by_role("button", name="Save").click()
    for page in (phone, laptop):
        expect(page.locator(".post.own .post-text")).to_have_text(
            ["Edited on the phone", "Written on the phone"]
        )
    # The laptop deletes the phone's post: gone from both.
    laptop.locator(".post.own", has_text="Written on the phone").get_by_role(
        "button", name="Delete"
    ).click()
    for page in (phone, laptop):
        expect(page.locator(".post.own .post-text")).to_have_text(["Edited on the phone"])
    phone.screenshot(path=str(ARTIFACTS / "device-move-phone-edited.png"))
    # The host saw none of it: before the reveal, only the count.
    expect(host.locator(".post")).to_have_count(0)

    # The phone is closed; meanwhile the laptop edits one of her posts, deletes another
    # and writes a third. Opened again, the phone's own posts are the server's.
    write_field = laptop.locator(".board-column textarea").first  # the gate is passed
    write_field.fill("Deleted while the phone was away")
    laptop.locator(".board-column").first.get_by_role("button", name="Post").click()
    expect(phone.locator(".post.own")).to_have_count(2)
    phone_context = phone.context
    phone.close()
    edited = laptop.locator(f'.post.own[data-post-id="{post_id}"]')
    edited.get_by_role("button", name="Edit").click()
    edited.locator("textarea").fill("Edited on the laptop")
    edited.get_by_role("button", name="Save").click()
    laptop.locator(".post.own", has_text="Deleted while").get_by_role(
        "button", name="Delete"
    ).click()
    write_field.fill("Written while the phone was away")
    laptop.locator(".board-column").first.get_by_role("button", name="Post").click()
    mine = ["Edited on the laptop", "Written while the phone was away"]
    expect(laptop.locator(".post.own .post-text")).to_have_text(mine)
    phone = phone_context.new_page()
    phone.goto(f"{server.url}/s/{code}")
    expect(phone.locator(".post.own .post-text")).to_have_text(mine)

    # The link worked once: a third browser is told so, in words.
    again = new_page(browser, "en-GB")
    again.goto(link)
    expect(again.locator(".error[role=alert]")).to_contain_text("already been used")
    expect(host.locator("#participants li")).to_have_count(2)


def test_a_draft_survives_a_closed_tab_and_goes_once_sent(browser, server):
    host = new_page(browser, "en-GB")
    code = create_session_in(host, server.url, "Ledergruppen")
    host.get_by_role("button", name="Open board").click()
    page = join_in(browser, server.url, code, "Bo", "en-GB")
    let_me_write(page).fill("Half a thought")
    context = page.context
    page.close()

    reopened = context.new_page()
    reopened.goto(f"{server.url}/s/{code}")
    field = let_me_write(reopened)
    expect(field).to_have_value("Half a thought")
    reopened.locator(".board-column").first.get_by_role("button", name="Post").click()
    expect(reopened.locator(".post.own")).to_have_count(1)
    expect(field).to_have_value("")
    reopened.close()

    last = context.new_page()
    last.goto(f"{server.url}/s/{code}")
    expect(let_me_write(last)).to_have_value("")
    expect(last.locator(".post.own")).to_have_count(1)
