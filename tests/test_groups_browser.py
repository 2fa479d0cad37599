"""Facilitator accounts and the group's home in headless Chromium: a session run from
a second device, and a group's page: its sessions, planning the next one from the last
one's agenda, who presented, and the order that follows from it."""

from __future__ import annotations

import pytest
import requests
from playwright.sync_api import expect

from tests.browser import create_session_in, new_page, sign_in_in, sign_up_in
from tests.live_client import LiveClient, create_session, facilitator

pytestmark = pytest.mark.browser


def test_a_facilitator_runs_the_session_from_a_second_device(browser, server):
    laptop = new_page(browser, "en-GB")
    email = sign_up_in(laptop, server.url)
    code = create_session_in(laptop, server.url, "Leader group")
    expect(laptop.locator("#start-session")).to_be_visible()

    phone = new_page(browser, "en-GB", width=420)
    phone.goto(f"{server.url}/s/{code}")  # not signed in here: the join form
    expect(phone.locator("#join-details")).to_be_visible()
    sign_in_in(phone, server.url, email)
    phone.goto(server.url)
    phone.locator("#my-groups a", has_text="Leader group").click()
    phone.locator("#group-sessions a", has_text="Leader group").click()
    phone.select_option("#new-phase-kind", "round")  # the agenda, planned from the phone
    phone.fill("#new-phase-title", "Check-out")
    phone.fill("#new-phase-minutes", "1")
    phone.get_by_role("button", name="Add phase").click()
    expect(laptop.locator("#phases li").last).to_contain_text("Check-out")
    phone.get_by_role("button", name="Start session").click()
    for page in (laptop, phone):
        expect(page.locator("#phase-title")).not_to_have_text("Check-out")
    phone.locator("#agenda-next").click()
    expect(laptop.locator("#phase-title")).to_have_text("Check-out")
    expect(laptop.locator("#participants li")).to_have_count(1)  # one person, two devices

    phone.goto(f"{server.url}/account")
    phone.get_by_role("button", name="Sign out", exact=True).click()
    expect(phone.locator("#sign-in-link")).to_be_visible()
    phone.goto(f"{server.url}/s/{code}")
    expect(phone.locator("#join-details")).to_be_visible()  # no control left behind
    expect(laptop.locator("#agenda-next")).to_be_visible()  # the laptop goes on


def _member(url: str, code: str, name: str, key: str) -> LiveClient:
    body = {"join_code": code, "display_name": name, "language": "en", "member_key": key}
    joined = requests.post(f"{url}/api/join", json=body, timeout=10).json()
    return LiveClient(url, joined["token"]).connect()


def test_the_groups_page_plans_the_next_session_and_rotates_presenters(browser, server):
    url = server.url
    anne = facilitator(url)
    first = create_session(url, host=anne, title="March")
    keys = {"Bo": "bo-browser-key-0123456789", "Cy": "cy-browser-key-0123456789"}
    people = [_member(url, first["join_code"], name, key) for name, key in keys.items()]
    host = LiveClient(url, first["facilitator_token"]).connect()
    dilemmas = {"kind": "dilemma_round", "title": "Dilemmas", "minutes": 20, "position": 0}
    assert host.call("agenda:add_phase", dilemmas)["ok"]
    assert host.call("session:start")["ok"]  # Bo joined first: he presents
    assert host.call("session:end")["ok"]
    for client in (host, *people):
        client.disconnect()

    page = new_page(browser, "en-GB")
    sign_in_in(page, url, anne.email)  # type: ignore[attr-defined]
    page.goto(url)
    page.locator("#my-groups a", has_text="March").click()
    expect(page.locator("#group-sessions li")).to_have_count(1)
    expect(page.locator("#presenters li")).to_have_count(1)
    expect(page.locator("#presenters")).to_contain_text("Bo (March)")

    form = page.locator("#plan-form")
    form.locator("input[name=title]").fill("April")
    form.locator("#plan-from").select_option(label="The agenda of “March”")
    form.get_by_role("button", name="Plan session").click()
    planned = page.locator("#group-sessions li", has_text="April")
    expect(planned).to_contain_text("Planned")
    qr = planned.locator("img")
    expect(qr).to_have_attribute("src", f"/api/sessions/{_code_of(planned)}/qr.svg")
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=qr.element_handle())
    display = planned.get_by_role("link", name="Open the room display")
    assert "#display=" in str(display.get_attribute("href"))

    code = _code_of(planned)
    people = [_member(url, code, name, key) for name, key in keys.items()]
    try:
        planned.get_by_role("link", name="April").click()
        admit = page.locator("#door button.admit")
        expect(admit).to_have_count(2)  # a planned session lets in by hand
        admit.first.click()
        expect(admit).to_have_count(1)
        admit.first.click()
        expect(page.locator("#participants li")).to_have_count(3)
        page.get_by_role("button", name="Start session").click()
        # Cy has not presented yet: she goes first; Bo next; the facilitator last.
        expect(page.locator("#turns li")).to_have_count(3)
        turns = page.locator("#turns li").all_inner_texts()
        assert ["Cy" in turns[0], "Bo" in turns[1], "Anne" in turns[2]] == [True] * 3, turns
    finally:
        for client in people:
            client.disconnect()


def _code_of(item) -> str:  # type: ignore[no-untyped-def]
    return str(item.get_attribute("data-code"))
