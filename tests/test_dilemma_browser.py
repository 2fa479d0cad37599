"""A dilemma round in headless Chromium: who presents is on the list, and a presenter who
is skipped or passes hands over to the next presenter's first step."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser import create_session_in, join_in, new_page

pytestmark = pytest.mark.browser


def _row(page, name):  # type: ignore[no-untyped-def]
    return page.locator("#turns li", has_text=name)


def test_skip_and_pass_of_a_presenter_move_to_the_next_presenter(browser, server):
    host = new_page(browser, "en-GB")
    # The format's dilemma round has two presenters.
    code = create_session_in(host, server.url, "Leader group", format_key="peer_sparring")
    names = ("Bo", "Cecilie", "Dan")
    guests = {name: join_in(browser, server.url, code, name, "en-GB") for name in names}
    expect(host.locator("#participants li.present")).to_have_count(4)
    host.locator("#phases li").first.get_by_role("button", name="Remove").click()  # the check-in
    expect(host.locator("#phases li").first).to_contain_text("Dilemma round")
    host.get_by_role("button", name="Start session").click()

    # Two presenters, in order; the facilitator, who runs the round, last.
    cecilie = guests["Cecilie"]
    for page in (host, cecilie):
        expect(page.locator("#turns li")).to_have_count(4)
        expect(page.locator("#turns li.presenting")).to_have_count(2)
        expect(_row(page, "Bo")).to_contain_text("Presenter 1")
        expect(_row(page, "Cecilie")).to_contain_text("Presenter 2")
        expect(_row(page, "Dan")).to_contain_text("not presenting this round")
    expect(host.locator("#turns li").last).to_contain_text("Anne")

    # The facilitator picks presenters: Dan too, then not (a random order is offered too).
    presents = _row(host, "Dan").get_by_label("presents")
    presents.check()
    expect(_row(cecilie, "Dan")).to_contain_text("Presenter 3")
    presents.uncheck()
    expect(_row(cecilie, "Dan")).to_contain_text("not presenting this round")
    expect(host.get_by_role("button", name="Random order for those waiting")).to_be_visible()

    # The facilitator skips Bo while he presents: Cecilie presents, from the first step.
    _row(host, "Bo").get_by_role("button", name="Skip").click()
    for page in (host, cecilie):
        expect(page.locator("#turns li.speaking")).to_contain_text("Cecilie")
        expect(page.locator("#current-speaker")).to_have_text(
            "Cecilie's dilemma: Present your dilemma"
        )
        expect(_row(page, "Dan")).to_contain_text("Presenter 2")

    # Cecilie passes her own turn (her pass is hers, apart from the facilitator's tools).
    expect(cecilie.locator("#turns #pass-turn")).to_have_count(0)
    cecilie.locator(".my-turn #pass-turn").click()
    for page in (host, cecilie):
        expect(page.locator("#current-speaker")).to_have_text("Dan's dilemma: Present your dilemma")
        expect(page.locator("#turns li.presenting")).to_have_count(2)
        expect(_row(page, "Dan")).to_contain_text("Presenter 1")
        expect(_row(page, "Anne")).to_contain_text("Presenter 2")
        expect(_row(page, "Cecilie")).to_contain_text("passed")
    expect(_row(host, "Bo")).to_contain_text("skipped")
    host.screenshot(path=str(server.log_path.parent / "dilemma.png"), full_page=True)
