"""Sessions: whether a host asked the room display to show the join QR code and link
in full while the session runs (before the start it always does).

Revision ID: 0140
Revises: 0139
Create Date: 2026-11-30 13:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0140"
down_revision = "0139"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ALTER TABLE ADD COLUMN, as in 0134: no rebuild of a table others point at.
    op.add_column(
        "peer_sessions", sa.Column("show_join", sa.Boolean(), nullable=False, server_default="0")
    )


def downgrade() -> None:
    op.execute("ALTER TABLE peer_sessions DROP COLUMN show_join")
