"""The door: who lets people in (per session), when each person was let in or removed.

Sessions made before this were open to anyone with the code, and everyone in them
was in: they keep that.

Revision ID: 0103
Revises: 0102
Create Date: 2026-11-30 00:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0103"
down_revision = "0102"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("peer_sessions") as batch_op:
        batch_op.add_column(
            sa.Column("admission", sa.String(length=16), nullable=False, server_default="code")
        )
    with op.batch_alter_table("participants") as batch_op:
        batch_op.add_column(sa.Column("admitted_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("removed_at", sa.DateTime(), nullable=True))
    op.execute("UPDATE participants SET admitted_at = joined_at")


def downgrade() -> None:
    with op.batch_alter_table("participants") as batch_op:
        batch_op.drop_column("removed_at")
        batch_op.drop_column("admitted_at")
    with op.batch_alter_table("peer_sessions") as batch_op:
        batch_op.drop_column("admission")
