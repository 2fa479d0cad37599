"""Fixtures: a migrated database (SQLite by default, PostgreSQL when asked), apps, servers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from server.config import load_settings
from server.core.clock import FrozenClock
from server.core.db import Database
from server.migrate import upgrade
from tests.browser import browser  # noqa: F401  (one Chromium for every browser test module)
from tests.support import drop_everything, postgres_url, reset_postgres, running_server


@pytest.fixture(scope="session")
def _postgres_migrated() -> str | None:
    url = postgres_url()
    if url:
        drop_everything(url)
        upgrade(url)
    return url


@pytest.fixture
def database_url(tmp_path, _postgres_migrated) -> str:
    """A migrated, empty database for one test."""
    if _postgres_migrated:
        reset_postgres(_postgres_migrated)
        return _postgres_migrated
    url = f"sqlite:///{tmp_path / 'holdsport.db'}"
    upgrade(url)
    return url


@pytest.fixture
def database(database_url) -> Iterator[Database]:
    db = Database(database_url)
    yield db
    db.dispose()


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock()


@pytest.fixture
def settings(database_url):
    return load_settings(
        {"HOLDSPORT_ENV": "test", "SECRET_KEY": "test-secret-key-not-for-production"},
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
def server(database_url):
    """A real server process on 127.0.0.1, started by the Procfile's command (eventlet)."""
    with running_server(database_url) as process:
        yield process
