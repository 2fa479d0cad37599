"""Every command as every role, generated from the command registry: the roles a command
declares get past the door, every other role is refused and nothing changes."""

from __future__ import annotations

import dataclasses

import pytest

from server.app import socketio_of
from server.core.domain import Role
from server.core.realtime import COMMANDS, NAMESPACE
from tests.accounts_support import signed_in_client

REFUSAL = {Role.WAITING: "waiting_at_the_door"}


def _session(client) -> dict[str, str]:
    """A session that lets people in by hand, and a token for every role."""
    reply = client.post(
        "/api/sessions",
        json={"title": "Matrix", "language": "en", "facilitator_name": "Anne"},
    ).get_json()
    code = reply["join_code"]

    def join(name: str) -> tuple[str, int]:
        body = {"join_code": code, "display_name": name, "language": "en"}
        joined = client.post("/api/join", json=body).get_json()
        return joined["token"], joined["participant_id"]

    host = reply["facilitator_token"]
    tokens = {Role.FACILITATOR: host, Role.DISPLAY: reply["display_key"]}
    cohost, cohost_id = join("Bo")
    participant, participant_id = join("Cecilie")
    tokens[Role.WAITING], _ = join("Dan")
    tokens[Role.COFACILITATOR], tokens[Role.PARTICIPANT] = cohost, participant
    return {"host": host, "cohost_id": cohost_id, "participant_id": participant_id, **tokens}


@pytest.fixture
def settings(settings):
    """One new session per command and role: more than the per-address limits allow."""
    many = "10000 per minute"
    return dataclasses.replace(settings, rate_limit_create=many, rate_limit_join=many)


@pytest.fixture
def io(app):
    return socketio_of(app)


def connect(io, app, flask_client, token):
    client = io.test_client(
        app, namespace=NAMESPACE, flask_test_client=flask_client, auth={"token": token}
    )
    assert client.is_connected(NAMESPACE)
    return client


def test_every_command_as_every_role(app, io):
    flask_client = signed_in_client(app)
    checked = 0
    for name, command in sorted(COMMANDS.items()):
        # One session per command: the roles refused go first, as a refusal changes
        # nothing; then the roles let in, whose commands may change the session.
        tokens = _session(flask_client)
        host = connect(io, app, flask_client, tokens["host"])
        for pid in (tokens["cohost_id"], tokens["participant_id"]):
            assert host.emit(
                "participant:admit", {"participant_id": pid}, namespace=NAMESPACE, callback=True
            )["ok"]
        role_reply = host.emit(
            "participant:set_role",
            {"participant_id": tokens["cohost_id"], "role": "cofacilitator"},
            namespace=NAMESPACE,
            callback=True,
        )
        assert role_reply["ok"], role_reply
        for role in sorted(Role, key=lambda role: role in command.roles):
            sender = connect(io, app, flask_client, tokens[role])
            reply = sender.emit(name, {}, namespace=NAMESPACE, callback=True)
            code = None if reply["ok"] else reply["error"]["code"]
            refusal = REFUSAL.get(role, "forbidden")
            if role in command.roles:
                assert code not in ("forbidden", "waiting_at_the_door"), (name, role, reply)
            else:
                assert code == refusal, (name, role, reply)
            checked += 1
            if sender.is_connected(NAMESPACE):  # the bound on connections per address
                sender.disconnect(namespace=NAMESPACE)
        if host.is_connected(NAMESPACE):
            host.disconnect(namespace=NAMESPACE)
    assert checked == len(COMMANDS) * len(Role)


def test_the_links_are_for_hosts_and_the_display_link_opens_the_display(app, io):
    flask_client = signed_in_client(app)
    tokens = _session(flask_client)
    host = connect(io, app, flask_client, tokens["host"])
    for pid in (tokens["cohost_id"], tokens["participant_id"]):
        host.emit("participant:admit", {"participant_id": pid}, namespace=NAMESPACE, callback=True)
    host.emit(
        "participant:set_role",
        {"participant_id": tokens["cohost_id"], "role": "cofacilitator"},
        namespace=NAMESPACE,
        callback=True,
    )
    answers = {}
    for role in Role:
        sender = connect(io, app, flask_client, tokens[role])
        answers[role] = sender.emit("session:links", {}, namespace=NAMESPACE, callback=True)
        sender.disconnect(namespace=NAMESPACE)
    host.disconnect(namespace=NAMESPACE)
    hosts = (Role.FACILITATOR, Role.COFACILITATOR)
    assert answers[Role.FACILITATOR] == answers[Role.COFACILITATOR]
    assert answers[Role.FACILITATOR]["display_url"].endswith(f"#display={tokens[Role.DISPLAY]}")
    for role in set(Role) - set(hosts):
        assert answers[role]["error"]["code"] == REFUSAL.get(role, "forbidden"), role
