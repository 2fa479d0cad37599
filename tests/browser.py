"""Headless Debian Chromium driven by Playwright (no browser download needed)."""

from __future__ import annotations

import itertools
import os
import shutil
import time
from typing import Any

import pytest

from tests.support import require

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # Without these Chromium keeps calling outside hosts, which this network refuses.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


PASSWORD = "a long enough password"


def chromium_path() -> str | None:
    return os.environ.get("HOLDSPORT_CHROMIUM") or shutil.which("chromium")


# One Playwright per test run: each test module imports the fixture, which registers it
# once per module, and a second sync Playwright cannot start while the first runs.
_running: dict[str, Any] = {}


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    require(path is not None, "Chromium is not installed (apt-get install chromium)")
    if "browser" not in _running:
        from playwright.sync_api import sync_playwright

        _running["playwright"] = sync_playwright().start()
        _running["browser"] = _running["playwright"].chromium.launch(
            executable_path=path, args=CHROMIUM_FLAGS
        )
    yield _running["browser"]
    if "browser" in _running:
        _running.pop("browser").close()
        _running.pop("playwright").stop()


@pytest.fixture(autouse=True)
def _close_pages_after_each_test():  # type: ignore[no-untyped-def]
    """A test's pages go with it: left open, they keep their sockets and timers running
    beside every later test in the one shared Chromium."""
    yield
    running = _running.get("browser")
    if running is not None:
        for context in list(running.contexts):
            context.close()


def new_page(browser, language: str, width: int = 1100, **options):  # type: ignore[no-untyped-def]
    """A page in a fresh browser context: its own storage, like another person's browser.
    `options`: more of Playwright's context options (`ignore_https_errors=True`)."""
    viewport = {"width": width, "height": 900}
    context = browser.new_context(locale=language, viewport=viewport, **options)
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


_accounts = itertools.count(1)


def sign_up_in(page, url: str, name: str = "Anne") -> str:  # type: ignore[no-untyped-def]
    """A new facilitator account, made and signed in on the account page; its e-mail."""
    email = f"{name.lower()}{next(_accounts)}.{time.monotonic_ns()}@example.org"
    page.goto(f"{url}/account")
    form = page.locator("#sign-up-form")
    form.locator("input[name=display_name]").fill(name)
    form.locator("input[name=email]").fill(email)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("button[type=submit]").click()
    page.locator("#account-link").wait_for()
    return email


def sign_in_in(page, url: str, email: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{url}/account")
    form = page.locator("#sign-in-form")
    form.locator("input[name=email]").fill(email)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("button[type=submit]").click()
    page.locator("#account-link").wait_for()


def create_session_in(  # type: ignore[no-untyped-def]
    page, url: str, title: str, admission: str = "code", format_key: str | None = None
) -> str:
    """The front page's form, as Anne fills it in (signed up first, unless she is
    signed in already), in a format from the library if given; returns the join code."""
    page.goto(url)
    page.wait_for_selector("body[data-ready=true]")
    if not page.locator("#account-link").count():
        sign_up_in(page, url)
        page.goto(url)
    page.fill("input[name=title]", title)
    page.select_option("select[name=admission]", admission)
    if format_key:
        page.select_option("#format-key", format_key)
    page.locator("#create-form button[type=submit]").click()
    return str(page.locator("#join-code").inner_text())


def join_in(browser, url: str, code: str, name: str, language: str = "da-DK", **options):  # type: ignore[no-untyped-def]
    """A guest's new browser (in `language`, with `new_page`'s `options`) joins with the
    code as `name`; the page, once the session shows."""
    page = new_page(browser, language, **options)
    page.goto(f"{url}/j/{code}")
    page.fill("input[name=display_name]", name)
    page.locator("#join-details button[type=submit]").click()
    page.locator("#session-title").wait_for()
    return page


def add_phase_in(page, kind: str, title: str, minutes: int) -> None:  # type: ignore[no-untyped-def]
    """The host adds a phase at the start of the agenda, in the agenda editor."""
    from playwright.sync_api import expect  # as above: only when a browser test runs

    page.select_option("#new-phase-kind", kind)
    page.fill("#new-phase-title", title)
    page.fill("#new-phase-minutes", str(minutes))
    page.select_option("#new-phase-where", "first")
    page.locator("#add-phase button[type=submit]").click()
    expect(page.locator("#phases li").first).to_contain_text(title)


def join_phone(browser, url: str, code: str, name: str, organisation: str, language: str):  # type: ignore[no-untyped-def]
    """A guest's phone (narrow, in `language`) joins with the code, naming their
    organisation; the page, once the session shows."""
    page = new_page(browser, language, width=390)
    page.goto(f"{url}/j/{code}")
    page.fill("input[name=display_name]", name)
    page.fill("input[name=organisation]", organisation)
    page.locator("#join-details button[type=submit]").click()
    page.locator("#session-title").wait_for()
    return page
