"""Snapshot + events = a fresh snapshot, in the shipped browser client: one Chromium page
watches a long mixed session that Python clients drive, and after each stage the page's
live state equals the snapshot that `session:sync` returns on the page's own socket.

The page's state is read without any change to the client: the board module keeps the
live connection of the latest render (`latest.live` in board-ui.js), and a module
imported again from the page is the same instance (so this server serves the client's
sources, not the bundle). The test adds listeners to that socket to count what arrives
and what the page sends."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from tests.browser import new_page
from tests.live_client import LiveClient, create_session, join
from tests.replay_support import SWEEP_SECONDS, MixedSession, quiet, state_differences
from tests.support import running_server

pytestmark = pytest.mark.browser

# Finds the page's live connection and counts, from now on, every event it receives
# and every command it sends (a resync would be a `session:sync`).
WATCH = """async () => {
  const { latest } = await import("/static/js/board-ui.js");
  const live = latest.live;
  const probe = { start: live.state.version, events: [], snapshots: 0, sent: [] };
  live.socket.onAny((name, payload) => {
    if (name === "session:snapshot") probe.snapshots += 1;
    else probe.events.push([name, payload.version]);
  });
  live.socket.onAnyOutgoing((name) => probe.sent.push(name));
  window.replayed = { live, probe };
  return live.state.version;
}"""
STATE = "() => window.replayed.live.state"
FRESH = """async () => {
  const reply = await window.replayed.live.command("session:sync");
  window.replayed.probe.sent.pop();  // this one is the test's, not the client's
  return reply.snapshot;
}"""


@pytest.fixture
def server(database_url):
    # The sources, module by module: only then is board-ui.js the page's own instance.
    with running_server(
        database_url, HOLDSPORT_SWEEP_SECONDS=SWEEP_SECONDS, HOLDSPORT_CLIENT="sources"
    ) as process:
        yield process


def open_page(browser, server, host, token):
    page = new_page(browser, "en-GB")
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{server.url}/s/{host['join_code']}#host={token}")
    expect(page.locator("#session-title")).to_have_text("Ledergruppen")
    first = page.evaluate(WATCH)
    return page, errors, first


def page_differences(page, version: int, span: float) -> list[str]:
    page.wait_for_function("v => window.replayed.live.state.version >= v", arg=version)
    state = page.evaluate(STATE)
    fresh = page.evaluate(FRESH)
    assert fresh["version"] == version
    return state_differences(state, fresh, span)


def test_the_browser_replays_to_the_fresh_snapshot(browser, server):
    host = create_session(server.url)
    dag = join(server.url, host["join_code"], "Dag")["token"]
    started = time.monotonic()
    page, errors, first = open_page(browser, server, host, dag)
    session = MixedSession(server.url, host)
    try:
        session.arrive()
        for stage in session.stages():
            stage()
            version = quiet(session.people["Anne"], [])
            assert page_differences(page, version, time.monotonic() - started) == []
        probe = page.evaluate("() => window.replayed.probe")
        # Every change came as an event, in order, and the page applied it: no resync,
        # no reconnect, nothing sent by the page itself but the one read a new board asks
        # (`board:mine`: which of its posts are this person's, from another device).
        sent = [name for name in probe["sent"] if name != "board:mine"]
        assert (probe["snapshots"], sent, errors) == (0, [], [])
        assert [v for _, v in probe["events"]] == list(range(first + 1, version + 1))
        assert version - first > 70
        seen = {name for name, _ in probe["events"]}
        assert {"participant:waiting", "participant:removed", "board:published"} <= seen
        hidden = [p for p in page.evaluate(STATE)["board"]["posts"] if p["hidden"]]
        assert hidden and hidden[0]["text"] is None  # a participant's page
        expect(page.locator("#present-count")).to_have_text("4 present")
    finally:
        session.close()
        page.context.close()


def test_ready_shows_on_the_persons_other_device_and_not_in_the_next_phase(browser, server):
    host = create_session(server.url)
    dag = join(server.url, host["join_code"], "Dag")["token"]
    anne = LiveClient(server.url, host["facilitator_token"]).connect()
    page, _, _ = open_page(browser, server, host, dag)
    phone = LiveClient(server.url, dag).connect()  # Dag's other device
    try:
        anne.call("agenda:add_phase", {"kind": "break", "title": "Coffee", "minutes": 5})
        assert anne.call("session:start") == {"ok": True}
        page.locator("#ready").click()
        expect(page.locator("#ready")).to_have_attribute("aria-pressed", "true")
        # Dag's phone says "not ready" after all: the page shows it (agenda:my_agenda)...
        assert phone.call("ready:set", {"ready": False}) == {"ok": True, "ready": False}
        expect(page.locator("#ready")).to_have_attribute("aria-pressed", "false")
        # ... and "ready" again.
        assert phone.call("ready:set", {"ready": True}) == {"ok": True, "ready": True}
        expect(page.locator("#ready")).to_have_attribute("aria-pressed", "true")
        segment = anne.call("session:sync")["snapshot"]["agenda"]["segment"]
        assert anne.call("agenda:next", {"segment": segment}) == {"ok": True}  # the break
        version = quiet(anne, [])
        assert page_differences(page, version, 60) == []  # my_agenda.ready: True != False
        expect(page.locator("#ready")).to_have_attribute("aria-pressed", "false")
    finally:
        anne.disconnect()
        phone.disconnect()
        page.context.close()
