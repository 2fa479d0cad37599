"""Fixtures: a migrated database (SQLite by default, PostgreSQL when asked), apps, servers,
and the domain fixtures most tests share (`db`, `room`)."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator

import pytest

from server import features
from server.config import load_settings
from server.core import connections
from server.core.clock import FrozenClock
from server.core.db import Database
from server.migrate import upgrade
from tests.board_support import make_room

# One Chromium for every browser test module; each test's pages closed after it.
from tests.browser import _close_pages_after_each_test, browser  # noqa: F401
from tests.support import (
    LEFT_AT_ONCE,
    drop_everything,
    postgres_url,
    reset_postgres,
    running_server,
)

WORKER = "worker-a"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests, real server processes and races are `slow`: `-m "not slow"` skips them."""
    for item in items:
        if {"browser", "server", "race"} & {mark.name for mark in item.iter_markers()}:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session", autouse=True)
def _features() -> None:
    """The features' reactions to each other, as the app factory installs them."""
    features.install()


@pytest.fixture(scope="session")
def _postgres_migrated() -> str | None:
    url = postgres_url()
    if url:
        drop_everything(url)
        upgrade(url)
    return url


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> str:
    """One SQLite database migrated once per run; each test gets a copy of it."""
    path = tmp_path_factory.mktemp("template") / "holdsport.db"
    upgrade(f"sqlite:///{path}")
    return str(path)


@pytest.fixture
def database_url(tmp_path, _postgres_migrated, _sqlite_template) -> str:
    """A migrated, empty database for one test."""
    if _postgres_migrated:
        reset_postgres(_postgres_migrated)
        return _postgres_migrated
    path = tmp_path / "holdsport.db"
    # SQLite's backup API copies the database whole, whatever sits in its write-ahead log.
    with sqlite3.connect(_sqlite_template) as source, sqlite3.connect(path) as target:
        source.backup(target)
    source.close()
    target.close()
    return f"sqlite:///{path}"


@pytest.fixture
def database(database_url) -> Iterator[Database]:
    db = Database(database_url)
    yield db
    db.dispose()


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock()


@pytest.fixture
def db(database, clock):
    """One transaction for a domain test, with this process registered as a worker."""
    with database.transaction() as session:
        connections.register_worker(session, WORKER, clock.now())
    with database.transaction() as session:
        yield session


@pytest.fixture
def room(db, clock):
    """A session with a facilitator and three people, all connected (tests.board_support)."""
    return make_room(db, clock, people=3)


@pytest.fixture
def settings(database_url):
    return load_settings(
        {
            "HOLDSPORT_ENV": "test",
            "SECRET_KEY": "test-secret-key-not-for-production",
            "HOLDSPORT_ARGON2_MEMORY_KIB": "1024",
            "HOLDSPORT_ARGON2_TIME_COST": "1",
            "HOLDSPORT_RATE_LIMIT_SIGN_IN": "100000 per minute",
            "HOLDSPORT_RATE_LIMIT_CONNECT": "100000 per minute",
            "HOLDSPORT_RATE_LIMIT_CONNECT_REFUSED": "100000 per minute",
            **LEFT_AT_ONCE,
        },
        database_url=database_url,
        async_mode="threading",
    )


@pytest.fixture
def app(settings, clock):
    from server.app import create_app

    app = create_app(settings, clock=clock)
    yield app
    app.extensions["holdsport"].db.dispose()


@pytest.fixture
def clients():
    """LiveClients a test opens (append them); closed at the end, all at once: under the
    threading server each close handshake waits ~3 s."""
    opened: list = []
    yield opened
    closing = [threading.Thread(target=client.disconnect) for client in opened]
    for thread in closing:
        thread.start()
    for thread in closing:
        thread.join()


@pytest.fixture
def server(database_url):
    """A real server process on 127.0.0.1, started by the Procfile's command (eventlet)."""
    with running_server(database_url) as process:
        yield process
