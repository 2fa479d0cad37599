"""The pulse over real Socket.IO clients against a real server process: nobody's
payload (snapshots, events, acks) ever holds anyone's answers, and the result comes
only after the close, the same for everyone."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.live_client import LiveClient, create_session, join
from tests.log_audit import full_log, identifiers, numbers_pattern
from tests.support import dump_database

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


def test_the_servers_log_never_ties_an_answer_to_a_person(server, clients, database_url):
    """An operator reading the log finds no one's answers, and no line that names someone
    says anything about the pulse: not for answers taken, nor for answers refused."""
    host = create_session(server.url, facilitator_name="Annelise Ordstyrer")
    names = ["Bodil Pulsgaard", "Cecilie Svarholt", "Dines Målerup", "Eva Skalaen"]
    answers = dict(zip(names, ANSWERS.values(), strict=True))
    answers["Annelise Ordstyrer"] = [3, 3, 4, 6, 5, 2, 6]
    tokens = {"Annelise Ordstyrer": host["facilitator_token"]}
    tokens.update((name, join(server.url, host["join_code"], name)["token"]) for name in names)
    people = {name: LiveClient(server.url, token).connect() for name, token in tokens.items()}
    clients.extend(people.values())
    anne = people["Annelise Ordstyrer"]
    pulse_phase = {"kind": "pulse", "title": "Pulse", "minutes": 5, "position": 0}
    assert anne.call("agenda:add_phase", pulse_phase)["ok"]
    assert anne.call("session:start")["ok"]

    sent = list(answers.values())  # everything sent as answers, taken or refused
    for name, client in people.items():
        assert client.call("pulse:answer", {"answers": answers[name]})["ok"]
    refused = {"Bodil Pulsgaard": [7, 1, 7, 1, 7, 1, 7], "Eva Skalaen": [6, 2, 6, 2, 6, 2, 6]}
    for name, again in refused.items():  # a second answer, a different one
        reply = people[name].call("pulse:answer", {"answers": again})
        assert reply["error"]["code"] == "pulse_already_answered"
        sent.append(again)
    for bad in ([4, 3, 2, 4, 3, 2, 4, 3], [5, 1, 4, 7, 6], [2, 9, 3, 1, 5, 7, 4]):
        reply = people["Cecilie Svarholt"].call("pulse:answer", {"answers": bad})
        assert reply["error"]["code"] == "invalid_payload"
        sent.append(bad)
    tagged = dump_database(database_url)["pulse_tags"]  # while open: who answered, one-way
    tags = {value for row in tagged for value in row if isinstance(value, str)}
    assert len(tags) == len(answers)
    segment = anne.state["agenda"]["segment"]
    assert anne.call("agenda:next", {"segment": segment})["ok"]
    anne.wait_for(lambda: anne.state["pulse"]["status"] == "closed")
    assert anne.state["pulse"]["result"]["answered"] == len(answers)
    assert anne.call("session:end")["ok"]
    sids = {name: client.sid for name, client in people.items()}

    log = full_log(server)
    for values in sent:
        assert not numbers_pattern(values).search(log), values
    for tag in tags:
        assert tag not in log
    for name, token in tokens.items():
        for line in log.splitlines():
            if any(i in line for i in identifiers(name, token, sids[name])):
                # Nothing about the pulse, and no run of answer-like numbers.
                assert "pulse" not in line.lower() and "answer" not in line.lower(), line
                assert not re.search(r"(?<!\d)[1-7](?:\W{1,4}[1-7]){2,}(?!\d)", line), line
