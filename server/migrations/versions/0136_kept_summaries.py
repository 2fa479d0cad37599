"""A summary a group chose to keep, written out in each language: it outlives the
session's content (server/summary/models.py).

Revision ID: 0136
Revises: 0135
Create Date: 2026-11-30 10:14:22.584921
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0136"
down_revision = "0135"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "kept_summaries",
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("markdown", sa.Text(), nullable=False),
        sa.Column("kept_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["groups.id"],
            name=op.f("fk_kept_summaries_group_id_groups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["peer_sessions.id"],
            name=op.f("fk_kept_summaries_session_id_peer_sessions"),
        ),
        sa.PrimaryKeyConstraint("session_id", "language", name=op.f("pk_kept_summaries")),
    )
    with op.batch_alter_table("kept_summaries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_kept_summaries_group_id"), ["group_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("kept_summaries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_kept_summaries_group_id"))

    op.drop_table("kept_summaries")
