"""A dilemma title and the summary over real Socket.IO clients: a title not agreed to
never leaves its presenter's own payloads; after the end everyone (still connected, or
connecting again) reads the summary in their language."""

from __future__ import annotations

import json

import pytest

from tests.live_client import LiveClient, create_session, join

pytestmark = pytest.mark.server
PRIVATE = "The merger nobody may know of"
SHARED = "Leading through a reorganisation"


def test_titles_stay_with_their_presenter_unless_shared(server, clients):
    host = create_session(server.url)
    tokens = {"Anne": host["facilitator_token"], "screen": host["display_key"]}
    for name in ("Bo", "Cecilie"):
        tokens[name] = join(server.url, host["join_code"], name, language="da")["token"]
    people = {name: LiveClient(server.url, token).connect() for name, token in tokens.items()}
    clients.extend(people.values())
    anne = people["Anne"]
    phase = {"kind": "dilemma_round", "title": "Dilemmas", "minutes": 40, "position": 0}
    assert anne.call("agenda:add_phase", phase)["ok"]
    assert anne.call("session:start")["ok"]
    anne.wait_for(lambda: anne.state["agenda"]["current"]["turn_id"] is not None)

    presented = []
    for title, share in ((PRIVATE, False), (SHARED, True)):
        agenda = anne.state["agenda"]
        turn = next(t for t in agenda["turns"] if t["id"] == agenda["current"]["turn_id"])
        ids = {c.state["you"]["participant_id"]: n for n, c in people.items() if n != "screen"}
        presenter = ids[turn["participant_id"]]
        for name in set(ids.values()) - {presenter}:
            refused = people[name].call("turn:title", {"title": "Not mine", "share": True})
            assert refused["error"]["code"] == "not_your_turn"
        given = {"turn_id": turn["id"], "title": title, "share": share}
        reply = people[presenter].call("turn:title", {"title": title, "share": share})
        assert reply == {"ok": True, "title": given}
        assert given in people[presenter].call("session:sync")["snapshot"]["my_agenda"]["titles"]
        presented.append(presenter)
        for _ in agenda["phases"][0]["steps"]:  # through the presenter's steps
            segment = anne.state["agenda"]["segment"]
            assert anne.call("agenda:next", {"segment": segment})["ok"]
            anne.wait_for(lambda s=segment: anne.state["agenda"]["segment"] > s)
    assert anne.call("session:end")["ok"]

    # Bo connects again after the end (another device), in English this time.
    again = LiveClient(server.url, tokens["Bo"], language="en").connect()
    clients.append(again)
    summaries = {name: people[name].call("summary:get") for name in ("Anne", "Cecilie")}
    summaries["Bo"] = again.call("summary:get")
    assert people["screen"].call("summary:get")["error"]["code"] == "forbidden"
    for reply in summaries.values():
        titles = next(s for s in reply["summary"]["sections"] if s["key"] == "dilemmas")
        assert titles["data"] == {"titles": [SHARED]}
    assert summaries["Bo"]["summary"]["language"] == "en"
    assert summaries["Cecilie"]["summary"]["language"] == "da"

    # The private title is in its presenter's acks and snapshots, and nowhere else.
    for name, client in [*people.items(), ("Bo", again)]:
        blob = json.dumps(
            [client.received, client.snapshots, client.acks, client.state], ensure_ascii=False
        )
        assert (PRIVATE in blob) == (name == presented[0]), name
