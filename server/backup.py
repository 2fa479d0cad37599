"""`python -m server backup FILE`: a consistent copy of the SQLite database, while the
server runs.

SQLite's online backup API copies the database as one committed state, whatever the
server is writing at that moment (a plain `cp` of a live database, or of its file
without its write-ahead log, may not open). PostgreSQL has its own tools: pg_dump
(docs/deployment.md).
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from sqlalchemy import make_url


class BackupError(RuntimeError):
    pass


def backup(database_url: str, target: Path) -> None:
    """Copy the database at `database_url` (SQLite) to the new file `target`."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        raise BackupError("backup copies SQLite only: for PostgreSQL use pg_dump")
    if not url.database or not Path(url.database).is_file():
        raise BackupError(f"no SQLite database at {url.database}")
    if target.exists():
        raise BackupError(f"{target} exists already: give a new file")
    with closing(sqlite3.connect(url.database)) as source, closing(sqlite3.connect(target)) as copy:
        source.backup(copy)
