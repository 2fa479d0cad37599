"""Real server processes (the Procfile's command) and real python-socketio clients.

Each test runs against eventlet (as in production), threading and gevent.
"""

from __future__ import annotations

import pytest
import requests
from sqlalchemy import create_engine, text

from tests.live_client import LiveClient, create_session, join
from tests.support import ServerProcess, dump_database

pytestmark = pytest.mark.server


@pytest.fixture(params=["eventlet", "threading", "gevent"])
def server(request, database_url):
    process = ServerProcess(database_url, async_mode=request.param)
    process.start()
    yield process
    process.stop()


def open_client(clients, server, token, language=None) -> LiveClient:
    client = LiveClient(server.url, token, language).connect()
    clients.append(client)
    return client


def test_three_clients_see_each_other_arrive_in_order(server, clients):
    host = create_session(server.url)
    code = host["join_code"]
    anne = open_client(clients, server, host["facilitator_token"])
    bo = open_client(clients, server, join(server.url, code, "Bo")["token"])
    cecilie = open_client(clients, server, join(server.url, code, "Cecilie")["token"])

    everyone = [("Anne", True), ("Bo", True), ("Cecilie", True)]
    for client in (anne, bo, cecilie):
        client.wait_for(lambda c=client: c.people() == everyone)
    joined_seen_by_anne = [
        p["participant"]["display_name"]
        for name, p in anne.received
        if name == "participant:joined"
    ]
    assert joined_seen_by_anne[-2:] == ["Bo", "Cecilie"]
    versions = [p["version"] for _, p in anne.received]
    assert versions == sorted(versions)
    # Applying events to a snapshot gives what a fresh snapshot says.
    fresh = LiveClient(server.url, host["facilitator_token"])
    fresh.state = anne.call("session:sync")["snapshot"]
    assert anne.comparable_state() == fresh.comparable_state()


def test_a_reconnecting_participant_is_the_same_participant(server, clients, database_url):
    host = create_session(server.url)
    anne = open_client(clients, server, host["facilitator_token"])
    bo_token = join(server.url, host["join_code"], "Bo")["token"]
    bo = open_client(clients, server, bo_token)
    anne.wait_for(lambda: anne.people() == [("Anne", True), ("Bo", True)])
    bo_id = bo.state["you"]["participant_id"]

    bo.disconnect()
    anne.wait_for(lambda: anne.people() == [("Anne", True), ("Bo", False)])
    again = open_client(clients, server, bo_token)
    anne.wait_for(lambda: anne.people() == [("Anne", True), ("Bo", True)])

    assert again.state["you"]["participant_id"] == bo_id
    names = [(n, p["participant"]["id"]) for n, p in anne.received if n.startswith("participant:")]
    assert names[-3:] == [
        ("participant:joined", bo_id),
        ("participant:left", bo_id),
        ("participant:returned", bo_id),
    ]
    engine = create_engine(database_url)
    with engine.connect() as connection:
        count = connection.execute(text("SELECT count(*) FROM participants")).scalar_one()
    engine.dispose()
    assert count == 2


def test_the_facilitator_starts_and_ends_and_everyone_sees_it(server, clients):
    host = create_session(server.url)
    anne = open_client(clients, server, host["facilitator_token"])
    bo = open_client(clients, server, join(server.url, host["join_code"], "Bo")["token"])
    screen = open_client(clients, server, host["display_key"])

    assert anne.call("session:start") == {"ok": True}
    for client in (anne, bo, screen):
        client.wait_for(lambda c=client: c.state["session"]["status"] == "running")
    assert anne.call("session:end") == {"ok": True}
    for client in (anne, bo, screen):
        client.wait_for(lambda c=client: c.state["session"]["status"] == "ended")
    assert screen.state["you"] == {"role": "display", "participant_id": None}


def test_a_wrong_join_code_is_refused_and_changes_nothing(server, database_url):
    create_session(server.url)
    before = dump_database(database_url)
    reply = requests.post(
        f"{server.url}/api/join",
        timeout=10,
        json={"join_code": "ZZZZZZ", "display_name": "Bo", "language": "da"},
    )
    assert reply.status_code == 404
    assert reply.json()["error"]["code"] == "unknown_join_code"
    assert reply.json()["error"]["message"] == (
        "Der findes ingen session med den kode. Tjek koden, og prøv igen."
    )
    assert dump_database(database_url) == before


def test_malformed_payloads_get_the_documented_error_and_change_nothing(
    server, clients, database_url
):
    host = create_session(server.url)
    anne = open_client(clients, server, host["facilitator_token"], language="en")
    bo = open_client(clients, server, join(server.url, host["join_code"], "Bo")["token"], "da")
    anne.wait_for(lambda: anne.people() == [("Anne", True), ("Bo", True)])
    before = dump_database(database_url)

    bad = anne.call("session:start", {"session_id": 99})
    assert bad["ok"] is False
    assert bad["error"]["code"] == "invalid_payload"
    assert bad["error"]["params"] == {"fields": ["session_id"]}
    assert bad["error"]["message"] == (
        "The page sent something the server cannot use. Reload the page and try again."
    )
    assert anne.call("session:start", "not an object")["error"]["code"] == "invalid_payload"
    assert anne.call("client:set_language", {"language": "sv"})["error"]["code"] == (
        "invalid_payload"
    )
    forbidden = bo.call("session:start")
    assert forbidden["error"]["code"] == "forbidden"
    assert forbidden["error"]["message"] == (
        "Det kan du ikke gøre med din rolle i sessionen. Spørg facilitatoren, hvis det skal gøres."
    )
    assert dump_database(database_url) == before


def test_a_bad_credential_is_refused_at_connect(server):
    for auth in ({"token": "x" * 32}, {"token": 5}, {}):
        client = LiveClient(server.url, token="unused")
        client.sio.on("connect_error", client._on_refused, namespace="/session")
        with pytest.raises(Exception):  # noqa: B017 - the client raises its own ConnectionError
            client.sio.connect(server.url, namespaces=["/session"], auth=auth, wait_timeout=5)
        client.wait_for(lambda c=client: c.refusal is not None)
        expected = "not_authenticated" if auth.get("token") == "x" * 32 else "invalid_payload"
        assert client.refusal["data"]["code"] == expected
        assert client.refusal["message"]
