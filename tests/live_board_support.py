"""Fixtures for board tests through a real server: a room of three and a display."""

from __future__ import annotations

import secrets
import threading

import pytest

from tests.live_client import LiveClient, create_session, join
from tests.support import running_server

NAMES = ["Bo", "Cecilie"]


@pytest.fixture
def server(database_url):
    with running_server(database_url, HOLDSPORT_SWEEP_SECONDS="0.2") as process:
        yield process


@pytest.fixture
def room(server):
    """Anne (facilitator, English), Bo (Danish), Cecilie (English) and a room display."""
    host = create_session(server.url)
    anne = LiveClient(server.url, host["facilitator_token"], "en").connect()
    people = [
        LiveClient(server.url, join(server.url, host["join_code"], name)["token"], lang).connect()
        for name, lang in zip(NAMES, ["da", "en"], strict=True)
    ]
    screen = LiveClient(server.url, host["display_key"]).connect()
    everyone = [anne, *people, screen]
    for client in everyone:
        client.wait_for(lambda c=client: len([p for p in c.people() if p[1]]) == 3)
    yield anne, people, screen
    closing = [threading.Thread(target=client.disconnect) for client in everyone]
    for thread in closing:
        thread.start()
    for thread in closing:
        thread.join()


def write(client: LiveClient, text_: str, prompt: int = 0) -> tuple[dict, str]:
    secret = secrets.token_urlsafe(32)
    reply = client.call("board:post", {"prompt": prompt, "text": text_, "secret": secret})
    assert reply["ok"], reply
    return reply["post"], secret


def fresh(client: LiveClient) -> dict:
    """A new snapshot, compared the way client states are."""
    view = LiveClient(client.base_url, client.token)
    view.state = client.call("session:sync")["snapshot"]
    return view.comparable_state()
