"""What a room display is sent, through a real server: no organisation in its snapshot
or in any event (the others still get theirs), nobody away or at the door, no post
before it is shown; the join
link with its QR code, for the display and the hosts only; and a host putting the join
code up in full on the display (docs/protocol.md §3, §5)."""

from __future__ import annotations

import json
import secrets

import pytest

from tests.live_client import LiveClient, create_session, join

pytestmark = pytest.mark.server
ORGANISATION = "Aarhus Kommune"
UNREVEALED = "Not shown before the reveal"
LATE = "Written after the reveal, waiting for a batch"


def opened(clients, client: LiveClient) -> LiveClient:  # type: ignore[no-untyped-def]
    clients.append(client.connect())
    return client


def everything_sent(client: LiveClient) -> str:
    return json.dumps([client.snapshots, client.received])


def post(client: LiveClient, text: str) -> None:
    body = {"prompt": 0, "text": text, "secret": secrets.token_urlsafe(32)}
    assert client.call("board:post", body)["ok"]


def test_a_display_gets_no_organisation_and_no_unshown_post(server, clients):
    host = create_session(server.url, organisation=ORGANISATION)
    code = host["join_code"]
    anne = opened(clients, LiveClient(server.url, host["facilitator_token"]))
    screen = opened(clients, LiveClient(server.url, host["display_key"]))
    assert "organisation" not in screen.state["participants"][0]
    tokens = [join(server.url, code, n, organisation=ORGANISATION)["token"] for n in ("Bo", "Cy")]
    bo, cy = (opened(clients, LiveClient(server.url, token)) for token in tokens)
    assert bo.call("participant:set_location", {"location": "room"})["ok"]  # updated
    cy.disconnect()  # left, then returned
    cy = opened(clients, LiveClient(server.url, tokens[1]))
    assert anne.call("session:start")["ok"]
    assert anne.call("board:open", {"prompts": ["Learned"], "threshold": 2})["ok"]
    post(bo, UNREVEALED)
    post(cy, "Another")
    assert anne.call("board:reveal")["ok"]
    post(bo, LATE)
    assert anne.call("board:lock")["ok"]  # a later event: the late post still waits
    screen.wait_for(lambda: screen.state["board"]["status"] == "locked")

    seen = {name for name, _ in screen.received}
    assert {"participant:joined", "participant:updated", "participant:left"} <= seen
    assert {"participant:returned", "board:published"} <= seen
    sent = everything_sent(screen)
    assert UNREVEALED in sent and LATE not in sent
    reveal = next(i for i, (name, _) in enumerate(screen.received) if name == "board:published")
    assert UNREVEALED not in json.dumps([screen.snapshots, screen.received[:reveal]])
    assert ORGANISATION not in sent and '"organisation"' not in sent
    # Everyone else still reads each person's organisation, so the test can tell.
    anne.wait_for(lambda: anne.state["board"]["status"] == "locked")
    assert all(p["organisation"] == ORGANISATION for p in anne.state["participants"])
    assert ORGANISATION in json.dumps(anne.received)
    assert anne.state["participants"] == [
        {**person, "organisation": ORGANISATION} for person in screen.state["participants"]
    ]


def test_the_join_link_and_its_qr_code_go_to_the_display_and_the_hosts(server, clients):
    host = create_session(server.url)
    code = host["join_code"]
    screen = opened(clients, LiveClient(server.url, host["display_key"]))
    anne = opened(clients, LiveClient(server.url, host["facilitator_token"]))
    bo = opened(clients, LiveClient(server.url, join(server.url, host["join_code"], "Bo")["token"]))
    for client in (screen, anne):
        reply = client.call("session:join_link")
        assert reply["ok"] and reply["join_url"] == f"{server.url}/j/{code}"
        assert (
            reply["qr_svg"].startswith("<svg")
            and 'xmlns="http://www.w3.org/2000/svg"' in reply["qr_svg"]
        )
        assert "<path" in reply["qr_svg"] and "<script" not in reply["qr_svg"]
    assert bo.call("session:join_link")["error"]["code"] == "forbidden"


def test_a_host_puts_the_join_code_up_in_full_and_takes_it_down(server, clients):
    host = create_session(server.url)
    anne = opened(clients, LiveClient(server.url, host["facilitator_token"]))
    screen = opened(clients, LiveClient(server.url, host["display_key"]))
    bo = opened(clients, LiveClient(server.url, join(server.url, host["join_code"], "Bo")["token"]))
    assert screen.state["session"]["show_join"] is False
    assert anne.call("session:start")["ok"]
    assert anne.call("session:show_join", {"show": True}) == {"ok": True}
    screen.wait_for(lambda: screen.state["session"]["show_join"] is True)
    version = anne.call("session:sync")["snapshot"]["version"]
    assert anne.call("session:show_join", {"show": True}) == {"ok": True}  # no change
    assert anne.call("session:sync")["snapshot"]["version"] == version
    assert bo.call("session:show_join", {"show": False})["error"]["code"] == "forbidden"
    assert anne.call("session:show_join", {"show": "no"})["error"]["code"] == "invalid_payload"
    assert anne.call("session:show_join", {"show": False}) == {"ok": True}
    screen.wait_for(lambda: screen.state["session"]["show_join"] is False)
    assert anne.call("session:end")["ok"]
    ended = anne.call("session:show_join", {"show": True})
    assert ended["error"]["code"] == "session_ended"


def names_sent(client: LiveClient) -> str:
    return json.dumps([client.snapshots, client.received])


def test_a_display_is_sent_nobody_who_is_away_or_at_the_door(server, clients):
    """The display's link is on a projector: nobody away and nobody knocking reaches it,
    neither in its snapshot nor in any event, while the hosts still see them all."""
    host = create_session(server.url, admission="host")
    code = host["join_code"]
    anne = opened(clients, LiveClient(server.url, host["facilitator_token"]))
    gone = join(server.url, code, "Gudrun Gone")
    anne.call("participant:admit", {"participant_id": gone["participant_id"]})
    LiveClient(server.url, gone["token"]).connect().disconnect()  # was here, then away
    anne.wait_for(lambda: ("Gudrun Gone", False) in anne.people())
    screen = opened(clients, LiveClient(server.url, host["display_key"]))
    assert [p["display_name"] for p in screen.state["participants"]] == ["Anne"]

    bo = join(server.url, code, "Bo Here")
    bo_client = opened(clients, LiveClient(server.url, bo["token"]))  # knocks: not shown
    anne.wait_for(lambda: ("Bo Here", True) in anne.people())
    assert anne.call("participant:admit", {"participant_id": bo["participant_id"]})["ok"]
    screen.wait_for(lambda: "Bo Here" in json.dumps(screen.state["participants"]))
    knocking = join(server.url, code, "Karl Knocking")
    opened(clients, LiveClient(server.url, knocking["token"]))
    anne.wait_for(lambda: ("Karl Knocking", True) in anne.people())
    bo_client.disconnect()  # Bo leaves: the display drops him, and is told no name
    anne.wait_for(lambda: ("Bo Here", False) in anne.people())
    screen.wait_for(lambda: "Bo Here" not in json.dumps(screen.state["participants"]))

    sent = names_sent(screen)
    assert "Gudrun Gone" not in sent and "Karl Knocking" not in sent
    left = [payload for name, payload in screen.received if name == "participant:left"]
    assert left and all("participant" not in payload for payload in left)
    assert "Bo Here" not in json.dumps(left)
    assert screen.call("session:sync")["snapshot"]["participants"] == screen.state["participants"]
    assert [p["display_name"] for p in screen.state["participants"]] == ["Anne"]
    # The hosts still see everyone, away and at the door.
    names = {name for name, _ in anne.people()}
    assert {"Gudrun Gone", "Bo Here", "Karl Knocking"} <= names


def test_a_display_gets_no_name_from_the_seating_plan(server, clients):
    """The breakout seating plan keeps who it seated, even one who has left since: the
    display gets its plan without names (issue 13), and shows the first names of those
    it may show (its `participants`), so nobody away or gone is put up on the wall."""
    host = create_session(server.url)
    code = host["join_code"]
    anne = opened(clients, LiveClient(server.url, host["facilitator_token"]))
    people = [join(server.url, code, name) for name in ("Bo Stays", "Gudrun Goes")]
    bo, gudrun = (opened(clients, LiveClient(server.url, p["token"])) for p in people)
    phase = anne.call("agenda:add_phase", {"kind": "breakout", "title": "Pairs", "minutes": 5})
    assert phase["ok"], phase
    phase_id = anne.state["agenda"]["phases"][-1]["id"]
    assert anne.call("breakout:plan", {"phase_id": phase_id, "size": 2})["ok"]
    gudrun.disconnect()  # she leaves: the plan keeps her seat
    anne.wait_for(lambda: ("Gudrun Goes", False) in anne.people())
    screen = opened(clients, LiveClient(server.url, host["display_key"]))
    assert anne.call("breakout:plan", {"phase_id": phase_id, "size": 2})["ok"]  # an update
    screen.wait_for(lambda: any(n == "breakout:updated" for n, _ in screen.received))

    seated = {
        m["participant_id"]
        for r in anne.state["breakouts"]["rounds"]
        for g in r["plan"]
        for m in g["members"]
    }
    assert people[0]["participant_id"] in seated  # the hosts' plan names who sits where
    assert "Gudrun" not in names_sent(screen)
    plans = [screen.state["breakouts"]] + [
        p["breakouts"] for n, p in screen.received if n == "breakout:updated"
    ]
    members = [m for b in plans for r in b["rounds"] for g in r["plan"] for m in g["members"]]
    assert members and all(set(m) == {"participant_id"} for m in members)
    assert bo.state["breakouts"]["rounds"][0]["plan"][0]["members"][0]["first_name"]
