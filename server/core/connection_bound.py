"""At most so many live Socket.IO connections per client address, across every process.

Counted in the database, next to the `connections` rows: those are what every process
agrees is live (a process that dies loses its rows at the next sweep by another). Each
connection's address is kept in its own row here, deleted with its connection (ON DELETE
CASCADE), so a disconnect, a leave or a dead worker's sweep frees the place with no code
of its own. A per-process count would let N processes admit N times the bound; a Redis
counter would drift when a process dies without counting down.

The address is stored as a keyed hash (HMAC with SECRET_KEY), never as written.
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import (
    ForeignKey,
    Integer,
    String,
    Table,
    bindparam,
    delete,
    func,
    insert,
    select,
    text,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from server.core.connections import Connection
from server.core.db import Base
from server.core.errors import DomainError
from server.core.limits import address_tag, client_address
from server.core.runtime import current_runtime


class ConnectionAddress(Base):
    """Which address a live connection came from, as a keyed hash."""

    __tablename__ = "connection_addresses"

    sid: Mapped[str] = mapped_column(
        ForeignKey("connections.sid", ondelete="CASCADE"), primary_key=True
    )
    address: Mapped[str] = mapped_column(String(64), index=True)


def request_address_tag() -> str:
    """The keyed hash of the address the request being handled comes from."""
    return address_tag(current_runtime().settings.secret_key, client_address())


_table = cast(Table, ConnectionAddress.__table__)
_addresses = _table.c
# Built once, as every join asks (bench/join_cpu.py): only the values change. The place is
# counted and taken in one round trip: the row goes in only while the address has room.
_LIVE = select(func.count()).where(_addresses.address == bindparam("address")).scalar_subquery()
_TAKE = (
    insert(_table)
    .from_select(
        ["sid", "address"],
        select(bindparam("sid", type_=String), bindparam("address", type_=String)).where(
            bindparam("most", type_=Integer) > _LIVE
        ),
    )
    .execution_options(preserve_rowcount=True)  # 0: no room
)


def admit(db: Session, sid: str) -> None:
    """Record that the connection `sid` (already added) comes from the request's address,
    or refuse it with `too_many_connections` if that address has the most it may."""
    settings = current_runtime().settings
    tag = request_address_tag()
    if db.get_bind().dialect.name == "postgresql":
        # Two connects from one address at once must not both take the last place.
        # (SQLite needs nothing: every transaction there takes the write lock first.)
        key = int.from_bytes(bytes.fromhex(tag[:16]), "big", signed=True)
        db.execute(text("SELECT pg_advisory_xact_lock(CAST(:key AS bigint))"), {"key": key})
    most = settings.max_connections_per_address
    taken = db.execute(_TAKE, {"sid": sid, "address": tag, "most": most})
    if taken.rowcount != 1:  # type: ignore[attr-defined]
        raise DomainError("too_many_connections", max=most)


def free_worker(db: Session, worker_id: str) -> None:
    """A process shutting down (core.shutdown) frees its connections' places at once:
    the rows stay for the grace, but their people are reconnecting elsewhere and must not
    count twice against their address meanwhile."""
    free(db, select(Connection.sid).where(Connection.worker_id == worker_id))


def free(db: Session, sids: Any) -> None:
    """Free the places of connections whose rows stay for a grace (a list or a query)."""
    db.execute(delete(ConnectionAddress).where(ConnectionAddress.sid.in_(sids)))
