"""A facilitator deletes their account, over HTTP with real Socket.IO clients in its
sessions: the password is asked again; a group they facilitate alone goes with its
sessions (whoever is in one is shown out); in a group with a co-facilitator, the
co-facilitator takes over the running session, on every screen; nothing of the account
is left to sign in with, and every socket it had is closed."""

from __future__ import annotations

import subprocess
import sys

import requests
from sqlalchemy import select

from server.accounts.models import Account
from server.sessions.models import Group, Participant
from tests.live_client import LiveClient, create_session, facilitator, join
from tests.support import ROOT

PASSWORD = "a long enough password"


def _host_client(url: str, http: requests.Session, code: str) -> LiveClient:
    token = http.post(f"{url}/api/sessions/{code}/pass", json={}, timeout=10).json()["token"]
    return LiveClient(url, token).connect()


def test_a_facilitator_deletes_their_account_and_their_groups_are_decided(
    server, database, clients
):
    url = server.url
    anne, bo = facilitator(url, "Anne"), facilitator(url, "Bo")
    alone = create_session(url, anne, title="Anne's own group")
    shared = create_session(url, anne, title="The shared group")
    invite = anne.post(f"{url}/api/groups/{shared['group_id']}/invitations", json={}, timeout=10)
    token = invite.json()["invite_url"].split("#", 1)[1]
    assert bo.post(f"{url}/api/invitations/accept", json={"token": token}, timeout=10).ok

    anne_in_shared = _host_client(url, anne, shared["join_code"])
    anne_in_shared.call("session:start", {})
    bo_in_shared = _host_client(url, bo, shared["join_code"])
    guest = LiveClient(url, join(url, shared["join_code"], "Cy")["token"]).connect()
    lonely = LiveClient(url, join(url, alone["join_code"], "Di")["token"]).connect()
    clients += [anne_in_shared, bo_in_shared, guest, lonely]

    wrong = anne.post(f"{url}/api/account/delete", json={"password": "not it at all"}, timeout=10)
    assert (wrong.status_code, wrong.json()["error"]["code"]) == (403, "wrong_password")
    missing = anne.post(f"{url}/api/account/delete", json={}, timeout=10)
    assert missing.status_code == 400 and missing.json()["error"]["code"] == "invalid_payload"
    assert anne.get(f"{url}/api/account", timeout=10).json()["account"] is not None  # nothing done

    done = anne.post(f"{url}/api/account/delete", json={"password": PASSWORD}, timeout=10)
    assert done.json() == {"ok": True}
    assert anne.get(f"{url}/api/account", timeout=10).json()["account"] is None

    # The group she facilitated alone is gone, and Di was shown out of its session.
    lonely.wait_for(lambda: "session:deleted" in lonely.notices)
    preview = requests.get(f"{url}/api/sessions/{alone['join_code']}", timeout=10)
    assert preview.status_code == 404
    # Bo leads the shared session now, on every screen; Anne's socket is closed.
    anne_in_shared.wait_for(lambda: not anne_in_shared.sio.connected)

    def lead_is_bo() -> bool:
        roles = {p["display_name"]: p["role"] for p in guest.state["participants"]}
        return roles.get("Bo") == "facilitator"

    guest.wait_for(lead_is_bo)
    bo_in_shared.wait_for(lambda: bo_in_shared.state["you"]["role"] == "facilitator")
    groups = bo.get(f"{url}/api/groups", timeout=10).json()["groups"]
    assert [g["name"] for g in groups] == ["The shared group"]

    again = requests.post(
        f"{url}/api/account/sign-in", json={"email": anne.email, "password": PASSWORD}, timeout=10
    )
    assert again.json()["error"]["code"] == "wrong_credentials"
    with database.transaction() as db:
        assert db.scalar(select(Account).where(Account.email == anne.email)) is None
        assert db.scalar(select(Group).where(Group.name == "Anne's own group")) is None
        hosts = db.scalars(select(Participant.account_id).where(Participant.display_name == "Anne"))
        assert list(hosts) == [None]  # her place in the shared session stays, without her account


def test_the_operator_deletes_an_account_from_the_command_line(server):
    url = server.url
    anne = facilitator(url, "Anne")
    created = create_session(url, anne, title="Anne's own group")

    def delete(email: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "server", "delete-account", email]
        return subprocess.run(
            command, capture_output=True, text=True, cwd=ROOT, env=server.env, timeout=60
        )

    unknown = delete("nobody@example.org")
    assert unknown.returncode == 1 and "nobody@example.org" in unknown.stderr
    done = delete(f"  {anne.email.upper()} ")
    assert done.returncode == 0, done.stderr
    assert "groups deleted with it: 1" in done.stdout
    assert anne.get(f"{url}/api/account", timeout=10).json()["account"] is None
    assert requests.get(f"{url}/api/sessions/{created['join_code']}", timeout=10).status_code == 404
