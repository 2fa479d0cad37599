"""Turns: a presenter's own short title for their dilemma, and whether the session's
summary may show it (server/agenda/titles.py).

Revision ID: 0132
Revises: 0131
Create Date: 2026-11-30 06:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0132"
down_revision = "0131"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ALTER TABLE ADD COLUMNs: rebuilding `turns` in SQLite would touch the clock's
    # ON DELETE SET NULL pointer at it.
    op.add_column("turns", sa.Column("title", sa.String(length=120), nullable=True))
    op.add_column(
        "turns", sa.Column("title_shared", sa.Boolean(), nullable=False, server_default="0")
    )


def downgrade() -> None:
    op.execute("ALTER TABLE turns DROP COLUMN title_shared")
    op.execute("ALTER TABLE turns DROP COLUMN title")
