"""Typing while others act, in headless Chromium: in every editable field of the live
session page, for the facilitator and for a participant, at every phase, the text, the
focus and the caret stay where the person left them while other people's events arrive,
and the typing goes on from there. The fields are found with a query, so a new field is
covered without touching this test."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.live_client import LiveClient, create_session, join

pytestmark = pytest.mark.browser

FIELDS = "input, textarea, select, [contenteditable]"
TYPED = {"text", "search", "email", "url", "tel", "password", "number", ""}
LOCATIONS = {"room": "in the room", "remote": "remote"}
# What a field holds, whether it has the focus, and its caret (none in a number field).
STATE = """(el) => ({
    focused: document.activeElement === el,
    connected: el.isConnected,
    value: el.isContentEditable ? el.textContent
        : ["checkbox", "radio"].includes(el.type) ? String(el.checked) : el.value,
    caret: (() => {
        try { return [el.selectionStart, el.selectionEnd]; } catch { return null; }
    })(),
})"""
KIND = "(el) => el.isContentEditable ? 'text' : el.tagName === 'INPUT' ? el.type : el.tagName"
PHASES = [
    ("board", "Mistakes I learned from"),
    ("dilemma_round", "A dilemma"),
    ("pulse", "How are we doing"),
    ("breakout", "In trios"),
    ("discussion", "Open floor"),
]


def _page_with(browser, url: str, code: str, token: str):  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="en-GB", viewport={"width": 1100, "height": 900})
    context.add_init_script(f"localStorage.setItem('holdsport:token:{code}', {token!r})")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{url}/s/{code}")
    page.locator("#session-title").wait_for()
    return page


class Others:
    """Other people's events: the host's second device edits the agenda, and a
    participant's phone says where she is, now in the room, now remote."""

    def __init__(self, url: str, host_token: str, bo_token: str) -> None:
        self.host = LiveClient(url, host_token, "en", transports=["websocket"]).connect()
        self.bo = LiveClient(url, bo_token, "en", transports=["websocket"]).connect()
        self.bo_id = self.bo.state["you"]["participant_id"]  # type: ignore[index]
        self.turn = 0

    def act(self, page) -> None:  # type: ignore[no-untyped-def]
        """Events for `page`, waited for on it without touching its focus."""
        self.turn += 1
        last = self.host.state["agenda"]["phases"][-1]  # type: ignore[index]
        if last["status"] == "pending":
            change = {"phase_id": last["id"], "minutes": 10 + self.turn % 2}
            assert self.host.call("agenda:update_phase", change)["ok"]
        where = "room" if self.turn % 2 else "remote"
        assert self.bo.call("participant:set_location", {"location": where})["ok"]
        row = page.locator(f'#participants li[data-participant-id="{self.bo_id}"]')
        expect(row).to_contain_text(LOCATIONS[where])

    def close(self) -> None:
        self.host.disconnect()
        self.bo.disconnect()


def _state(page, field):  # type: ignore[no-untyped-def]
    return page.evaluate(STATE, field)


def _describe(page, field) -> str:  # type: ignore[no-untyped-def]
    return str(page.evaluate("(el) => el.outerHTML.slice(0, 160)", field))


def _type_in_every_field(page, others: Others) -> list[str]:  # type: ignore[no-untyped-def]
    """Each visible, enabled field of `page` in turn; the fields tried. Text typed and
    left in a field (not sent) is still there when the others have been typed in."""
    tried = []
    left = []
    # "I understand, let me write", in one go: a gate may go by itself between a listing
    # and a click (someone arrives, the board has enough people present).
    page.evaluate("() => document.querySelectorAll('.write-gate button').forEach((b) => b.click())")
    for field in page.query_selector_all(FIELDS):
        if not field.is_visible() or not field.is_enabled() or not field.is_editable():
            continue
        what = _describe(page, field)
        kind = page.evaluate(KIND, field)
        field.focus()
        if kind in TYPED:
            page.keyboard.press("ControlOrMeta+A")
            page.keyboard.press("Backspace")
            page.keyboard.type("1" if kind == "number" else "abcd")
            if kind != "number":
                page.keyboard.press("ArrowLeft")
                page.keyboard.press("ArrowLeft")
        before = _state(page, field)
        others.act(page)
        after = _state(page, field)
        assert after == before, f"{what}\nbefore {before}\nafter  {after}"
        if kind in TYPED:  # the typing goes on where it was
            page.keyboard.type("2" if kind == "number" else "X")
            expected = "12" if kind == "number" else "abXcd"
            assert _state(page, field)["value"] == expected, what
            if kind != "number":  # a number is sent when it loses the focus
                left.append((field, expected, what))
        tried.append(what)
    page.locator("#session-title").focus()
    others.act(page)
    for field, expected, what in left:
        state = _state(page, field)
        assert state["connected"] and state["value"] == expected, f"{what}: {state}"
    return tried


# Choices the facilitator makes in forms not sent yet; each must still be made after
# the others' events (morph.js keeps a select's option and a box's tick, as typed text).
CHOICES = {
    "#new-phase-kind": "round",  # shows the speaking order
    "#new-phase-where": "first",
    "#board-open-form select[name=mode]": "live",
}
CHOSEN = """(choices) => Object.entries(choices)
    .map(([s, v]) => document.querySelector(s)?.value === v)
    .concat([document.querySelector("#board-open-form input[name=named]")?.checked])"""


def _choose(page) -> None:  # type: ignore[no-untyped-def]
    for selector, value in CHOICES.items():
        page.select_option(selector, value)
    page.check("#board-open-form input[name=named]")


def test_typing_survives_other_peoples_events_in_every_field(browser, server):
    created = create_session(server.url, language="en")
    code = created["join_code"]
    host_token = created["facilitator_token"]
    others = Others(server.url, host_token, join(server.url, code, "Bo")["token"])
    for kind, title in PHASES:
        reply = others.host.call("agenda:add_phase", {"kind": kind, "title": title, "minutes": 5})
        assert reply["ok"], reply
    breakout = others.host.state["agenda"]["phases"][-2]  # type: ignore[index]
    assert others.host.call(
        "agenda:update_phase", {"phase_id": breakout["id"], "board_groups": True}
    )["ok"]
    host = _page_with(browser, server.url, code, host_token)
    guest = _page_with(browser, server.url, code, join(server.url, code, "Cecilie")["token"])

    for page in (host, guest):
        page.locator("#notebook-toggle").click()
    _choose(host)
    tried = _type_in_every_field(host, others) + _type_in_every_field(guest, others)
    assert all(host.evaluate(CHOSEN, CHOICES)), host.evaluate(CHOSEN, CHOICES)
    assert others.host.call("session:start")["ok"]
    typed_in: set[int] = set()  # the phases typed in: once each (a round has many turns)
    while (phase_id := others.host.state["agenda"]["current"]["phase_id"]) is not None:  # type: ignore[index]
        if phase_id not in typed_in:
            typed_in.add(phase_id)
            tried += _type_in_every_field(host, others) + _type_in_every_field(guest, others)
        segment = others.host.state["agenda"]["segment"]  # type: ignore[index]
        assert others.host.call("agenda:next", {"segment": segment})["ok"]
        others.host.wait_for(lambda s=segment: others.host.state["agenda"]["segment"] != s)  # type: ignore[index]
    others.close()
    shown = "\n".join(tried)
    for field in (
        'id="new-phase-title"',  # the agenda editor's own fields...
        'class="minutes-input"',  # ...and each phase's minutes and board threshold (no id)
        'name="post-0"',  # a board post
        'id="notebook-now"',
        'id="action-text"',
        'id="extend-custom"',
        'type="radio"',  # the pulse
        'id="new-phase-kind"',  # the new phase's kind, order and place
        'id="new-phase-order"',
        'id="new-phase-where"',
        'name="prompts"',  # the board to open: its prompts, mode, threshold and naming
        'name="named"',
        'id="action-owner"',
        'id="breakout-synthesis"',
    ):
        assert field in shown, f"{field} was never tried:\n{shown}"


def _board_with_two_posts(browser, server):  # type: ignore[no-untyped-def]
    """A running session whose board (reveal mode, k = 2) holds a post Cecilie wrote on
    her page and one of Bo's: the session, the others' clients and Cecilie's page."""
    created = create_session(server.url, language="en")
    code = created["join_code"]
    others = Others(server.url, created["facilitator_token"], join(server.url, code, "Bo")["token"])
    reply = others.host.call(
        "agenda:add_phase", {"kind": "discussion", "title": "Talk", "minutes": 5}
    )
    assert reply["ok"], reply
    guest = _page_with(browser, server.url, code, join(server.url, code, "Cecilie")["token"])
    assert others.host.call("session:start")["ok"]
    assert others.host.call("board:open", {"prompts": ["One", "Two"], "threshold": 2})["ok"]
    write = guest.locator("#board form.write").first
    write.locator("textarea").fill("Mine, to be edited")
    write.get_by_role("button", name="Post").click()
    expect(guest.locator("#board li.own")).to_have_count(1)
    assert others.bo.call("board:post", {"prompt": 1, "text": "Bo's", "secret": "s" * 43})["ok"]
    return created, others, guest


def test_typing_survives_in_the_board_forms_of_a_revealed_board(browser, server):
    """The forms a revealed board adds: the facilitator's new group of posts, and a
    person's own post being edited, while others' events arrive."""
    created, others, guest = _board_with_two_posts(browser, server)
    host = _page_with(browser, server.url, created["join_code"], created["facilitator_token"])
    assert others.host.call("board:reveal")["ok"]
    # The reveal moves the post into the shown list: clicked before it arrives, the
    # button may be replaced under the click.
    expect(guest.locator("#board li.post:not(.own)")).to_have_count(1)
    guest.locator("#board li.own").get_by_role("button", name="Edit").click()
    expect(guest.locator('textarea[data-draft^="board-edit:"]')).to_be_visible()
    expect(host.locator("#add-cluster")).to_be_visible()

    tried = _type_in_every_field(host, others) + _type_in_every_field(guest, others)
    # A refused command's error stays on screen while others' events arrive.
    host.fill("#add-cluster input", "   ")
    host.locator("#add-cluster button").click()
    error = host.locator("#board-error")
    expect(error).to_be_visible()
    said = error.inner_text()
    assert said
    others.act(host)
    expect(error).to_have_text(said)
    others.close()
    shown = "\n".join(tried)
    for field in ('name="cluster"', 'data-draft="board-edit:', 'name="post-1"'):
        assert field in shown, f"{field} was never tried:\n{shown}"


def test_an_edit_under_way_survives_the_reveal(browser, server):
    """Someone edits their post when the facilitator reveals the board: the post moves
    into the shown list, and the edit goes on with what was typed, focus and all."""
    _, others, guest = _board_with_two_posts(browser, server)
    guest.locator("#board li.own").get_by_role("button", name="Edit").click()
    field = guest.locator('textarea[data-draft^="board-edit:"]')
    field.fill("Changed while the reveal comes")
    assert others.host.call("board:reveal")["ok"]
    expect(guest.locator("#board li.post:not(.own)")).to_have_count(1)
    expect(field).to_have_value("Changed while the reveal comes")
    expect(field).to_be_focused()
    others.close()
