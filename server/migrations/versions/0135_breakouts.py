"""Breakouts: a breakout phase's plan (rounds), its groups with their own countdowns and
syntheses, and who sits in which group (seats).

Revision ID: 0135
Revises: 0134
Create Date: 2026-11-30 10:03:19.691751
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0135"
down_revision = "0134"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "breakout_rounds",
        sa.Column("phase_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("planned_at", sa.DateTime(), nullable=False),
        sa.Column("running", sa.Boolean(), nullable=False),
        sa.Column("broadcast", sa.String(length=280), nullable=True),
        sa.Column("broadcast_at", sa.DateTime(), nullable=True),
        sa.Column("warned_for", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["phase_id"],
            ["phases.id"],
            name=op.f("fk_breakout_rounds_phase_id_phases"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["peer_sessions.id"],
            name=op.f("fk_breakout_rounds_session_id_peer_sessions"),
        ),
        sa.PrimaryKeyConstraint("phase_id", name=op.f("pk_breakout_rounds")),
    )
    with op.batch_alter_table("breakout_rounds", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_breakout_rounds_session_id"), ["session_id"], unique=False
        )

    op.create_table(
        "breakout_groups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("phase_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("segment", sa.Integer(), nullable=False),
        sa.Column("presenter_id", sa.Integer(), nullable=True),
        sa.Column("step_index", sa.Integer(), nullable=True),
        sa.Column("finished", sa.Boolean(), nullable=False),
        sa.Column(
            "timer_status",
            sa.Enum(
                "idle",
                "running",
                "paused",
                "expired",
                name="breakout_timer",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("duration_seconds", sa.Float(), nullable=False),
        sa.Column("ends_at", sa.DateTime(), nullable=True),
        sa.Column("remaining_seconds", sa.Float(), nullable=True),
        sa.Column("segment_started_at", sa.DateTime(), nullable=True),
        sa.Column("synthesis", sa.String(length=1000), nullable=True),
        sa.ForeignKeyConstraint(
            ["phase_id"],
            ["breakout_rounds.phase_id"],
            name=op.f("fk_breakout_groups_phase_id_breakout_rounds"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["presenter_id"],
            ["participants.id"],
            name=op.f("fk_breakout_groups_presenter_id_participants"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_breakout_groups")),
        sa.UniqueConstraint("phase_id", "number", name=op.f("uq_breakout_groups_phase_id")),
    )
    with op.batch_alter_table("breakout_groups", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_breakout_groups_ends_at"), ["ends_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_breakout_groups_phase_id"), ["phase_id"], unique=False)

    op.create_table(
        "breakout_seats",
        sa.Column("phase_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("presented", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["breakout_groups.id"],
            name=op.f("fk_breakout_seats_group_id_breakout_groups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_breakout_seats_participant_id_participants"),
        ),
        sa.ForeignKeyConstraint(
            ["phase_id"],
            ["breakout_rounds.phase_id"],
            name=op.f("fk_breakout_seats_phase_id_breakout_rounds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("phase_id", "participant_id", name=op.f("pk_breakout_seats")),
    )
    with op.batch_alter_table("breakout_seats", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_breakout_seats_group_id"), ["group_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("breakout_seats", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_breakout_seats_group_id"))

    op.drop_table("breakout_seats")
    with op.batch_alter_table("breakout_groups", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_breakout_groups_phase_id"))
        batch_op.drop_index(batch_op.f("ix_breakout_groups_ends_at"))

    op.drop_table("breakout_groups")
    with op.batch_alter_table("breakout_rounds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_breakout_rounds_session_id"))

    op.drop_table("breakout_rounds")
