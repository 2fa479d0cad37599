"""The psychological-safety pulse: pulses, their counts per (statement, value), and the
"has answered" tags that live only while a pulse is open.

Revision ID: 0133
Revises: 0132
Create Date: 2026-11-30 06:40:16
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0133"
down_revision = "0132"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pulses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("phase_id", sa.Integer(), nullable=True),
        sa.Column("statements", sa.JSON(), nullable=False),
        sa.Column(
            "status",
            sa.Enum("open", "closed", name="pulse_status", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("k", sa.Integer(), nullable=False),
        sa.Column("answered", sa.Integer(), nullable=False),
        sa.Column("visible", sa.Boolean(), nullable=False),
        sa.Column("salt", sa.String(length=64), nullable=True),
        sa.Column("opened_at", sa.DateTime(), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["phase_id"], ["phases.id"], name=op.f("fk_pulses_phase_id_phases"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["session_id"], ["peer_sessions.id"], name=op.f("fk_pulses_session_id_peer_sessions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pulses")),
    )
    with op.batch_alter_table("pulses", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pulses_session_id"), ["session_id"], unique=False)

    op.create_table(
        "pulse_counts",
        sa.Column("pulse_id", sa.Integer(), nullable=False),
        sa.Column("statement", sa.Integer(), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["pulse_id"],
            ["pulses.id"],
            name=op.f("fk_pulse_counts_pulse_id_pulses"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pulse_id", "statement", "value", name=op.f("pk_pulse_counts")),
    )
    op.create_table(
        "pulse_tags",
        sa.Column("pulse_id", sa.Integer(), nullable=False),
        sa.Column("tag", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["pulse_id"],
            ["pulses.id"],
            name=op.f("fk_pulse_tags_pulse_id_pulses"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pulse_id", "tag", name=op.f("pk_pulse_tags")),
    )


def downgrade() -> None:
    op.drop_table("pulse_tags")
    op.drop_table("pulse_counts")
    with op.batch_alter_table("pulses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pulses_session_id"))

    op.drop_table("pulses")
