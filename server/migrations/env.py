"""Alembic environment: the URL comes from the caller (server.migrate), models give metadata."""

from __future__ import annotations

from alembic import context

from server.accounts import models as _account_models  # noqa: F401
from server.agenda import models as _agenda_models  # noqa: F401
from server.board import models as _board_models  # noqa: F401  (registers tables)
from server.core import connection_bound as _connection_bound  # noqa: F401
from server.core import connections as _connections  # noqa: F401  (registers tables)
from server.core.db import Base, make_engine
from server.pulse import models as _pulse_models  # noqa: F401
from server.sessions import models as _session_models  # noqa: F401

config = context.config
url = config.get_main_option("sqlalchemy.url") or ""
assert url, "server.migrate passes the database URL"


def run() -> None:
    if context.is_offline_mode():
        context.configure(url=url, target_metadata=Base.metadata, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = make_engine(url)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run()
