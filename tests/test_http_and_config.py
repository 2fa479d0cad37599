"""HTTP API and configuration, in-process (Flask's test client, a real database)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from server.config import ConfigError, load_settings
from server.sessions.models import Participant
from tests.accounts_support import signed_in_client


def test_production_refuses_to_start_without_a_secret_key():
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        load_settings({})
    settings = load_settings({"HOLDSPORT_ENV": "development"})
    assert settings.secret_key and settings.async_mode == "eventlet"
    assert settings.database_url.endswith("instance/holdsport.db")


@pytest.mark.parametrize(
    "environ",
    [
        {"HOLDSPORT_ENV": "development", "HOLDSPORT_ASYNC_MODE": "asyncio"},
        {"HOLDSPORT_ENV": "development", "REDIS_URL": "http://example"},
        {"HOLDSPORT_ENV": "staging", "SECRET_KEY": "x" * 32},
        {"SECRET_KEY": "short"},
    ],
)
def test_bad_environment_values_are_named(environ):
    with pytest.raises(ConfigError, match="invalid environment"):
        load_settings(environ)


@pytest.mark.parametrize("value", ["0", "-5", "lots"])
def test_a_bad_gc_growth_is_named(value):
    with pytest.raises(ConfigError, match="HOLDSPORT_GC_GROWTH_MIB"):
        load_settings({"HOLDSPORT_ENV": "development", "HOLDSPORT_GC_GROWTH_MIB": value})
    grown = {"HOLDSPORT_ENV": "development", "HOLDSPORT_GC_GROWTH_MIB": "64"}
    assert load_settings(grown).gc_growth_mib == 64


def test_create_then_preview_then_join(app):
    http = signed_in_client(app)
    created = http.post(
        "/api/sessions",
        json={
            "title": "Netværket",
            "language": "en",
            "facilitator_name": "Anne",
            "group_name": "Leaders across Zealand",
        },
    )
    assert created.status_code == 201
    body = created.get_json()
    assert body["join_url"].endswith(f"/j/{body['join_code']}")
    preview = http.get(f"/api/sessions/{body['join_code'].lower()}").get_json()
    assert preview["session"]["title"] == "Netværket"
    assert preview["session"]["group_name"] == "Leaders across Zealand"
    assert "facilitator_token" not in str(preview)
    joined = http.post(
        "/api/join", json={"join_code": body["join_code"], "display_name": "Bo", "language": "da"}
    )
    assert joined.status_code == 201 and joined.get_json()["token"]


@pytest.mark.parametrize(
    "body, fields",
    [
        (None, ["display_name", "join_code", "language"]),
        ([1, 2], ["_schema"]),
        ({"join_code": "ABCDEF", "display_name": "", "language": "da"}, ["display_name"]),
        ({"join_code": "ABCDEF", "display_name": "x" * 61, "language": "da"}, ["display_name"]),
        ({"join_code": "ABCDEF", "display_name": "Bo", "language": "de"}, ["language"]),
        (
            {"join_code": "ABCDEF", "display_name": "Bo", "language": "da", "role": "facilitator"},
            ["role"],
        ),
    ],
)
def test_bad_join_bodies_are_rejected_and_store_nothing(app, body, fields):
    http = app.test_client()
    reply = http.post("/api/join", json=body, headers={"Accept-Language": "en"})
    assert reply.status_code == 400
    error = reply.get_json()["error"]
    assert error["code"] == "invalid_payload"
    assert error["params"]["fields"] == fields
    with app.extensions["holdsport"].db.transaction() as db:
        assert db.scalar(select(func.count()).select_from(Participant)) == 0


def test_errors_come_in_the_callers_language(app):
    http = app.test_client()
    danish = http.get("/api/sessions/ZZZZZZ", headers={"Accept-Language": "da-DK,da;q=0.9"})
    english = http.get("/api/sessions/ZZZZZZ", headers={"Accept-Language": "en-GB"})
    assert danish.status_code == english.status_code == 404
    assert danish.get_json()["error"]["message"].startswith("Der findes ingen session")
    assert english.get_json()["error"]["message"].startswith("No session has that join code")


def test_unknown_api_paths_and_methods_answer_in_json(app):
    http = app.test_client()
    assert http.get("/api/nothing-here").get_json()["error"]["code"] == "not_found"
    wrong_method = http.get("/api/join")
    assert wrong_method.status_code == 405
    assert wrong_method.get_json()["error"]["code"] == "bad_request"


def test_pages_and_catalogs_are_served(app):
    http = app.test_client()
    for path in ("/", "/j/ABCDEF", "/s/ABCDEF"):
        page = http.get(path)
        assert page.status_code == 200 and b'id="app"' in page.data
        assert page.headers["Referrer-Policy"] == "no-referrer"
        page.close()
    catalog = http.get("/i18n/da.json").get_json()
    assert catalog["messages"]["Join"] == "Deltag"
    assert catalog["endonyms"] == {"da": "dansk", "en": "English"}
    assert http.get("/i18n/xx.json").status_code == 404
    script = http.get("/vendor/socket.io.min.js")
    assert script.status_code == 200
    script.close()


@pytest.mark.server
def test_the_procfiles_release_step_migrates_an_empty_database(tmp_path):
    """What a deployment runs before `web`: on a new SQLite file, every table appears."""
    from sqlalchemy import create_engine, inspect

    from tests.support import ServerProcess, postgres_url

    url = postgres_url() or f"sqlite:///{tmp_path / 'fresh.db'}"
    ServerProcess(url).release()
    engine = create_engine(url)
    tables = set(inspect(engine).get_table_names())
    engine.dispose()
    assert {"peer_sessions", "participants", "connections", "phases", "board_posts"} <= tables
