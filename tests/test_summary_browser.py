"""The summary in headless Chromium: a short session ends; a Danish and an English
participant open its summary, each in their own language, and download it as Markdown
and CSV."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser import create_session_in, join_in, new_page

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"


def join_as(browser, server, code, name, language):  # type: ignore[no-untyped-def]
    page = join_in(browser, server.url, code, name, language)
    expect(page.locator("#session-title")).to_have_text("Ledergruppen")
    return page


def download(page, button: str) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    with page.expect_download() as info:
        page.get_by_role("button", name=button, exact=True).click()
    saved = info.value
    return saved.suggested_filename, Path(saved.path()).read_text(encoding="utf-8")


def test_two_people_open_the_summary_in_their_own_language_and_export_it(browser, server):
    host = new_page(browser, "en-GB")
    code = create_session_in(host, server.url, "Ledergruppen")
    asa = join_as(browser, server, code, "Åse", "da-DK")
    bo = join_as(browser, server, code, "Bo", "en-GB")
    host.get_by_role("button", name="Start session").click()
    expect(bo.locator("#session-status")).to_have_attribute("data-status", "running")
    expect(asa.locator("#open-summary")).to_have_count(0)
    bo.fill("#action-text", "Ask HR for a check-in *each* month")
    bo.select_option("#action-level", "organisation")
    bo.get_by_role("button", name="Add action").click()
    expect(asa.locator("#actions-by-level li")).to_have_count(1)
    host.locator("#end-session").click()
    host.locator("#end-confirm").click()

    for page, button in ((asa, "Åbn opsummeringen"), (bo, "Open the summary")):
        expect(page.locator("#session-status")).to_have_attribute("data-status", "ended")
        page.get_by_role("button", name=button).click()
    expect(asa.locator("#summary-title")).to_have_text("Opsummering: Ledergruppen")
    expect(asa.locator(".summary-section h3").first).to_have_text("Dagsordenen, som den gik")
    expect(bo.locator("#summary-title")).to_have_text("Summary: Ledergruppen")
    expect(bo.locator(".summary-section h3").first).to_have_text("The agenda as run")
    # The free format: one open discussion, run for less than a minute.
    expect(bo.locator(".summary-agenda tbody tr")).to_have_count(1)
    expect(bo.locator(".summary-agenda tbody tr")).to_contain_text("0 min")
    # Another feature's section, from its Markdown: a heading per level, the action as
    # written (no Markdown escapes), in each reader's language.
    actions = bo.locator(".summary-section[data-key=actions]")
    expect(actions.locator("h4")).to_have_text("Organisation")
    expect(actions.locator("li")).to_have_text("Ask HR for a check-in *each* month")
    expect(asa.locator(".summary-section[data-key=actions] h3")).to_have_text("Handlinger")

    name, markdown = download(asa, "Hent Markdown")
    assert name == f"holdsport-{code}-summary.md"
    assert markdown.startswith("# Ledergruppen\n")
    assert "## Dagsordenen, som den gik" in markdown and "Faktisk 0 min." in markdown
    name, content = download(bo, "Download CSV")
    assert name == f"holdsport-{code}-summary.csv"
    rows = list(csv.reader(io.StringIO(content)))
    assert rows[0][:4] == ["Section", "Item", "Text", "Details"]
    # The phase, the total, the action.
    assert [row[0] for row in rows[1:]] == ["agenda", "agenda", "actions"]
    assert rows[2][1:4] == ["Total", "", "60 min"]
    assert rows[3][1:3] == ["Organisation", "Ask HR for a check-in *each* month"]
    name, content = download(asa, "Hent CSV")
    assert next(csv.reader(io.StringIO(content)))[:4] == ["Afsnit", "Punkt", "Tekst", "Detaljer"]

    # Printed, only the summary shows: no buttons, no other card, no top bar.
    ARTIFACTS.mkdir(exist_ok=True)
    bo.screenshot(path=str(ARTIFACTS / "summary.png"), full_page=True)
    bo.emulate_media(media="print")
    bo.screenshot(path=str(ARTIFACTS / "summary-print.png"), full_page=True)
    expect(bo.locator("#summary-title")).to_be_visible()
    for hidden in ("#participants", "#agenda", "#download-csv", ".topbar"):
        expect(bo.locator(hidden)).to_be_hidden()
    bo.emulate_media(media="screen")
    expect(bo.locator("#participants")).to_be_visible()

    # A language switch fetches the summary again, in the other language.
    asa.locator("#language-switch button[data-language=en]").click()
    expect(asa.locator("#summary-title")).to_have_text("Summary: Ledergruppen")
    expect(asa.locator(".summary-section h3").first).to_have_text("The agenda as run")
    # The ended session opens again later (within retention), and so does its summary.
    bo.reload()
    bo.get_by_role("button", name="Open the summary").click()
    expect(bo.locator(".summary-section h3").first).to_have_text("The agenda as run")

    # The host keeps the summary for the group (a participant has no such control), and
    # reads it on the group's page, where it stays after the session's content is gone.
    host.get_by_role("button", name="Open the summary").click()
    expect(bo.locator("#summary-title")).to_be_visible()
    expect(bo.locator("#keep-summary")).to_have_count(0)
    host.locator("#keep-summary-ask").click()
    expect(host.locator("#keep-summary")).to_contain_text("named board")
    host.locator("#keep-summary-confirm").click()
    expect(host.locator("#unkeep-summary")).to_be_visible()
    host.goto(server.url)
    host.locator("a[href^='/g/']").first.click()
    host.get_by_role("button", name="Read the kept summary").click()
    expect(host.locator(".kept-summary h4")).to_have_text("Ledergruppen")
    expect(host.locator(".kept-summary h5").first).to_have_text("The agenda as run")
    expect(host.locator(".kept-summary li")).to_contain_text(["Ask HR for a check-in *each* month"])
