"""Retention: when a session's content was deleted, and an index for the job that asks
which ended sessions still have theirs (server/sessions/retention.py).

Revision ID: 0122
Revises: 0121
Create Date: 2026-12-01 00:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0122"
down_revision = "0121"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ALTER TABLE: SQLite adds a nullable column in place, no table rebuild.
    op.add_column("peer_sessions", sa.Column("content_deleted_at", sa.DateTime(), nullable=True))
    op.create_index(
        "ix_peer_sessions_retention", "peer_sessions", ["content_deleted_at", "ended_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_peer_sessions_retention", table_name="peer_sessions")
    with op.batch_alter_table("peer_sessions") as batch_op:
        batch_op.drop_column("content_deleted_at")
