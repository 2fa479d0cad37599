"""Test helpers: where the database lives, real server processes, needs that may skip."""

from __future__ import annotations

import functools
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis
import requests
from sqlalchemy import Engine, create_engine, inspect, text

from server.config import Settings

ROOT = Path(__file__).resolve().parents[1]
IN_CI = os.environ.get("CI") == "true"


def require(condition: bool, reason: str) -> None:
    """Skip where a service is missing on a developer's machine; fail in CI, where it must run."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"CI must run this test, but: {reason}")
    pytest.skip(reason)


def postgres_url() -> str | None:
    return os.environ.get("HOLDSPORT_TEST_DATABASE_URL") or None


def reset_postgres(url: str) -> None:
    """Empty every table and restart every sequence (the schema stays, migrated once per
    run). DELETE with the foreign-key triggers off, not TRUNCATE: for the few rows a test
    leaves it takes 2 ms, not 120, before each of hundreds of tests."""
    engine, emptying = _emptying(url)
    with engine.begin() as connection:
        connection.exec_driver_sql(emptying)


@functools.cache
def _emptying(url: str) -> tuple[Engine, str]:
    """One engine per run's database, and the statements that empty it."""
    engine = create_engine(url)
    with engine.connect() as connection:
        tables = [t for t in inspect(connection).get_table_names() if t != "alembic_version"]
        sequences = connection.scalars(
            text(
                "SELECT sequence_name FROM information_schema.sequences"
                " WHERE sequence_schema = current_schema()"
            )
        ).all()
    # The row deletes run as a replica would apply them: no cascades, no checks.
    emptying = "SET LOCAL session_replication_role = replica; "
    emptying += " ".join(f'DELETE FROM "{table}";' for table in tables)
    if sequences:
        emptying += " SELECT " + ", ".join(f"setval('{s}', 1, false)" for s in sequences) + ";"
    return engine, emptying


def drop_everything(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def procfile_command(kind: str) -> str:
    for line in (ROOT / "Procfile").read_text().splitlines():
        name, _, command = line.partition(":")
        if name.strip() == kind:
            return command.strip()
    raise KeyError(kind)


# A test client sends as fast as it can, far faster than people: server processes get
# command budgets (docs/protocol.md §5a) no test reaches, unless a test is about them
# and passes PEOPLES_BUDGET, the defaults of server/config.py.
UNLIMITED_BUDGET = {
    "HOLDSPORT_COMMAND_LIMIT": "100000",
    "HOLDSPORT_COMMAND_BURST": "100000",
    "HOLDSPORT_SYNC_LIMIT": "100000",
}
# Tests of other things see a person leave the moment their last connection closes;
# tests of the reconnect grace (test_reconnect_grace.py) set one of their own.
LEFT_AT_ONCE = {"HOLDSPORT_RECONNECT_GRACE_SECONDS": "0"}
# A benchmark's clients all come from 127.0.0.1: the per-address limits are lifted.
ONE_ADDRESS_FOR_ALL = {
    "HOLDSPORT_MAX_CONNECTIONS_PER_ADDRESS": "1000000",
    "HOLDSPORT_RATE_LIMIT_JOIN": "1000000 per minute",
    "HOLDSPORT_RATE_LIMIT_CREATE": "1000000 per minute",
}
# Test servers run on plain HTTP, sign up many facilitators from one address, and
# need no Argon2 strength: only tests about those pass the defaults back.
ACCOUNTS_FOR_TESTS = {
    "HOLDSPORT_SECURE_COOKIES": "false",
    "HOLDSPORT_ARGON2_MEMORY_KIB": "1024",
    "HOLDSPORT_ARGON2_TIME_COST": "1",
    "HOLDSPORT_RATE_LIMIT_SIGN_IN": "1000000 per minute",
}
# Test clients connect from 127.0.0.1 many times a minute, and tests of refusals send
# unknown tokens: only tests of these limits (test_connect_limits_live) set them back.
CONNECTS_FOR_TESTS = {
    "HOLDSPORT_RATE_LIMIT_CONNECT": "1000000 per minute",
    "HOLDSPORT_RATE_LIMIT_CONNECT_REFUSED": "1000000 per minute",
}
PEOPLES_BUDGET = {
    "HOLDSPORT_COMMAND_LIMIT": str(Settings.command_limit),
    "HOLDSPORT_COMMAND_BURST": str(Settings.command_burst),
    "HOLDSPORT_SYNC_LIMIT": str(Settings.sync_limit),
    "HOLDSPORT_COMMAND_WINDOW_SECONDS": str(Settings.command_window_seconds),
    "HOLDSPORT_FLOOD_FACTOR": str(Settings.flood_factor),
}


class ServerProcess:
    """The production command from the Procfile, on 127.0.0.1 and a free port."""

    def __init__(self, database_url: str, async_mode: str = "eventlet", **extra_env: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "HOLDSPORT_ASYNC_MODE": async_mode,
            "SECRET_KEY": "test-secret-key-not-for-production",
            # The Procfile says `python`: make that the interpreter running the tests.
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
            "HOST": "127.0.0.1",
            "PORT": str(self.port),
            "PYTHONUNBUFFERED": "1",
            **UNLIMITED_BUDGET,
            **ACCOUNTS_FOR_TESTS,
            **LEFT_AT_ONCE,
            **CONNECTS_FOR_TESTS,
            **extra_env,
        }
        self.process: subprocess.Popen[str] | None = None
        self.log_path = ROOT / "test-artifacts" / f"server-{self.port}.log"
        # A new server's log holds only its own lines (a restart appends): an earlier
        # run's file on the same port would put its lines under this test's assertions.
        self.log_path.unlink(missing_ok=True)

    def release(self) -> None:
        subprocess.run(
            ["bash", "-c", procfile_command("release")],
            env=self.env,
            cwd=ROOT,
            check=True,
            capture_output=True,
            timeout=120,
        )

    def start(self) -> ServerProcess:
        self.log_path.parent.mkdir(exist_ok=True)
        with self.log_path.open("a") as log:  # the child keeps its own copy of the handle
            self.process = subprocess.Popen(
                ["bash", "-c", "exec " + procfile_command("web")],
                env=self.env,
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                text=True,
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited early:\n{self.log()}")
            try:
                if requests.get(f"{self.url}/api/health", timeout=1).ok:
                    return self
            except requests.ConnectionError:
                time.sleep(0.1)
        raise RuntimeError(f"server did not come up:\n{self.log()}")

    def stop(self, kill: bool = False) -> None:
        if self.process and self.process.poll() is None:
            if kill:
                self.process.kill()
            else:
                self.process.terminate()
            self.process.wait(timeout=10)

    def log(self) -> str:
        return self.log_path.read_text() if self.log_path.exists() else ""


@contextmanager
def running_server(
    database_url: str, async_mode: str = "eventlet", **env: str
) -> Iterator[ServerProcess]:
    """The Procfile's web process on a database the fixtures migrated, stopped at the end.

    (The release step would find nothing to do; test_http_and_config runs it once.)
    """
    process = ServerProcess(database_url, async_mode, **env)
    process.start()
    try:
        yield process
    finally:
        process.stop()


def dump_database(url: str, ignore: dict[str, set[str]] | None = None) -> dict[str, list[tuple]]:
    """Every row of every table but workers (whose heartbeat ticks by itself), without the
    columns in `ignore` (table -> column names)."""
    ignore = ignore or {}
    engine, columns = _schema(url)
    with engine.connect() as connection:
        dump = {}
        for table, names in columns.items():
            kept = ", ".join(n for n in names if n not in ignore.get(table, set()))
            rows = connection.execute(text(f"SELECT {kept} FROM {table}"))
            dump[table] = sorted(map(tuple, rows), key=repr)
    return dump


@functools.lru_cache(maxsize=4)
def _schema(url: str) -> tuple[Engine, dict[str, list[str]]]:
    """An engine and each table's columns (but workers'), once per database: a fuzz test
    dumps the database a thousand times, and the schema never changes within a run."""
    # One connection kept between dumps (a new one per dump costs PostgreSQL's start-up,
    # twice per fuzzed command); checked before use, as a fault test restarts the server.
    engine = create_engine(url, pool_size=1, max_overflow=0, pool_pre_ping=True)
    with engine.connect() as connection:
        inspector = inspect(connection)
        tables = sorted(t for t in inspector.get_table_names() if t != "workers")
        columns = {t: [c["name"] for c in inspector.get_columns(t)] for t in tables}
    return engine, columns


# Scale-out tests' Redis (a database of its own; each test run its own channel).
REDIS_URL = os.environ.get("HOLDSPORT_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def scale_out_env() -> dict[str, str]:
    """Settings of server processes sharing the test Redis: a channel of their own
    (other test runs may share this Redis at the same time), quick sweeps, and a short
    worker timeout."""
    return {
        "REDIS_URL": REDIS_URL,
        "HOLDSPORT_REDIS_CHANNEL": f"holdsport-test-{uuid.uuid4().hex}",
        "HOLDSPORT_SWEEP_SECONDS": "0.5",
        "HOLDSPORT_WORKER_TIMEOUT_SECONDS": "3",
    }


def redis_reachable() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False
