"""A repeat load in headless Chromium: the built client comes from the browser's cache
with no request at all, and what is asked again (the shell, the catalog) is answered
304 Not Modified."""

from __future__ import annotations

import pytest

from tests.live_client import create_session, join
from tests.network_log import NetworkLog

pytestmark = pytest.mark.browser


def test_a_repeat_load_of_the_session_page_asks_for_no_static_file(browser, server):
    code = create_session(server.url, language="en")["join_code"]
    token = join(server.url, code, "Bo")["token"]
    context = browser.new_context(locale="en-GB")
    context.add_init_script(f"localStorage.setItem('holdsport:token:{code}', {token!r})")
    page = context.new_page()
    page.set_default_timeout(10_000)
    log = NetworkLog(page)
    url = f"{server.url}/s/{code}"

    first = log.measure(url, "#session-title")
    fetched = first.to_server("/assets/")
    assert len(fetched) == 2 and set(fetched.values()) == {200}, fetched

    again = log.measure(url, "#session-title")
    for prefix in ("/assets/", "/static/", "/vendor/"):
        assert again.to_server(prefix) == {}, again.urls
    assert len([u for u in again.urls.values() if "/assets/" in u]) == 2  # from the cache
    assert list(again.to_server(f"/s/{code}").values()) == [304]
    assert list(again.to_server("/i18n/").values()) == [304]
    assert list(again.to_server("/api/library").values()) == [304]
    context.close()
