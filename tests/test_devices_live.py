"""Moving to another device through a real server: the command's link and QR code, the
trade over HTTP, and the two devices as one person. Real python-socketio clients."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import requests

from tests.live_client import LiveClient, create_session, join

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
