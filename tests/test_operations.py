"""What an operator gets: readiness, the metrics endpoint's guard, request ids in the
log, JSON log lines, and the commands of `python -m server` that check the
configuration and run retention (docs/operations.md)."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
from flask import request
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import select

from server.config import ConfigError, load_settings
from server.core import connections, personal, realtime
from server.core.db import Database
from server.core.domain import Role
from server.core.logs import JsonFormatter
from server.core.realtime import Command
from server.core.validation import NoArgs
from server.sessions import service as sessions
from server.sessions.models import PeerSession, Status
from tests.factories import actor_of, create_session
from tests.support import ROOT, free_port

TOKEN = "a-metrics-token-for-tests"
GOOD_ENV = {"SECRET_KEY": "a-secret-key-long-enough", "HOLDSPORT_ENV": "production"}


def run_server_command(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """`python -m server ...` with only these variables (and PATH): what an operator runs."""
    return subprocess.run(
        [sys.executable, "-m", "server", *args],
        env={"PATH": os.environ.get("PATH", ""), **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_ready_when_the_database_answers(app):
    reply = app.test_client().get("/api/ready")
    assert (reply.status_code, reply.get_json()) == (200, {"ok": True})


def test_not_ready_names_the_database_it_cannot_reach_and_nothing_of_it(app, tmp_path):
    runtime = app.extensions["holdsport"]
    healthy = runtime.db
    # A directory where the database file should be: SQLite cannot open it.
    runtime.db = Database(f"sqlite:///{tmp_path}")
    runtime.metrics.watch(runtime.db.engine)  # as the app factory does with its own
    try:
        reply = app.test_client().get("/api/ready")
        assert reply.status_code == 503
        assert reply.get_json() == {"ok": False, "failed": ["database"]}
        assert app.test_client().get("/api/health").status_code == 200  # alive all the same
        errors = runtime.metrics.database_errors.labels("OperationalError")._value.get()
        assert errors >= 1
    finally:
        runtime.db.dispose()
        runtime.db = healthy


def test_not_ready_while_the_configured_redis_is_down(settings, clock):
    from dataclasses import replace

    from server.app import create_app

    down = f"redis://:hunter2-password@127.0.0.1:{free_port()}/0"
    app = create_app(replace(settings, redis_url=down), clock=clock)
    try:
        reply = app.test_client().get("/api/ready")
        assert reply.status_code == 503
        assert reply.get_json() == {"ok": False, "failed": ["redis"]}
    finally:
        app.extensions["holdsport"].db.dispose()


def test_metrics_only_with_the_configured_token(app, settings, clock):
    from dataclasses import replace

    from server.app import create_app

    assert app.test_client().get("/metrics").status_code == 404  # none configured: none there
    guarded = create_app(replace(settings, metrics_token=TOKEN), clock=clock)
    try:
        http = guarded.test_client()
        assert http.get("/metrics").status_code == 401
        wrong = http.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}x"})
        assert wrong.status_code == 401
        http.get("/api/sessions/ZZZZZZ")  # one request to count
        reply = http.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
        assert reply.status_code == 200
        families = {f.name: f for f in text_string_to_metric_families(reply.get_data(as_text=True))}
        assert {
            "holdsport_connections",
            "holdsport_sessions_running",
            "holdsport_commands",
            "holdsport_command_seconds",
            "holdsport_publish_delay_seconds",
            "holdsport_sweep_lateness_seconds",
            "holdsport_database_errors",
            "holdsport_http_requests",
        } <= families.keys()
        counted = {
            (s.labels["route"], s.labels["status"]): s.value
            for s in families["holdsport_http_requests"].samples
            if s.name.endswith("_total")
        }
        # The route's pattern, never the join code in the path.
        assert counted[("/api/sessions/<join_code>", "404")] == 1
    finally:
        guarded.extensions["holdsport"].db.dispose()


def test_a_request_id_ties_the_request_line_to_its_error(app, caplog):
    def boom() -> None:
        raise RuntimeError("something broke")

    app.add_url_rule("/api/boom", view_func=boom)
    http = app.test_client()
    with caplog.at_level(logging.INFO):
        reply = http.get("/api/boom")
    assert reply.status_code == 500
    rid = reply.headers["X-Request-Id"]
    error = next(r for r in caplog.records if r.exc_info)
    line = next(r for r in caplog.records if r.name == "server.requests")
    assert f"rid={rid}" in error.getMessage() and f"rid={rid}" in line.getMessage()
    assert line.getMessage().startswith("GET /api/boom 500 ")
    # A proxy's own id is kept; what a client invents in its place is not.
    assert (
        http.get("/api/health", headers={"X-Request-Id": "a" * 32}).headers["X-Request-Id"]
        == "a" * 32
    )
    forged = http.get("/api/health", headers={"X-Request-Id": "Bo Hansen wrote this"})
    assert forged.headers["X-Request-Id"] != "Bo Hansen wrote this"


def test_a_command_that_breaks_logs_its_traceback_with_the_id_of_its_line(app, clock, caplog):
    runtime = app.extensions["holdsport"]
    with runtime.db.transaction() as db:
        hosted = create_session(db, clock)
        actor = actor_of(sessions.authenticate(db, hosted.facilitator_token))
        worker = runtime.worker_id
        connections.connect(db, sid="sid-a", worker_id=worker, actor=actor, now=clock.now())

    def broken(ctx: object, args: object) -> None:
        raise RuntimeError("something broke")

    # A real command's name (labels come from the registry), with a handler that breaks.
    command = Command("session:links", frozenset(Role), NoArgs(), broken)
    with app.test_request_context(), caplog.at_level(logging.INFO):
        personal.remember(request.environ, hosted.facilitator_token)
        reply = realtime.run_command(command, "sid-a", ())
    assert reply["error"]["code"] == "internal_error"
    line = next(r for r in caplog.records if r.levelname == "INFO" and r.name == realtime.log.name)
    rid = line.fields["request_id"]
    assert line.getMessage().startswith("command session:links internal_error ")
    error = next(r for r in caplog.records if r.exc_info)
    assert error.getMessage() == f"command session:links failed rid={rid}"
    counted = runtime.metrics.commands.labels("session:links", "internal_error")._value.get()
    assert counted == 1


def test_a_json_log_line_holds_its_fields_and_its_traceback():
    try:
        raise ValueError("no")
    except ValueError:
        record = logging.LogRecord(
            "server.core.realtime",
            logging.ERROR,
            __file__,
            1,
            "command %s failed rid=%s",
            ("board:post", "abc123"),
            sys.exc_info(),
        )
    record.fields = {"request_id": "abc123", "command": "board:post"}
    text = JsonFormatter().format(record)
    assert "\n" not in text  # one line, traceback and all
    line = json.loads(text)
    assert line["message"] == "command board:post failed rid=abc123"
    assert (line["request_id"], line["level"]) == ("abc123", "ERROR")
    assert "ValueError" in line["traceback"]


BAD_VARIABLES = {
    "SECRET_KEY": "too-short",
    "DATABASE_URL": "not a url at all",
    "REDIS_URL": "localhost:6379",
    "HOLDSPORT_SWEEP_SECONDS": "soon",
    "HOLDSPORT_RETENTION_DAYS": "-1",
    "HOLDSPORT_METRICS_TOKEN": "short",
    "HOLDSPORT_LOG_FORMAT": "xml",
}


@pytest.mark.parametrize(
    "name, value", [*BAD_VARIABLES.items(), ("DATABASE_URL", "mysql://db.example.org/hs")]
)
def test_each_bad_variable_is_named_alone(name, value):
    with pytest.raises(ConfigError) as refused:
        load_settings({**GOOD_ENV, name: value})
    assert list(refused.value.problems) == [name]


def test_bad_variables_give_one_line_each_naming_it_and_no_traceback():
    done = run_server_command("check-config", **{**GOOD_ENV, **BAD_VARIABLES})
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    named = [line.removeprefix("invalid environment: ").split(":")[0] for line in lines]
    assert named == sorted(BAD_VARIABLES), done.stderr
    for name, value in BAD_VARIABLES.items():
        if name != "HOLDSPORT_LOG_FORMAT":  # a secret, or a URL with one, is never repeated
            assert value not in done.stderr


def test_serve_refuses_a_bad_environment_with_one_line():
    done = run_server_command("serve", "--port", str(free_port()), SECRET_KEY="too-short")
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "invalid environment: SECRET_KEY: Shorter than minimum length 16."
    ]


def test_check_config_prints_the_settings_without_their_secrets():
    done = run_server_command(
        "check-config",
        **GOOD_ENV,
        DATABASE_URL="postgresql://holdsport:db-password-9@db.example.org/holdsport",
        REDIS_URL="redis://:redis-password-7@cache.example.org:6379/0",
        HOLDSPORT_METRICS_TOKEN=TOKEN,
    )
    assert done.returncode == 0, done.stderr
    shown = dict(line.split(" = ", 1) for line in done.stdout.splitlines())
    assert shown["database_url"] == "postgresql://holdsport:***@db.example.org/holdsport"
    assert shown["redis_url"] == "redis://:***@cache.example.org:6379/0"
    assert shown["secret_key"] == f"set ({len(GOOD_ENV['SECRET_KEY'])} characters)"
    assert shown["metrics_token"] == "set"
    for secret in ("db-password-9", "redis-password-7", TOKEN, GOOD_ENV["SECRET_KEY"]):
        assert secret not in done.stdout + done.stderr


@pytest.mark.slow  # a process that builds the whole app: seconds
def test_retention_runs_now_from_the_command_line(database, database_url, clock):
    now = datetime.now(UTC)  # the command's clock is the system's
    with database.transaction() as db:
        old = create_session(db, clock).session
        recent = create_session(db, clock).session
        old.status = recent.status = Status.ENDED
        old.ended_at = now - timedelta(days=31)
        recent.ended_at = now - timedelta(days=29)
        ids = old.id, recent.id
    done = run_server_command("retention", **GOOD_ENV, DATABASE_URL=database_url)
    assert done.returncode == 0, done.stderr
    assert "the content of 1 ended sessions was deleted" in done.stdout
    with database.transaction() as db:
        deleted = dict(db.execute(select(PeerSession.id, PeerSession.content_deleted_at)).all())
    assert deleted[ids[0]] is not None and deleted[ids[1]] is None
