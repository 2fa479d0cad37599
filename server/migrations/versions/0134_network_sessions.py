"""Sessions: a network session across organisations, and how many accepted its
confidentiality agreement (a count, never who: server/sessions/agreement.py).

Revision ID: 0134
Revises: 0133
Create Date: 2026-11-30 07:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0134"
down_revision = "0133"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ALTER TABLE ADD COLUMNs, as in 0132: no rebuild of a table others point at.
    op.add_column(
        "peer_sessions", sa.Column("network", sa.Boolean(), nullable=False, server_default="0")
    )
    op.add_column(
        "peer_sessions", sa.Column("agreements", sa.Integer(), nullable=False, server_default="0")
    )


def downgrade() -> None:
    op.execute("ALTER TABLE peer_sessions DROP COLUMN agreements")
    op.execute("ALTER TABLE peer_sessions DROP COLUMN network")
