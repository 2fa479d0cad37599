"""Presentations: who presented a dilemma in a group's session, kept with the group
once the session's content (its turns) has expired, for presenter rotation.

Revision ID: 0123
Revises: 0122
Create Date: 2026-11-30 03:42:24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0123"
down_revision = "0122"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "presentations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("session_title", sa.String(length=120), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("display_name", sa.String(length=60), nullable=False),
        sa.Column("presented_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["groups.id"],
            name=op.f("fk_presentations_group_id_groups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_presentations_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_presentations")),
    )
    with op.batch_alter_table("presentations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_presentations_group_id"), ["group_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_presentations_member_id"), ["member_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_presentations_session_id"), ["session_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("presentations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_presentations_session_id"))
        batch_op.drop_index(batch_op.f("ix_presentations_member_id"))
        batch_op.drop_index(batch_op.f("ix_presentations_group_id"))

    op.drop_table("presentations")
