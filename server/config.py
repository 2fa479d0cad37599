"""Settings from environment variables, validated like any other outside input."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from limits import parse_many
from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates_schema
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

PROJECT_ROOT = Path(__file__).resolve().parents[1]
ASYNC_MODES = ("eventlet", "threading", "gevent")
DEV_SECRET = "development-only-secret"


def _time_zone(name: str) -> None:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as err:
        raise ValidationError("not a known time zone (e.g. Europe/Copenhagen)") from err


def _rate_limit(text: str) -> None:
    try:
        parse_many(text)
    except ValueError as err:
        raise ValidationError('not a rate limit (e.g. "10 per minute; 100 per day")') from err


def _database_url(text: str) -> None:
    try:
        backend = make_url(text).get_backend_name()
    except ArgumentError as err:
        raise ValidationError("not a database URL (e.g. postgresql://host/holdsport)") from err
    if backend not in ("sqlite", "postgresql"):
        raise ValidationError("not a SQLite or PostgreSQL URL")


def _limit(default: str) -> fields.String:
    return fields.String(load_default=default, validate=_rate_limit)


class EnvArgs(Schema):
    class Meta:
        unknown = EXCLUDE  # the environment holds much that is not ours

    HOLDSPORT_ENV = fields.String(
        load_default="production", validate=validate.OneOf(["production", "development", "test"])
    )
    DATABASE_URL = fields.String(load_default=None, validate=_database_url)
    REDIS_URL = fields.String(load_default=None, validate=validate.Regexp(r"^rediss?://"))
    SECRET_KEY = fields.String(load_default=None, validate=validate.Length(min=16))
    HOLDSPORT_ASYNC_MODE = fields.String(
        load_default="eventlet", validate=validate.OneOf(ASYNC_MODES)
    )
    HOLDSPORT_SWEEP_SECONDS = fields.Float(
        load_default=1.0, validate=validate.Range(min=0.05, max=60)
    )
    HOLDSPORT_REDIS_CHANNEL = fields.String(
        load_default="holdsport", validate=validate.Regexp(r"^[A-Za-z0-9_.:-]{1,64}$")
    )
    HOLDSPORT_WORKER_TIMEOUT_SECONDS = fields.Float(
        load_default=30.0, validate=validate.Range(min=1, max=3600)
    )
    HOLDSPORT_SHUTDOWN_GRACE_SECONDS = fields.Float(
        load_default=15.0, validate=validate.Range(min=0, max=600)
    )
    HOLDSPORT_RECONNECT_GRACE_SECONDS = fields.Float(
        load_default=5.0, validate=validate.Range(min=0, max=600)
    )
    HOLDSPORT_TIME_ZONE = fields.String(load_default="Europe/Copenhagen", validate=_time_zone)
    HOLDSPORT_RETENTION_DAYS = fields.Float(
        load_default=30.0, validate=validate.Range(min=0, max=3650)
    )
    # The pulse shows a result only when at least this many answered; never fewer than 3.
    HOLDSPORT_PULSE_MIN_ANSWERS = fields.Integer(
        load_default=4, validate=validate.Range(min=3, max=1000)
    )
    # Limits against abuse, per client address (server/core/limits.py, docs/anonymity.md).
    HOLDSPORT_RATE_LIMIT_JOIN = _limit("120 per minute")
    HOLDSPORT_RATE_LIMIT_JOIN_FAILURES = _limit("10 per minute; 100 per day")
    HOLDSPORT_RATE_LIMIT_CREATE = _limit("10 per minute; 100 per day")
    HOLDSPORT_RATE_LIMIT_SIGN_IN = _limit("10 per minute; 100 per day")
    HOLDSPORT_RATE_LIMIT_EMAIL_TAKEN = _limit("5 per hour; 20 per day")
    HOLDSPORT_RATE_LIMIT_CONNECT = _limit("180 per minute")
    HOLDSPORT_RATE_LIMIT_CONNECT_REFUSED = _limit("10 per minute")
    # Facilitator accounts: who may sign up, how long a sign-in lasts, Argon2's cost.
    HOLDSPORT_SIGN_UP = fields.String(
        load_default="open", validate=validate.OneOf(["open", "closed"])
    )
    HOLDSPORT_LOGIN_DAYS = fields.Float(
        load_default=30.0, validate=validate.Range(min=0.01, max=365)
    )
    HOLDSPORT_ARGON2_MEMORY_KIB = fields.Integer(
        load_default=65536, validate=validate.Range(min=8, max=4 * 1024 * 1024)
    )
    HOLDSPORT_ARGON2_TIME_COST = fields.Integer(
        load_default=3, validate=validate.Range(min=1, max=20)
    )
    # The login cookie only over HTTPS: on by default in production (behind TLS).
    HOLDSPORT_SECURE_COOKIES = fields.Boolean(load_default=None, allow_none=True)
    HOLDSPORT_MAX_CONNECTIONS_PER_ADDRESS = fields.Integer(
        load_default=150, validate=validate.Range(min=1, max=1_000_000)
    )
    HOLDSPORT_MAX_BODY_BYTES = fields.Integer(
        load_default=64 * 1024, validate=validate.Range(min=1024, max=16 * 1024 * 1024)
    )
    HOLDSPORT_TRUSTED_PROXIES = fields.Integer(
        load_default=0, validate=validate.Range(min=0, max=5)
    )
    # Commands per person (all tabs, all processes) per window; see core.throttle.
    HOLDSPORT_COMMAND_LIMIT = fields.Integer(
        load_default=60, validate=validate.Range(min=1, max=100_000)
    )
    HOLDSPORT_COMMAND_BURST = fields.Integer(
        load_default=10, validate=validate.Range(min=1, max=100_000)
    )
    HOLDSPORT_SYNC_LIMIT = fields.Integer(
        load_default=20, validate=validate.Range(min=1, max=100_000)
    )
    HOLDSPORT_COMMAND_WINDOW_SECONDS = fields.Integer(
        load_default=10, validate=validate.Range(min=1, max=3600)
    )
    HOLDSPORT_FLOOD_FACTOR = fields.Integer(
        load_default=5, validate=validate.Range(min=2, max=1000)
    )
    # The browser client: "bundle" (built and fingerprinted, server/web/assets.py) or its
    # "sources" module by module; by default sources in development only.
    HOLDSPORT_CLIENT = fields.String(
        load_default=None, validate=validate.OneOf(["bundle", "sources"])
    )
    # Operations (docs/operations.md): log lines as text or JSON; /metrics only with a token.
    HOLDSPORT_LOG_FORMAT = fields.String(
        load_default="text", validate=validate.OneOf(["text", "json"])
    )
    HOLDSPORT_METRICS_TOKEN = fields.String(
        load_default=None, validate=validate.Regexp(r"^[A-Za-z0-9._~+/=-]{16,256}$")
    )
    # A ticker that measures event-loop stalls into /metrics (core.loopwatch).
    HOLDSPORT_LOOP_WATCH = fields.Boolean(load_default=False)
    # Memory growth that makes a busy process run a full garbage collection (core.heap).
    HOLDSPORT_GC_GROWTH_MIB = fields.Integer(
        load_default=128, validate=validate.Range(min=1, max=1024 * 1024)
    )
    # Extra catalogs (a pseudo locale) for tests: a translations dir and its languages.
    HOLDSPORT_EXTRA_TRANSLATIONS_DIR = fields.String(load_default=None)
    HOLDSPORT_EXTRA_LANGUAGES = fields.String(
        load_default="", validate=validate.Regexp(r"^([a-z]{2,3}(,[a-z]{2,3})*)?$")
    )

    @validates_schema
    def _extra_languages_in_tests_only(self, data: dict[str, Any], **_: Any) -> None:
        if not data["HOLDSPORT_EXTRA_LANGUAGES"]:
            return
        if data["HOLDSPORT_ENV"] != "test":
            raise ValidationError("only with HOLDSPORT_ENV=test", "HOLDSPORT_EXTRA_LANGUAGES")
        directory = data["HOLDSPORT_EXTRA_TRANSLATIONS_DIR"]
        for language in data["HOLDSPORT_EXTRA_LANGUAGES"].split(","):
            po = Path(directory or ".") / language / "LC_MESSAGES" / "messages.po"
            if not directory or not po.is_file():
                raise ValidationError(f"no catalog {po}", "HOLDSPORT_EXTRA_TRANSLATIONS_DIR")

    @validates_schema
    def _secret_outside_development(self, data: dict[str, Any], **_: Any) -> None:
        if data["HOLDSPORT_ENV"] == "production" and not data["SECRET_KEY"]:
            raise ValidationError("required outside development", "SECRET_KEY")


@dataclass(frozen=True)
class Settings:
    env: str
    database_url: str
    redis_url: str | None
    redis_channel: str
    secret_key: str
    async_mode: str
    sweep_seconds: float
    # How long a worker may be silent before its connections count as gone.
    worker_timeout_seconds: float
    # After a process stops on purpose (SIGTERM), how long its people still count as
    # present, to reconnect to another process before anyone is told they left.
    shutdown_grace_seconds: float = 15.0
    # A dropped connection's person counts as present this long (core.connections.drop).
    reconnect_grace_seconds: float = 5.0
    # Where people's clocks are: dates and times are shown in this zone.
    time_zone: str = "Europe/Copenhagen"
    # How long after its end a session can still be opened with its credentials.
    retention_days: float = 30.0
    # Per person and window of command_window_seconds: commands, of them at most
    # command_burst in a second and sync_limit session:sync; past flood_factor ×
    # command_limit a connection is dropped (core.throttle).
    command_limit: int = 60
    command_burst: int = 10
    sync_limit: int = 20
    command_window_seconds: int = 10
    flood_factor: int = 5
    extra_translations_dir: Path | None = None
    extra_languages: tuple[str, ...] = ()
    # Per client address (an IPv4 address, or an IPv6 /64): see server/core/limits.py.
    rate_limit_join: str = "120 per minute"
    rate_limit_join_failures: str = "10 per minute; 100 per day"
    rate_limit_create: str = "10 per minute; 100 per day"
    # 150: a room of 60 phones behind one Wi-Fi reconnecting after a drop, while the
    # server still counts their old connections (until its ping times out, up to 45 s),
    # with the hosts' tabs and the room display on top.
    max_connections_per_address: int = 150
    max_body_bytes: int = 64 * 1024
    # How many proxies in front of the server set X-Forwarded-For/-Proto (0: none).
    trusted_proxies: int = 0
    rate_limit_sign_in: str = "10 per minute; 100 per day"
    # Sign-ups answered `email_taken`: each tells its sender that an account exists.
    rate_limit_email_taken: str = "5 per hour; 20 per day"
    # Socket.IO connection attempts (core.connect_limits): all of them, and of them the
    # ones whose credential is refused. 180 a minute: 60 phones behind one Wi-Fi, each
    # connecting three times in a minute (a drop, a flap, a reload).
    rate_limit_connect: str = "180 per minute"
    rate_limit_connect_refused: str = "10 per minute"
    sign_up_open: bool = True
    login_days: float = 30.0
    argon2_memory_kib: int = 65536
    argon2_time_cost: int = 3
    secure_cookies: bool = False
    # The pulse's k: no result unless at least this many answered (server/pulse).
    pulse_min_answers: int = 4
    # Serve the built client (else its sources, module by module): server/web/assets.py.
    client_bundle: bool = True
    # "text" or "json" (server/core/logs.py); the bearer token of /metrics, or None: off.
    log_format: str = "text"
    metrics_token: str | None = None
    loop_watch: bool = False
    gc_growth_mib: int = 128


class ConfigError(RuntimeError):
    """A bad environment: one line per variable, naming it, without its value (it may be
    a secret)."""

    def __init__(self, problems: Mapping[str, str]) -> None:
        self.problems = dict(sorted(problems.items()))
        super().__init__(
            "\n".join(f"invalid environment: {k}: {v}" for k, v in self.problems.items())
        )


def _problems(messages: Any) -> dict[str, str]:
    """marshmallow's messages, a list per field (or a dict), as one sentence per field."""
    if not isinstance(messages, dict):
        return {"environment": str(messages)}
    return {
        str(name): " ".join(map(str, found)) if isinstance(found, list) else str(found)
        for name, found in messages.items()
    }


def load_settings(environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
    raw = dict(os.environ if environ is None else environ)
    try:
        data = EnvArgs().load(raw)
    except ValidationError as err:
        raise ConfigError(_problems(err.messages)) from err
    default_db = f"sqlite:///{PROJECT_ROOT / 'instance' / 'holdsport.db'}"
    settings = {
        "env": data["HOLDSPORT_ENV"],
        "database_url": data["DATABASE_URL"] or default_db,
        "redis_url": data["REDIS_URL"],
        "redis_channel": data["HOLDSPORT_REDIS_CHANNEL"],
        "secret_key": data["SECRET_KEY"] or DEV_SECRET,
        "async_mode": data["HOLDSPORT_ASYNC_MODE"],
        "sweep_seconds": data["HOLDSPORT_SWEEP_SECONDS"],
        "worker_timeout_seconds": data["HOLDSPORT_WORKER_TIMEOUT_SECONDS"],
        "shutdown_grace_seconds": data["HOLDSPORT_SHUTDOWN_GRACE_SECONDS"],
        "reconnect_grace_seconds": data["HOLDSPORT_RECONNECT_GRACE_SECONDS"],
        "time_zone": data["HOLDSPORT_TIME_ZONE"],
        "retention_days": data["HOLDSPORT_RETENTION_DAYS"],
        "pulse_min_answers": data["HOLDSPORT_PULSE_MIN_ANSWERS"],
        "command_limit": data["HOLDSPORT_COMMAND_LIMIT"],
        "command_burst": data["HOLDSPORT_COMMAND_BURST"],
        "sync_limit": data["HOLDSPORT_SYNC_LIMIT"],
        "command_window_seconds": data["HOLDSPORT_COMMAND_WINDOW_SECONDS"],
        "flood_factor": data["HOLDSPORT_FLOOD_FACTOR"],
        "extra_translations_dir": (
            Path(data["HOLDSPORT_EXTRA_TRANSLATIONS_DIR"])
            if data["HOLDSPORT_EXTRA_LANGUAGES"]
            else None
        ),
        "extra_languages": tuple(filter(None, data["HOLDSPORT_EXTRA_LANGUAGES"].split(","))),
        "rate_limit_join": data["HOLDSPORT_RATE_LIMIT_JOIN"],
        "rate_limit_join_failures": data["HOLDSPORT_RATE_LIMIT_JOIN_FAILURES"],
        "rate_limit_create": data["HOLDSPORT_RATE_LIMIT_CREATE"],
        "max_connections_per_address": data["HOLDSPORT_MAX_CONNECTIONS_PER_ADDRESS"],
        "max_body_bytes": data["HOLDSPORT_MAX_BODY_BYTES"],
        "trusted_proxies": data["HOLDSPORT_TRUSTED_PROXIES"],
        "rate_limit_sign_in": data["HOLDSPORT_RATE_LIMIT_SIGN_IN"],
        "rate_limit_email_taken": data["HOLDSPORT_RATE_LIMIT_EMAIL_TAKEN"],
        "rate_limit_connect": data["HOLDSPORT_RATE_LIMIT_CONNECT"],
        "rate_limit_connect_refused": data["HOLDSPORT_RATE_LIMIT_CONNECT_REFUSED"],
        "sign_up_open": data["HOLDSPORT_SIGN_UP"] == "open",
        "login_days": data["HOLDSPORT_LOGIN_DAYS"],
        "argon2_memory_kib": data["HOLDSPORT_ARGON2_MEMORY_KIB"],
        "argon2_time_cost": data["HOLDSPORT_ARGON2_TIME_COST"],
        "client_bundle": (
            data["HOLDSPORT_CLIENT"] == "bundle"
            if data["HOLDSPORT_CLIENT"] is not None
            else data["HOLDSPORT_ENV"] != "development"
        ),
        "log_format": data["HOLDSPORT_LOG_FORMAT"],
        "metrics_token": data["HOLDSPORT_METRICS_TOKEN"],
        "loop_watch": data["HOLDSPORT_LOOP_WATCH"],
        "gc_growth_mib": data["HOLDSPORT_GC_GROWTH_MIB"],
        "secure_cookies": (
            data["HOLDSPORT_SECURE_COOKIES"]
            if data["HOLDSPORT_SECURE_COOKIES"] is not None
            else data["HOLDSPORT_ENV"] == "production"
        ),
    }
    settings.update(overrides)
    return Settings(**settings)
