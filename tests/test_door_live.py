"""The closed room through a real server: the door, removing people, leaving, and a
board that ends with its session. Real python-socketio clients; each attack here
succeeded against the server before the door existed."""

from __future__ import annotations

import secrets
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from sqlalchemy import create_engine, text

from tests.live_client import LiveClient, create_session, join
from tests.support import running_server

pytestmark = pytest.mark.server


@pytest.fixture
def server(database_url):
    with running_server(database_url, HOLDSPORT_SWEEP_SECONDS="0.2") as process:
        yield process


def connect(clients, server, token) -> LiveClient:
    client = LiveClient(server.url, token).connect()
    clients.append(client)
    return client


def write(client: LiveClient, words: str) -> dict:
    secret = secrets.token_urlsafe(32)
    return client.call("board:post", {"prompt": 0, "text": words, "secret": secret})


def people_inside(client: LiveClient) -> list[str]:
    return [p["display_name"] for p in client.state["participants"] if p["admitted"]]


def test_fake_writers_wait_at_the_door_and_cannot_pass_for_someone(server, clients):
    host = create_session(server.url, admission="host")
    anne = connect(clients, server, host["facilitator_token"])
    bo_id = join(server.url, host["join_code"], "Bo")["participant_id"]
    # Someone with the code tries to be "Bo" too: refused, whatever the spelling.
    for name in ("Bo", "bo", " BO "):
        reply = requests.post(
            f"{server.url}/api/join",
            json={"join_code": host["join_code"], "display_name": name, "language": "en"},
            timeout=10,
        )
        assert reply.status_code == 409
        assert reply.json()["error"]["code"] == "name_taken"

    fakes = [
        connect(clients, server, join(server.url, host["join_code"], f"Fake {n}")["token"])
        for n in range(3)
    ]
    for fake in fakes:
        assert fake.state["you"]["role"] == "waiting"
        assert set(fake.state) == {"version", "server_time", "you", "session"}
    anne.wait_for(lambda: len([p for p in anne.state["participants"] if not p["admitted"]]) == 3)
    assert people_inside(anne) == ["Anne"]

    assert anne.call("participant:admit", {"participant_id": bo_id}) == {"ok": True}
    assert anne.call("board:open", {"prompts": ["A mistake I learned from"]}) == {"ok": True}
    for fake in fakes:
        refused = write(fake, "I am Bo, honestly")
        assert refused["error"]["code"] == "waiting_at_the_door"
        assert refused["error"]["message"]  # said in words, in their language
        assert fake.call("hand:raise")["error"]["code"] == "waiting_at_the_door"
    for fake in fakes:
        assert not [name for name, _ in fake.received if name.startswith("board:")]
    assert anne.state["board"]["count"] == 0


def test_people_joining_at_the_same_moment_under_one_name_get_it_once(server):
    """The name check and the new person are one step: many asking for "Bo" at once (a
    second tab racing the first, or someone racing the real Bo) give one Bo."""
    host = create_session(server.url)
    body = {"join_code": host["join_code"], "display_name": "Bo", "language": "en"}

    def ask(_: int) -> int:
        return requests.post(f"{server.url}/api/join", json=body, timeout=30).status_code

    # Eight: the refused are under the address's budget of failed joins (10 a minute).
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = sorted(pool.map(ask, range(8)))
    assert answers == [201] + [409] * 7


def test_a_host_lets_someone_in_and_they_see_the_session(server, clients):
    host = create_session(server.url, admission="host")
    anne = connect(clients, server, host["facilitator_token"])
    joined = join(server.url, host["join_code"], "Bo")
    bo = connect(clients, server, joined["token"])
    assert anne.call("participant:admit", {"participant_id": joined["participant_id"]})["ok"]
    bo.wait_for(lambda: bo.state["you"]["role"] == "participant")
    assert "session:admitted" in bo.notices
    assert people_inside(bo) == ["Anne", "Bo"]
    bo.disconnect()
    again = connect(clients, server, joined["token"])  # once in, always in
    assert again.state["you"]["role"] == "participant"


def test_a_removed_person_is_shown_out_of_every_tab_and_cannot_come_back(
    server, clients, database_url
):
    host = create_session(server.url)
    anne = connect(clients, server, host["facilitator_token"])
    joined = join(server.url, host["join_code"], "Cecilie")
    tabs = [connect(clients, server, joined["token"]) for _ in range(2)]
    assert anne.call("board:open", {"prompts": ["What is hard"], "threshold": 2})["ok"]
    assert write(tabs[0], "I never say no to my director")["ok"]
    assert write(anne, "I avoid the budget talk")["ok"]
    assert anne.call("board:reveal")["ok"]
    anne.wait_for(lambda: len(anne.state["board"]["posts"]) == 2)

    assert anne.call("participant:remove", {"participant_id": joined["participant_id"]}) == {
        "ok": True
    }
    for tab in tabs:
        tab.wait_for(lambda t=tab: not t.sio.connected, timeout=2)
    anne.wait_for(lambda: people_inside(anne) == ["Anne"])

    comeback = LiveClient(server.url, joined["token"])
    with pytest.raises(Exception):  # noqa: B017  (the refusal is what matters)
        comeback.connect()
    assert comeback.refusal["data"]["code"] == "removed_from_session"

    # What she wrote stays, as anonymous as before: no author anywhere.
    assert len(anne.state["board"]["posts"]) == 2
    assert all(post["author_id"] is None for post in anne.state["board"]["posts"])
    engine = create_engine(database_url)
    with engine.connect() as db:
        assert db.execute(text("SELECT count(*) FROM board_post_authors")).scalar() == 0
    engine.dispose()


def test_leaving_answers_its_ack_then_closes_every_tab(server, clients):
    host = create_session(server.url)
    anne = connect(clients, server, host["facilitator_token"])
    token = join(server.url, host["join_code"], "Bo")["token"]
    tabs = [connect(clients, server, token) for _ in range(2)]
    assert tabs[0].call("participant:leave") == {"ok": True}
    for tab in tabs:
        tab.wait_for(lambda t=tab: not t.sio.connected, timeout=2)
    anne.wait_for(lambda: ("Bo", False) in anne.people())


def test_ending_the_session_closes_a_board_opened_by_hand(server, clients, database_url):
    host = create_session(server.url)
    anne = connect(clients, server, host["facilitator_token"])
    bo = connect(clients, server, join(server.url, host["join_code"], "Bo")["token"])
    assert anne.call("board:open", {"prompts": ["An uncertainty I carry"]})["ok"]
    assert write(bo, "Whether I am fit for this job")["ok"]
    assert anne.call("session:end") == {"ok": True}
    bo.wait_for(lambda: bo.state["board"]["status"] == "closed")
    engine = create_engine(database_url)
    with engine.connect() as db:
        salts = db.execute(text("SELECT salt FROM boards")).scalars().all()
        tags = db.execute(text("SELECT owner_tag, secret_hash FROM board_posts")).all()
    engine.dispose()
    assert salts == [None]
    assert tags and all(row == (None, None) for row in tags)


def test_a_connection_whose_row_is_gone_is_closed_by_its_own_process(server, clients, database_url):
    """The safety net under removal: had the message queue lost the `disconnect`, the
    process holding the socket closes it itself once no row knows it."""
    host = create_session(server.url)
    connect(clients, server, host["facilitator_token"])
    bo = connect(clients, server, join(server.url, host["join_code"], "Bo")["token"])
    engine = create_engine(database_url)
    with engine.begin() as db:
        db.execute(text("DELETE FROM connections WHERE sid = :sid"), {"sid": bo.sid})
    engine.dispose()
    bo.wait_for(lambda: not bo.sio.connected, timeout=2)
