"""The room display as a projector shows it, in headless Chromium at 1280×720 and
3840×2160: the join QR code (an SVG from the server) and the short link before the start;
then the phase, the speaker's first name and the board, only as revealed. No organisation,
nobody away; the join code in full again when a host asks; the session's language, not
the projector browser's; side by side once someone present joined in another language.
People act through the protocol (live clients), so only the display runs in a browser."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser import new_page
from tests.live_client import LiveClient, create_session, join

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
SIZES = [(1280, 720), (3840, 2160)]
ORGANISATION = "Aarhus Kommune"
UNREVEALED = "Written after the reveal, waiting for a batch"

# Everything on one screen (no scrolling, nothing past an edge) and no two of the given
# blocks on top of each other; the offending selectors, or [].
LAYOUT_PROBLEMS = """(selectors) => {
  const problems = [];
  const root = document.documentElement;
  if (root.scrollWidth > innerWidth || root.scrollHeight > innerHeight) problems.push("scrolls");
  const boxes = selectors.map((s) => [s, document.querySelector(s)?.getBoundingClientRect()]);
  for (const [s, box] of boxes) {
    if (!box || !box.width || !box.height) problems.push(`${s} missing`);
    else if (box.left < 0 || box.top < 0 || box.right > innerWidth || box.bottom > innerHeight)
      problems.push(`${s} cut off`);
  }
  for (const [i, [a, one]] of boxes.entries()) for (const [b, two] of boxes.slice(i + 1)) {
    if (one && two && one.left < two.right - 1 && two.left < one.right - 1
        && one.top < two.bottom - 1 && two.top < one.bottom - 1) problems.push(`${a} over ${b}`);
  }
  return problems;
}"""
# The font size of the smallest text on the display, in CSS pixels.
SMALLEST_TEXT = """() => Math.min(...[...document.querySelectorAll("#projector *")]
  .filter((e) => [...e.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim()))
  .map((e) => parseFloat(getComputedStyle(e).fontSize)))"""
BEFORE = ["#session-title", "#projector-languages", "#join-qr", ".join-text", "#projector-people"]
DURING = [
    "#session-title",
    "#phase-title",
    "#current-speaker",
    "#countdown",
    "#join-qr",
    "#projector-board",
]


def at_each_size(page, blocks: list[str], name: str) -> None:  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(exist_ok=True)
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        assert page.evaluate(LAYOUT_PROBLEMS, blocks) == [], (width, height)
        size = page.locator("#session-title").evaluate(
            "e => parseFloat(getComputedStyle(e).fontSize)"
        )
        assert size >= height / 20  # large type: a twentieth of the screen's height
        assert page.evaluate(SMALLEST_TEXT) >= height / 55  # and no small print
        page.screenshot(path=str(ARTIFACTS / f"projector-{name}-{width}x{height}.png"))


def post(client: LiveClient, text: str) -> None:
    body = {"prompt": 0, "text": text, "secret": secrets.token_urlsafe(32)}
    assert client.call("board:post", body)["ok"]


def opened(clients, client: LiveClient) -> LiveClient:  # type: ignore[no-untyped-def]
    clients.append(client.connect())  # closed together at the end (the `clients` fixture)
    return client


def test_the_projector_shows_the_room_what_it_may_see_at_two_sizes(browser, server, clients):
    host = create_session(server.url, title="Leaders", language="en")
    anne = opened(clients, LiveClient(server.url, host["facilitator_token"], "en"))
    code = host["join_code"]
    people = {
        name: LiveClient(
            server.url, join(server.url, code, name, "en", organisation=ORGANISATION)["token"]
        ).connect()
        for name in ("Bo Berg", "Cecilie Ahl", "Dag Dal")
    }
    people.pop("Dag Dal").disconnect()  # away from now on
    anne.wait_for(lambda: ("Dag Dal", False) in anne.people())

    screen = new_page(browser, "da-DK")  # the projector's browser reads Danish
    screen.goto(f"{server.url}/s/{code}#display={host['display_key']}")
    join_link = screen.locator("#projector-join-link")
    expect(join_link).to_have_text(f"{server.url.split('://')[1]}/j/{code}")
    expect(screen.locator("#projector-join")).to_contain_text("Scan the code or open")  # English
    expect(screen.locator("#join-qr svg path").first).to_be_attached()
    expect(screen.locator("#projector")).to_have_attribute("data-languages", "en")
    expect(screen.locator("#projector-people li")).to_have_text(["Anne", "Bo", "Cecilie"])
    at_each_size(screen, BEFORE, "arriving")

    assert anne.call("session:start")["ok"]
    assert anne.call("board:open", {"prompts": ["What we learned"], "threshold": 2})["ok"]
    post(people["Bo Berg"], "Ask before the deadline")
    post(people["Cecilie Ahl"], "Say it early")
    assert anne.call("board:reveal")["ok"]
    post(people["Bo Berg"], UNREVEALED)  # waits for a batch of three people: never comes
    posts = screen.locator("#projector-board .post")
    expect(posts).to_have_count(2)
    # A later change reaches the display; the waiting post still does not.
    assert people["Cecilie Ahl"].call("hand:raise")["ok"]
    hand = anne.call("session:sync")["snapshot"]["agenda"]["hands"][0]["id"]
    assert anne.call("hand:give_word", {"hand_id": hand})["ok"]
    expect(screen.locator("#current-speaker")).to_have_text("Speaking: Cecilie")
    expect(screen.locator("#phase-title")).to_have_text("Open session")
    expect(screen.locator("#join-qr svg")).to_be_attached()  # for whoever comes late
    page_text = screen.locator("body").inner_text()
    assert "Ask before the deadline" in page_text and UNREVEALED not in page_text
    assert ORGANISATION not in screen.content() and "Dag" not in page_text
    at_each_size(screen, DURING, "running")

    # A host puts the join code up in full again, for a second wave of people.
    assert anne.call("session:show_join", {"show": True})["ok"]
    expect(screen.locator("#projector-join.large")).to_be_visible()
    expect(screen.locator("#projector-now")).to_have_count(0)
    assert anne.call("session:show_join", {"show": False})["ok"]
    expect(screen.locator("#projector-join.large")).to_have_count(0)

    # Someone present joined in Danish: the session's English first, Danish beside it.
    opened(clients, LiveClient(server.url, join(server.url, code, "Erik", "da")["token"]))
    expect(screen.locator("#projector")).to_have_attribute("data-languages", "en da")
    expect(screen.locator("#phase-title [lang=da]")).to_have_text("Åben session")
    at_each_size(screen, DURING, "bilingual")
    # Picked on the display, one language stays, the browser's own choice untouched.
    screen.locator("#projector-languages [data-language=da]").click()
    expect(screen.locator("#projector")).to_have_attribute("data-languages", "da")
    expect(screen.locator("#current-speaker")).to_have_text("Har ordet: Cecilie")


def test_the_seating_plan_on_the_wall_shows_nobody_who_has_left(browser, server, clients):
    """Issue 13: the plan keeps who it seated; the projector puts up only those present."""
    host = create_session(server.url, title="Leaders", language="en")
    anne = opened(clients, LiveClient(server.url, host["facilitator_token"], "en"))
    code = host["join_code"]
    bo, gudrun = (
        opened(clients, LiveClient(server.url, join(server.url, code, name, "en")["token"]))
        for name in ("Bo Berg", "Gudrun Gone")
    )
    pairs = {"kind": "breakout", "title": "Pairs", "minutes": 5, "position": 0}
    assert anne.call("agenda:add_phase", pairs)["ok"]
    assert anne.call("session:start")["ok"]
    screen = new_page(browser, "en-GB")
    screen.goto(f"{server.url}/s/{code}#display={host['display_key']}")
    plan = screen.locator("#breakout-plan li")
    expect(plan).to_have_text(["Group 1: Bo, Gudrun"])
    gudrun.disconnect()  # she leaves; her seat stays in the plan
    anne.wait_for(lambda: ("Gudrun Gone", False) in anne.people())
    expect(plan).to_have_text(["Group 1: Bo"])
    screen.reload()  # a fresh snapshot neither names her
    expect(plan).to_have_text(["Group 1: Bo"])
    assert "Gudrun" not in screen.locator("#projector").inner_text()
    assert bo.state["breakouts"]["rounds"][0]["plan"][0]["members"]
