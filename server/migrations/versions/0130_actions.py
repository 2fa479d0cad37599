"""Actions tagged by IGLO level, kept with the group, and their follow-ups per session.

Revision ID: 0130
Revises: 0123
Create Date: 2026-11-30 06:39:50
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0130"
down_revision = "0123"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column(
            "level",
            sa.Enum(
                "individual",
                "group",
                "leader",
                "organisation",
                name="action_level",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("text", sa.String(length=280), nullable=False),
        sa.Column(
            "owner_kind",
            sa.Enum("person", "group", name="action_owner", native_enum=False, length=16),
            nullable=True,
        ),
        sa.Column("owner_name", sa.String(length=60), nullable=True),
        sa.Column("owner_participant_id", sa.Integer(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column(
            "status",
            sa.Enum("open", "done", "dropped", name="action_status", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("source_post", sa.String(length=16), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("closed_session_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["closed_session_id"],
            ["peer_sessions.id"],
            name=op.f("fk_actions_closed_session_id_peer_sessions"),
        ),
        sa.ForeignKeyConstraint(
            ["group_id"], ["groups.id"], name=op.f("fk_actions_group_id_groups")
        ),
        sa.ForeignKeyConstraint(
            ["session_id"], ["peer_sessions.id"], name=op.f("fk_actions_session_id_peer_sessions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_actions")),
    )
    with op.batch_alter_table("actions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_actions_closed_session_id"), ["closed_session_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_actions_group_id"), ["group_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_actions_session_id"), ["session_id"], unique=False)

    op.create_table(
        "action_follow_ups",
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column(
            "outcome",
            sa.Enum(
                "done", "continue", "drop", name="follow_up_outcome", native_enum=False, length=16
            ),
            nullable=True,
        ),
        sa.ForeignKeyConstraint(
            ["action_id"],
            ["actions.id"],
            name=op.f("fk_action_follow_ups_action_id_actions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["peer_sessions.id"],
            name=op.f("fk_action_follow_ups_session_id_peer_sessions"),
        ),
        sa.PrimaryKeyConstraint("session_id", "action_id", name=op.f("pk_action_follow_ups")),
    )
    with op.batch_alter_table("action_follow_ups", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_action_follow_ups_action_id"), ["action_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("action_follow_ups", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_action_follow_ups_action_id"))

    op.drop_table("action_follow_ups")
    with op.batch_alter_table("actions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_actions_session_id"))
        batch_op.drop_index(batch_op.f("ix_actions_group_id"))
        batch_op.drop_index(batch_op.f("ix_actions_closed_session_id"))

    op.drop_table("actions")
