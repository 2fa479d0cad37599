"""Database engine, the declarative base, and the unit of work that commits."""

from __future__ import annotations

import enum
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import DateTime, Engine, Enum, Executable, MetaData, Row, create_engine, event
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class UTCDateTime(TypeDecorator[datetime]):
    """Stores naive UTC, returns aware UTC: SQLite keeps no time zone, PostgreSQL does."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware UTC datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def str_enum(kind: type[enum.StrEnum], name: str) -> Enum:
    """An enum column holding the member values, as the wire and the docs spell them."""
    return Enum(
        kind,
        name=name,
        values_callable=lambda members: [m.value for m in members],
        native_enum=False,
        length=16,
    )


def rows(db: Session, statement: Executable, params: dict[str, Any]) -> Sequence[Row[Any]]:
    """A Core statement's plain rows, far cheaper to make than entities, for what is only
    read and sent (a snapshot's parts). The transaction's pending ORM changes are flushed
    first, as an ORM query would: the rows see them. Sent on the session's connection, not
    through the session, whose execution (its events, its ORM context) is made for entities
    and costs a read far more CPU than the read itself (bench/join_cpu.py): only reads come
    here, so nothing the session's events watch for (core.change) is missed."""
    db.flush()
    return db.connection().execute(statement, params).all()


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        return _sqlite_engine(url)
    # hide_parameters: a failed statement's error (and so a logged traceback) must not
    # carry the values, which may be what someone wrote anonymously.
    return create_engine(url, pool_pre_ping=True, hide_parameters=True)


def _sqlite_engine(url: str) -> Engine:
    database = url.split("///", 1)[-1]
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url, connect_args={"timeout": 15, "check_same_thread": False}, hide_parameters=True
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        # Let SQLAlchemy, not pysqlite, decide when a transaction begins (see _on_begin).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        # No fsync at every commit: the only process waits for none (a commit blocks it,
        # eventlet cannot switch inside SQLite). A commit survives the process crashing or
        # restarting; only a power cut or OS crash may lose the last moments before the
        # next checkpoint, never corrupt the file (docs/deployment.md).
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    def begin_immediate(dbapi_connection):  # type: ignore[no-untyped-def]
        # Take the write lock up front so competing writers queue instead of failing
        # halfway with "database is locked" when a read turns into a write. Straight to
        # the driver, where SQLAlchemy begins (its errors wrapped as any statement's):
        # as a statement of its own, every listener on statements ran for it too, a
        # fifth of a hand's CPU (bench/command_cpu.py, A/B).
        dbapi_connection.execute("BEGIN IMMEDIATE")

    engine.dialect.do_begin = begin_immediate  # type: ignore[method-assign]
    return engine


class Database:
    """Owns the engine and hands out sessions; one per app."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session that commits when the block ends and rolls back on any error."""
        with self.sessions() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()
