"""Two server processes behind one database and a Redis message queue.

Nothing lives only in one process: a client on either worker sees the same session,
and when a worker dies, the others report its people as gone.
"""

from __future__ import annotations

import time

import pytest

from tests.breakout_support import (
    Network,
    isolation_faults,
    move_on_and_write,
    round_in,
    seats_of,
    status_is,
    version_faults,
)
from tests.live_client import Ears, LiveClient, create_session, facilitator, join, sign_in
from tests.support import REDIS_URL, ServerProcess, redis_reachable, require, scale_out_env

pytestmark = pytest.mark.server


@pytest.fixture
def workers(database_url):
    require(redis_reachable(), f"Redis is not reachable at {REDIS_URL}")
    extra = scale_out_env()
    first = ServerProcess(database_url, **extra)
    first.release()
    started = [first.start(), ServerProcess(database_url, **extra).start()]
    yield started
    for worker in started:
        worker.stop()


def test_clients_on_two_workers_share_one_session(workers):
    one, two = workers
    host = create_session(one.url)
    anne = LiveClient(one.url, host["facilitator_token"]).connect()
    bo = LiveClient(two.url, join(two.url, host["join_code"], "Bo")["token"]).connect()
    try:
        anne.wait_for(lambda: anne.people() == [("Anne", True), ("Bo", True)])
        assert anne.call("session:start") == {"ok": True}
        bo.wait_for(lambda: bo.state["session"]["status"] == "running")
    finally:
        anne.disconnect()
        bo.disconnect()


def test_ones_own_post_reaches_ones_device_on_the_other_worker(workers):
    """The private event to a person's other connections crosses processes (Redis): the
    room named by their key is joined on whichever worker holds each device."""
    one, two = workers
    host = create_session(one.url)
    anne = LiveClient(one.url, host["facilitator_token"]).connect()
    token = join(one.url, host["join_code"], "Bo")["token"]
    laptop = LiveClient(one.url, token)
    phone = LiveClient(two.url, token)
    phone_ears = Ears(phone, ("board:own_post_saved",))
    laptop.connect()
    phone.connect()
    try:
        assert anne.call("board:open", {"prompts": ["Learned"], "threshold": 2})["ok"]
        body = {"prompt": 0, "text": "Written on one", "secret": "s" * 43}
        written = laptop.call("board:post", body)
        [saved] = phone_ears.wait_for("board:own_post_saved")
        assert saved["post"] == written["post"]
    finally:
        for client in (anne, laptop, phone):
            client.disconnect()


def test_people_on_a_killed_worker_are_reported_gone(workers):
    one, two = workers
    host = create_session(one.url)
    anne = LiveClient(one.url, host["facilitator_token"]).connect()
    bo = LiveClient(two.url, join(two.url, host["join_code"], "Bo")["token"]).connect()
    try:
        anne.wait_for(lambda: anne.people() == [("Anne", True), ("Bo", True)])
        two.stop(kill=True)  # no goodbye: only its silence tells
        # After the worker timeout (3 s here) the survivor's sweep removes Bo.
        anne.wait_for(lambda: anne.people() == [("Anne", True), ("Bo", False)], timeout=15)
    finally:
        anne.disconnect()
        bo.disconnect()


def test_removing_someone_closes_their_connections_on_every_worker(workers):
    """Removed on one process, shown out on the other within 2 s; their token is dead."""
    one, two = workers
    host = create_session(one.url, admission="host")
    anne = LiveClient(one.url, host["facilitator_token"]).connect()
    joined = join(two.url, host["join_code"], "Bo")
    tabs = [LiveClient(url, joined["token"]).connect() for url in (two.url, one.url)]
    try:
        assert tabs[0].state["you"]["role"] == "waiting"
        # Let in on one worker: the tab on the other one gets inside, too.
        assert anne.call("participant:admit", {"participant_id": joined["participant_id"]})["ok"]
        for tab in tabs:
            tab.wait_for(lambda t=tab: t.state["you"]["role"] == "participant")
        assert anne.call("participant:remove", {"participant_id": joined["participant_id"]})["ok"]
        for tab in tabs:
            tab.wait_for(lambda t=tab: not t.sio.connected, timeout=2)
        comeback = LiveClient(two.url, joined["token"])
        with pytest.raises(Exception):  # noqa: B017  (the refusal is what matters)
            comeback.connect()
        assert comeback.refusal["data"]["code"] == "removed_from_session"
    finally:
        anne.disconnect()
        for tab in tabs:
            tab.disconnect()


def test_signing_out_closes_that_logins_sockets_on_every_worker(workers):
    """Anne is signed in on a laptop and a phone; her laptop's tabs run on both workers.
    Signing out on the laptop closes its sockets within 2 s; the phone and the group go
    on; the laptop's pass is dead. Signing out everywhere then closes the phone's."""
    one, two = workers
    laptop = facilitator(one.url)
    host = create_session(one.url, host=laptop)
    code = host["join_code"]
    phone = sign_in(two.url, laptop.email)  # type: ignore[attr-defined]
    phone_pass = phone.post(f"{two.url}/api/sessions/{code}/pass").json()["token"]
    tabs = [LiveClient(url, host["facilitator_token"]).connect() for url in (one.url, two.url)]
    on_phone = LiveClient(two.url, phone_pass).connect()
    bo = LiveClient(two.url, join(two.url, code, "Bo")["token"]).connect()
    try:
        assert laptop.post(f"{one.url}/api/account/sign-out", json={}).json() == {"ok": True}
        for tab in tabs:
            tab.wait_for(lambda t=tab: not t.sio.connected, timeout=2)
        assert on_phone.sio.connected and bo.sio.connected
        comeback = LiveClient(two.url, host["facilitator_token"])
        with pytest.raises(Exception):  # noqa: B017  (the refusal is what matters)
            comeback.connect()
        assert comeback.refusal["data"]["code"] == "not_authenticated"
        assert phone.post(f"{two.url}/api/account/sign-out", json={"everywhere": True}).ok
        on_phone.wait_for(lambda: not on_phone.sio.connected, timeout=2)
        assert bo.sio.connected
    finally:
        for client in (*tabs, on_phone, bo):
            client.disconnect()


def test_each_connection_on_either_worker_gets_its_own_breakout_view(workers):
    """`breakout:updated` is built for each connection: a payload to one sid reaches it
    through Redis on whichever worker holds it, and a group's step moved on one worker
    reaches its members on the other; nobody gets another group's inside, no gap."""
    one, two = workers
    network = Network([one.url, two.url])
    try:
        network.gather()  # every other connection on the second worker
        anne = network.people["Anne"]
        first, second, _ = network.add_phases()
        assert anne.call("breakout:plan", {"phase_id": first}) == {"ok": True}
        assert anne.call("session:start") == {"ok": True}
        network.wait_all(status_is(first, "running"))
        seats = seats_of(round_in(anne.state, first))
        for name in network.participants:
            client = network.people[name]
            mine = round_in(client.state, first)["my_group"]
            assert mine["number"] == seats[network.id_of(name)]
        syntheses: dict[tuple[int, int], str] = {}
        told = move_on_and_write(network, first, syntheses)
        across = [(a, b) for a, b in told if a.base_url != b.base_url]
        assert across  # a group's step, moved on one worker, seen on the other
        time.sleep(3)  # the sweeps (0.5 s) and the catch-up's grace (2 s) after the last event
        network.next_phase()  # the second breakout phase: new groups
        network.wait_all(status_is(second, "running"))
        seated = {first: seats, second: seats_of(round_in(anne.state, second))}
        for client in network.opened:
            assert isolation_faults(client, syntheses, seated) == []
            assert version_faults(client) == [], client.state["you"]
            # Every event came through, so no process had to tell anyone to catch up.
            assert client.announced == [], client.state["you"]
    finally:
        network.close()
