"""Rate limits per client address, body size and security headers, in-process.

The same against real server processes (Redis shared between two, a proxy's header,
a window that resets): tests/test_limits_live.py.
"""

from __future__ import annotations

import dataclasses
import itertools

import pytest

from server.app import create_app
from server.config import ConfigError, load_settings
from server.core.domain import Actor, Role
from server.core.security import CONTENT_SECURITY_POLICY
from server.sessions import service
from tests.accounts_support import signed_in_client

DANISH = {"Accept-Language": "da"}


@pytest.fixture
def make_app(settings, clock):
    made = []

    def make(**overrides):
        app = create_app(dataclasses.replace(settings, **overrides), clock=clock)
        made.append(app)
        return app

    yield make
    for app in made:
        app.extensions["holdsport"].db.dispose()


def create(http, **headers):
    body = {"title": "Ledergruppen", "language": "da", "facilitator_name": "Anne"}
    return http.post("/api/sessions", json=body, headers=headers)


def guess(http, code="ZZZZZZ", address="127.0.0.1"):
    return http.get(f"/api/sessions/{code}", environ_overrides={"REMOTE_ADDR": address})


NAMES = itertools.count()


def join(http, code, address="127.0.0.1"):
    # A new name each time: two people in one session never share one.
    body = {"join_code": code, "display_name": f"Bo {next(NAMES)}", "language": "da"}
    return http.post("/api/join", json=body, environ_overrides={"REMOTE_ADDR": address})


def test_a_burst_of_wrong_codes_is_refused_with_a_localized_429(app):
    http = signed_in_client(app)
    for _ in range(10):
        assert guess(http).status_code == 404
    refused = http.get("/api/sessions/ZZZZZY", headers=DANISH)
    assert refused.status_code == 429
    error = refused.get_json()["error"]
    assert error["code"] == "rate_limited"
    assert error["message"].startswith("Du sender for hurtigt.")
    seconds = error["params"]["seconds"]
    assert 1 <= seconds <= 60
    assert refused.headers["Retry-After"] == str(seconds)
    # Previews and joins share one budget: a join with a guessed code is refused too.
    assert join(http, "ZZZZZX").status_code == 429


def test_a_refused_guess_is_refused_before_the_lookup_even_with_a_real_code(app):
    http = signed_in_client(app)
    code = create(http).get_json()["join_code"]
    for _ in range(10):
        guess(http)
    assert guess(http, code).status_code == 429
    assert join(http, code).status_code == 429


def test_codes_that_exist_do_not_use_up_the_budget_for_wrong_ones(app):
    http = signed_in_client(app)
    code = create(http).get_json()["join_code"]
    for _ in range(30):
        assert guess(http, code).status_code == 200
    for _ in range(5):
        assert join(http, code).status_code == 201
    for _ in range(10):
        assert guess(http).status_code == 404
    assert guess(http).status_code == 429


def test_an_ended_session_shows_no_preview_and_counts_as_a_miss(app):
    http = signed_in_client(app)
    created = create(http).get_json()
    runtime = app.extensions["holdsport"]
    with runtime.db.transaction() as db:
        session = service.find_by_join_code(db, created["join_code"])
        host = Actor(session.id, Role.FACILITATOR, created["participant_id"], "da")
        service.end_session(db, host, runtime.clock.now())
    ended = guess(http, created["join_code"])
    unknown = guess(http, "ZZZZZZ")
    assert ended.status_code == unknown.status_code == 404
    assert ended.get_json() == unknown.get_json()
    assert join(http, created["join_code"]).get_json()["error"]["code"] == "session_ended"
    for _ in range(7):
        guess(http)
    assert guess(http).status_code == 429


def test_addresses_are_counted_apart_and_an_ipv6_64_as_one(app):
    http = signed_in_client(app)
    for _ in range(10):
        guess(http, address="2001:db8:1:2::1")
    assert guess(http, address="2001:db8:1:2:ffff::9").status_code == 429  # same /64
    assert guess(http, address="2001:db8:1:3::1").status_code == 404  # the next /64
    assert guess(http, address="203.0.113.9").status_code == 404
    assert guess(http, address="::ffff:203.0.113.9").status_code == 404  # the same IPv4
    for _ in range(8):
        guess(http, address="203.0.113.9")
    assert guess(http, address="::ffff:203.0.113.9").status_code == 429


def test_the_limits_are_settings(make_app):
    app = make_app(rate_limit_join_failures="2 per hour", rate_limit_join="4 per hour")
    http = signed_in_client(app)
    code = create(http).get_json()["join_code"]
    assert [guess(http).status_code for _ in range(3)] == [404, 404, 429]
    other = "198.51.100.1"
    assert [guess(http, code, other).status_code for _ in range(5)] == [200] * 4 + [429]


def test_creating_sessions_is_limited(make_app):
    http = signed_in_client(make_app(rate_limit_create="3 per minute"))
    assert [create(http).status_code for _ in range(4)] == [201, 201, 201, 429]
    refused = create(http, **{"Accept-Language": "en"}).get_json()["error"]
    assert refused["code"] == "rate_limited"
    assert refused["message"].startswith("Du sender for hurtigt.")  # the body's language


def test_password_guessing_is_limited_per_address(make_app):
    """Sign-up, sign-in and password changes share one budget per address."""
    http = make_app(rate_limit_sign_in="3 per minute").test_client()
    guess = {"email": "anne@example.org", "password": "a guess"}
    codes = [http.post("/api/account/sign-in", json=guess).status_code for _ in range(4)]
    assert codes == [401, 401, 401, 429]
    other = {"REMOTE_ADDR": "198.51.100.7"}
    reply = http.post("/api/account/sign-in", json=guess, environ_overrides=other)
    assert reply.status_code == 401


def sign_up(http, email, address="127.0.0.1", **headers):
    body = {"email": email, "display_name": "Eve", "password": "a long enough password"}
    return http.post(
        "/api/account/sign-up",
        json=body,
        headers=headers,
        environ_overrides={"REMOTE_ADDR": address},
    )


def test_testing_which_e_mails_have_accounts_is_limited_per_address(make_app):
    """A sign-up answered `email_taken` tells its sender that the address has an account
    (there is no e-mail to hide it behind): a handful of those per address, then every
    sign-up from there is refused, whatever address it names."""
    # No cookies kept: a browser signed in would need the CSRF token for a sign-up.
    http = make_app(rate_limit_sign_in="1000 per minute").test_client(use_cookies=False)
    assert sign_up(http, "anne@example.org", "198.51.100.1").status_code == 201
    attacker = "203.0.113.66"
    answers = [sign_up(http, "anne@example.org", attacker).status_code for _ in range(7)]
    assert answers == [409] * 5 + [429] * 2
    refused = sign_up(http, "bo@example.org", attacker, **DANISH)
    error = refused.get_json()["error"]
    assert (refused.status_code, error["code"]) == (429, "rate_limited")
    assert error["message"].startswith("Du sender for hurtigt.")
    assert refused.headers["Retry-After"] == str(error["params"]["seconds"])
    assert 60 < error["params"]["seconds"] <= 3600  # the hour's five are used up
    # Others sign up as usual, and new accounts never spend the budget of taken ones.
    for index in range(8):
        assert sign_up(http, f"new{index}@example.org", "198.51.100.9").status_code == 201
    assert sign_up(http, "anne@example.org", "198.51.100.9").status_code == 409


def test_the_budget_of_taken_e_mails_is_a_setting(make_app):
    app = make_app(rate_limit_sign_in="1000 per minute", rate_limit_email_taken="2 per day")
    http = app.test_client(use_cookies=False)
    assert sign_up(http, "anne@example.org").status_code == 201
    assert [sign_up(http, "anne@example.org").status_code for _ in range(3)] == [409, 409, 429]
    assert int(sign_up(http, "anne@example.org").headers["Retry-After"]) > 3600


def test_a_proxy_header_counts_only_behind_a_trusted_proxy(make_app):
    spoofed = {"X-Forwarded-For": "192.0.2.77"}
    direct = make_app().test_client()
    for index in range(11):
        reply = direct.get(f"/api/sessions/ZZZZZ{index % 5 + 2}", headers=spoofed)
    assert reply.status_code == 429  # a made-up header does not escape the count
    proxied = make_app(trusted_proxies=1).test_client()
    for _ in range(10):
        proxied.get("/api/sessions/ZZZZZZ", headers=spoofed)
    assert proxied.get("/api/sessions/ZZZZZZ", headers=spoofed).status_code == 429
    other = {"X-Forwarded-For": "192.0.2.78"}
    assert proxied.get("/api/sessions/ZZZZZZ", headers=other).status_code == 404


@pytest.mark.parametrize(
    "name, value",
    [
        ("HOLDSPORT_RATE_LIMIT_JOIN", "often"),
        ("HOLDSPORT_RATE_LIMIT_JOIN_FAILURES", "10 per fortnight"),
        ("HOLDSPORT_RATE_LIMIT_CREATE", ""),
        ("HOLDSPORT_RATE_LIMIT_EMAIL_TAKEN", "5 per eon"),
        ("HOLDSPORT_RATE_LIMIT_CONNECT", "many"),
        ("HOLDSPORT_RATE_LIMIT_CONNECT_REFUSED", "per minute"),
        ("HOLDSPORT_MAX_CONNECTIONS_PER_ADDRESS", "0"),
        ("HOLDSPORT_MAX_BODY_BYTES", "12"),
        ("HOLDSPORT_TRUSTED_PROXIES", "-1"),
    ],
)
def test_bad_limit_settings_are_named(name, value):
    with pytest.raises(ConfigError, match=name):
        load_settings({"HOLDSPORT_ENV": "development", name: value})


def test_limit_settings_are_read():
    settings = load_settings(
        {
            "HOLDSPORT_ENV": "development",
            "HOLDSPORT_RATE_LIMIT_JOIN_FAILURES": "5 per minute; 50 per day",
            "HOLDSPORT_MAX_CONNECTIONS_PER_ADDRESS": "7",
            "HOLDSPORT_MAX_BODY_BYTES": "2048",
            "HOLDSPORT_TRUSTED_PROXIES": "1",
            "HOLDSPORT_RATE_LIMIT_CONNECT_REFUSED": "3 per minute; 30 per day",
        }
    )
    assert settings.rate_limit_connect_refused == "3 per minute; 30 per day"
    assert settings.rate_limit_connect == "180 per minute"
    assert settings.rate_limit_join_failures == "5 per minute; 50 per day"
    assert settings.rate_limit_join == "120 per minute"
    assert settings.max_connections_per_address == 7
    assert (settings.max_body_bytes, settings.trusted_proxies) == (2048, 1)


def test_big_bodies_are_refused_before_they_are_read(app):
    http = signed_in_client(app)
    big = b'{"title": "' + b"x" * (64 * 1024) + b'"}'
    for path in ("/api/sessions", "/api/join", "/api/nothing-here"):
        reply = http.post(path, data=big, content_type="application/json", headers=DANISH)
        assert reply.status_code == 413, path
        error = reply.get_json()["error"]
        assert error["code"] == "payload_too_large"
        assert error["params"] == {"max": 64 * 1024}
        assert error["message"] == (
            "Det, du sendte, fylder for meget (højst 65536 byte). Gør det kortere, og prøv igen."
        )
    # Whatever the body claims to be.
    assert http.post("/api/join", data=big, content_type="text/plain").status_code == 413
    page = http.post("/", data=big)
    assert page.status_code == 413 and not page.is_json
    ok = http.post("/api/join", json={"join_code": "ZZZZZZ", "display_name": "x" * 100})
    assert ok.get_json()["error"]["code"] == "invalid_payload"


def test_every_response_carries_the_security_headers(app):
    http = signed_in_client(app)
    paths = ("/", "/j/ABCDEF", "/static/app.css", "/api/health", "/api/nothing", "/i18n/da.json")
    for path in paths:
        reply = http.get(path)
        assert reply.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY, path
        assert reply.headers["X-Content-Type-Options"] == "nosniff"
        assert reply.headers["X-Frame-Options"] == "DENY"
        assert reply.headers["Referrer-Policy"] == "no-referrer"
        assert reply.headers.getlist("Referrer-Policy") == ["no-referrer"]
        assert "Strict-Transport-Security" not in reply.headers
        reply.close()
    assert "frame-ancestors 'none'" in CONTENT_SECURITY_POLICY
    assert "unsafe" not in CONTENT_SECURITY_POLICY
    secure = http.get("/api/health", base_url="https://holdsport.example")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")
