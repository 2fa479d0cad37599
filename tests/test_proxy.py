"""The deployment of docs/deployment.md, for real: nginx with deploy/nginx.conf over TLS in
front of two server processes (one database, Redis between them), and a rolling restart.

Clients come through the proxy over WebSocket and over long-polling, and one browser;
while two of them keep changing the agenda, each process in turn gets SIGTERM and is
started again. Every acknowledged change is there afterwards, nobody was shown as gone,
and every screen ends with the same agenda and people. The figures are printed.
"""

from __future__ import annotations

import shutil
import time

import pytest
import requests
from playwright.sync_api import expect
from sqlalchemy import create_engine, text

from tests.browser import join_in
from tests.live_client import create_session, join
from tests.proxy_support import Nginx, nginx_path
from tests.restart_support import Rejoining, Writer, phase_titles
from tests.support import REDIS_URL, ServerProcess, redis_reachable, require, scale_out_env

pytestmark = [pytest.mark.server, pytest.mark.browser]
GRACE_SECONDS = 8  # back within this, nobody is told someone left


@pytest.fixture
def proxied(database_url, tmp_path, monkeypatch):
    require(nginx_path() is not None, "nginx is not installed (apt-get install nginx-light)")
    require(shutil.which("openssl") is not None, "openssl is not installed")
    require(redis_reachable(), f"Redis is not reachable at {REDIS_URL}")
    extra = {
        **scale_out_env(),
        "HOLDSPORT_SHUTDOWN_GRACE_SECONDS": str(GRACE_SECONDS),
        # A connection that drops on a process that stays up (not one shutting down)
        # is someone's network, and gets the production default's grace.
        "HOLDSPORT_RECONNECT_GRACE_SECONDS": "5",
        "HOLDSPORT_TRUSTED_PROXIES": "1",
        "HOLDSPORT_SECURE_COOKIES": "true",
        "HOLDSPORT_RATE_LIMIT_JOIN_FAILURES": "3 per minute",
    }
    first = ServerProcess(database_url, **extra)
    first.release()
    workers = [first.start(), ServerProcess(database_url, **extra).start()]
    nginx = Nginx(tmp_path, [worker.port for worker in workers])
    # requests (the tests' HTTP helpers) trusts the self-signed certificate by its file.
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(nginx.certificate))
    try:
        yield nginx.start(), workers
    finally:
        nginx.stop()
        for worker in workers:
            worker.stop()


# A client's TLS socket dropped by a process restarting under it is sometimes collected
# unclosed by the client library (a ResourceWarning, not an error of the server's).
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_session_lives_through_a_rolling_restart_behind_nginx(proxied, browser, database_url):
    nginx, workers = proxied
    url = nginx.url
    _check_the_proxy_headers(nginx)
    host = create_session(url)
    code = host["join_code"]
    bo_joined = join(url, code, "Bo")
    clients = {
        "Anne": _client(nginx, host["facilitator_token"], "websocket"),
        "Bo": _client(nginx, bo_joined["token"], "polling"),
        "Cy": _client(nginx, join(url, code, "Cy")["token"], "websocket"),
    }
    dee = join_in(browser, url, code, "Dee", ignore_https_errors=True)
    anne = clients["Anne"]
    grant = {"participant_id": bo_joined["participant_id"], "role": "cofacilitator"}
    assert anne.call("participant:set_role", grant)["ok"]
    assert anne.call("session:start")["ok"]
    writers = [Writer(anne, "Anne").start(), Writer(clients["Bo"], "Bo").start()]
    try:
        for writer in writers:
            writer.wait_for_acks(3)
        for worker in workers:  # the rolling restart: one, then the other
            worker.stop()  # SIGTERM
            assert worker.process is not None and worker.process.returncode == 0, worker.log()
            worker.start()
            for writer in writers:
                writer.wait_for_acks(len(writer.acked) + 3, timeout=60)
    finally:
        for writer in writers:
            writer.stop()

    try:
        final = anne.call("session:sync")["snapshot"]
        titles = phase_titles(final)
        for writer in writers:
            assert writer.faults(titles) == [], writer.outcomes()
        for name, client in clients.items():
            client.wait_for(lambda c=client: c.state["version"] == final["version"])
            assert phase_titles(client.state) == titles, name
        expect(dee.locator("#phases .phase-name")).to_have_count(len(titles))
        shown = dee.locator("#phases .phase-name").all_text_contents()
        # (A phase without a title of its own shows its kind's name.)
        assert [s for s, title in zip(shown, titles, strict=True) if title] == list(
            filter(None, titles)
        )
        expect(dee.locator("#connection")).to_have_attribute("data-state", "online")

        # The stopped processes' connections are swept after the grace; nobody had left.
        _wait_for_only_live_workers(database_url, 2)
        everyone = [("Anne", True), ("Bo", True), ("Cy", True), ("Dee", True)]
        assert sorted(_people(anne.call("session:sync")["snapshot"])) == everyone
        expect(dee.locator("#participants li.present")).to_have_count(4)
        shown_as_left = {
            name: [
                p["participant"]["display_name"]
                for event, p in client.received
                if event == "participant:left"
            ]
            for name, client in clients.items()
        }
        _check_the_client_address(nginx)
        _print_figures(clients, writers, titles)
        assert not any(shown_as_left.values()), shown_as_left
    finally:
        for client in clients.values():
            client.disconnect()
        dee.context.close()


def _client(nginx: Nginx, token: str, transport: str) -> Rejoining:
    """A client through the proxy on one transport, trusting the test certificate."""
    http = requests.Session()
    http.verify = str(nginx.certificate)
    return Rejoining(nginx.url, token, transports=[transport], http=http).connect()


def _check_the_proxy_headers(nginx: Nginx) -> None:
    """Plain HTTP is sent to HTTPS; over HTTPS the server knows it (HSTS)."""
    moved = requests.get(f"{nginx.plain_url}/x", allow_redirects=False, timeout=10)
    assert moved.status_code == 301
    assert moved.headers["Location"].startswith("https://")
    page = requests.get(nginx.url, timeout=10)
    assert page.ok and "max-age" in page.headers["Strict-Transport-Security"]
    assert "holdsport_route" in page.cookies


def _check_the_client_address(nginx: Nginx) -> None:
    """The server counts requests under the address nginx saw, whatever X-Forwarded-For
    a client sends (last: this spends the address's budget for joining)."""
    answers = [
        requests.get(
            f"{nginx.url}/api/sessions/ZZZZZZ",
            headers={"X-Forwarded-For": f"203.0.113.{n}"},
            timeout=10,
        ).status_code
        for n in range(4)
    ]
    # Three failed guesses per minute (set above): the fourth is refused, from any "address".
    assert answers == [404, 404, 404, 429]


def _people(snapshot: dict) -> list[tuple[str, bool]]:
    return [(p["display_name"], p["present"]) for p in snapshot["participants"]]


def _wait_for_only_live_workers(database_url: str, count: int) -> None:
    engine = create_engine(database_url)
    deadline = time.monotonic() + GRACE_SECONDS + 15
    try:
        while time.monotonic() < deadline:
            with engine.connect() as db:
                if db.execute(text("SELECT count(*) FROM workers")).scalar() == count:
                    return
            time.sleep(0.2)
        raise AssertionError("the stopped processes were never swept")
    finally:
        engine.dispose()


def _print_figures(clients: dict[str, Rejoining], writers: list[Writer], titles: list[str]) -> None:
    print("\nRolling restart behind nginx (two processes, each SIGTERM and started again):")
    for name, client in clients.items():
        away = ", ".join(f"{seconds:.2f}" for seconds in client.away)
        print(f"  {name} ({client.transports[0]}): reconnected after {away} s")
    for writer in writers:
        print(f"  {writer.prefix}'s commands: {writer.outcomes(titles)}")
