"""Actions through a real server process and real python-socketio clients: what one
records, everyone else sees (`actions:updated`), carried into the group's next session."""

from __future__ import annotations

import pytest

from tests.live_client import LiveClient, create_session, facilitator, join
from tests.replay_support import state_differences

pytestmark = pytest.mark.server


def test_a_second_client_sees_actions_and_the_next_session_follows_them_up(server, clients):
    anne = facilitator(server.url)
    first = create_session(server.url, anne, title="Ledergruppen")
    host = LiveClient(server.url, first["facilitator_token"]).connect()
    bo = LiveClient(server.url, join(server.url, first["join_code"], "Bo")["token"]).connect()
    clients += [host, bo]
    bo_id = bo.state["you"]["participant_id"]

    mine = {"text": "Ask HR for the APV", "level": "organisation", "owner": "person"}
    assert bo.call("action:add", {**mine, "owner_id": bo_id, "due": "2027-01-15"}) == {"ok": True}
    host.wait_for(lambda: len(host.state["actions"]["recorded"]) == 1)
    seen = host.state["actions"]["recorded"][0]
    assert seen["owner"] == {"kind": "person", "name": "Bo", "participant_id": bo_id}
    assert any(name == "actions:updated" for name, _ in host.received)
    refused = bo.call("action:delete", {"action_id": seen["id"]})
    assert refused["error"]["code"] == "forbidden"
    bad = bo.call("action:add", {"text": "x", "level": "team"})
    assert bad["error"]["code"] == "invalid_payload"
    assert host.call("session:end") == {"ok": True}

    # The group's next session opens with the follow-up; Bo's second screen sees it.
    group_id = first["group_id"]
    second = create_session(server.url, anne, title="Next time", group_id=group_id)
    host2 = LiveClient(server.url, second["facilitator_token"]).connect()
    cecilie = LiveClient(server.url, join(server.url, second["join_code"], "Cecilie")["token"])
    clients += [host2, cecilie.connect()]
    assert host2.call("session:start") == {"ok": True}
    cecilie.wait_for(lambda: len(cecilie.state["actions"]["carried"]) == 1)
    # The agenda's event comes after the actions' one (its own version): wait for it too.
    cecilie.wait_for(lambda: cecilie.state["agenda"]["phases"][0]["kind"] == "follow_up")
    assert (
        cecilie.state["agenda"]["current"]["phase_id"] == cecilie.state["agenda"]["phases"][0]["id"]
    )
    done = {"action_id": seen["id"], "outcome": "done"}
    assert cecilie.call("action:follow_up", done)["error"]["code"] == "forbidden"
    assert host2.call("action:follow_up", done) == {"ok": True}
    cecilie.wait_for(lambda: cecilie.state["actions"]["carried"][0]["outcome"] == "done")
    assert cecilie.state["actions"]["carried"][0]["status"] == "done"
    # Snapshot + events = a fresh snapshot.
    assert state_differences(cecilie.state, cecilie.call("session:sync")["snapshot"], 60) == []
