"""Members and planning: a group's members (a hash of a key their browser keeps, salted
with the group), which member each participant is, and when a session is planned for.

Revision ID: 0121
Revises: 0120
Create Date: 2026-12-01 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0121"
down_revision = "0120"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=60), nullable=False),
        sa.Column("first_seen_at", sa.DateTime(), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"], ["groups.id"], name=op.f("fk_members_group_id_groups")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_members")),
        sa.UniqueConstraint("group_id", "key_hash", name=op.f("uq_members_group_id")),
    )
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_members_group_id"), ["group_id"], unique=False)
    with op.batch_alter_table("participants", schema=None) as batch_op:
        batch_op.add_column(sa.Column("member_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_participants_member_id"), ["member_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_participants_member_id_members"), "members", ["member_id"], ["id"]
        )
    with op.batch_alter_table("peer_sessions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("planned_for", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("peer_sessions", schema=None) as batch_op:
        batch_op.drop_column("planned_for")
    with op.batch_alter_table("participants", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_participants_member_id_members"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_participants_member_id"))
        batch_op.drop_column("member_id")
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_members_group_id"))
    op.drop_table("members")
