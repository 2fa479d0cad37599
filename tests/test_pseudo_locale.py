"""Every page and every content item under a pseudo locale: any visible text that did not
come through a catalog (so stays outside ⟦…⟧) fails, except what people typed.

Text marked as deliberately untranslated is allowed only where it is not UI text: a
language's own name and the brand (translate="no"), and text in another language than
the page's (an element with its own lang, e.g. content shown side by side).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from server.content import library
from tests.browser import create_session_in, sign_up_in
from tests.pseudo import DUAL, PSEUDO_LANGUAGE, outside_brackets, pseudo, write_pseudo_catalog
from tests.support import ServerProcess

pytestmark = pytest.mark.browser
# What people type (title, group, names, organisations): shown as typed, in no catalog.
TYPED = [
    "Ledergruppen i Nordhavn",
    "Skoleledere Nord",
    "Anne",
    "Bo",
    "Region Øst",
    "Aarhus Kommune",
    "Cecilie",
    "Troika",
    "Spørg før fristen",
]
UNTRANSLATED_BY_DESIGN = {"Holdsport", "dansk", "English", PSEUDO_LANGUAGE}

VISIBLE_TEXT = """() => {
  const page = document.documentElement.lang;
  // An option of a closed select counts as shown when its select is.
  const shown = (el) => (el.closest("select") || el).checkVisibility();
  const texts = [], untranslated = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!node.textContent.trim() || el.closest("script, style") || !shown(el)) continue;
    const other = el.closest("[lang]");
    if (other && other.lang !== page) continue;
    (el.closest("[translate=no]") ? untranslated : texts).push(node.textContent);
  }
  for (const el of document.body.querySelectorAll("[placeholder], [title], [aria-label]")) {
    for (const name of ["placeholder", "title", "aria-label"]) {
      if (el.getAttribute(name)) texts.push(el.getAttribute(name));
    }
  }
  return { texts, untranslated };
}"""


@pytest.fixture
def server(database_url, tmp_path):
    translations = write_pseudo_catalog(tmp_path / "translations")
    process = ServerProcess(
        database_url,
        HOLDSPORT_ENV="test",
        HOLDSPORT_EXTRA_TRANSLATIONS_DIR=str(translations),
        HOLDSPORT_EXTRA_LANGUAGES=PSEUDO_LANGUAGE,
    )
    process.start()
    yield process
    process.stop()


def pseudo_page(browser):
    context = browser.new_context(locale="en-GB", viewport={"width": 1100, "height": 900})
    context.add_init_script(f"localStorage.setItem('holdsport:language', '{PSEUDO_LANGUAGE}')")
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def not_from_a_catalog(text: str) -> str:
    """What remains once catalog text and what people typed are taken out."""
    rest = outside_brackets(text)
    rest = re.sub(r"https?://\S+", "", rest)
    for typed in TYPED:
        rest = rest.replace(typed, "")
    rest = re.sub(r"\b[A-Z0-9]{6}\b", "", rest)  # a join code
    rest = re.sub(r"^\d+:\d{2}$", "", rest.strip())  # a countdown (minutes:seconds)
    return rest if re.search(r"[^\W_]", rest) else ""  # punctuation alone is layout


def untranslated_by_design(text: str) -> bool:
    """Language names (alone or side by side, "dansk + English"), the brand, a join code
    and the short join link the room display shows."""
    if all(part.strip() in UNTRANSLATED_BY_DESIGN for part in text.split("+")):
        return True
    return re.fullmatch(r"[A-Z0-9]{6}|\S+/j/[A-Z0-9]{6}", text) is not None


def check(page, seen: list[str]) -> None:
    page.wait_for_selector("body[data-ready=true]")
    assert page.evaluate("document.documentElement.lang") == PSEUDO_LANGUAGE
    found = page.evaluate(VISIBLE_TEXT)
    leaks = sorted({t.strip() for t in found["texts"] if not_from_a_catalog(t)})
    assert leaks == [], f"{page.url}: text outside the catalog: {leaks}"
    stray = {
        t.strip() for t in found["untranslated"] if not untranslated_by_design(t.strip())
    } - set(TYPED)
    assert not stray, f"{page.url}: marked untranslatable but is not: {stray}"
    seen.extend(found["texts"])


def test_every_page_and_content_item_comes_from_the_catalog(browser, server):
    seen: list[str] = []
    host = pseudo_page(browser)
    host.goto(server.url)
    check(host, seen)  # the front page, for someone with no account
    host.goto(f"{server.url}/account")
    expect(host.locator("#sign-up-form")).to_be_visible()
    check(host, seen)  # signing in or up
    sign_up_in(host, server.url, TYPED[2])
    host.goto(f"{server.url}/account")
    expect(host.locator("#password-form")).to_be_visible()
    check(host, seen)  # the account's page
    host.goto(server.url)
    expect(host.locator("#format-key option")).to_have_count(len(library().formats))
    check(host, seen)  # a facilitator's front page
    host.fill("input[name=title]", TYPED[0])
    host.fill("input[name=group_name]", TYPED[1])
    host.fill("input[name=organisation]", TYPED[4])
    host.select_option("#format-key", "peer_sparring")
    host.locator("#create-form input[name=network]").check()  # its agreement is content
    host.locator("#create-form button[type=submit]").click()
    code = host.locator("#join-code").inner_text()
    expect(host.locator("#format")).to_be_visible()
    check(host, seen)  # the facilitator, before the start
    host.locator("#start-session").click()
    expect(host.locator("#format-times")).to_be_visible()
    check(host, seen)  # running, with the planned times

    guest = pseudo_page(browser)
    guest.goto(f"{server.url}/j/{code}")
    expect(guest.locator("h1")).to_have_text(TYPED[0])
    expect(guest.locator("#agreement")).to_be_visible()
    check(guest, seen)  # the join page, with a network session's agreement
    guest.fill("input[name=display_name]", TYPED[3])
    guest.fill("input[name=organisation]", TYPED[5])
    guest.locator("#agree").check()
    guest.locator("#join-details button[type=submit]").click()
    expect(guest.locator("#waiting-room")).to_be_visible()
    check(guest, seen)  # at the door
    expect(host.locator("#door")).to_be_visible()
    check(host, seen)  # the facilitator sees who waits
    host.locator("#door button.admit").click()
    expect(guest.locator("#format")).to_be_visible()
    check(guest, seen)  # a participant
    expect(host.locator("#present-count")).to_contain_text(f"2 préséñt{DUAL}")
    check(host, seen)  # two present: the catalog's plural form for two

    display_url = host.locator("#display-link").inner_text()
    screen = pseudo_page(browser)
    screen.goto(display_url)
    expect(screen.locator("#projector-now")).to_be_visible()
    check(screen, seen)  # the room display

    host.goto(server.url)
    host.locator("#my-groups a").first.click()
    expect(host.locator("#group-sessions li")).to_have_count(1)
    expect(host.locator("#group-sessions img")).to_have_count(1)
    check(host, seen)  # the group's page
    host.goto(f"{server.url}/invite#an-invitation-token-of-no-group")
    expect(host.locator("#accept-invitation")).to_be_visible()
    check(host, seen)  # an invitation

    reader = pseudo_page(browser)
    reader.goto(f"{server.url}/library")
    expect(reader.locator("#banks")).to_be_visible()
    check(reader, seen)
    for fmt in library().formats.values():
        reader.goto(f"{server.url}/library/{fmt.key}")
        total = reader.locator("#format-total")
        expect(total).to_have_attribute("data-minutes", str(fmt.total_minutes))
        expect(total).to_have_text(f"⟦{fmt.total_minutes} míñútés⟧")
        check(reader, seen)
    reader.goto(f"{server.url}/library/no_such_format")
    expect(reader.get_by_role("alert")).to_have_text(
        pseudo("That session format does not exist. Choose one from the list.")
    )
    check(reader, seen)

    shown = set(seen)
    missing = [key for key, english in library().english.items() if pseudo(english) not in shown]
    assert missing == [], f"content never shown: {missing}"


def pseudo_guest(browser, url: str, code: str, name: str):  # type: ignore[no-untyped-def]
    guest = pseudo_page(browser)
    guest.goto(f"{url}/j/{code}")
    guest.fill("input[name=display_name]", name)
    guest.fill("input[name=organisation]", TYPED[5])
    guest.locator("#join-details button[type=submit]").click()
    guest.locator("#session-title").wait_for()
    return guest


def test_every_breakout_view_comes_from_the_catalog(browser, server):
    """The plan with a colleague conflict, a participant's group, the host's overview, the
    room display's seating with the one-minute warning, and the syntheses afterwards."""
    seen: list[str] = []
    host = pseudo_page(browser)
    code = create_session_in(host, server.url, TYPED[0])
    host.select_option("#new-phase-kind", "breakout")
    host.fill("#new-phase-title", TYPED[7])
    host.fill("#new-phase-minutes", "1")  # the one-minute warning at once
    host.select_option("#new-phase-where", "first")
    host.locator("#add-phase button[type=submit]").click()
    bo = pseudo_guest(browser, server.url, code, TYPED[3])
    pseudo_guest(browser, server.url, code, TYPED[6])
    host.locator(".breakout-make-groups").click()
    expect(host.locator("#breakout-conflicts")).to_be_visible()
    check(host, seen)  # the plan, before the start
    screen = pseudo_page(browser)
    screen.goto(host.locator("#display-link").inner_text())

    host.locator("#start-session").click()
    expect(bo.locator("#breakout-presenter")).to_be_visible()
    bo.fill("#breakout-synthesis", TYPED[8])
    bo.locator("#breakout-synthesis-form button[type=submit]").click()
    expect(bo.locator("#breakout-synthesis-status")).to_have_text(pseudo("Saved"))
    expect(bo.locator("#breakout-warning")).not_to_be_empty()
    check(bo, seen)  # a participant's own group
    expect(host.locator("#breakout-overview .synthesis-sent")).to_have_text(pseudo("Sent"))
    host.locator(".breakout-moves summary").click()
    check(host, seen)  # the overview, the broadcast and the moves
    expect(screen.locator("#breakout-warning")).not_to_be_empty()
    check(screen, seen)  # the room display's seating

    host.locator("#agenda-next").click()
    for page in (bo, screen):
        expect(page.locator("#breakout-syntheses .synthesis-text")).to_have_text(TYPED[8])
        check(page, seen)  # the syntheses, back in the plenary
