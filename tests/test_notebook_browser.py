"""The notebook in headless Chromium: a participant writes, sees it saved, finds it again
after a reload, and exports it; nobody else's page shows it."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser import create_session_in, join_in, new_page

pytestmark = pytest.mark.browser
NOTE = "Jeg vil spørge om hjælp <b>før</b>"


def test_a_note_is_saved_kept_over_a_reload_and_exported(browser, server, tmp_path: Path):
    host = new_page(browser, "en-GB")
    code = create_session_in(host, server.url, "Ledergruppen")
    page = join_in(browser, server.url, code, "Åse")

    page.get_by_role("button", name="Min notesbog").click()
    page.locator("#notebook-now").fill(NOTE)
    expect(page.locator("#notebook-status")).to_have_text("Gemt")
    page.reload()
    page.get_by_role("button", name="Min notesbog").click()
    expect(page.locator("#notebook")).to_contain_text("Tidligere noter")
    expect(page.locator("#notebook textarea").nth(2)).to_have_value(NOTE)
    with page.expect_download() as download:
        page.locator("#notebook-export").click()
    saved = tmp_path / "notes.md"
    download.value.save_as(saved)
    assert download.value.suggested_filename == f"holdsport-{code}-notes.md"
    assert NOTE in saved.read_text() and "# Mine noter: Ledergruppen" in saved.read_text()

    host.get_by_role("button", name="My notebook").click()
    expect(host.locator("#notebook")).not_to_contain_text("hjælp")
