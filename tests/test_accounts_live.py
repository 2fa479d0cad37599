"""Facilitator accounts against a real server: sign up, in and out, a new password;
an unknown account and a wrong password look alike; requests from another origin are
refused; the command line makes the first account."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

import pytest
import requests

from tests.live_client import facilitator, sign_in
from tests.support import ROOT, dump_database, running_server

pytestmark = pytest.mark.server
PASSWORD = "a long enough password"


def test_sign_up_in_out_and_a_new_password(server):
    url = server.url
    anne = facilitator(url)
    me = anne.get(f"{url}/api/account").json()
    assert me["account"]["display_name"] == "Anne" and me["csrf_token"]
    cookie = next(c for c in anne.cookies if c.name == "holdsport_login")
    assert cookie.has_nonstandard_attr("HttpOnly") and cookie.path == "/"
    assert anne.post(f"{url}/api/account/sign-out", json={}).json() == {"ok": True}
    assert anne.get(f"{url}/api/account").json()["account"] is None

    again = sign_in(url, anne.email)  # type: ignore[attr-defined]
    wrong = again.post(
        f"{url}/api/account/password", json={"current": "not it at all", "new": "x" * 12}
    )
    assert (wrong.status_code, wrong.json()["error"]["code"]) == (403, "wrong_password")
    changed = again.post(
        f"{url}/api/account/password", json={"current": PASSWORD, "new": "a brand new secret"}
    )
    assert changed.json() == {"ok": True}
    old = requests.post(
        f"{url}/api/account/sign-in", json={"email": anne.email, "password": PASSWORD}, timeout=10
    )
    assert old.json()["error"]["code"] == "wrong_credentials"
    new = requests.post(
        f"{url}/api/account/sign-in",
        json={"email": f"  {anne.email.upper()} ", "password": "a brand new secret"},
        timeout=10,
    )
    assert new.status_code == 200 and new.json()["account"]["email"] == anne.email
    taken = requests.post(
        f"{url}/api/account/sign-up",
        json={"email": anne.email, "display_name": "Eve", "password": PASSWORD},
        timeout=10,
    )
    assert taken.json()["error"]["code"] == "email_taken"


def test_a_session_needs_an_account(server):
    body = {"title": "T", "language": "da"}
    reply = requests.post(f"{server.url}/api/sessions", json=body, timeout=10)
    assert (reply.status_code, reply.json()["error"]["code"]) == (401, "sign_in_needed")
    assert dump_database(server.env["DATABASE_URL"])["peer_sessions"] == []


def test_an_unknown_account_and_a_wrong_password_look_alike(database_url):
    """The same answer, and about the same time: Argon2 as slow for a stand-in hash. With
    Argon2 at a real cost, an answer without hashing would be many times faster."""
    costly = {"HOLDSPORT_ARGON2_MEMORY_KIB": "32768", "HOLDSPORT_ARGON2_TIME_COST": "2"}
    with running_server(database_url, **costly) as server:
        url = server.url
        anne = facilitator(url)
        tries = {"wrong password": anne.email, "unknown account": "nobody@example.org"}
        answers, times = {}, {}
        for what, email in tries.items():
            taken = []
            for _ in range(7):
                start = time.perf_counter()
                reply = requests.post(
                    f"{url}/api/account/sign-in",
                    json={"email": email, "password": "guess"},
                    headers={"Accept-Language": "da"},
                    timeout=10,
                )
                taken.append(time.perf_counter() - start)
            answers[what] = (reply.status_code, reply.json())
            times[what] = statistics.median(taken)
    assert answers["wrong password"] == answers["unknown account"]
    assert answers["unknown account"][1]["error"]["code"] == "wrong_credentials"
    ratio = times["unknown account"] / times["wrong password"]
    assert 0.5 < ratio < 2, times


def test_requests_from_another_origin_are_refused(server):
    url = server.url
    anne = facilitator(url)
    body = {"title": "T", "language": "da"}
    evil = {"Origin": "http://evil.example"}
    for headers in (evil, {"X-CSRF-Token": ""}, {"X-CSRF-Token": "0" * 64}):
        reply = anne.post(f"{url}/api/sessions", json=body, headers=headers)
        assert (reply.status_code, reply.json()["error"]["code"]) == (403, "csrf_failed")
    sign_in_elsewhere = requests.post(
        f"{url}/api/account/sign-in",
        json={"email": anne.email, "password": PASSWORD},  # type: ignore[attr-defined]
        headers=evil,
        timeout=10,
    )
    assert sign_in_elsewhere.json()["error"]["code"] == "csrf_failed"
    assert "set-cookie" not in {k.lower() for k in sign_in_elsewhere.headers}
    assert dump_database(server.env["DATABASE_URL"])["peer_sessions"] == []
    assert anne.post(f"{url}/api/sessions", json=body, headers={"Origin": url}).status_code == 201


def test_the_command_line_makes_the_first_account(server):
    result = subprocess.run(
        [sys.executable, "-m", "server", "create-account", "--email", "First@Example.org",
         "--name", "Første", "--language", "da"],
        input="the first password\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=server.env,
        timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "first@example.org" in result.stdout
    reply = requests.post(
        f"{server.url}/api/account/sign-in",
        json={"email": "first@example.org", "password": "the first password"},
        timeout=10,
    )
    assert reply.json()["account"]["display_name"] == "Første"
