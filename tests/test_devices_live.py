"""Moving to another device through a real server: the command's link and QR code, the
trade over HTTP, and the two devices as one person. Real python-socketio clients."""

from __future__ import annotations

import json
import secrets
from urllib.parse import urlsplit

import pytest
import requests

from tests.live_client import Ears, LiveClient, create_session, join

pytestmark = pytest.mark.server


def connect(clients, server, token) -> LiveClient:
    client = LiveClient(server.url, token).connect()
    clients.append(client)
    return client


def test_two_devices_are_one_person_and_only_ones_own_token_makes_a_link(server, clients):
    host = create_session(server.url)
    anne = connect(clients, server, host["facilitator_token"])
    bo = join(server.url, host["join_code"], "Bo")
    laptop = connect(clients, server, bo["token"])

    cecilie = join(server.url, host["join_code"], "Cecilie")
    stolen = laptop.call("participant:device_link", {"token": cecilie["token"]})
    assert stolen["error"]["code"] == "forbidden"
    own = anne.call("participant:device_link", {"token": host["facilitator_token"]})
    assert own["error"]["code"] == "move_signed_in"

    reply = laptop.call("participant:device_link", {"token": bo["token"]})
    assert reply["ok"] and reply["qr_svg"].startswith("<svg")
    link = urlsplit(reply["link"])
    assert link.path == f"/s/{host['join_code']}" and link.fragment.startswith("move=")
    code = link.fragment.removeprefix("move=")
    assert code not in reply["qr_svg"]  # the QR code is drawn, not written out
    moved = requests.post(f"{server.url}/api/move", json={"code": code}, timeout=10)
    assert moved.json()["token"] == bo["token"]

    phone = connect(clients, server, moved.json()["token"])
    assert phone.state["you"]["participant_id"] == bo["participant_id"]
    laptop.disconnect()
    # After the laptop has gone, the phone acts, and Bo is still here, once.
    assert phone.call("participant:set_location", {"location": "room"}) == {"ok": True}
    anne.wait_for(lambda: any(p["location"] == "room" for p in anne.state["participants"]))
    assert anne.people() == [("Anne", True), ("Bo", True)]
    # Nothing of the code reached the server's log.
    assert code not in server.log()


OWN_EVENTS = ("board:own_post_saved", "board:own_post_deleted")


def moved_token(server, device: LiveClient, token: str) -> str:
    link = device.call("participant:device_link", {"token": token})["link"]
    code = urlsplit(link).fragment.removeprefix("move=")
    return requests.post(f"{server.url}/api/move", json={"code": code}, timeout=10).json()["token"]


def listening(clients, server, token) -> tuple[LiveClient, Ears]:  # type: ignore[no-untyped-def]
    client = LiveClient(server.url, token)
    ears = Ears(client, OWN_EVENTS)
    clients.append(client.connect())
    return client, ears


def test_a_post_is_the_persons_on_every_device_and_nobody_else_hears_of_it(server, clients):
    """Written on the laptop, edited and deleted on the phone without the laptop's secret;
    each device's "your posts" follows at once, and nobody else hears a thing."""
    host = create_session(server.url)
    anne, anne_ears = listening(clients, server, host["facilitator_token"])
    screen, screen_ears = listening(clients, server, host["display_key"])
    bo = join(server.url, host["join_code"], "Bo")
    laptop, laptop_ears = listening(clients, server, bo["token"])
    phone, phone_ears = listening(clients, server, moved_token(server, laptop, bo["token"]))
    cy, cy_ears = listening(clients, server, join(server.url, host["join_code"], "Cy")["token"])
    assert anne.call("board:open", {"prompts": ["Learned"], "threshold": 2})["ok"]

    secret = secrets.token_urlsafe(32)
    written = laptop.call("board:post", {"prompt": 0, "text": "On the laptop", "secret": secret})
    post_id = written["post"]["id"]
    [saved] = phone_ears.wait_for("board:own_post_saved")
    assert saved["post"] == written["post"] and saved["posts_left"] == written["posts_left"]
    assert saved["board_id"] == anne.state["board"]["id"] and "secret" not in json.dumps(saved)

    edited = phone.call("board:edit", {"post_id": post_id, "text": "Changed on the phone"})
    assert edited["ok"] and edited["post"]["text"] == "Changed on the phone"
    [resaved] = laptop_ears.wait_for("board:own_post_saved")
    assert resaved["post"] == edited["post"]
    mine = laptop.call("board:mine")["posts"]
    assert [p["text"] for p in mine] == ["Changed on the phone"]
    stranger = cy.call("board:edit", {"post_id": post_id, "text": "Not mine"})
    assert stranger["error"]["code"] == "not_your_post"
    assert cy.call("board:delete", {"post_id": post_id})["error"]["code"] == "not_your_post"

    deleted = phone.call("board:delete", {"post_id": post_id})
    assert deleted == {"ok": True, "shown": False, "posts_left": written["posts_left"] + 1}
    [gone] = laptop_ears.wait_for("board:own_post_deleted")
    assert gone == {
        "board_id": saved["board_id"],
        "post_id": post_id,
        "shown": False,
        "posts_left": deleted["posts_left"],
    }

    # The writer's own connection has its ack; the others (the host, Cy, the room display)
    # hear nothing of it: a marker event after it shows they would have by now.
    assert cy.call("participant:set_location", {"location": "room"})["ok"]
    for client in (anne, screen, cy, laptop):
        client.wait_for(
            lambda c=client: any(p["location"] == "room" for p in c.state["participants"])
        )
    assert not phone_ears.of("board:own_post_deleted")
    assert len(phone_ears.of("board:own_post_saved")) == 1  # the laptop's post, not its own edit
    assert len(laptop_ears.of("board:own_post_saved")) == 1  # the phone's edit, not its post
    for ears in (anne_ears, screen_ears, cy_ears):
        assert not ears.of("board:own_post_saved") and not ears.of("board:own_post_deleted")
        assert "On the laptop" not in json.dumps(ears.heard)
    assert "Changed on the phone" not in json.dumps([anne.received, screen.received, cy.received])
