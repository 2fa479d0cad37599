"""Deleting one's account in headless Chromium: the page says which groups go with it,
a wrong password changes nothing, the right one signs the browser out."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser import PASSWORD, create_session_in, new_page

pytestmark = pytest.mark.browser


def test_a_facilitator_deletes_their_account_on_its_page(browser, server):
    host = new_page(browser, "en-GB")
    create_session_in(host, server.url, "Tuesday leaders")
    host.goto(f"{server.url}/account")
    card = host.locator("#delete-account")
    expect(card.locator("#delete-account-groups li")).to_have_text(["Tuesday leaders"])

    form = card.locator("#delete-account-form")
    form.locator("input[name=password]").fill("not my password")
    form.locator("button[type=submit]").click()
    expect(card.locator("#delete-account-error")).to_contain_text("password")
    expect(host.locator("#account-link")).to_have_count(1)  # still signed in

    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("button[type=submit]").click()
    expect(host).to_have_url(f"{server.url}/")
    expect(host.locator("#account-link")).to_have_count(0)
    host.goto(f"{server.url}/account")
    expect(host.locator("#sign-in-form")).to_be_visible()
