"""Connection addresses: which (hashed) client address each live connection came from,
to bound connections per address across processes (server/core/connection_bound.py).

Revision ID: 0110
Revises: 0103
Create Date: 2026-11-30 00:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0110"
down_revision = "0103"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "connection_addresses",
        sa.Column("sid", sa.String(length=64), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["sid"],
            ["connections.sid"],
            name=op.f("fk_connection_addresses_sid_connections"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("sid", name=op.f("pk_connection_addresses")),
    )
    with op.batch_alter_table("connection_addresses", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_connection_addresses_address"), ["address"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("connection_addresses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_connection_addresses_address"))
    op.drop_table("connection_addresses")
