"""Connections: when an ordinary disconnect closed one (a dropped network), so its row
keeps its person present for the reconnect grace, until the sweeper removes it.

Revision ID: 0141
Revises: 0140
Create Date: 2026-11-30 17:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0141"
down_revision = "0140"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ALTER TABLE ADD COLUMN, as in 0134: no rebuild of a table others point at.
    op.add_column("connections", sa.Column("closed_at", sa.DateTime(), nullable=True))
    op.create_index("ix_connections_closed_at", "connections", ["closed_at"])


def downgrade() -> None:
    op.drop_index("ix_connections_closed_at", "connections")
    op.execute("ALTER TABLE connections DROP COLUMN closed_at")
