"""`python -m server backup`: a copy of a SQLite database in use holds what was committed."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing

import pytest

from server.cli import main
from server.core.db import Database
from tests.factories import create_session


@pytest.fixture
def live_sqlite(tmp_path, _sqlite_template, monkeypatch):
    """A SQLite database (also in a PostgreSQL run: this is SQLite's own backup)."""
    path = tmp_path / "holdsport.db"
    shutil.copy(_sqlite_template, path)
    monkeypatch.setenv("HOLDSPORT_ENV", "test")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    database = Database(f"sqlite:///{path}")
    yield database
    database.dispose()


def test_a_backup_holds_what_was_committed_while_the_database_is_in_use(
    live_sqlite, clock, tmp_path, capsys
):
    with live_sqlite.transaction() as db:
        create_session(db, clock)
    copy = tmp_path / "backup.db"
    with live_sqlite.transaction() as db:
        create_session(db, clock)  # not committed yet while the copy is taken
        assert main(["backup", str(copy)]) == 0
    with closing(sqlite3.connect(copy)) as backup:
        assert backup.execute("SELECT count(*) FROM peer_sessions").fetchone() == (1,)
    assert main(["backup", str(copy)]) == 1  # never over an older backup
    assert "exists already" in capsys.readouterr().out


def test_a_postgresql_database_is_left_to_pg_dump(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("HOLDSPORT_ENV", "test")
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://holdsport@db/holdsport")
    assert main(["backup", str(tmp_path / "backup.db")]) == 1
    assert "pg_dump" in capsys.readouterr().out
