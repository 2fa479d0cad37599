"""Page weight: what each page costs a browser on its first load and on a repeat load.

Starts the production server (the Procfile's command) on 127.0.0.1 with a throw-away
SQLite database, makes a facilitator, a session and a participant over HTTP, then opens
every page in Debian's headless Chromium (as tests/browser.py launches it), each in a
fresh browser profile: a first load with an empty cache, then the same address again.
Chromium's own network log (tests/network_log.py) counts, per load, the requests that
reached the server (of them, those answered 304 Not Modified), the requests the
browser's cache answered, the bytes that crossed the network (headers and compressed
bodies; WebSocket frames included) and the bytes of the decoded bodies. It also notes
every host a page asked for: anything but the loopback fails "no third-party host".
Exits 1 when a page is over the budgets (the defaults are issue 13's).

    .venv/bin/python bench/pageweight.py
    .venv/bin/python bench/pageweight.py --budget-kb 150 --budget-requests 15 --repeat-kb 10
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser import CHROMIUM_FLAGS, chromium_path  # noqa: E402
from tests.network_log import NetworkLog  # noqa: E402
from tests.support import ServerProcess  # noqa: E402  (runs the Procfile)

LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
PASSWORD = "a long enough password"


@dataclass
class World:
    """What the pages need: a facilitator's account, a session, a participant."""

    url: str
    email: str
    join_code: str
    group_id: int
    display_key: str
    participant_token: str


def make_world(url: str) -> World:
    http = requests.Session()
    email = f"anne.{time.monotonic_ns()}@example.org"
    account = {"email": email, "display_name": "Anne", "password": PASSWORD, "language": "en"}
    reply = http.post(f"{url}/api/account/sign-up", json=account, timeout=10)
    reply.raise_for_status()
    http.headers["X-CSRF-Token"] = reply.json()["csrf_token"]
    body = {"title": "Ledergruppen", "language": "en", "admission": "code"}
    session = http.post(f"{url}/api/sessions", json=body, timeout=10)
    session.raise_for_status()
    created = session.json()
    joined = requests.post(
        f"{url}/api/join",
        json={"join_code": created["join_code"], "display_name": "Bo", "language": "en"},
        timeout=10,
    )
    joined.raise_for_status()
    return World(
        url,
        email,
        created["join_code"],
        created["group_id"],
        created["display_key"],
        joined.json()["token"],
    )


def sign_in(context: Any, world: World) -> None:
    """The login cookie in this browser profile (not counted: before any page loads)."""
    body = {"email": world.email, "password": PASSWORD}
    reply = context.request.post(f"{world.url}/api/account/sign-in", data=body)
    assert reply.ok, reply.text()


def as_participant(context: Any, world: World) -> None:
    """This profile is the participant who joined: their token where the client keeps it."""
    key = f"holdsport:token:{world.join_code}"
    context.add_init_script(f"localStorage.setItem({key!r}, {world.participant_token!r})")


@dataclass(frozen=True)
class PageCase:
    name: str
    path: Callable[[World], str]
    ready: str  # a selector that shows the page is there
    prepare: Callable[[Any, World], None] | None = None


PAGES = (
    PageCase("front page", lambda w: "/", "#join-form"),
    PageCase("join page", lambda w: f"/j/{w.join_code}", "#join-details"),
    PageCase("session, participant", lambda w: f"/s/{w.join_code}", "#session-title",
             as_participant),
    PageCase("session, facilitator", lambda w: f"/s/{w.join_code}", "#session-title", sign_in),
    PageCase("group page", lambda w: f"/g/{w.group_id}", "#group-name", sign_in),
    PageCase("library", lambda w: "/library", "#formats"),
    PageCase("room display", lambda w: f"/s/{w.join_code}#display={w.display_key}",
             "#session-title"),
)  # fmt: skip


def kb(size: int) -> str:
    return f"{size / 1024:.1f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--budget-kb", type=float, default=150, help="first load, compressed")
    parser.add_argument("--budget-requests", type=int, default=15, help="first load")
    parser.add_argument("--repeat-kb", type=float, default=10, help="a repeat load")
    parser.add_argument("--only", default="", help="the pages whose name contains this")
    parser.add_argument("--verbose", action="store_true", help="print every address asked")
    args = parser.parse_args()
    path = chromium_path()
    if path is None:
        print("Chromium is not installed (apt-get install chromium).", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    failures: list[str] = []
    with tempfile.TemporaryDirectory() as scratch:
        server = ServerProcess(f"sqlite:///{Path(scratch) / 'bench.db'}")
        server.release()
        server.start()
        try:
            world = make_world(server.url)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS)
                header = f"{'page':<22} {'load':<7} {'requests':>8} {'304':>4} {'cached':>6} "
                header += f"{'KB transferred':>14} {'KB decoded':>10}  hosts"
                print(header)
                print("-" * len(header))
                for case in [case for case in PAGES if args.only in case.name]:
                    context = browser.new_context(locale="en-GB")
                    if case.prepare:
                        case.prepare(context, world)
                    page = context.new_page()
                    page.set_default_timeout(15_000)
                    log = NetworkLog(page)
                    url = world.url + case.path(world)
                    for which in ("first", "repeat"):
                        load = log.measure(url, case.ready)
                        hosts = ", ".join(sorted(load.hosts))
                        if args.verbose:
                            print("\n".join(f"    {url}" for url in load.urls.values()))
                        print(
                            f"{case.name:<22} {which:<7} {load.requests:>8} "
                            f"{load.not_modified:>4} {len(load.cached):>6} "
                            f"{kb(load.transferred):>14} {kb(load.decoded):>10}  {hosts}"
                        )
                        if load.hosts - LOOPBACK:
                            failures.append(f"{case.name}: asked {load.hosts - LOOPBACK}")
                        if which == "first" and load.transferred > args.budget_kb * 1024:
                            failures.append(f"{case.name}: first load {kb(load.transferred)} KB")
                        if which == "first" and load.requests > args.budget_requests:
                            failures.append(f"{case.name}: first load {load.requests} requests")
                        if which == "repeat" and load.transferred > args.repeat_kb * 1024:
                            failures.append(f"{case.name}: repeat load {kb(load.transferred)} KB")
                    context.close()
                browser.close()
        finally:
            server.stop()
    print()
    for failure in failures:
        print("over budget:", failure)
    print("within budget" if not failures else f"{len(failures)} over budget")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
