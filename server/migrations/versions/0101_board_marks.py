"""Board posts: the mark that counts a person once toward a batch (server/board/waiting.py).

Revision ID: 0101
Revises: 0100
Create Date: 2026-11-30 00:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0101"
down_revision = "0100"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ALTER TABLE ADD COLUMN (a string default needs no rebuild): rebuilding the
    # posts table in SQLite would empty the tables that point at it with ON DELETE CASCADE.
    with op.batch_alter_table("board_posts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("counted", sa.Boolean(), nullable=False, server_default="0"))


def downgrade() -> None:
    op.execute("ALTER TABLE board_posts DROP COLUMN counted")
