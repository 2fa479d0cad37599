"""A phase with presenters that brings no dilemma speaks its own words (issue 15): the
peer feedback of "Know yourself" runs as a round of presenters and steps, and no screen,
in English or Danish, calls it a dilemma."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser import create_session_in, join_in, new_page

pytestmark = pytest.mark.browser

DILEMMA = re.compile("dilemma", re.IGNORECASE)


def shown_text(page) -> str:  # type: ignore[no-untyped-def]
    """All text of the page, but for the facilitator's pick lists of every phase kind
    and every library question (the agenda editor's, not the phase's own words)."""
    return str(
        page.evaluate(
            """() => {
              const main = document.querySelector("main").cloneNode(true);
              main.querySelectorAll("select").forEach((list) => list.remove());
              return main.textContent;
            }"""
        )
    )


def test_the_peer_feedback_phase_never_says_dilemma(browser, server):
    host = new_page(browser, "en-GB")
    code = create_session_in(host, server.url, "Leader group", format_key="know_yourself")
    # The phases before the peer feedback go, so it runs first.
    phases = host.locator("#phases li")
    expect(phases).to_have_count(6)
    for remaining in (5, 4, 3, 2):
        phases.first.get_by_role("button", name="Remove").click()
        expect(phases).to_have_count(remaining)
    expect(phases.first).to_contain_text("Peer feedback")

    bo = join_in(browser, server.url, code, "Bo", language="en-GB")
    cecilie = join_in(browser, server.url, code, "Cecilie")
    expect(host.locator("#participants li.present")).to_have_count(3)
    host.get_by_role("button", name="Start session").click()

    # The facilitator presents last: Bo first.
    expect(host.locator("#current-speaker")).to_have_text(re.compile("^Bo's turn: "))
    expect(cecilie.locator("#current-speaker")).to_have_text(re.compile("^Tur: Bo – "))
    expect(cecilie.locator(".now .kind")).to_have_text("Feedback fra ledelseskollegerne")
    expect(bo.locator("#dilemma-title-form")).to_have_count(0)
    for page in (host, bo, cecilie):
        assert not DILEMMA.search(shown_text(page)), shown_text(page)

    for step in ("clarify", "reflect"):
        host.get_by_role("button", name="Next").click()
        expect(bo.locator("#current-speaker")).to_contain_text(
            "Clarifying questions" if step == "clarify" else "Peers give feedback"
        )
    expect(bo.locator("#listening-view")).to_contain_text("your peers give you feedback")
    for page in (host, bo, cecilie):
        assert not DILEMMA.search(shown_text(page)), shown_text(page)
    bo.screenshot(path=str(server.log_path.parent / "peer-feedback.png"), full_page=True)
