"""The pulse over real Socket.IO clients against a real server process: nobody's
payload (snapshots, events, acks) ever holds anyone's answers, and the result comes
only after the close, the same for everyone."""

from __future__ import annotations

from typing import Any

import pytest

from tests.live_client import LiveClient, create_session, join

pytestmark = pytest.mark.server

# Sequences no count list can equal (counts of 4 people over 7 values always hold a 0).
ANSWERS = {
    "Bo": [1, 2, 3, 4, 5, 6, 7],
    "Cecilie": [7, 6, 5, 4, 3, 2, 1],
    "Dan": [2, 4, 6, 1, 3, 5, 7],
    "Eva": [5, 5, 1, 1, 7, 7, 3],
}


def lists_in(value: Any) -> list[list[Any]]:
    if isinstance(value, dict):
        return [found for inner in value.values() for found in lists_in(inner)]
    if isinstance(value, list):
        return [value, *(found for inner in value for found in lists_in(inner))]
    return []


def everything_received(client: LiveClient) -> list[Any]:
    return [*client.snapshots, *(p for _, p in client.received), *(p for _, p in client.acks)]


def test_nobody_is_sent_anyones_answers_and_the_result_comes_at_the_close(server, clients):
    host = create_session(server.url)
    tokens = {"Anne": host["facilitator_token"], "screen": host["display_key"]}
    for name in ANSWERS:
        tokens[name] = join(server.url, host["join_code"], name)["token"]
    clients.extend(LiveClient(server.url, token).connect() for token in tokens.values())
    people = dict(zip(tokens, clients, strict=True))
    anne = people["Anne"]
    pulse_phase = {"kind": "pulse", "title": "Pulse", "minutes": 5, "position": 0}
    assert anne.call("agenda:add_phase", pulse_phase)["ok"]
    assert anne.call("session:start")["ok"]

    for name, answers in ANSWERS.items():
        assert people[name].call("pulse:mine") == {"ok": True, "answered": False}
        assert people[name].call("pulse:answer", {"answers": answers}) == {
            "ok": True,
            "answered": True,
        }
        assert people[name].call("pulse:mine") == {"ok": True, "answered": True}
    again = people["Bo"].call("pulse:answer", {"answers": ANSWERS["Bo"]})
    assert again["error"]["code"] == "pulse_already_answered"
    for client in clients:
        client.wait_for(lambda c=client: c.state["pulse"]["answered"] == len(ANSWERS))
        assert client.state["pulse"]["result"] is None  # open: only the count

    segment = anne.state["agenda"]["segment"]
    assert anne.call("agenda:next", {"segment": segment})["ok"]
    for client in clients:
        client.wait_for(lambda c=client: c.state["pulse"]["status"] == "closed")
    results = [client.state["pulse"]["result"] for client in clients]
    assert all(result == results[0] for result in results)
    assert results[0]["answered"] == 4
    assert results[0]["statements"][0]["counts"] == [1, 1, 0, 0, 1, 0, 1]

    trend = people["screen"].call("pulse:trend")
    assert trend["ok"] and len(trend["points"]) == 1 and trend["svg"].startswith("<svg")

    for client in clients:
        seen = [found for payload in everything_received(client) for found in lists_in(payload)]
        for answers in ANSWERS.values():
            assert answers not in seen
